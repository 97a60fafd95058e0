"""The shape of the Peppol documents costshare writes: where its own CEN rules apply.

:mod:`.cen_model` and :mod:`.cen_codes` are proven equal to the published CEN stylesheet
on documents of this shape only (tests/check/test_cen_rules.py). A document outside it
is checked by the published stylesheet itself, so the shape decides only which engine
runs, never what a document is found to break. A document is of the shape when:

* its root is a UBL Invoice or CreditNote, and every element below it is one that
  :mod:`costshare.documents.einvoice.peppol` writes (:data:`ELEMENTS`), as often as it
  writes it (once; supporting documents any number of times), with no attributes but
  the ones it writes, and no comments;
* every amount and percentage is a plain decimal, ``-?digits[.digits]`` with at most
  15 digits before the point and 2 after, never a negative zero;
* every VAT category is ``S``, ``Z`` or ``O`` (the ones costshare uses: the rules of
  every other category then hold by default), and every tax scheme and exemption code
  is ASCII.

>>> from lxml import etree
>>> in_shape(etree.fromstring(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'))
True
"""

from __future__ import annotations

import re

from lxml import etree

from costshare.check.einvoice.cen_xpath import (
    CAC,
    CBC,
    CREDIT_NOTE,
    INVOICE,
    category_is,
)

_AMOUNT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,2})?")
_NEGATIVE_ZERO = re.compile(r"-0+(?:\.0+)?")
_CATEGORIES = ("S", "Z", "O")
_CURRENCY = ("currencyID",)

_PARTY = {
    "cbc:EndpointID": ("schemeID",),
    "cac:PartyIdentification": {"cbc:ID": ("schemeID",)},
    "cac:PartyName": {"cbc:Name": ()},
    "cac:PostalAddress": {
        "cbc:StreetName": (),
        "cbc:CityName": (),
        "cbc:PostalZone": (),
        "cac:Country": {"cbc:IdentificationCode": ()},
    },
    "cac:PartyTaxScheme": {"cbc:CompanyID": (), "cac:TaxScheme": {"cbc:ID": ()}},
    "cac:PartyLegalEntity": {"cbc:RegistrationName": (), "cbc:CompanyID": ("schemeID",)},
    "cac:Contact": {"cbc:Name": (), "cbc:Telephone": (), "cbc:ElectronicMail": ()},
}
_CATEGORY = {
    "cbc:ID": (),
    "cbc:Percent": (),
    "cbc:TaxExemptionReasonCode": (),
    "cbc:TaxExemptionReason": (),
    "cac:TaxScheme": {"cbc:ID": ()},
}
_ITEM = {
    "cbc:Description": (),
    "cbc:Name": (),
    "cac:SellersItemIdentification": {"cbc:ID": ()},
    "cac:ClassifiedTaxCategory": {"cbc:ID": (), "cbc:Percent": (), "cac:TaxScheme": {"cbc:ID": ()}},
}
_LINE = {
    "cbc:ID": (),
    "cbc:InvoicedQuantity": ("unitCode",),
    "cbc:CreditedQuantity": ("unitCode",),
    "cbc:LineExtensionAmount": _CURRENCY,
    "cac:Item": _ITEM,
    "cac:Price": {"cbc:PriceAmount": _CURRENCY},
}
ELEMENTS: dict[str, object] = {
    "cbc:CustomizationID": (),
    "cbc:ProfileID": (),
    "cbc:ID": (),
    "cbc:IssueDate": (),
    "cbc:DueDate": (),
    "cbc:InvoiceTypeCode": (),
    "cbc:CreditNoteTypeCode": (),
    "cbc:Note": (),
    "cbc:DocumentCurrencyCode": (),
    "cbc:AccountingCost": (),
    "cbc:BuyerReference": (),
    "cac:OrderReference": {"cbc:ID": ()},
    "cac:BillingReference": {"cac:InvoiceDocumentReference": {"cbc:ID": (), "cbc:IssueDate": ()}},
    "cac:AdditionalDocumentReference": {
        "cbc:ID": (),
        "cbc:DocumentDescription": (),
        "cac:Attachment": {"cbc:EmbeddedDocumentBinaryObject": ("mimeCode", "filename")},
    },
    "cac:AccountingSupplierParty": {"cac:Party": _PARTY},
    "cac:AccountingCustomerParty": {"cac:Party": _PARTY},
    "cac:PaymentMeans": {
        "cbc:PaymentMeansCode": (),
        "cbc:PaymentID": (),
        "cac:PayeeFinancialAccount": {
            "cbc:ID": (),
            "cac:FinancialInstitutionBranch": {"cbc:ID": ()},
        },
    },
    "cac:PaymentTerms": {"cbc:Note": ()},
    "cac:TaxTotal": {
        "cbc:TaxAmount": _CURRENCY,
        "cac:TaxSubtotal": {
            "cbc:TaxableAmount": _CURRENCY,
            "cbc:TaxAmount": _CURRENCY,
            "cac:TaxCategory": _CATEGORY,
        },
    },
    "cac:LegalMonetaryTotal": {
        "cbc:LineExtensionAmount": _CURRENCY,
        "cbc:TaxExclusiveAmount": _CURRENCY,
        "cbc:TaxInclusiveAmount": _CURRENCY,
        "cbc:PayableAmount": _CURRENCY,
    },
    "cac:InvoiceLine": _LINE,
    "cac:CreditNoteLine": _LINE,
}
_REPEATED = {CAC + "AdditionalDocumentReference"}
_NUMBERS = {CBC + "Percent"}  # and every element with a currencyID


def _clark(name: str) -> str:
    prefix, local = name.split(":")
    return (CAC if prefix == "cac" else CBC) + local


def _compiled(spec: dict[str, object]) -> dict[str, object]:
    return {
        _clark(name): _compiled(inner) if isinstance(inner, dict) else frozenset(inner)  # type: ignore[call-overload]
        for name, inner in spec.items()
    }


_SHAPE = _compiled(ELEMENTS)


def in_shape(root: etree._Element) -> bool:
    """Whether costshare's own CEN rules apply to ``root`` (see the module docstring)."""
    if root.tag not in (INVOICE, CREDIT_NOTE) or root.attrib or (root.text and root.text.strip()):
        return False
    if any(True for _ in root.iter(etree.Comment, etree.ProcessingInstruction)):
        return False
    return _children_fit(root, _SHAPE) and _values_fit(root)


def _children_fit(parent: etree._Element, allowed: dict[str, object]) -> bool:
    seen: set[str] = set()
    for child in parent:
        inner = allowed.get(child.tag)
        if inner is None or (child.tag in seen and child.tag not in _REPEATED):
            return False
        seen.add(child.tag)
        if isinstance(inner, dict):
            if child.attrib or (child.text or "").strip() or not _children_fit(child, inner):
                return False
        elif len(child) or not set(child.attrib) <= inner:  # type: ignore[operator]
            return False
    return True


def _ascii_only(element: etree._Element) -> bool:
    """An exemption code or a tax scheme's id: the rules compare them in upper case."""
    parent = element.getparent()
    return element.tag == CBC + "TaxExemptionReasonCode" or (
        element.tag == CBC + "ID" and parent is not None and parent.tag == CAC + "TaxScheme"
    )


def _values_fit(root: etree._Element) -> bool:
    for element in root.iter(etree.Element):
        tag = element.tag
        if "currencyID" in element.attrib or tag in _NUMBERS:
            value = element.text or ""
            if not _AMOUNT.fullmatch(value) or _NEGATIVE_ZERO.fullmatch(value):
                return False
        elif tag == CAC + "TaxCategory" or tag == CAC + "ClassifiedTaxCategory":
            if not any(category_is(element, code) for code in _CATEGORIES):
                return False
        elif _ascii_only(element) and not (element.text or "").isascii():
            return False
    return True
