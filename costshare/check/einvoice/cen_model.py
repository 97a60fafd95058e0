"""The CEN EN 16931 business rules (the stylesheet's pattern ``UBL-model``) on costshare's shape.

Each :class:`~.cen_xpath.Context` is one rule of the published stylesheet, in its
priority order: an element is checked by the first context that takes it, with that
rule's asserts in their order, as the stylesheet's templates take it. Only the contexts
and asserts that can fail on a schema-valid document of :mod:`.cen_shape` are here; the
others hold on every such document, which tests/check/test_cen_rules.py checks against
the published stylesheet: allowances and charges, delivery, invoice periods, a tax
representative, the categories costshare never uses, more than two decimals (BR-DEC),
and what the UBL schema already requires (BR-15 a payable amount, BR-46 a group's VAT
amount, BR-49 a payment means code, BR-55 a preceding invoice's number). The
document's own rule is :mod:`.cen_document`. Each test is written in the terms of the
published one; its id, text and flag come from the stylesheet (:mod:`.cen_facts`).
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from costshare.check.einvoice.cen_document import (
    CUSTOMER,
    DOCUMENT,
    LINES,
    PARTY,
    SUPPLIER,
    TOTALS,
)
from costshare.check.einvoice.cen_facts import code_list
from costshare.check.einvoice.cen_xpath import (
    CAC,
    CBC,
    CREDIT_NOTE,
    INVOICE,
    ROOT,
    Context,
    Test,
    category_is,
    cents,
    decimal,
    double_at_least,
    everywhere,
    exists,
    filled,
    is_root,
    is_vat,
    normalize_space,
    path,
    present,
    rounded,
    text,
    total,
)

CATEGORY = (ROOT, CAC + "TaxTotal", CAC + "TaxSubtotal")
CUSTOMER_PARTY = (CUSTOMER, PARTY)


def _same(first: str, second: str) -> Test:
    """``xs:decimal(first) = xs:decimal(second)`` (false when either is missing)."""

    def holds(node: etree._Element) -> bool:
        a, b = decimal(node, CBC + first), decimal(node, CBC + second)
        return a is not None and b is not None and a == b

    return holds


def _lines_sum(totals: etree._Element) -> bool:
    """BR-CO-10: the sum of line net amounts is the lines' net amounts, to the cent."""
    stated = decimal(totals, CBC + "LineExtensionAmount")
    lines = [line for tag in LINES for line in everywhere(totals, tag)]
    return stated is not None and stated == cents(total(lines, CBC + "LineExtensionAmount"))


def _tax_total_sums(tax_total: etree._Element) -> bool:
    """BR-CO-14: the VAT total is the sum of the breakdown's VAT amounts."""
    if not exists(tax_total, CAC + "TaxSubtotal"):
        return True
    stated = decimal(tax_total, CBC + "TaxAmount")
    subtotals = path(tax_total, CAC + "TaxSubtotal")
    return stated is not None and stated == cents(total(subtotals, CBC + "TaxAmount"))


def _within_one(tax: Decimal, base: Decimal, rate: Decimal) -> bool:
    """``abs(tax) - 1 < round(abs(base) * (rate div 100) * 10 * 10) div 100 < abs(tax) + 1``."""
    due = cents(abs(base) * (rate / 100))
    return abs(tax) - 1 < due < abs(tax) + 1


def _rate_applied(subtotal: etree._Element) -> bool:
    """BR-CO-17: the group's VAT is its taxable amount at its rate (within one unit)."""
    rates = [
        Decimal(percent.text or "")
        for category in path(subtotal, CAC + "TaxCategory")
        if is_vat(category)
        for percent in path(category, CBC + "Percent")
    ]
    tax = decimal(subtotal, CBC + "TaxAmount")
    base = decimal(subtotal, CBC + "TaxableAmount")
    if not rates or rounded(rates[0]) == 0:
        return tax is not None and rounded(tax) == 0
    return tax is not None and base is not None and _within_one(tax, base, rates[0])


def _vat_rate_or_not_subject(subtotal: etree._Element) -> bool:
    """BR-48."""
    categories = [c for c in path(subtotal, CAC + "TaxCategory") if is_vat(c)]
    return any(exists(c, CBC + "Percent") for c in categories) or any(
        normalize_space(text(c, CBC + "ID")) == "O" for c in categories
    )


def _subtotal_and_document(category: etree._Element) -> tuple[etree._Element, etree._Element]:
    subtotal = category.getparent()
    assert subtotal is not None  # the contexts take categories of a breakdown group
    return subtotal, category.getroottree().getroot()


def _lines_of(document: etree._Element, tag: str, code: str) -> list[etree._Element]:
    """``../../../tag[cac:Item/cac:ClassifiedTaxCategory/normalize-space(cbc:ID)=code]``."""
    return [
        line
        for line in path(document, tag)
        if any(
            category_is(c, code) for c in path(line, CAC + "Item", CAC + "ClassifiedTaxCategory")
        )
    ]


def _group_is_its_lines(code: str) -> Test:
    """BR-O-08, BR-Z-08: the group's taxable amount is its lines' net amounts."""

    def holds(category: etree._Element) -> bool:
        subtotal, document = _subtotal_and_document(category)
        base = decimal(subtotal, CBC + "TaxableAmount")
        return any(
            bool(everywhere(category, tag))
            and base is not None
            and base == total(_lines_of(document, tag, code), CBC + "LineExtensionAmount")
            for tag in LINES
        )

    return holds


def _standard_at(line: etree._Element, rate: Decimal) -> bool:
    """``[…ClassifiedTaxCategory/normalize-space(cbc:ID) = 'S'][…/xs:decimal(cbc:Percent) = rate]``."""
    items = path(line, CAC + "Item", CAC + "ClassifiedTaxCategory")
    at_rate = any(Decimal(p.text or "") == rate for c in items for p in path(c, CBC + "Percent"))
    return any(category_is(c, "S") for c in items) and at_rate


def _standard_group_is_its_lines(category: etree._Element) -> bool:
    """BR-S-08: for the group's rate there are lines, whose net amounts are its taxable
    amount within one unit (the published test adds and subtracts the unit as doubles)."""
    subtotal, document = _subtotal_and_document(category)
    bases = [b.text or "" for b in path(subtotal, CBC + "TaxableAmount")]
    for rate in (Decimal(p.text or "") for p in path(category, CBC + "Percent")):
        for tag in LINES:
            if not any(_standard_at(line, rate) for line in everywhere(category, tag)):
                continue
            lines = [line for line in path(document, tag) if _standard_at(line, rate)]
            amount = total(lines, CBC + "LineExtensionAmount")
            if any(Decimal(float(b) - 1) < amount < Decimal(float(b) + 1) for b in bases):
                break
        else:
            return False
    return True


def _standard_amount(category: etree._Element) -> bool:
    """BR-S-09: the group's VAT is its taxable amount at its rate, within one unit."""
    subtotal, _document = _subtotal_and_document(category)
    tax = decimal(subtotal, CBC + "TaxAmount")
    base = decimal(subtotal, CBC + "TaxableAmount")
    rate = decimal(category, CBC + "Percent")
    return (
        tax is not None and base is not None and rate is not None and _within_one(tax, base, rate)
    )


def _zero_tax(category: etree._Element) -> bool:
    """``xs:decimal(../cbc:TaxAmount) = 0``."""
    tax = decimal(_subtotal_and_document(category)[0], CBC + "TaxAmount")
    return tax is not None and tax == 0


def _exempt(category: etree._Element) -> bool:
    return exists(category, CBC + "TaxExemptionReason") or exists(
        category, CBC + "TaxExemptionReasonCode"
    )


def _vat_category(code: str) -> Test:
    """``[normalize-space(cbc:ID) = code][cac:TaxScheme/…='VAT']``."""
    return lambda category: category_is(category, code) and is_vat(category)


def _payment_account(means: etree._Element) -> bool:
    """BR-61: credit transfer (30, 58) names the account."""
    code = normalize_space(text(means, CBC + "PaymentMeansCode"))
    return code not in ("30", "58") or exists(means, CAC + "PayeeFinancialAccount", CBC + "ID")


def _credit_transfer(account: etree._Element) -> bool:
    """``cac:PaymentMeans[cbc:PaymentMeansCode='30' or …='58']``, compared as written."""
    means = account.getparent()
    codes = path(means, CBC + "PaymentMeansCode") if means is not None else []
    return any((code.text or "") in ("30", "58") for code in codes)


def _seller_identified(supplier: etree._Element) -> bool:
    """BR-CO-26."""
    schemes = path(supplier, PARTY, CAC + "PartyTaxScheme")
    ids = path(supplier, PARTY, CAC + "PartyIdentification", CBC + "ID")
    return (
        any(is_vat(s) and exists(s, CBC + "CompanyID") for s in schemes)
        or any(i.get("schemeID") != "SEPA" for i in ids)
        or exists(supplier, PARTY, CAC + "PartyLegalEntity", CBC + "CompanyID")
    )


def _note_subject(note: etree._Element) -> bool:
    """BR-CL-08: a subject code between two ``#`` is one of UNCL4451 (searched as text)."""
    value = note.text or ""
    after = value.partition("#")[2]
    subject = after.partition("#")[0] if "#" in after else ""
    return "#" not in value or len(subject) != 3 or subject in code_list("BR-CL-08")


def _vat_prefix(scheme: etree._Element) -> bool:
    """BR-CO-09: the VAT number's first two characters are in the country list (as text)."""
    return text(scheme, CBC + "CompanyID")[:2] in code_list("BR-CO-09")


def _line_asserts() -> tuple[tuple[str, Test], ...]:
    quantities = (CBC + "InvoicedQuantity", CBC + "CreditedQuantity")
    item_categories = (CAC + "Item", CAC + "ClassifiedTaxCategory")
    return (
        ("BR-21", filled(CBC + "ID")),
        ("BR-22", lambda line: any(exists(line, q) for q in quantities)),
        (
            "BR-23",
            lambda line: any("unitCode" in q.attrib for t in quantities for q in path(line, t)),
        ),
        ("BR-24", present(CBC + "LineExtensionAmount")),
        ("BR-25", filled(CAC + "Item", CBC + "Name")),
        ("BR-26", present(CAC + "Price", CBC + "PriceAmount")),
        (
            "BR-27",
            lambda line: any(
                double_at_least(p.text or "", 0)
                for p in path(line, CAC + "Price", CBC + "PriceAmount")
            ),
        ),
        (
            "BR-CO-04",
            lambda line: any(
                is_vat(c) and exists(c, CBC + "ID") for c in path(line, *item_categories)
            ),
        ),
    )


def _category_contexts(code: str, asserts: tuple[tuple[str, Test], ...]) -> list[Context]:
    return [Context(CAC + "TaxCategory", asserts, CATEGORY, _vat_category(code))]


def _item_contexts(code: str, asserts: tuple[tuple[str, Test], ...]) -> list[Context]:
    return [
        Context(CAC + "ClassifiedTaxCategory", asserts, (line, CAC + "Item"), _vat_category(code))
        for line in LINES
    ]


_STANDARD_ITEM = (
    (
        "BR-S-05",
        lambda c: any(
            double_at_least(p.text or "", 0, strictly=True) for p in path(c, CBC + "Percent")
        ),
    ),
)
MODEL: tuple[Context, ...] = (
    Context(CAC + "AdditionalDocumentReference", (("BR-52", filled(CBC + "ID")),)),
    Context(CBC + "EndpointID", (("BR-63", lambda e: "schemeID" in e.attrib),), CUSTOMER_PARTY),
    Context(
        CAC + "PostalAddress",
        (("BR-11", filled(CAC + "Country", CBC + "IdentificationCode")),),
        CUSTOMER_PARTY,
    ),
    Context(
        TOTALS,
        (
            ("BR-12", present(CBC + "LineExtensionAmount")),
            ("BR-13", present(CBC + "TaxExclusiveAmount")),
            ("BR-14", present(CBC + "TaxInclusiveAmount")),
            ("BR-CO-10", _lines_sum),
            ("BR-CO-13", _same("TaxExclusiveAmount", "LineExtensionAmount")),
            ("BR-CO-16", _same("PayableAmount", "TaxInclusiveAmount")),
        ),
    ),
    Context(INVOICE, DOCUMENT, when=is_root),
    Context(CREDIT_NOTE, DOCUMENT, when=is_root),
    *(Context(line, _line_asserts()) for line in LINES),
    Context(CBC + "Note", (("BR-CL-08", _note_subject),), (ROOT,)),
    Context(
        CAC + "PayeeFinancialAccount",
        (("BR-50", filled(CBC + "ID")),),
        (CAC + "PaymentMeans",),
        _credit_transfer,
    ),
    Context(CAC + "PaymentMeans", (("BR-61", _payment_account),)),
    Context(SUPPLIER, (("BR-CO-26", _seller_identified),)),
    Context(CBC + "EndpointID", (("BR-62", lambda e: "schemeID" in e.attrib),), (SUPPLIER, PARTY)),
    Context(
        CAC + "PostalAddress",
        (("BR-09", filled(CAC + "Country", CBC + "IdentificationCode")),),
        (SUPPLIER, PARTY),
    ),
    Context(CAC + "TaxTotal", (("BR-CO-14", _tax_total_sums),), (ROOT,)),
    Context(
        CAC + "TaxSubtotal",
        (
            ("BR-45", present(CBC + "TaxableAmount")),
            (
                "BR-47",
                lambda s: any(
                    is_vat(c) and exists(c, CBC + "ID") for c in path(s, CAC + "TaxCategory")
                ),
            ),
            ("BR-48", _vat_rate_or_not_subject),
            ("BR-CO-17", _rate_applied),
        ),
        (CAC + "TaxTotal",),
    ),
    Context(CAC + "PartyTaxScheme", (("BR-CO-09", _vat_prefix),), when=is_vat),
    *_category_contexts(
        "O", (("BR-O-08", _group_is_its_lines("O")), ("BR-O-09", _zero_tax), ("BR-O-10", _exempt))
    ),
    *_item_contexts("O", (("BR-O-05", lambda c: not exists(c, CBC + "Percent")),)),
    *_category_contexts(
        "S",
        (
            ("BR-S-08", _standard_group_is_its_lines),
            ("BR-S-09", _standard_amount),
            ("BR-S-10", lambda c: not _exempt(c)),
        ),
    ),
    *_item_contexts("S", _STANDARD_ITEM),
    *_category_contexts(
        "Z",
        (
            ("BR-Z-08", _group_is_its_lines("Z")),
            ("BR-Z-09", _zero_tax),
            ("BR-Z-10", lambda c: not _exempt(c)),
        ),
    ),
    *_item_contexts("Z", (("BR-Z-05", lambda c: decimal(c, CBC + "Percent") == 0),)),
)
