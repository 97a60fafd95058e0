"""costshare's own implementation of the OIOUBL 2.1 rules its documents could break.

No package ships Erhvervsstyrelsen's OIOUBL schematron (an XSLT 2.0 stylesheet), and the
project does not copy it, so the rules that concern what costshare writes (document
identification, endpoint and party identifiers, the buyer's person reference, order
reference, payment means and account fields, tax categories and totals, line and total
arithmetic, the attached documents) are written here, each under its id and text from OIOUBL schematron 1.17.2.
F-LIB181 and F-LIB185 say "a valid GLN number"; the official test checks only the length,
costshare also checks the GS1 check digit (a wrong one routes the invoice nowhere).
A rule that exists for both document types carries both ids: ``F-INV…`` for an invoice,
``F-CRN…`` for a credit note. tests/check/test_einvoice_rules.py provokes each of them.
"""

from __future__ import annotations

from lxml import etree

from costshare.check.einvoice import oioubl_amounts, oioubl_parties, oioubl_references
from costshare.check.einvoice.findings import Finding

_RULES = [*oioubl_parties.RULES, *oioubl_amounts.RULES, *oioubl_references.RULES]


def covered_rules() -> list[str]:
    """The ids of the OIOUBL rules costshare checks itself (for the documentation)."""
    ids: list[str] = []
    for paired in _RULES:
        ids += [paired.invoice_id]
        if paired.credit_id != paired.invoice_id:
            ids += [paired.credit_id]
    return ids


def oioubl_findings(document: etree._Element) -> list[Finding]:
    """Every OIOUBL rule (of those costshare implements) that ``document`` breaks."""
    kind = etree.QName(document).localname
    if kind not in ("Invoice", "CreditNote"):
        return [Finding("F-INV001", "Root element must be Invoice")]
    credit = kind == "CreditNote"
    found = []
    for paired in _RULES:
        rule_id = paired.credit_id if credit else paired.invoice_id
        if not credit and rule_id.startswith("F-CRN"):
            continue
        found += [
            Finding(rule_id, paired.credit_text if credit and paired.credit_text else f.text)
            for f in paired.rule.check(document)
        ]
    return found
