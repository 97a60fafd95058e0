"""costshare's OIOUBL rules for the documents an e-invoice refers to and carries
(AdditionalDocumentReference: the payer's letter and the annex), under their 1.17.2 ids:
the common DocumentReferenceCheck, which OIOUBL applies to every AdditionalDocumentReference
of an invoice or credit note."""

from __future__ import annotations

from costshare.check.einvoice.findings import attribute, find
from costshare.check.einvoice.oioubl_base import DOC, RuleList

REFERENCES = f"{DOC}/cac:AdditionalDocumentReference"
EMBEDDED = "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
# OIOUBL's media types for an embedded attachment (F-LIB091, F-LIB098).
MIME_CODES = {
    "image/tiff",
    "image/png",
    "image/jpeg",
    "image/gif",
    "application/pdf",
    "text/xml",
    "text/csv",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
}

RULES = RuleList()
_rule = RULES.add

_rule(
    "F-LIB092",
    "F-LIB092",
    REFERENCES,
    lambda ref: not find(ref, "cbc:DocumentType") and not find(ref, "cbc:DocumentTypeCode"),
    "Use either DocumentType or DocumentTypeCode",
)
_rule(
    "F-LIB093",
    "F-LIB093",
    REFERENCES,
    lambda ref: bool(find(ref, "cac:Attachment")) and bool(find(ref, "cbc:XPath")),
    "Use either Attachment or XPath",
)
_rule(
    "F-LIB095",
    "F-LIB095",
    REFERENCES,
    lambda ref: (
        bool(find(ref, EMBEDDED)) and bool(find(ref, "cac:Attachment/cac:ExternalReference"))
    ),
    "Use either EmbeddedDocumentBinaryObject or ExternalReference",
)
_rule(
    "F-LIB098",
    "F-LIB098",
    REFERENCES,
    lambda ref: (
        bool(find(ref, EMBEDDED)) and attribute(ref, EMBEDDED, "mimeCode") not in MIME_CODES
    ),
    "Attribute mimeCode must be a value from the codelist",
)
