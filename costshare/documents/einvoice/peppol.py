"""A :class:`~.charge.Charge` as a Peppol BIS Billing 3.0 invoice or credit note (UBL 2.1).

VAT: ``outside-scope`` is category O (no VAT identifiers, exemption code VATEX-EU-O),
``zero-rated`` Z and ``standard`` S at 25 %; Z and S carry the seller's VAT number
(``DK`` + CVR). Endpoints: the buyer's EAN (scheme 0088), the seller's EAN or CVR (0184).
A Danish account is payment means 42 (account and registration number, DK-R-006),
an IBAN is 58 (SEPA) with the BIC; the payer's reference is the remittance information
(PaymentID, BT-83). A credit note has no due date or payment means: the money goes from
the seller to the buyer. The payer's letter and the annex travel as supporting documents
(AdditionalDocumentReference, BG-24): they explain the amount (the decision, the key,
the figures), they are not a copy of the invoice, which Peppol forbids attaching.
"""

from __future__ import annotations

from lxml import etree

from costshare.base.danish import format_date
from costshare.documents.einvoice.charge import Charge, Party, decimal
from costshare.documents.einvoice.xml import (
    amount,
    attachments,
    billing_reference,
    document_bytes,
    group,
    root,
    value,
)

CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
_CATEGORY = {"outside-scope": "O", "zero-rated": "Z", "standard": "S"}


def peppol_document(charge: Charge) -> bytes:
    """The document's bytes (UTF-8 XML)."""
    kind = "CreditNote" if charge.credit else "Invoice"
    doc = root(kind)
    value(doc, "CustomizationID", CUSTOMIZATION)
    value(doc, "ProfileID", PROFILE)
    value(doc, "ID", charge.number)
    value(doc, "IssueDate", charge.issue_date.isoformat())
    if not charge.credit:
        value(doc, "DueDate", charge.due.isoformat())
    value(doc, f"{kind}TypeCode", "381" if charge.credit else "380")
    value(doc, "Note", charge.note)
    value(doc, "DocumentCurrencyCode", "DKK")
    value(doc, "AccountingCost", charge.buyer.reference)
    value(doc, "BuyerReference", charge.buyer.attention)
    if charge.buyer.order_reference:
        value(group(doc, "OrderReference"), "ID", charge.buyer.order_reference)
    billing_reference(doc, charge)
    attachments(doc, charge, document_type=False)
    _party(group(doc, "AccountingSupplierParty"), charge.seller, charge, seller=True)
    _party(group(doc, "AccountingCustomerParty"), charge.buyer, charge, seller=False)
    if not charge.credit:
        _payment(doc, charge)
    _tax_total(doc, charge)
    totals = group(doc, "LegalMonetaryTotal")
    amount(totals, "LineExtensionAmount", decimal(charge.net_ore))
    amount(totals, "TaxExclusiveAmount", decimal(charge.net_ore))
    amount(totals, "TaxInclusiveAmount", decimal(charge.payable_ore))
    amount(totals, "PayableAmount", decimal(charge.payable_ore))
    _line(doc, kind, charge)
    return document_bytes(doc)


def _party(holder: etree._Element, party: Party, charge: Charge, *, seller: bool) -> None:
    element = group(holder, "Party")
    if party.ean:
        scheme, identifier = "0088", party.ean
    elif party.cvr:
        scheme, identifier = "0184", f"DK{party.cvr}"
    else:
        scheme, identifier = "", ""
    value(element, "EndpointID", identifier, schemeID=scheme)
    if identifier:
        value(group(element, "PartyIdentification"), "ID", identifier, schemeID=scheme)
    value(group(element, "PartyName"), "Name", party.name)
    address = group(element, "PostalAddress")
    street = f"{party.address.street} {party.address.building}".strip()
    value(address, "StreetName", street)
    value(address, "CityName", party.address.city)
    value(address, "PostalZone", party.address.postcode)
    value(group(address, "Country"), "IdentificationCode", "DK")
    if seller and charge.vat != "outside-scope":
        tax = group(element, "PartyTaxScheme")
        value(tax, "CompanyID", f"DK{party.cvr}")
        value(group(tax, "TaxScheme"), "ID", "VAT")
    legal = group(element, "PartyLegalEntity")
    value(legal, "RegistrationName", party.legal_name)
    if party.cvr:
        value(legal, "CompanyID", f"DK{party.cvr}", schemeID="0184")
    if party.contact_name or party.email or party.phone:
        contact = group(element, "Contact")
        value(contact, "Name", party.contact_name)
        value(contact, "Telephone", party.phone)
        value(contact, "ElectronicMail", party.email)


def _payment(doc: etree._Element, charge: Charge) -> None:
    means = group(doc, "PaymentMeans")
    account = charge.account
    value(means, "PaymentMeansCode", "58" if account.is_iban else "42")
    value(means, "PaymentID", charge.payment.reference)
    payee = group(means, "PayeeFinancialAccount")
    value(payee, "ID", account.iban or account.account_no)
    value(group(payee, "FinancialInstitutionBranch"), "ID", account.bic or account.reg_no)
    value(group(doc, "PaymentTerms"), "Note", f"Betales senest {format_date(charge.due)}")


def _category(parent: etree._Element, name: str, charge: Charge, *, breakdown: bool) -> None:
    category = group(parent, name)
    code = _CATEGORY[charge.vat]
    value(category, "ID", code)
    if code != "O":
        value(category, "Percent", str(charge.vat_percent))
    elif breakdown:
        value(category, "TaxExemptionReasonCode", "VATEX-EU-O")
        value(category, "TaxExemptionReason", "Ikke momspligtig")
    value(group(category, "TaxScheme"), "ID", "VAT")


def _tax_total(doc: etree._Element, charge: Charge) -> None:
    total = group(doc, "TaxTotal")
    amount(total, "TaxAmount", decimal(charge.vat_ore))
    subtotal = group(total, "TaxSubtotal")
    amount(subtotal, "TaxableAmount", decimal(charge.net_ore))
    amount(subtotal, "TaxAmount", decimal(charge.vat_ore))
    _category(subtotal, "TaxCategory", charge, breakdown=True)


def _line(doc: etree._Element, kind: str, charge: Charge) -> None:
    line = group(doc, f"{kind}Line")
    value(line, "ID", "1")
    quantity = "CreditedQuantity" if charge.credit else "InvoicedQuantity"
    value(line, quantity, "1", unitCode="C62")
    amount(line, "LineExtensionAmount", decimal(charge.net_ore))
    item = group(line, "Item")
    value(item, "Description", charge.line_description)
    value(item, "Name", charge.line_name)
    value(group(item, "SellersItemIdentification"), "ID", charge.case_number)
    _category(item, "ClassifiedTaxCategory", charge, breakdown=False)
    amount(group(line, "Price"), "PriceAmount", decimal(charge.net_ore))
