"""The CEN rules of the stylesheet's patterns ``UBL-syntax`` and ``Codesmodel`` on costshare's shape.

``UBL-syntax`` (UBL-SR, UBL-DT, UBL-CR) mostly bounds how often an element may appear
and names elements a document should not have; on a schema-valid document of
:mod:`.cen_shape`, which has each element at most once and none of those, only the three
asserts below can fail (UBL-DT-06 and UBL-SR-07 ask what the schema requires).
``Codesmodel`` (BR-CL) checks codes against the published code lists, which are read from
the stylesheet itself (:func:`~.cen_facts.code_list`), searched as the published tests
search them; BR-CL-17 and BR-CL-18, the VAT category codes, hold on the shape's S, Z, O.
"""

from __future__ import annotations

from lxml import etree

from costshare.check.einvoice.cen_document import LINES, SUPPLIER
from costshare.check.einvoice.cen_facts import code_list, literals
from costshare.check.einvoice.cen_xpath import (
    CAC,
    CBC,
    Context,
    Test,
    exists,
    in_code_list,
    normalize_space,
    path,
)

_AMOUNTS = [
    "Amount",
    "BaseAmount",
    "PriceAmount",
    "TaxAmount",
    "TaxableAmount",
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PrepaidAmount",
    "PayableRoundingAmount",
    "PayableAmount",
]
_QUANTITIES = ("InvoicedQuantity", "BaseQuantity", "CreditedQuantity")


def _coded(rule: str, value: Test | None = None) -> Test:
    """The element's text (or ``value`` of it) is in ``rule``'s published code list."""
    return lambda e: in_code_list(e.text or "" if value is None else value(e), code_list(rule))  # type: ignore[arg-type]


def _attribute_coded(rule: str, name: str) -> Test:
    return lambda e: in_code_list(e.get(name, ""), code_list(rule))


def _has(name: str) -> Test:
    return lambda e: name in e.attrib


def _type_code(element: etree._Element) -> bool:
    """BR-CL-01: the invoice type (UNCL1001 subset) or credit note type code."""
    invoice, credit_note = (lit for lit in literals("BR-CL-01") if len(lit) > 3)
    codes = invoice if element.tag == CBC + "InvoiceTypeCode" else credit_note
    return in_code_list(element.text or "", codes)


def _party_scheme(identifier: etree._Element) -> bool:
    """BR-CL-10: an ISO 6523 scheme, or SEPA for the seller (or payee)."""
    scheme = identifier.get("schemeID", "")
    if in_code_list(scheme, code_list("BR-CL-10")):
        return True
    seller = any(a.tag in (SUPPLIER, CAC + "PayeeParty") for a in identifier.iterancestors())
    return in_code_list(scheme, " SEPA ") and seller


def _exemption_code(element: etree._Element) -> bool:
    """BR-CL-22: spaces are looked for as written, the code in upper case."""
    value = element.text or ""
    code = normalize_space(value.upper())
    return " " not in normalize_space(value) and f" {code} " in code_list("BR-CL-22")


def _media_type(element: etree._Element) -> bool:
    """BR-CL-24: one of the media types named in the published test (compared as written)."""
    return element.get("mimeCode") in literals("BR-CL-24")


SYNTAX: tuple[Context, ...] = (
    # ``//*[ends-with(name(), 'BinaryObject')]``: the shape's only one.
    Context(
        CBC + "EmbeddedDocumentBinaryObject",
        (("UBL-DT-07", _has("filename")),),
    ),
    Context(
        CAC + "PartyTaxScheme",
        (
            (
                "UBL-SR-53",
                lambda e: exists(e, CAC + "TaxScheme", CBC + "ID") and exists(e, CBC + "CompanyID"),
            ),
        ),
    ),
    *(
        Context(
            line,
            (
                (
                    "UBL-SR-48",
                    lambda e: len(path(e, CAC + "Item", CAC + "ClassifiedTaxCategory")) == 1,
                ),
            ),
        )
        for line in LINES
    ),
)
CODES: tuple[Context, ...] = (
    Context(CBC + "InvoiceTypeCode", (("BR-CL-01", _type_code),)),
    Context(CBC + "CreditNoteTypeCode", (("BR-CL-01", _type_code),)),
    *(
        Context(CBC + name, (("BR-CL-03", _attribute_coded("BR-CL-03", "currencyID")),))
        for name in _AMOUNTS
    ),
    Context(CBC + "DocumentCurrencyCode", (("BR-CL-04", _coded("BR-CL-04")),)),
    Context(
        CBC + "ID", (("BR-CL-10", _party_scheme),), (CAC + "PartyIdentification",), _has("schemeID")
    ),
    Context(
        CBC + "CompanyID",
        (("BR-CL-11", _attribute_coded("BR-CL-11", "schemeID")),),
        (CAC + "PartyLegalEntity",),
        _has("schemeID"),
    ),
    Context(CBC + "IdentificationCode", (("BR-CL-14", _coded("BR-CL-14")),), (CAC + "Country",)),
    Context(CBC + "PaymentMeansCode", (("BR-CL-16", _coded("BR-CL-16")),), (CAC + "PaymentMeans",)),
    Context(CBC + "TaxExemptionReasonCode", (("BR-CL-22", _exemption_code),)),
    *(
        Context(
            CBC + name,
            (("BR-CL-23", _attribute_coded("BR-CL-23", "unitCode")),),
            when=_has("unitCode"),
        )
        for name in _QUANTITIES
    ),
    Context(
        CBC + "EmbeddedDocumentBinaryObject", (("BR-CL-24", _media_type),), when=_has("mimeCode")
    ),
    Context(
        CBC + "EndpointID",
        (("BR-CL-25", _attribute_coded("BR-CL-25", "schemeID")),),
        when=_has("schemeID"),
    ),
)
