"""Building UBL 2.1 XML with lxml: namespaces, elements that skip empty text, bytes,
and the parts both formats share (the billing reference, the attachments).

lxml escapes every text and attribute it is given, so a name such as ``A & B <C>``
cannot break a document; elements whose text is empty are left out (Peppol forbids
empty elements, PEPPOL-EN16931-R008).
"""

from __future__ import annotations

import base64

from lxml import etree

from costshare.documents.einvoice.charge import Charge

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}


def root(kind: str) -> etree._Element:
    """An empty ``Invoice`` or ``CreditNote`` with the UBL namespaces declared."""
    return etree.Element(
        f"{{{ROOT[kind]}}}{kind}", nsmap={None: ROOT[kind], "cac": CAC, "cbc": CBC}
    )


def group(parent: etree._Element, name: str) -> etree._Element:
    """A ``cac:`` aggregate element."""
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def value(parent: etree._Element, name: str, text: str, **attributes: str) -> None:
    """A ``cbc:`` element with text, left out when the text is empty."""
    if text:
        element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
        element.text = text


def amount(parent: etree._Element, name: str, text: str) -> None:
    value(parent, name, text, currencyID="DKK")


def billing_reference(doc: etree._Element, charge: Charge) -> None:
    """The earlier invoice a settlement document settles (UBL BillingReference, EN 16931
    BG-3 "preceding invoice reference"); nothing for an ordinary charge."""
    if charge.billing_reference:
        reference = group(group(doc, "BillingReference"), "InvoiceDocumentReference")
        value(reference, "ID", charge.billing_reference)
        if charge.billing_date is not None:
            value(reference, "IssueDate", charge.billing_date.isoformat())


def attachments(doc: etree._Element, charge: Charge, *, document_type: bool) -> None:
    """The files the document carries (UBL AdditionalDocumentReference, EN 16931 BG-24):
    each referenced by its file name, described, and embedded in base64 with its media
    type and file name (both required: UBL-DT-06, UBL-DT-07). OIOUBL requires a
    DocumentType (F-LIB092), so ``document_type`` writes the description there; Peppol
    warns against one (UBL-CR-114) and takes it as DocumentDescription (BT-123)."""
    for attached in charge.attachments:
        reference = group(doc, "AdditionalDocumentReference")
        value(reference, "ID", attached.filename)
        if document_type:
            value(reference, "DocumentType", attached.description)
        else:
            value(reference, "DocumentDescription", attached.description)
        embedded = etree.SubElement(
            group(reference, "Attachment"),
            f"{{{CBC}}}EmbeddedDocumentBinaryObject",
            mimeCode=attached.mime_code,
            filename=attached.filename,
        )
        embedded.text = base64.b64encode(attached.content).decode("ascii")


def document_bytes(document: etree._Element) -> bytes:
    """UTF-8 with the usual XML declaration, indented: the same bytes for the same tree."""
    body: bytes = etree.tostring(document, encoding="UTF-8", pretty_print=True)
    if body.startswith(b"<?xml"):  # lxml adds its own (single-quoted) declaration
        body = body.split(b"\n", 1)[1]
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
