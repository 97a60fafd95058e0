"""costshare's OIOUBL rules for payment means, tax and the amounts (totals and lines),
under their 1.17.2 ids."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from costshare.check.einvoice.findings import attribute, cents, find, number, text
from costshare.check.einvoice.oioubl_base import (
    CATEGORIES,
    LINES,
    MEANS,
    TOTALS,
    RuleList,
    decimal_at,
)

_TAX_CATEGORY_SCHEMES = {f"urn:oioubl:id:taxcategoryid-1.{n}" for n in (1, 2, 3, 4)}
_TAX_SCHEME_SCHEMES = {f"urn:oioubl:id:taxschemeid-1.{n}" for n in (1, 2, 4, 5)}
_NAMED_CATEGORIES = {"ZeroRated", "StandardRated", "ReverseCharge", "Excise"}
_PAYMENT_MEANS = {"1", "10", "20", "31", "42", "48", "49", "50", "58", "59", "93", "97"}


def _lines_sum(totals: etree._Element, path: str) -> Decimal:
    return number(totals, f"../cac:InvoiceLine/{path} | ../cac:CreditNoteLine/{path}")


def _tax_sum(totals: etree._Element) -> Decimal:
    return number(totals, "../cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount")


def _payable_expected(totals: etree._Element) -> Decimal:
    return cents(
        number(totals, "cbc:LineExtensionAmount")
        + _tax_sum(totals)
        + number(totals, "cbc:ChargeTotalAmount")
        - number(totals, "cbc:AllowanceTotalAmount")
        - number(totals, "cbc:PrepaidAmount")
        + number(totals, "cbc:PayableRoundingAmount")
    )


def _means(code: str, test: Callable[[etree._Element], bool]) -> Callable[[etree._Element], bool]:
    return lambda node: text(node, "cbc:PaymentMeansCode") == code and test(node)


def _tax_calculation_bad(category: etree._Element) -> bool:
    if text(category, "cbc:ID") != "StandardRated":
        return False
    percent = decimal_at(category, "cbc:Percent")
    tax = decimal_at(category, "../cbc:TaxAmount")
    taxable = decimal_at(category, "../cbc:TaxableAmount")
    if percent is None or tax is None or taxable is None:
        return True
    if percent == 0:
        return tax != 0
    expected = (taxable * percent / 100).quantize(Decimal("0.01"))
    return abs(tax - expected) > 1


RULES = RuleList()
_rule = RULES.add

# Payment means and account fields.
_rule(
    "F-LIB100",
    "F-LIB100",
    MEANS,
    lambda m: text(m, "cbc:PaymentMeansCode") not in _PAYMENT_MEANS,
    "Invalid PaymentMeansCode. Must be a value from the codelist",
)
_rule(
    "F-LIB109",
    "F-LIB109",
    MEANS,
    _means("31", lambda m: text(m, "cbc:PaymentChannelCode") not in ("IBAN", "ZZZ")),
    "PaymentMeansCode = 31, PaymentChannelCode must equal IBAN or ZZZ",
)
_rule(
    "F-LIB108",
    "F-LIB108",
    MEANS,
    _means(
        "31",
        lambda m: (
            text(m, "cbc:PaymentChannelCode") == "IBAN"
            and bool(find(m, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"))
        ),
    ),
    "PaymentMeansCode = 31, FinancialInstitutionBranch/ID (Registreringsnummer) element is not used, when PaymentChannelCode equals IBAN",
)
_rule(
    "F-LIB114",
    "F-LIB114",
    MEANS,
    _means(
        "31",
        lambda m: (
            text(m, "cbc:PaymentChannelCode") == "IBAN"
            and len(text(m, "cac:PayeeFinancialAccount/cbc:ID")) > 34
        ),
    ),
    "PaymentMeansCode = 31, Account ID must be no more than 34 characters",
)
_rule(
    "F-LIB128",
    "F-LIB128",
    MEANS,
    _means("42", lambda m: text(m, "cbc:PaymentChannelCode") != "DK:BANK"),
    "PaymentMeansCode = 42, PaymentChannelCode must equal DK:BANK",
)
_rule(
    "F-LIB125",
    "F-LIB125",
    MEANS,
    _means("42", lambda m: not find(m, "cac:PayeeFinancialAccount")),
    "PaymentMeansCode = 42, PayeeFinancialAccount class is mandatory",
)
_rule(
    "F-LIB126",
    "F-LIB126",
    MEANS,
    _means("42", lambda m: not find(m, "cac:PayeeFinancialAccount/cbc:ID")),
    "PaymentMeansCode = 42, Account ID element is mandatory",
)
_rule(
    "F-LIB127",
    "F-LIB127",
    MEANS,
    _means(
        "42",
        lambda m: not find(m, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
    ),
    "PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) element is mandatory",
)
_rule(
    "F-LIB131",
    "F-LIB131",
    MEANS,
    _means("42", lambda m: len(text(m, "cac:PayeeFinancialAccount/cbc:ID")) > 10),
    "PaymentMeansCode = 42, Account ID must be no more than 10 characters",
)
_rule(
    "F-LIB132",
    "F-LIB132",
    MEANS,
    _means(
        "42",
        lambda m: (
            len(text(m, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")) > 4
        ),
    ),
    "PaymentMeansCode = 42, FinancialInstitutionBranch/ID (Registreringsnummer) must be no more than 4 numerical characters",
)
_rule(
    "F-LIB133",
    "F-LIB133",
    MEANS,
    _means("42", lambda m: len(text(m, "cac:PayeeFinancialAccount/cbc:PaymentNote")) > 20),
    "PaymentMeansCode = 42, PaymentNote must be no more than 20 characters",
)
# Tax categories and schemes.
_rule(
    "F-LIB075",
    "F-LIB075",
    CATEGORIES,
    lambda c: attribute(c, "cbc:ID", "schemeID") not in _TAX_CATEGORY_SCHEMES,
    "Invalid schemeID. Must be either 'urn:oioubl:id:taxcategoryid-1.1', 'urn:oioubl:id:taxcategoryid-1.2', 'urn:oioubl:id:taxcategoryid-1.3' or 'urn:oioubl:id:taxcategoryid-1.4'.",
)
_rule(
    "F-LIB309",
    "F-LIB309",
    CATEGORIES,
    lambda c: (
        attribute(c, "cbc:ID", "schemeID") in _TAX_CATEGORY_SCHEMES
        and not text(c, "cbc:ID").isdigit()
        and text(c, "cbc:ID")
        not in _NAMED_CATEGORIES
        | (
            {"B", "M", "L", "K", "O", "G"}
            if attribute(c, "cbc:ID", "schemeID").endswith("1.4")
            else set()
        )
    ),
    lambda c: f"Invalid ID: '{text(c, 'cbc:ID')}'. Must be a value from the codelist",
)
_rule(
    "F-LIB382",
    "F-LIB382",
    CATEGORIES,
    lambda c: text(c, "cbc:ID") == "StandardRated" and (decimal_at(c, "cbc:Percent") or 0) == 0,
    lambda c: (
        f"When 'TaxCategory\\ID' = 'StandardRated', 'TaxCategory\\Percent' must be present and greater than 0.00. Found value: '{text(c, 'cbc:Percent')}'."
    ),
)
_rule(
    "F-LIB400",
    "F-LIB400",
    "//cac:TaxSubtotal/cac:TaxCategory",
    lambda c: (
        text(c, "cbc:ID") == "ZeroRated"
        and (
            (decimal_at(c, "../cbc:TaxAmount") != 0)
            or (bool(find(c, "cbc:Percent")) and decimal_at(c, "cbc:Percent") != 0)
        )
    ),
    lambda c: (
        f'When "TaxCategory/ID" is "ZeroRated", "TaxAmount" and "Percent" must be 0."> Values found: - TaxCategoty/ID: {text(c, "cbc:ID")} - TaxCategory/Percent: {text(c, "cbc:Percent")} - TaxAmount: {text(c, "../cbc:TaxAmount")}'
    ),
)
_rule(
    "F-LIB401",
    "F-LIB401",
    "//cac:TaxSubtotal/cac:TaxCategory",
    _tax_calculation_bad,
    lambda c: (
        f"If Percent is greater than 0, TaxSubtotal/TaxAmount must be correctly calculated within a tolerance of +/- 1. Values found: - TaxCategory/ID: {text(c, 'cbc:ID')} - TaxAmount (TaxSubtotal): {text(c, '../cbc:TaxAmount')} - TaxableAmount: {text(c, '../cbc:TaxableAmount')} - TaxCategory/Percent: {text(c, 'cbc:Percent')}"
    ),
)
_rule(
    "F-LIB385",
    "F-LIB385",
    "//cac:TaxTotal[cac:TaxSubtotal]",
    lambda t: decimal_at(t, "cbc:TaxAmount") != cents(number(t, "cac:TaxSubtotal/cbc:TaxAmount")),
    lambda t: (
        f"TaxAmount of '{text(t, 'cbc:TaxAmount')}' must equal the sum of all following TaxSubtotal/TaxAmount '{number(t, 'cac:TaxSubtotal/cbc:TaxAmount')}'"
    ),
)
_rule(
    "F-LIB070",
    "F-LIB070",
    "//cac:TaxScheme",
    lambda s: attribute(s, "cbc:ID", "schemeID") not in _TAX_SCHEME_SCHEMES,
    "Invalid schemeID. Must be either 'urn:oioubl:id:taxschemeid-1.1', 'urn:oioubl:id:taxschemeid-1.2', 'urn:oioubl:id:taxschemeid-1.4' or 'urn:oioubl:id:taxschemeid-1.5'",
)
_rule(
    "F-LIB198",
    "F-LIB198",
    "//cac:TaxScheme",
    lambda s: text(s, "cbc:ID") == "63" and text(s, "cbc:Name") != "Moms",
    "Name must equal 'Moms' when TaxScheme/ID equals '63' (Moms)",
)
# Totals and lines.
_rule(
    "F-INV126",
    "F-CRN072",
    TOTALS,
    lambda t: (
        abs(number(t, "cbc:LineExtensionAmount") - _lines_sum(t, "cbc:LineExtensionAmount"))
        > Decimal("0.0055")
    ),
    lambda t: (
        f"The sum of InvoiceLine/LineExtensionAmount ('{_lines_sum(t, 'cbc:LineExtensionAmount')}') elements must equal LegalMonetaryTotal/LineExtensionAmount ('{text(t, 'cbc:LineExtensionAmount')}')"
    ),
)
_rule(
    "F-INV127",
    "F-CRN073",
    TOTALS,
    lambda t: (
        bool(find(t, "cbc:TaxExclusiveAmount"))
        and cents(number(t, "cbc:TaxExclusiveAmount")) != cents(_tax_sum(t))
    ),
    "The sum of TaxTotal/TaxSubtotal/TaxAmount elements must equal TaxExclusiveAmount",
)
_rule(
    "F-INV128",
    "F-CRN074",
    TOTALS,
    lambda t: (
        bool(find(t, "cbc:TaxInclusiveAmount"))
        and cents(number(t, "cbc:TaxInclusiveAmount"))
        != cents(
            number(t, "cbc:LineExtensionAmount")
            + _tax_sum(t)
            + number(t, "cbc:ChargeTotalAmount")
            - number(t, "cbc:AllowanceTotalAmount")
            + number(t, "cbc:PayableRoundingAmount")
        )
    ),
    "TaxInclusiveAmount is calculated incorrectly",
)
_rule(
    "F-INV133",
    "F-CRN079",
    TOTALS,
    lambda t: cents(number(t, "cbc:PayableAmount")) != _payable_expected(t),
    lambda t: (
        f"PayableAmount is calculated incorrectly - PayableAmount ('{cents(number(t, 'cbc:PayableAmount'))}' ) don't match total calculation ('{_payable_expected(t)}' )"
    ),
)
_rule(
    "F-INV138",
    "F-CRN081",
    LINES,
    lambda line: not find(line, "cac:TaxTotal"),
    "One or more TaxTotal classes must be present",
    "One or more TaxTotal class must be present",
)
_rule(
    "F-INV139",
    "F-CRN083",
    LINES,
    lambda line: len(find(line, "cac:Price")) != 1 and not find(line, "cac:BillingReference"),
    "One Price class must be present",
    "One Price class must be present when CreditNoteLine/BillingReference is not specified",
)
_rule(
    "F-INV147",
    "F-CRN088",
    LINES,
    lambda line: number(line, "cbc:InvoicedQuantity | cbc:CreditedQuantity") == 0,
    "Invalid InvoicedQuantity. Must not be zero",
    "Invalid CreditedQuantity. Must not be zero",
)
_rule(
    "F-INV149",
    "F-CRN089",
    LINES,
    lambda line: len(text(line, "cbc:LineExtensionAmount").partition(".")[2]) < 2,
    "Invalid LineExtensionAmount. Must have at least 2 decimals",
)
_rule(
    "F-INV163",
    "F-CRN110",
    LINES,
    lambda line: text(line, "cac:Item/cbc:Name") == "",
    "Invalid Name for InvoiceLine. Must contain a value",
)
_rule(
    "F-CRN196",
    "F-CRN196",
    "/*/cac:CreditNoteLine",
    lambda line: text(line, "cbc:CreditedQuantity") == "",
    "Invalid CreditedQuantity. Must contain a value",
)
_rule(
    "F-CRN161",
    "F-CRN161",
    "/*/cac:DiscrepancyResponse",
    lambda r: text(r, "cbc:ReferenceID") == "",
    "Invalid ReferenceID. Must contain a value",
)
_rule(
    "F-CRN188",
    "F-CRN188",
    "/*/cac:DiscrepancyResponse",
    lambda r: bool(find(r, "cbc:ResponseCode")) and bool(find(r, "cbc:Description")),
    "Use either ResponseCode or Description",
)
