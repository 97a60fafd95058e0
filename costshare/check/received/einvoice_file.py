"""Reading a received e-invoice or credit note (OIOUBL 2.1 or Peppol BIS 3.0): what it is,
its number, whom it is for, what it asks to be paid, and the PDFs it carries.

The XML is parsed once, by :func:`costshare.check.einvoice.untrusted.parse_untrusted` (no
DTD, no entities, no network, bounded shape). The amount is ``PayableAmount`` as written;
an attached PDF (``AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject``
with ``mimeCode="application/pdf"``) is decoded so that ``verify`` can reach the letter's
data through the e-invoice.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from lxml import etree

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import plain_ore
from costshare.check.einvoice.findings import NS, text
from costshare.check.einvoice.untrusted import UntrustedXML, parse_untrusted
from costshare.check.einvoice.validate import document_format

_AMOUNT = re.compile(r"-?[0-9]{1,40}(?:\.[0-9]{1,2})?")
_ATTACHED = "/*/cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"


@dataclass(frozen=True)
class Einvoice:
    """What a received e-invoice says."""

    source: str
    format: str
    """``oioubl`` or ``peppol``."""
    credit: bool
    number: str
    payable_text: str
    """``PayableAmount`` as written."""
    payable_ore: int | None
    """The same in øre; None where it is not a plain amount."""
    buyer_name: str
    buyer_endpoint: str
    attached_pdfs: tuple[tuple[str, bytes], ...]
    """(file name, bytes) of each PDF it carries."""
    fields: tuple[tuple[str, str], ...] = ()
    """Everything it says but the files it carries, as :func:`einvoice_fields` gives it."""


def read_einvoice(raw: bytes, source: str) -> Einvoice:
    """The e-invoice ``raw`` (the bytes of ``source``).

    Raises :class:`InputError` for XML that is refused or is not an OIOUBL or Peppol
    invoice or credit note.
    """
    try:
        root = parse_untrusted(raw).getroot()
    except UntrustedXML as refused:
        raise InputError(
            lazy("is not an e-invoice costshare can read ({problem})", problem=str(refused)),
            source=source,
        ) from None
    kind = etree.QName(root).localname
    form = document_format(root)
    if kind not in ("Invoice", "CreditNote") or form == "unknown":
        raise InputError(
            lazy(
                "is XML but not an OIOUBL 2.1 or Peppol BIS 3.0 invoice or credit note "
                "(one written by costshare was expected)"
            ),
            source=source,
        )
    payable = text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    customer = "cac:AccountingCustomerParty/cac:Party"
    return Einvoice(
        source=source,
        format=form,
        credit=kind == "CreditNote",
        number=text(root, "cbc:ID"),
        payable_text=payable,
        payable_ore=_ore(payable),
        buyer_name=text(root, f"{customer}/cac:PartyLegalEntity/cbc:RegistrationName")
        or text(root, f"{customer}/cac:PartyName/cbc:Name"),
        buyer_endpoint=text(root, f"{customer}/cbc:EndpointID"),
        attached_pdfs=_attached_pdfs(root),
        fields=einvoice_fields(root),
    )


def einvoice_fields(root: etree._Element) -> tuple[tuple[str, str], ...]:
    """Every value a document states, in document order, but the files it carries: each
    element's text (``cac:TaxTotal/cbc:TaxAmount``) and attribute (``…/@currencyID``),
    the second of two siblings of a name numbered (``cac:InvoiceLine[2]/…``).

    ``verify`` compares these with what costshare writes for the re-derived payer: every
    amount, the VAT, the parties, the account, the dates and the references. The carried
    files (``AdditionalDocumentReference``) are the letter and its annex or workbook,
    checked as documents of their own.
    """
    fields: list[tuple[str, str]] = []

    def walk(element: etree._Element, path: str) -> None:
        for name, value in sorted(element.attrib.items()):
            fields.append((f"{path}/@{etree.QName(name).localname}", value))
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            fields.append((path, (element.text or "").strip()))
        seen: dict[str, int] = {}
        for child in children:
            name = _prefixed(child)
            if name == "cac:AdditionalDocumentReference":
                continue
            seen[name] = seen.get(name, 0) + 1
            walk(child, f"{path}/{name}" + (f"[{seen[name]}]" if seen[name] > 1 else ""))

    walk(root, "")
    return tuple((path.lstrip("/"), value) for path, value in fields)


_PREFIXES = {namespace: prefix for prefix, namespace in NS.items()}


def _prefixed(element: etree._Element) -> str:
    qname = etree.QName(element)
    prefix = _PREFIXES.get(qname.namespace or "", qname.namespace or "")
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _ore(written: str) -> int | None:
    return plain_ore(written) if _AMOUNT.fullmatch(written) else None


def _attached_pdfs(root: etree._Element) -> tuple[tuple[str, bytes], ...]:
    found = []
    for element in root.xpath(_ATTACHED, namespaces=NS):
        if element.get("mimeCode", "").strip().casefold() != "application/pdf":
            continue
        try:
            data = base64.b64decode("".join((element.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            continue  # an attachment that does not decode carries nothing to check
        found.append((element.get("filename", "").strip(), data))
    return tuple(found)
