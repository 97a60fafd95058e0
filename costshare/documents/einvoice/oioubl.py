"""A :class:`~.charge.Charge` as an OIOUBL 2.1 invoice or credit note (profile BilSim).

VAT: OIOUBL's tax category list before schematron 1.17 has no "outside scope" code, so
``outside-scope`` and ``zero-rated`` are both written ``ZeroRated`` (0 %, tax 0), which
every OIOUBL schematron version accepts; ``standard`` is ``StandardRated`` 25 %. See
docs/reference/einvoices.md for why. OIOUBL's ``TaxExclusiveAmount`` is the VAT amount
(not the net amount as in EN 16931). Endpoints: the buyer's EAN (``GLN``), the seller's
EAN or CVR (``DK:CVR``). A Danish account is payment means 42 (``DK:BANK``), an IBAN 31
(``IBAN``, the BIC as the financial institution); the payer's reference is the payment
note (where it fits in 20 characters). A credit note has no payment means. The payer's
letter and the annex travel as AdditionalDocumentReference attachments.
"""

from __future__ import annotations

from lxml import etree

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

_AGENCY = {"schemeAgencyID": "320"}
_TAX_SCHEME = {**_AGENCY, "schemeID": "urn:oioubl:id:taxschemeid-1.5"}
_TAX_CATEGORY = {**_AGENCY, "schemeID": "urn:oioubl:id:taxcategoryid-1.1"}
_CATEGORY = {"outside-scope": "ZeroRated", "zero-rated": "ZeroRated", "standard": "StandardRated"}
PAYMENT_NOTE_MAX = 20  # F-LIB133


def oioubl_document(charge: Charge) -> bytes:
    """The document's bytes (UTF-8 XML)."""
    kind = "CreditNote" if charge.credit else "Invoice"
    doc = root(kind)
    value(doc, "UBLVersionID", "2.1")
    value(doc, "CustomizationID", "OIOUBL-2.1")
    value(
        doc,
        "ProfileID",
        "Procurement-BilSim-1.0",
        schemeID="urn:oioubl:id:profileid-1.6",
        **_AGENCY,
    )
    value(doc, "ID", charge.number)
    value(doc, "CopyIndicator", "false")
    value(doc, "UUID", charge.uuid)
    value(doc, "IssueDate", charge.issue_date.isoformat())
    if not charge.credit:
        value(
            doc,
            "InvoiceTypeCode",
            "380",
            listAgencyID="320",
            listID="urn:oioubl:codelist:invoicetypecode-1.1",
        )
    value(doc, "Note", charge.note)
    value(doc, "DocumentCurrencyCode", "DKK")
    value(doc, "AccountingCost", charge.buyer.reference)
    # The buyer's requisition number, where the register gives one. The BilSim profile does
    # not require an OrderReference (F-INV002 names only the order profiles), and an empty
    # one breaks the schema and F-INV024; the person reference (Contact/ID) is always there.
    if charge.buyer.order_reference:
        value(group(doc, "OrderReference"), "ID", charge.buyer.order_reference)
    billing_reference(doc, charge)
    attachments(doc, charge, document_type=True)
    _party(group(doc, "AccountingSupplierParty"), charge.seller, seller=True)
    _party(group(doc, "AccountingCustomerParty"), charge.buyer, seller=False)
    if not charge.credit:
        _payment(doc, charge)
    _tax_total(doc, charge)
    totals = group(doc, "LegalMonetaryTotal")
    amount(totals, "LineExtensionAmount", decimal(charge.net_ore))
    amount(totals, "TaxExclusiveAmount", decimal(charge.vat_ore))
    amount(totals, "TaxInclusiveAmount", decimal(charge.payable_ore))
    amount(totals, "PayableAmount", decimal(charge.payable_ore))
    _line(doc, kind, charge)
    return document_bytes(doc)


def _party(holder: etree._Element, party: Party, *, seller: bool) -> None:
    element = group(holder, "Party")
    if party.ean:
        value(element, "EndpointID", party.ean, schemeID="GLN")
    elif seller:
        value(element, "EndpointID", f"DK{party.cvr}", schemeID="DK:CVR")
    if party.cvr:
        value(group(element, "PartyIdentification"), "ID", f"DK{party.cvr}", schemeID="DK:CVR")
    elif party.ean:
        value(group(element, "PartyIdentification"), "ID", party.ean, schemeID="GLN")
    value(group(element, "PartyName"), "Name", party.name)
    address = group(element, "PostalAddress")
    # StructuredDK needs a street, a number and a postcode (F-LIB033–035); an address the
    # register gives only in part ("Rådhuset", no postcode) goes as StructuredLax, which
    # takes the same elements without demanding them.
    where = party.address
    complete = bool(where.street and where.building and where.postcode)
    value(
        address,
        "AddressFormatCode",
        "StructuredDK" if complete else "StructuredLax",
        listAgencyID="320",
        listID="urn:oioubl:codelist:addressformatcode-1.1",
    )
    value(address, "StreetName", party.address.street)
    value(address, "BuildingNumber", party.address.building)
    value(address, "CityName", party.address.city)
    value(address, "PostalZone", party.address.postcode)
    value(group(address, "Country"), "IdentificationCode", "DK")
    if seller:
        tax = group(element, "PartyTaxScheme")
        value(tax, "CompanyID", f"DK{party.cvr}", schemeID="DK:SE")
        _tax_scheme(tax)
    legal = group(element, "PartyLegalEntity")
    value(legal, "RegistrationName", party.legal_name)
    if party.cvr:
        value(legal, "CompanyID", f"DK{party.cvr}", schemeID="DK:CVR")
    if seller:
        if party.contact_name or party.email or party.phone:
            contact = group(element, "Contact")
            value(contact, "Name", party.contact_name)
            value(contact, "Telephone", party.phone)
            value(contact, "ElectronicMail", party.email)
    else:
        contact = group(element, "Contact")  # F-INV046/F-INV051: the person reference
        value(contact, "ID", party.attention)


def _tax_scheme(parent: etree._Element) -> None:
    scheme = group(parent, "TaxScheme")
    value(scheme, "ID", "63", **_TAX_SCHEME)
    value(scheme, "Name", "Moms")


def _payment(doc: etree._Element, charge: Charge) -> None:
    account = charge.account
    means = group(doc, "PaymentMeans")
    value(means, "ID", "1")
    value(means, "PaymentMeansCode", "31" if account.is_iban else "42")
    value(means, "PaymentDueDate", charge.due.isoformat())
    value(
        means,
        "PaymentChannelCode",
        "IBAN" if account.is_iban else "DK:BANK",
        listAgencyID="320",
        listID="urn:oioubl:codelist:paymentchannelcode-1.1",
    )
    payee = group(means, "PayeeFinancialAccount")
    value(payee, "ID", account.iban or account.account_no)
    if len(charge.payment.reference) <= PAYMENT_NOTE_MAX:
        value(payee, "PaymentNote", charge.payment.reference)
    branch = group(payee, "FinancialInstitutionBranch")
    if account.is_iban:
        value(group(branch, "FinancialInstitution"), "ID", account.bic)
    else:
        value(branch, "ID", account.reg_no)


def _tax_total(parent: etree._Element, charge: Charge) -> None:
    total = group(parent, "TaxTotal")
    amount(total, "TaxAmount", decimal(charge.vat_ore))
    subtotal = group(total, "TaxSubtotal")
    amount(subtotal, "TaxableAmount", decimal(charge.net_ore))
    amount(subtotal, "TaxAmount", decimal(charge.vat_ore))
    category = group(subtotal, "TaxCategory")
    value(category, "ID", _CATEGORY[charge.vat], **_TAX_CATEGORY)
    value(category, "Percent", str(charge.vat_percent))
    _tax_scheme(category)


def _line(doc: etree._Element, kind: str, charge: Charge) -> None:
    line = group(doc, f"{kind}Line")
    value(line, "ID", "1")
    quantity = "CreditedQuantity" if charge.credit else "InvoicedQuantity"
    value(line, quantity, "1", unitCode="EA")
    amount(line, "LineExtensionAmount", decimal(charge.net_ore))
    _tax_total(line, charge)
    item = group(line, "Item")
    value(item, "Description", charge.line_description)
    value(item, "Name", charge.line_name)
    value(group(item, "SellersItemIdentification"), "ID", charge.case_number)
    price = group(line, "Price")
    amount(price, "PriceAmount", decimal(charge.net_ore))
    value(price, "BaseQuantity", "1", unitCode="EA")
