"""An independent check: the OFFICIAL rule files over costshare's e-invoices (issue #12).

costshare validates with its own OIOUBL and Danish Peppol rules because the official
files cannot ship with it. This test runs the official ones where they are available:
set ``COSTSHARE_OFFICIAL_RULES`` to a folder holding (anywhere below it)

* ``PEPPOL-EN16931-UBL.sch`` and ``CEN-EN16931-UBL.sch`` (OpenPEPPOL peppol-bis-invoice-3,
  ``rules/sch``; the Peppol file holds the DK-R rules), and
* ``OIOUBL_Invoice_Schematron.xsl`` and ``OIOUBL_CreditNote_Schematron.xsl``
  (Erhvervsstyrelsen's OIOUBL schematron, 1.17.x).

The ``.sch`` files are compiled to XSLT with lxml's ISO schematron skeleton, run in
saxonche; the OIOUBL stylesheets run as they are. Every generated document (invoices
and credit notes, each VAT treatment, each carrying a letter, an annex and a workbook as
attachments) must give zero failed asserts and reports.
Skipped when the variable is not set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from einvoice_helpers import documents, load, programme_file
from lxml import etree

from costshare.documents.einvoice.charge import XLSX, Attachment

RULES = os.environ.get("COSTSHARE_OFFICIAL_RULES", "")
# What a document carries (issue #20, item 5): both media types costshare attaches.
ATTACHED = (
    Attachment("157-gentofte.pdf", "Brev med beregning af andelen", b"%PDF-1.7 letter"),
    Attachment("bilag-finansiering-pr-kommune.pdf", "Bilag", b"%PDF-1.7 annex"),
    Attachment("157-gentofte.xlsx", "Regneark", b"PK\x03\x04 workbook", XLSX),
)
pytestmark = pytest.mark.skipif(
    not RULES, reason="COSTSHARE_OFFICIAL_RULES names no folder of official rule files"
)
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def rule_file(name: str) -> Path:
    """The file called ``name`` under the folder; the newest version if there are several."""
    found = sorted(Path(RULES).rglob(name))
    if not found:
        pytest.fail(f"{name} is not under COSTSHARE_OFFICIAL_RULES={RULES}")
    return max(found, key=version)


def version(path: Path) -> tuple[int, ...]:
    """The version a rule file states in its first lines (0 if none)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:20000]
    match = re.search(r"[Vv]ersion\s+(\d+(?:\.\d+)+)", head)
    return tuple(int(part) for part in match.group(1).split(".")) if match else (0,)


class Saxon:
    """Compiles each stylesheet once and runs it on documents given as bytes."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self.processor = PySaxonProcessor(license=False)
        self.compiled: dict[str, Any] = {}

    def run(self, stylesheet: str, xml: str, key: str, **parameters: str) -> str:
        if key not in self.compiled:
            compiler = self.processor.new_xslt30_processor()
            if stylesheet.startswith("<"):
                self.compiled[key] = compiler.compile_stylesheet(stylesheet_text=stylesheet)
            else:
                self.compiled[key] = compiler.compile_stylesheet(stylesheet_file=stylesheet)
        executable = self.compiled[key]
        executable.clear_parameters()
        for name, value in parameters.items():
            executable.set_parameter(name, self.processor.make_string_value(value))
        node = self.processor.parse_xml(xml_text=xml)
        return str(executable.transform_to_string(xdm_node=node))


def compile_schematron(saxon: Saxon, sch: Path) -> str:
    """An ISO schematron file as XSLT, by the three steps of lxml's bundled skeleton."""
    import lxml.isoschematron

    skeleton = Path(lxml.isoschematron.__file__).parent / "resources/xsl/iso-schematron-xslt1"
    # The skeleton knows the query binding "xslt"; the rules' XPath 2.0 runs because the
    # result is run by Saxon as XSLT 2.0 (the version attribute is raised below).
    text = sch.read_text(encoding="utf-8").replace('queryBinding="xslt2"', 'queryBinding="xslt"', 1)
    for step, parameters in (
        ("iso_dsdl_include.xsl", {}),
        ("iso_abstract_expand.xsl", {}),
        ("iso_svrl_for_xslt1.xsl", {"allow-foreign": "true"}),
    ):
        text = saxon.run(str(skeleton / step), text, step, **parameters)
    return re.sub(r'(<xsl:stylesheet\b[^>]*?\bversion=")1\.0"', r'\g<1>2.0"', text, count=1)


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> tuple[Saxon, dict[str, str]]:
    saxon = Saxon()
    stylesheets = {
        name: compile_schematron(saxon, rule_file(f"{name}.sch"))
        for name in ("CEN-EN16931-UBL", "PEPPOL-EN16931-UBL")
    }
    for kind in ("Invoice", "CreditNote"):
        stylesheets[f"OIOUBL-{kind}"] = str(rule_file(f"OIOUBL_{kind}_Schematron.xsl"))
    for name in ("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch", "OIOUBL_Invoice_Schematron.xsl"):
        path = rule_file(name)
        print(f"official rules: {path} (version {'.'.join(map(str, version(path)))})")
    return saxon, stylesheets


def failed_asserts(saxon: Saxon, stylesheets: dict[str, str], xml: bytes) -> list[str]:
    text = xml.decode("utf-8")
    root = etree.fromstring(xml)
    kind = etree.QName(root).localname
    found = []
    if root.findtext("{*}CustomizationID", "").startswith("OIOUBL"):
        key = f"OIOUBL-{kind}"
        report = etree.fromstring(saxon.run(stylesheets[key], text, key).encode("utf-8"))
        found += [" ".join((e.findtext("Description") or "").split()) for e in report.iter("Error")]
    else:
        for key in ("CEN-EN16931-UBL", "PEPPOL-EN16931-UBL"):
            report = etree.fromstring(saxon.run(stylesheets[key], text, key).encode("utf-8"))
            for failed in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
                words = " ".join("".join(failed.find(f"{SVRL}text").itertext()).split())
                found.append(f"{failed.get('id')} [{failed.get('flag')}]: {words}")
    return found


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"amount": "-1050000"},
        {"vat": "zero-rated"},
        {"vat": "standard", "bank": 'iban = "DK5000400440116243"\nbic = "DABADKKK"'},
    ],
    ids=["invoices", "credit-notes", "zero-rated", "standard-iban"],
)
def test_official_rules_accept_every_document(
    official: tuple[Saxon, dict[str, str]],
    tmp_path: Path,
    settings: dict[str, str],
) -> None:
    saxon, stylesheets = official
    written = documents(load(programme_file(tmp_path, **settings)), attachments=ATTACHED)
    assert len(written) == 60
    assert all(xml.count(b"<cbc:EmbeddedDocumentBinaryObject") == 3 for xml in written.values())
    failures = {name: failed_asserts(saxon, stylesheets, xml) for name, xml in written.items()}
    assert {name: found for name, found in failures.items() if found} == {}


def test_official_rules_catch_a_provoked_failure(
    official: tuple[Saxon, dict[str, str]], tmp_path: Path
) -> None:
    """The check can fail: a disallowed payment means and a bad GLN are reported."""
    saxon, stylesheets = official
    written = documents(load(programme_file(tmp_path)))
    bad = written["157-peppol"].replace(b"<cbc:PaymentMeansCode>42<", b"<cbc:PaymentMeansCode>30<")
    found = " ".join(failed_asserts(saxon, stylesheets, bad))
    assert "DK-R-005" in found
    bad = written["157-oioubl"].replace(b"<cbc:PaymentMeansCode>42<", b"<cbc:PaymentMeansCode>30<")
    assert "F-LIB100" in " ".join(failed_asserts(saxon, stylesheets, bad))
    # An attachment without the description OIOUBL requires, or with a media type neither
    # format lists.
    attached = documents(load(programme_file(tmp_path)), attachments=ATTACHED[:1])
    bad = attached["157-oioubl"].replace(b"<cbc:DocumentType>", b"<cbc:DocumentDescription>")
    bad = bad.replace(b"</cbc:DocumentType>", b"</cbc:DocumentDescription>")
    assert "F-LIB092" in " ".join(failed_asserts(saxon, stylesheets, bad))
    bad = attached["157-peppol"].replace(
        b'mimeCode="application/pdf"', b'mimeCode="application/zip"'
    )
    assert "BR-CL-24" in " ".join(failed_asserts(saxon, stylesheets, bad))


@pytest.mark.parametrize("final_amount", ["1100000", "1050000"], ids=["extra", "mixed"])
def test_official_rules_accept_every_settlement_document(
    official: tuple[Saxon, dict[str, str]], tmp_path: Path, final_amount: str
) -> None:
    """The settlement's invoices and credit notes (issue #14), with their billing reference
    to the charge's invoice."""
    from annex_helpers import run_cli
    from einvoice_helpers import settlement_documents, settlement_programmes

    saxon, stylesheets = official
    charged, final = settlement_programmes(tmp_path, final_amount=final_amount)
    assert run_cli("run", str(charged), "--out", str(tmp_path / "c")).exit_code == 0
    out = tmp_path / "s"
    result = run_cli("settle", str(final), "--charged", str(tmp_path / "c"), "--out", str(out))
    assert result.exit_code == 0, result.output
    written = settlement_documents(out)
    assert written and all(b"BillingReference" in xml for xml in written.values())
    assert all(xml.count(b"<cbc:EmbeddedDocumentBinaryObject") == 2 for xml in written.values())
    if final_amount == "1050000":
        assert any(b"<CreditNote" in xml for xml in written.values())
    failures = {name: failed_asserts(saxon, stylesheets, xml) for name, xml in written.items()}
    assert {name: found for name, found in failures.items() if found} == {}


def test_official_rules_accept_the_shipped_einvoice_example(
    official: tuple[Saxon, dict[str, str]], tmp_path: Path
) -> None:
    """The example the guide runs and a receiver verifies, as written: the real letter and
    annex PDFs attached (issue #20)."""
    from annex_helpers import EXAMPLES, run_cli

    saxon, stylesheets = official
    out = tmp_path / "efaktura"
    result = run_cli("run", str(EXAMPLES / "telehjerte-2025-efaktura.toml"), "--out", str(out))
    assert result.exit_code == 0, result.output
    written = {path.name: path.read_bytes() for path in (out / "einvoices").glob("*.xml")}
    assert len(written) == 60
    assert all(xml.count(b"<cbc:EmbeddedDocumentBinaryObject") == 2 for xml in written.values())
    failures = {name: failed_asserts(saxon, stylesheets, xml) for name, xml in written.items()}
    assert {name: found for name, found in failures.items() if found} == {}
