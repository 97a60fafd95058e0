"""costshare's own implementation of the Peppol BIS 3 rules for Danish documents.

The Danish national rules (DK-R-…) live in OpenPEPPOL's ``PEPPOL-EN16931-UBL`` rule set,
which no package ships; the DK-R rules costshare's documents could break are written here
under their ids and texts from Peppol BIS Billing 3.0.19, with the Peppol identifier
rules for the schemes costshare writes (GLN 0088 with its GS1 check digit, CVR 0184) and
the rules that both electronic addresses are given and that no element is empty. The payment rules (DK-R-005, DK-R-006) apply, as in the
official rules, when seller and buyer are both in Denmark.
"""

from __future__ import annotations

from lxml import etree

from costshare.base.identifiers import cvr_ok, gs1_check_ok
from costshare.check.einvoice.findings import NS, Finding, Rule, find, number, text

_SUPPLIER_COUNTRY = (
    "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
)
_CUSTOMER_COUNTRY = (
    "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
)
_DK_PAYMENT_MEANS = {"1", "10", "31", "42", "48", "49", "50", "58", "59", "93", "97"}
_IDENTIFIERS = "//cbc:EndpointID | //cac:PartyIdentification/cbc:ID | //cbc:CompanyID"


def _cvr_format_ok(value: str) -> bool:
    digits = value[2:] if len(value) == 10 and value.startswith("DK") else value
    return cvr_ok(digits)


_ALWAYS = [
    Rule(
        "PEPPOL-EN16931-R010",
        "/*/cac:AccountingCustomerParty/cac:Party",
        lambda p: not find(p, "cbc:EndpointID"),
        "Buyer electronic address MUST be provided",
    ),
    Rule(
        "PEPPOL-EN16931-R020",
        "/*/cac:AccountingSupplierParty/cac:Party",
        lambda p: not find(p, "cbc:EndpointID"),
        "Seller electronic address MUST be provided",
    ),
    Rule(
        "PEPPOL-EN16931-R008",
        "//*",
        lambda e: len(e) == 0 and not (e.text or "").strip(),
        "Document MUST not contain empty elements.",
    ),
    Rule(
        "PEPPOL-COMMON-R040",
        _IDENTIFIERS,
        lambda e: e.get("schemeID") == "0088" and not gs1_check_ok((e.text or "").strip()),
        "GLN must have a valid format according to GS1 rules.",
    ),
    Rule(
        "PEPPOL-COMMON-R042",
        _IDENTIFIERS,
        lambda e: e.get("schemeID") == "0184" and not _cvr_format_ok(e.text or ""),
        "Danish organization number (CVR) MUST be stated in the correct format.",
    ),
]
_DANISH_SUPPLIER = [
    Rule(
        "DK-R-002",
        "/*",
        lambda d: (
            text(d, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
            == ""
        ),
        "Danish suppliers MUST provide legal entity (CVR-number)",
    ),
    Rule(
        "DK-R-014",
        "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
        lambda c: (c.get("schemeID") or "").strip() != "0184",
        'For Danish Suppliers it is mandatory to specify schemeID as "0184" (DK CVR-number) when '
        "PartyLegalEntity/CompanyID is used for AccountingSupplierParty",
    ),
    Rule(
        "DK-R-016",
        "/*[local-name() = 'CreditNote']",
        lambda d: (
            text(d, _CUSTOMER_COUNTRY) == "DK"
            and number(d, "cac:LegalMonetaryTotal/cbc:PayableAmount") < 0
        ),
        "For Danish Suppliers, a Credit note cannot have a negative total (PayableAmount)",
    ),
]
_BOTH_DANISH = [
    Rule(
        "DK-R-013",
        "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification"
        " | /*/cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification",
        lambda i: not find(i, "cbc:ID[@schemeID != '']"),
        "For Danish Suppliers it is mandatory to use schemeID when PartyIdentification/ID is used for "
        "AccountingCustomerParty or AccountingSupplierParty",
    ),
    Rule(
        "DK-R-005",
        "/*[local-name() = 'Invoice']/cac:PaymentMeans",
        lambda m: text(m, "cbc:PaymentMeansCode") not in _DK_PAYMENT_MEANS,
        "For Danish suppliers the following Payment means codes are allowed: 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 and 97",
    ),
    Rule(
        "DK-R-006",
        "/*[local-name() = 'Invoice']/cac:PaymentMeans",
        lambda m: (
            text(m, "cbc:PaymentMeansCode") in ("31", "42")
            and not (
                text(m, "cac:PayeeFinancialAccount/cbc:ID")
                and text(m, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
            )
        ),
        "For Danish suppliers bank account and registration account is mandatory if payment means is 31 or 42",
    ),
]


def covered_rules() -> list[str]:
    """The ids of the Peppol and DK-R rules costshare checks itself."""
    return [rule.rule for rule in (*_ALWAYS, *_DANISH_SUPPLIER, *_BOTH_DANISH)]


def danish_findings(document: etree._Element) -> list[Finding]:
    """Every rule above that ``document`` (a Peppol BIS 3 invoice or credit note) breaks."""
    rules = list(_ALWAYS)
    supplier_danish = document.xpath(f"string({_SUPPLIER_COUNTRY})", namespaces=NS) == "DK"
    if supplier_danish:
        rules += _DANISH_SUPPLIER
        if text(document, _CUSTOMER_COUNTRY) == "DK":
            rules += _BOTH_DANISH
    return [finding for rule in rules for finding in rule.check(document)]
