"""The CEN rules asked of the whole document (the stylesheet's rule for ``/ubl:Invoice |
/cn:CreditNote`` in its pattern ``UBL-model``), as they can fail on costshare's shape.

Left out, because they hold on every schema-valid document of :mod:`.cen_shape` (which
the tests check against the published stylesheet): BR-03 and BR-16 (the schema requires
an issue date and a line), BR-53 and BR-DEC-15 (no VAT accounting currency), BR-CO-03
(no tax point date), BR-DEC-13 (its test looks for the currency code under the tax
amount, so it never fails), BR-O-11 (one VAT breakdown group), the rules of the
categories costshare does not use (AE, E, G, K, L, M, B) and the ones about
document-level allowances and charges (BR-O-03, BR-O-04, BR-O-13, BR-O-14, BR-S-03,
BR-S-04, BR-Z-03, BR-Z-04).
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from costshare.check.einvoice.cen_xpath import (
    CAC,
    CBC,
    Test,
    category_is,
    cents,
    decimal,
    everywhere,
    exists,
    filled,
    is_vat,
    path,
    present,
)

LINES = (CAC + "InvoiceLine", CAC + "CreditNoteLine")
SUPPLIER, CUSTOMER = CAC + "AccountingSupplierParty", CAC + "AccountingCustomerParty"
PARTY, TOTALS = CAC + "Party", CAC + "LegalMonetaryTotal"


def _breakdown(root: etree._Element) -> list[etree._Element]:
    """``cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory`` of the document."""
    return path(root, CAC + "TaxTotal", CAC + "TaxSubtotal", CAC + "TaxCategory")


def _items(root: etree._Element) -> list[etree._Element]:
    """``//cac:ClassifiedTaxCategory``."""
    return everywhere(root, CAC + "ClassifiedTaxCategory")


def _vat_category(category: etree._Element, code: str) -> bool:
    """``[cac:TaxScheme/…='VAT']/cbc:ID[normalize-space(.) = code]`` is not empty."""
    return is_vat(category) and category_is(category, code)


def _vat_number(root: etree._Element, party: str, *, any_scheme: bool = False) -> bool:
    """The party's PartyTaxScheme/CompanyID (of the VAT scheme, unless ``any_scheme``)."""
    schemes = path(root, party, PARTY, CAC + "PartyTaxScheme")
    return any((any_scheme or is_vat(s)) and exists(s, CBC + "CompanyID") for s in schemes)


def _in_breakdown_once(code: str) -> Test:
    """BR-O-01, BR-Z-01: a category used is in exactly one VAT breakdown group."""

    def holds(root: etree._Element) -> bool:
        categories = everywhere(root, CAC + "TaxCategory") + _items(root)
        used = any(_vat_category(c, code) for c in categories)
        groups = sum(1 for c in _breakdown(root) if _vat_category(c, code))
        return not used or groups == 1

    return holds


def _not_subject_without_vat_numbers(root: etree._Element) -> bool:
    """BR-O-02: a line not subject to VAT, and no VAT number of seller or buyer."""
    if not any(category_is(c, "O") and is_vat(c) for c in _items(root)):
        return True
    return not any(_vat_number(root, party) for party in (SUPPLIER, CUSTOMER))


def _only_not_subject_lines(root: etree._Element) -> bool:
    """BR-O-12: a breakdown not subject to VAT, and no line of another category."""
    if not any(_vat_category(c, "O") for c in _breakdown(root)):
        return True
    return not any(is_vat(c) and not category_is(c, "O") for c in _items(root))


def _standard_in_breakdown(root: etree._Element) -> bool:
    """BR-S-01 (its published test asks no tax scheme)."""
    used = sum(1 for c in _items(root) if category_is(c, "S"))
    groups = sum(1 for c in _breakdown(root) if category_is(c, "S"))
    return (used > 0 and groups > 0) or (used == 0 and groups == 0)


def _seller_vat_number_for(code: str, *, lines_of_any_scheme: bool) -> Test:
    """BR-S-02, BR-Z-02: a VAT line of the category needs a seller's tax number (of any
    scheme, as published); BR-S-02 asks it for lines of any scheme too."""

    def holds(root: etree._Element) -> bool:
        vat_lines = any(category_is(c, code) and is_vat(c) for c in _items(root))
        lines = any(
            category_is(c, code) and (lines_of_any_scheme or is_vat(c)) for c in _items(root)
        )
        seller = _vat_number(root, SUPPLIER, any_scheme=True)
        return (vat_lines and seller) or not lines

    return holds


def _totals_add_up(root: etree._Element) -> bool:
    """BR-CO-15: total with VAT = total without VAT + the VAT in the document currency."""
    for currency in path(root, CBC + "DocumentCurrencyCode"):
        taxes = [
            amount
            for amount in path(root, CAC + "TaxTotal", CBC + "TaxAmount")
            if amount.get("currencyID") == (currency.text or "")
        ]
        with_vat = decimal(root, TOTALS, CBC + "TaxInclusiveAmount")
        without = decimal(root, TOTALS, CBC + "TaxExclusiveAmount")
        if len(taxes) != 1 or with_vat is None or without is None:
            return False
        if with_vat != cents(without + Decimal(taxes[0].text or "")):
            return False
    return True


def _type_code(root: etree._Element) -> bool:
    """BR-04."""
    return filled(CBC + "InvoiceTypeCode")(root) or filled(CBC + "CreditNoteTypeCode")(root)


def _legal_name(party: str) -> Test:
    return filled(party, PARTY, CAC + "PartyLegalEntity", CBC + "RegistrationName")


DOCUMENT: tuple[tuple[str, Test], ...] = (
    ("BR-01", filled(CBC + "CustomizationID")),
    ("BR-02", filled(CBC + "ID")),
    ("BR-04", _type_code),
    ("BR-05", filled(CBC + "DocumentCurrencyCode")),
    ("BR-06", _legal_name(SUPPLIER)),
    ("BR-07", _legal_name(CUSTOMER)),
    ("BR-08", present(SUPPLIER, PARTY, CAC + "PostalAddress")),
    ("BR-10", present(CUSTOMER, PARTY, CAC + "PostalAddress")),
    ("BR-CO-15", _totals_add_up),
    ("BR-CO-18", present(CAC + "TaxTotal", CAC + "TaxSubtotal")),
    ("BR-O-01", _in_breakdown_once("O")),
    ("BR-O-02", _not_subject_without_vat_numbers),
    ("BR-O-12", _only_not_subject_lines),
    ("BR-S-01", _standard_in_breakdown),
    ("BR-S-02", _seller_vat_number_for("S", lines_of_any_scheme=True)),
    ("BR-Z-01", _in_breakdown_once("Z")),
    ("BR-Z-02", _seller_vat_number_for("Z", lines_of_any_scheme=False)),
)
"""The asserts of the document's rule, in the published order."""
