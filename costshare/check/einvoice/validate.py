"""Validating one e-invoice: the rule sets chosen by the document's CustomizationID.

============  ==============================================================
OIOUBL 2.1    UBL 2.1 schema, costshare's OIOUBL rules (:mod:`.oioubl_rules`)
Peppol BIS 3  UBL 2.1 schema, CEN EN 16931 (costshare's own rules on the shape it
              writes, :mod:`.cen_rules`; else the published rules, via saxonche),
              costshare's Danish Peppol rules (:mod:`.danish_rules`)
============  ==============================================================

The CEN rules of a schema-valid document of costshare's shape are checked by
:func:`.cen_rules.own_cen_findings`, which gives the findings the published stylesheet
gives (proven in tests/check/test_cen_rules.py) in a millisecond, without Saxon; any other
document goes to the published stylesheet, compiled once per process.

The document is parsed once, by :func:`.untrusted.parse_untrusted` (no DTD, no entities,
no network, bounded shape); the published rules get that tree re-serialised, never the
bytes as received. A document that is refused there, or is neither format, gets one
finding saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from costshare.check.einvoice.cen_rules import own_cen_findings
from costshare.check.einvoice.danish_rules import danish_findings
from costshare.check.einvoice.findings import NS, Finding
from costshare.check.einvoice.oioubl_rules import oioubl_findings
from costshare.check.einvoice.published import cen_findings, schema_findings
from costshare.check.einvoice.untrusted import UntrustedXML, parse_untrusted

PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


@dataclass(frozen=True)
class Report:
    """What validation found in one document."""

    format: str
    """``oioubl``, ``peppol`` or ``unknown``."""
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that reject the document (warnings left out)."""
        return tuple(finding for finding in self.findings if finding.flag != "warning")

    @property
    def valid(self) -> bool:
        return not self.errors


def document_format(root: etree._Element) -> str:
    """``oioubl`` or ``peppol`` by the CustomizationID, else ``unknown``."""
    customization = root.xpath("string(cbc:CustomizationID)", namespaces=NS).strip()
    if customization.startswith("OIOUBL-"):
        return "oioubl"
    if customization.startswith(PEPPOL_CUSTOMIZATION):
        return "peppol"
    return "unknown"


def validate_document(xml: bytes) -> Report:
    """Check ``xml`` against the schema and every rule set for its format."""
    try:
        tree = parse_untrusted(xml)
    except UntrustedXML as refused:
        return Report("unknown", (Finding("XML", str(refused)),))
    root = tree.getroot()
    kind = document_format(root)
    findings = schema_findings(tree)
    if kind == "oioubl":
        findings += oioubl_findings(root)
    elif kind == "peppol":
        own = None if findings else own_cen_findings(root)
        findings += (own if own is not None else cen_findings(tree)) + danish_findings(root)
    else:
        findings.append(
            Finding(
                "CustomizationID",
                "neither OIOUBL-2.1 nor Peppol BIS Billing 3.0; cannot choose the rules",
            )
        )
    return Report(kind, tuple(findings))
