"""costshare's own implementation of the OIOUBL 2.1 rules its documents could break.

No package ships Erhvervsstyrelsen's OIOUBL schematron (an XSLT 2.0 stylesheet), and the
project does not copy it, so the rules that concern what costshare writes (document
identification, endpoint and party identifiers, the buyer's person reference, order
reference, payment means and account fields, tax categories and totals, line and total
arithmetic) are written here, each under its id and text from OIOUBL schematron 1.17.2.
F-LIB181 and F-LIB185 say "a valid GLN number"; the official test checks only the length,
costshare also checks the GS1 check digit (a wrong one routes the invoice nowhere).
A rule that exists for both document types carries both ids: ``F-INV…`` for an invoice,
``F-CRN…`` for a credit note. tests/test_einvoice_rules.py provokes each of them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from lxml import etree

from costshare.base.identifiers import gln_ok
from costshare.check.einvoice.findings import (
    Finding,
    Rule,
    attribute,
    cents,
    find,
    number,
    text,
)

_ENDPOINT_SCHEMES = set(
    [
        "GLN",
        "DUNS",
        "DK:P",
        "DK:CVR",
        "DK:CPR",
        "DK:SE",
        "DK:VANS",
        "FR:SIRET",
        "SE:ORGNR",
        "SE:VAT",
        "FI:OVT",
        "FI:ORGNR",
        "FI:VAT",
        "IT:FTI",
        "IT:SIA",
        "IT:SECETI",
        "IT:VAT",
        "IT:CF",
        "NO:ORGNR",
        "NO:VAT",
        "HU:VAT",
        "EU:VAT",
        "EU:REID",
        "AT:VAT",
        "AT:GOV",
        "AT:CID",
        "IS:KT",
        "IBAN",
        "AT:KUR",
        "ES:VAT",
        "IT:IPA",
    ]
) | {
    f"{country}:VAT"
    for country in [
        "AD",
        "AL",
        "BA",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "EE",
        "GB",
        "GR",
        "HR",
        "IE",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "ME",
        "MK",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "RS",
        "SI",
        "SK",
        "SM",
        "TR",
        "VA",
    ]
}
_PARTY_SCHEMES = (_ENDPOINT_SCHEMES - {"DK:VANS"}) | set(
    ["ZZZ", "DK:TELEFON", "IS:VSKNR", "NO:EFO", "NO:NOBB", "NO:NODI", "SEPA"]
)
_LEGAL_SCHEMES = {"DK:CVR", "DK:CPR", "ZZZ"}
_PROFILES_1_6 = set(
    [
        "NONE",
        "Procurement-BilSim-1.0",
        "Procurement-BilSimR-1.0",
        "Procurement-PayBas-1.0",
        "Procurement-PayBasR-1.0",
        "Procurement-OrdSim-1.0",
        "Procurement-OrdSimR-1.0",
        "Procurement-OrdSim-BilSim-1.0",
        "Procurement-OrdSimR-BilSim-1.0",
        "Procurement-OrdSim-BilSimR-1.0",
        "Procurement-OrdSimR-BilSimR-1.0",
        "Procurement-OrdAdv-BilSim-1.0",
        "Procurement-OrdAdv-BilSimR-1.0",
        "Procurement-OrdAdvR-BilSim-1.0",
        "Procurement-OrdAdvR-BilSimR-1.0",
        "Procurement-OrdSel-BilSim-1.0",
        "Procurement-OrdSel-BilSimR-1.0",
        "Catalogue-CatBas-1.0",
        "Catalogue-CatBasR-1.0",
        "Catalogue-CatSim-1.0",
        "Catalogue-CatSimR-1.0",
        "Catalogue-CatExt-1.0",
        "Catalogue-CatExtR-1.0",
        "Catalogue-CatAdv-1.0",
        "Catalogue-CatAdvR-1.0",
        "Reference-Utility-1.0",
        "Reference-UtilityR-1.0",
        "Procurement-TecRes-1.0",
        "Catalogue-CatPriUpd-1.0",
        "Catalogue-CatPriUpdR-1.0",
        "Procurement-OrdRes-1.0",
        "Procurement-BilSimReminderOnly-1.0",
        "urn:www.cenbii.eu:profile:bii30:ver2.0",
    ]
) | {
    f"urn:www.nesubl.eu:profiles:profile{p}"
    for p in (
        "1:ver1.0",
        "2:ver1.0",
        "5:ver1.0",
        "7:ver1.0",
        "8:ver1.0",
        "1:ver2.0",
        "2:ver2.0",
        "3:ver2.0",
        "5:ver2.0",
        "7:ver2.0",
        "8:ver2.0",
    )
}
# Profiles under which the invoice must carry an OrderReference ($Simple).
_ORDER_PROFILES = {
    "Procurement-OrdSimR-BilSim-1.0",
    "Procurement-OrdAdv-BilSim-1.0",
    "urn:www.nesubl.eu:profiles:profile7:ver1.0",
    "urn:www.nesubl.eu:profiles:profile7:ver2.0",
}
_TAX_CATEGORY_SCHEMES = {f"urn:oioubl:id:taxcategoryid-1.{n}" for n in (1, 2, 3, 4)}
_TAX_SCHEME_SCHEMES = {f"urn:oioubl:id:taxschemeid-1.{n}" for n in (1, 2, 4, 5)}
_NAMED_CATEGORIES = {"ZeroRated", "StandardRated", "ReverseCharge", "Excise"}
_PAYMENT_MEANS = {"1", "10", "20", "31", "42", "48", "49", "50", "58", "59", "93", "97"}

DOC = "/*"
SUPPLIER = "/*/cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "/*/cac:AccountingCustomerParty/cac:Party"
PARTIES = f"{SUPPLIER} | {CUSTOMER}"
MEANS = "/*/cac:PaymentMeans"
CATEGORIES = "//cac:TaxCategory"
TOTALS = "/*/cac:LegalMonetaryTotal"
LINES = "/*/cac:InvoiceLine | /*/cac:CreditNoteLine"


def _decimal(node: etree._Element, path: str) -> Decimal | None:
    try:
        return Decimal(text(node, path))
    except InvalidOperation:
        return None


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


def _cvr_bad(value: str) -> bool:
    return len(value) != 10 or not value.startswith("DK")


def _tax_calculation_bad(category: etree._Element) -> bool:
    if text(category, "cbc:ID") != "StandardRated":
        return False
    percent = _decimal(category, "cbc:Percent")
    tax = _decimal(category, "../cbc:TaxAmount")
    taxable = _decimal(category, "../cbc:TaxableAmount")
    if percent is None or tax is None or taxable is None:
        return True
    if percent == 0:
        return tax != 0
    expected = (taxable * percent / 100).quantize(Decimal("0.01"))
    return abs(tax - expected) > 1


# (invoice id, credit note id) for rules that exist in both; one id for common rules.
_RULES: list[tuple[str, str, Rule]] = []


def _rule(
    invoice_id: str,
    credit_id: str,
    context: str,
    fails: Callable[[etree._Element], bool],
    text_: str | Callable[[etree._Element], str],
    credit_text: str = "",
) -> None:
    """A rule under its invoice id and its credit note id (the same for common rules)."""
    _RULES.append((invoice_id, credit_id, Rule(invoice_id, context, fails, text_)))
    if credit_text:
        _CREDIT_TEXTS[credit_id] = credit_text


_CREDIT_TEXTS: dict[str, str] = {}


# Document identification.
_rule(
    "F-LIB001",
    "F-LIB001",
    DOC,
    lambda d: text(d, "cbc:UBLVersionID") not in ("2.0", "2.1"),
    "Invalid UBLVersionID. Must be '2.0' or '2.1'",
)
_rule(
    "F-LIB002",
    "F-LIB002",
    DOC,
    lambda d: text(d, "cbc:CustomizationID") not in ("OIOUBL-2.01", "OIOUBL-2.02", "OIOUBL-2.1"),
    "Invalid CustomizationID. Must be either 'OIOUBL-2.01', 'OIOUBL-2.02' or 'OIOUBL-2.1'",
)
_rule(
    "F-LIB004",
    "F-LIB004",
    DOC,
    lambda d: (
        attribute(d, "cbc:ProfileID", "schemeID") == "urn:oioubl:id:profileid-1.6"
        and text(d, "cbc:ProfileID") not in _PROFILES_1_6
    ),
    lambda d: f"Invalid ProfileID: '{text(d, 'cbc:ProfileID')}'. Must be a value from the codelist",
)
_rule(
    "F-INV002",
    "F-CRN002",
    DOC,
    lambda d: text(d, "cbc:ProfileID") in _ORDER_PROFILES and not find(d, "cac:OrderReference"),
    "There must be an OrderReference class for this profileID",
)
_rule(
    "F-INV024",
    "F-CRN022",
    "/*/cac:OrderReference",
    lambda o: text(o, "cbc:ID") == "",
    "Invalid OrderReference/ID. Must contain a value.",
)
_rule(
    "F-INV011",
    "F-INV011",
    "/*/cbc:InvoiceTypeCode",
    lambda c: (
        c.get("listID") == "urn:oioubl:codelist:invoicetypecode-1.1"
        and (c.text or "").strip() not in ("325", "380", "393")
    ),
    lambda c: (
        f"Invalid InvoiceTypeCode: '{(c.text or '').strip()}'. Must be a value from the codelist"
    ),
)
_rule(
    "F-INV008",
    "F-CRN005",
    DOC,
    lambda d: not find(d, "cac:TaxTotal"),
    "One or more TaxTotal class must be present",
)
# Parties: endpoints, identifiers, legal entity, the buyer's person reference.
_rule(
    "F-INV031",
    "F-CRN028",
    SUPPLIER,
    lambda p: text(p, "cbc:EndpointID") == "",
    "Invalid EndpointID. Must contain a value",
)
_rule(
    "F-INV034",
    "F-CRN031",
    SUPPLIER,
    lambda p: len(find(p, "cac:PartyLegalEntity")) != 1,
    "One PartyLegalEntity class must be present",
)
_rule(
    "F-INV044",
    "F-CRN040",
    CUSTOMER,
    lambda p: text(p, "cbc:EndpointID") == "",
    "Invalid EndpointID. Must contain a value",
)
_rule(
    "F-INV046",
    "F-CRN042",
    CUSTOMER,
    lambda p: len(find(p, "cac:Contact")) != 1,
    "One Contact class must be present",
)
_rule(
    "F-INV051",
    "F-CRN047",
    f"{CUSTOMER}/cac:Contact",
    lambda c: text(c, "cbc:ID") == "",
    "Invalid AccountingCustomerParty/Contact/ID. Must contain a value.",
)
_rule(
    "F-LIB179",
    "F-LIB179",
    PARTIES,
    lambda p: (
        bool(find(p, "cbc:EndpointID"))
        and attribute(p, "cbc:EndpointID", "schemeID") not in _ENDPOINT_SCHEMES
    ),
    lambda p: (
        f"Invalid schemeID: '{attribute(p, 'cbc:EndpointID', 'schemeID')}'. Must be a value from the codelist"
    ),
)
_rule(
    "F-LIB180",
    "F-LIB180",
    PARTIES,
    lambda p: (
        attribute(p, "cbc:EndpointID", "schemeID") == "DK:CVR"
        and _cvr_bad(text(p, "cbc:EndpointID"))
    ),
    lambda p: (
        f"schemeID = DK:CVR, EndpointID must be a valid CVR number (like 'DK12345678', value found: '{text(p, 'cbc:EndpointID')}')"
    ),
)
_rule(
    "F-LIB181",
    "F-LIB181",
    PARTIES,
    lambda p: (
        attribute(p, "cbc:EndpointID", "schemeID") == "GLN"
        and not gln_ok(text(p, "cbc:EndpointID"))
    ),
    lambda p: (
        f"schemeID = GLN, EndpointID must be a valid GLN number (like '1234567890123', value found: '{text(p, 'cbc:EndpointID')}')"
    ),
)
_rule(
    "F-LIB183",
    "F-LIB183",
    f"{SUPPLIER}/cac:PartyIdentification | {CUSTOMER}/cac:PartyIdentification",
    lambda i: attribute(i, "cbc:ID", "schemeID") not in _PARTY_SCHEMES,
    lambda i: (
        f"Invalid schemeID: '{attribute(i, 'cbc:ID', 'schemeID')}'. Must be a value from the codelist"
    ),
)
_rule(
    "F-LIB184",
    "F-LIB184",
    f"{SUPPLIER}/cac:PartyIdentification | {CUSTOMER}/cac:PartyIdentification",
    lambda i: attribute(i, "cbc:ID", "schemeID") == "DK:CVR" and _cvr_bad(text(i, "cbc:ID")),
    lambda i: (
        f"schemeID = DK:CVR, ID must be a valid CVR number (like 'DK12345678', value found: '{text(i, 'cbc:ID')}')"
    ),
)
_rule(
    "F-LIB185",
    "F-LIB185",
    f"{SUPPLIER}/cac:PartyIdentification | {CUSTOMER}/cac:PartyIdentification",
    lambda i: attribute(i, "cbc:ID", "schemeID") == "GLN" and not gln_ok(text(i, "cbc:ID")),
    lambda i: (
        f"schemeID = GLN, ID must be a valid GLN number (like '1234567890123', value found: '{text(i, 'cbc:ID')}')"
    ),
)
_rule(
    "F-LIB022",
    "F-LIB022",
    PARTIES,
    lambda p: (
        text(p, "cac:PartyIdentification/cbc:ID") == "" and text(p, "cac:PartyName/cbc:Name") == ""
    ),
    "PartyName/Name is mandatory if PartyIdentification/ID is not found",
)
_rule(
    "F-LIB189",
    "F-LIB189",
    f"{SUPPLIER}/cac:PartyLegalEntity[cbc:CompanyID] | {CUSTOMER}/cac:PartyLegalEntity[cbc:CompanyID]",
    lambda e: attribute(e, "cbc:CompanyID", "schemeID") not in _LEGAL_SCHEMES,
    "Invalid schemeID. Must be a valid scheme for PartyLegalEntity/CompanyID",
)
_rule(
    "F-LIB190",
    "F-LIB190",
    f"{SUPPLIER}/cac:PartyLegalEntity | {CUSTOMER}/cac:PartyLegalEntity",
    lambda e: (
        attribute(e, "cbc:CompanyID", "schemeID") == "DK:CVR" and _cvr_bad(text(e, "cbc:CompanyID"))
    ),
    lambda e: (
        f"schemeID = DK:CVR, CompanyID must be a valid CVR number (like 'DK12345678', value found: '{text(e, 'cbc:CompanyID')}')"
    ),
)
_rule(
    "F-LIB196",
    "F-LIB196",
    "//cac:PartyTaxScheme",
    lambda t: (
        attribute(t, "cbc:CompanyID", "schemeID") == "DK:SE" and _cvr_bad(text(t, "cbc:CompanyID"))
    ),
    lambda t: (
        f"schemeID = DK:SE, CompanyID must be a valid SE number (like 'DK12345678', value found: '{text(t, 'cbc:CompanyID')}')"
    ),
)
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
    lambda c: text(c, "cbc:ID") == "StandardRated" and (_decimal(c, "cbc:Percent") or 0) == 0,
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
            (_decimal(c, "../cbc:TaxAmount") != 0)
            or (bool(find(c, "cbc:Percent")) and _decimal(c, "cbc:Percent") != 0)
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
    lambda t: _decimal(t, "cbc:TaxAmount") != cents(number(t, "cac:TaxSubtotal/cbc:TaxAmount")),
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


def covered_rules() -> list[str]:
    """The ids of the OIOUBL rules costshare checks itself (for the documentation)."""
    ids: list[str] = []
    for invoice_id, credit_id, _ in _RULES:
        ids += [invoice_id] if invoice_id == credit_id else [invoice_id, credit_id]
    return ids


def oioubl_findings(document: etree._Element) -> list[Finding]:
    """Every OIOUBL rule (of those above) that ``document`` breaks."""
    kind = etree.QName(document).localname
    if kind not in ("Invoice", "CreditNote"):
        return [Finding("F-INV001", "Root element must be Invoice")]
    found = []
    for invoice_id, credit_id, rule in _RULES:
        rule_id = credit_id if kind == "CreditNote" else invoice_id
        if kind == "Invoice" and rule_id.startswith("F-CRN"):
            continue
        found += [
            Finding(rule_id, _CREDIT_TEXTS.get(rule_id, f.text) if kind == "CreditNote" else f.text)
            for f in rule.check(document)
        ]
    return found
