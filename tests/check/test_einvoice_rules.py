"""Each rule costshare implements itself (OIOUBL, Danish Peppol) provoked on purpose.

A valid generated document is changed in one place and must fail the rule under its
official id; a final test checks that every implemented rule is provoked here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from einvoice_helpers import NS, documents, load, programme_file
from lxml import etree

from costshare.check.einvoice import danish_rules, oioubl_rules
from costshare.check.einvoice.validate import validate_document
from costshare.documents.einvoice.charge import Attachment

Mutation = Callable[[etree._Element], None]
CBC = f"{{{NS['cbc']}}}"
CAC = f"{{{NS['cac']}}}"
SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party"


def at(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert found, path
    return found[0]  # type: ignore[no-any-return]


def set_text(path: str, text: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        at(root, path).text = text

    return mutate


def set_attribute(path: str, name: str, value: str | None) -> Mutation:
    def mutate(root: etree._Element) -> None:
        element = at(root, path)
        if value is None:
            del element.attrib[name]
        else:
            element.set(name, value)

    return mutate


def remove(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        element = at(root, path)
        element.getparent().remove(element)

    return mutate


def add_line(path: str) -> Mutation:
    """An AddressLine in the address at ``path`` (allowed only in some address formats)."""

    def mutate(root: etree._Element) -> None:
        line = etree.SubElement(at(root, path), f"{CAC}AddressLine")
        etree.SubElement(line, f"{CBC}Line").text = "Rådhuset"

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for mutation in mutations:
            mutation(root)

    return mutate


def discrepancy(*children: tuple[str, str]) -> Mutation:
    def mutate(root: etree._Element) -> None:
        response = etree.Element(f"{CAC}DiscrepancyResponse")
        for name, text in children:
            etree.SubElement(response, f"{CBC}{name}").text = text
        at(root, "cac:OrderReference").addprevious(response)

    return mutate


def beside(path: str, name: str, text: str = "", child: tuple[str, str] | None = None) -> Mutation:
    """A new element ``name`` (``cbc:`` or ``cac:`` prefixed) right after the one at
    ``path``, with ``text`` or one ``child`` (name, text)."""

    def mutate(root: etree._Element) -> None:
        prefix, local = name.split(":")
        element = etree.Element(f"{{{NS[prefix]}}}{local}")
        element.text = text or None
        if child is not None:
            prefix, local = child[0].split(":")
            etree.SubElement(element, f"{{{NS[prefix]}}}{local}").text = child[1]
        at(root, path).addnext(element)

    return mutate


MEANS = "cac:PaymentMeans"
ACCOUNT = f"{MEANS}/cac:PayeeFinancialAccount"
BRANCH_ID = f"{ACCOUNT}/cac:FinancialInstitutionBranch/cbc:ID"
TOTALS = "cac:LegalMonetaryTotal"
HEADER_CATEGORY = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"
LINE = "(cac:InvoiceLine | cac:CreditNoteLine)"
GLN_BAD = "5798000000002"
ATTACHED = "cac:AdditionalDocumentReference"
EMBEDDED = f"{ATTACHED}/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
LETTER = Attachment("157-gentofte.pdf", "Brev med beregning af andelen", b"%PDF-1.7 a letter")

# (document, what is changed, the rule that must fail)
CASES: list[tuple[str, Mutation, str]] = [
    ("oioubl", set_text("cbc:UBLVersionID", "2.2"), "F-LIB001"),
    ("oioubl", set_text("cbc:CustomizationID", "OIOUBL-2.0"), "F-LIB002"),
    ("oioubl", set_text("cbc:ProfileID", "Procurement-Foo-1.0"), "F-LIB004"),
    (
        "oioubl",
        both(
            set_text("cbc:ProfileID", "Procurement-OrdSimR-BilSim-1.0"),
            remove("cac:OrderReference"),
        ),
        "F-INV002",
    ),
    (
        "oioubl-credit",
        both(
            set_text("cbc:ProfileID", "Procurement-OrdSimR-BilSim-1.0"),
            remove("cac:OrderReference"),
        ),
        "F-CRN002",
    ),
    ("oioubl", set_text("cac:OrderReference/cbc:ID", " "), "F-INV024"),
    (
        "oioubl",
        set_text(f"{CUSTOMER}/cac:PostalAddress/cbc:AddressFormatCode", "Unstructured"),
        "F-LIB031",
    ),
    ("oioubl", add_line(f"{CUSTOMER}/cac:PostalAddress"), "F-LIB032"),
    ("oioubl", remove(f"{CUSTOMER}/cac:PostalAddress/cbc:PostalZone"), "F-LIB033"),
    ("oioubl", remove(f"{CUSTOMER}/cac:PostalAddress/cbc:StreetName"), "F-LIB034"),
    ("oioubl", remove(f"{CUSTOMER}/cac:PostalAddress/cbc:BuildingNumber"), "F-LIB035"),
    (
        "oioubl",
        both(
            set_text(f"{CUSTOMER}/cac:PostalAddress/cbc:AddressFormatCode", "StructuredLax"),
            add_line(f"{CUSTOMER}/cac:PostalAddress"),
        ),
        "F-LIB036",
    ),
    ("oioubl-credit", set_text("cac:OrderReference/cbc:ID", " "), "F-CRN022"),
    ("oioubl", set_text("cbc:InvoiceTypeCode", "381"), "F-INV011"),
    ("oioubl", remove("cac:TaxTotal"), "F-INV008"),
    ("oioubl-credit", remove("cac:TaxTotal"), "F-CRN005"),
    ("oioubl", remove(f"{SUPPLIER}/cbc:EndpointID"), "F-INV031"),
    ("oioubl-credit", remove(f"{SUPPLIER}/cbc:EndpointID"), "F-CRN028"),
    ("oioubl", remove(f"{SUPPLIER}/cac:PartyLegalEntity"), "F-INV034"),
    ("oioubl-credit", remove(f"{SUPPLIER}/cac:PartyLegalEntity"), "F-CRN031"),
    # A missing buyer EAN.
    ("oioubl", remove(f"{CUSTOMER}/cbc:EndpointID"), "F-INV044"),
    ("oioubl-credit", remove(f"{CUSTOMER}/cbc:EndpointID"), "F-CRN040"),
    ("oioubl", remove(f"{CUSTOMER}/cac:Contact"), "F-INV046"),
    ("oioubl-credit", remove(f"{CUSTOMER}/cac:Contact"), "F-CRN042"),
    ("oioubl", set_text(f"{CUSTOMER}/cac:Contact/cbc:ID", " "), "F-INV051"),
    ("oioubl-credit", set_text(f"{CUSTOMER}/cac:Contact/cbc:ID", " "), "F-CRN047"),
    ("oioubl", set_attribute(f"{CUSTOMER}/cbc:EndpointID", "schemeID", "XX"), "F-LIB179"),
    # A missing (malformed) seller CVR.
    ("oioubl", set_text(f"{SUPPLIER}/cbc:EndpointID", "DK"), "F-LIB180"),
    # A bad GLN check digit.
    ("oioubl", set_text(f"{CUSTOMER}/cbc:EndpointID", GLN_BAD), "F-LIB181"),
    (
        "oioubl",
        set_attribute(f"{SUPPLIER}/cac:PartyIdentification/cbc:ID", "schemeID", "XX"),
        "F-LIB183",
    ),
    ("oioubl", set_text(f"{SUPPLIER}/cac:PartyIdentification/cbc:ID", "DK1"), "F-LIB184"),
    (
        "oioubl",
        both(
            set_attribute(f"{CUSTOMER}/cac:PartyIdentification/cbc:ID", "schemeID", "GLN"),
            set_text(f"{CUSTOMER}/cac:PartyIdentification/cbc:ID", GLN_BAD),
        ),
        "F-LIB185",
    ),
    (
        "oioubl",
        both(
            remove(f"{SUPPLIER}/cac:PartyIdentification"),
            set_text(f"{SUPPLIER}/cac:PartyName/cbc:Name", " "),
        ),
        "F-LIB022",
    ),
    (
        "oioubl",
        set_attribute(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "0184"),
        "F-LIB189",
    ),
    ("oioubl", set_text(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", "12345678"), "F-LIB190"),
    ("oioubl", set_text(f"{SUPPLIER}/cac:PartyTaxScheme/cbc:CompanyID", "DK1"), "F-LIB196"),
    # A payment means outside the code list.
    ("oioubl", set_text(f"{MEANS}/cbc:PaymentMeansCode", "30"), "F-LIB100"),
    ("oioubl", set_text(f"{MEANS}/cbc:PaymentMeansCode", "31"), "F-LIB109"),
    (
        "oioubl",
        both(
            set_text(f"{MEANS}/cbc:PaymentMeansCode", "31"),
            set_text(f"{MEANS}/cbc:PaymentChannelCode", "IBAN"),
        ),
        "F-LIB108",
    ),
    (
        "oioubl",
        both(
            set_text(f"{MEANS}/cbc:PaymentMeansCode", "31"),
            set_text(f"{MEANS}/cbc:PaymentChannelCode", "IBAN"),
            set_text(f"{ACCOUNT}/cbc:ID", "DK" + "1" * 40),
        ),
        "F-LIB114",
    ),
    ("oioubl", set_text(f"{MEANS}/cbc:PaymentChannelCode", "IBAN"), "F-LIB128"),
    ("oioubl", remove(ACCOUNT), "F-LIB125"),
    ("oioubl", remove(f"{ACCOUNT}/cbc:ID"), "F-LIB126"),
    ("oioubl", remove(BRANCH_ID), "F-LIB127"),
    ("oioubl", set_text(f"{ACCOUNT}/cbc:ID", "12345678901"), "F-LIB131"),
    ("oioubl", set_text(BRANCH_ID, "12345"), "F-LIB132"),
    ("oioubl", set_text(f"{ACCOUNT}/cbc:PaymentNote", "x" * 21), "F-LIB133"),
    ("oioubl", set_attribute(f"{HEADER_CATEGORY}/cbc:ID", "schemeID", "urn:x"), "F-LIB075"),
    ("oioubl", set_text(f"{HEADER_CATEGORY}/cbc:ID", "Exempt"), "F-LIB309"),
    ("oioubl", set_text(f"{HEADER_CATEGORY}/cbc:ID", "StandardRated"), "F-LIB382"),
    ("oioubl", set_text(f"{HEADER_CATEGORY}/cbc:Percent", "5"), "F-LIB400"),
    ("oioubl-standard", set_text("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "1.00"), "F-LIB401"),
    ("oioubl", set_text("cac:TaxTotal/cbc:TaxAmount", "1.00"), "F-LIB385"),
    (
        "oioubl",
        set_attribute(f"{HEADER_CATEGORY}/cac:TaxScheme/cbc:ID", "schemeID", "urn:x"),
        "F-LIB070",
    ),
    ("oioubl", set_text(f"{HEADER_CATEGORY}/cac:TaxScheme/cbc:Name", "VAT"), "F-LIB198"),
    ("oioubl", set_text(f"{TOTALS}/cbc:LineExtensionAmount", "1.00"), "F-INV126"),
    ("oioubl-credit", set_text(f"{TOTALS}/cbc:LineExtensionAmount", "1.00"), "F-CRN072"),
    ("oioubl", set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", "5.00"), "F-INV127"),
    ("oioubl-credit", set_text(f"{TOTALS}/cbc:TaxExclusiveAmount", "5.00"), "F-CRN073"),
    ("oioubl", set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", "1.00"), "F-INV128"),
    ("oioubl-credit", set_text(f"{TOTALS}/cbc:TaxInclusiveAmount", "1.00"), "F-CRN074"),
    ("oioubl", set_text(f"{TOTALS}/cbc:PayableAmount", "1.00"), "F-INV133"),
    ("oioubl-credit", set_text(f"{TOTALS}/cbc:PayableAmount", "1.00"), "F-CRN079"),
    ("oioubl", remove(f"{LINE}/cac:TaxTotal"), "F-INV138"),
    ("oioubl-credit", remove(f"{LINE}/cac:TaxTotal"), "F-CRN081"),
    ("oioubl", remove(f"{LINE}/cac:Price"), "F-INV139"),
    ("oioubl-credit", remove(f"{LINE}/cac:Price"), "F-CRN083"),
    ("oioubl", set_text(f"{LINE}/cbc:InvoicedQuantity", "0"), "F-INV147"),
    ("oioubl-credit", set_text(f"{LINE}/cbc:CreditedQuantity", "0"), "F-CRN088"),
    ("oioubl", set_text(f"{LINE}/cbc:LineExtensionAmount", "20415.5"), "F-INV149"),
    ("oioubl-credit", set_text(f"{LINE}/cbc:LineExtensionAmount", "20415.5"), "F-CRN089"),
    ("oioubl", set_text(f"{LINE}/cac:Item/cbc:Name", " "), "F-INV163"),
    ("oioubl-credit", set_text(f"{LINE}/cac:Item/cbc:Name", " "), "F-CRN110"),
    ("oioubl-credit", set_text(f"{LINE}/cbc:CreditedQuantity", ""), "F-CRN196"),
    ("oioubl-credit", discrepancy(("ReferenceID", " "), ("Description", "Regulering")), "F-CRN161"),
    (
        "oioubl-credit",
        discrepancy(("ReferenceID", "X-1"), ("ResponseCode", "x"), ("Description", "y")),
        "F-CRN188",
    ),
    # The attached letter (AdditionalDocumentReference, the common DocumentReferenceCheck).
    ("oioubl", remove(f"{ATTACHED}/cbc:DocumentType"), "F-LIB092"),
    ("oioubl", beside(f"{ATTACHED}/cbc:DocumentType", "cbc:XPath", "/x"), "F-LIB093"),
    (
        "oioubl",
        beside(EMBEDDED, "cac:ExternalReference", child=("cbc:URI", "https://example.org/a.pdf")),
        "F-LIB095",
    ),
    ("oioubl-credit", set_attribute(EMBEDDED, "mimeCode", "application/zip"), "F-LIB098"),
    # Peppol BIS 3: the Danish rules and the identifier rules.
    ("peppol", set_text("cbc:Note", ""), "PEPPOL-EN16931-R008"),
    ("peppol", set_text(f"{CUSTOMER}/cbc:EndpointID", GLN_BAD), "PEPPOL-COMMON-R040"),
    ("peppol", set_text(f"{SUPPLIER}/cbc:EndpointID", "DK123"), "PEPPOL-COMMON-R042"),
    ("peppol", remove(f"{CUSTOMER}/cbc:EndpointID"), "PEPPOL-EN16931-R010"),
    ("peppol", remove(f"{SUPPLIER}/cbc:EndpointID"), "PEPPOL-EN16931-R020"),
    ("peppol", remove(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID"), "DK-R-002"),
    (
        "peppol",
        set_attribute(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", None),
        "DK-R-014",
    ),
    ("peppol-credit", set_text(f"{TOTALS}/cbc:PayableAmount", "-1.00"), "DK-R-016"),
    (
        "peppol",
        set_attribute(f"{CUSTOMER}/cac:PartyIdentification/cbc:ID", "schemeID", None),
        "DK-R-013",
    ),
    ("peppol", set_text(f"{MEANS}/cbc:PaymentMeansCode", "30"), "DK-R-005"),
    ("peppol", remove(BRANCH_ID), "DK-R-006"),
    # The published CEN rules run too.
    ("peppol", set_text(f"{TOTALS}/cbc:PayableAmount", "1.00"), "BR-CO-16"),
]


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    def made(name: str, **settings: str) -> dict[str, bytes]:
        result = load(programme_file(tmp_path_factory.mktemp(name), **settings))
        return documents(result, attachments=(LETTER,))

    invoices = made("invoice")
    credits = made("credit", amount="-1050000")
    standard = made("standard", vat="standard")
    return {
        "oioubl": invoices["157-oioubl"],
        "oioubl-credit": credits["157-oioubl"],
        "oioubl-standard": standard["157-oioubl"],
        "peppol": invoices["157-peppol"],
        "peppol-credit": credits["157-peppol"],
    }


@pytest.mark.parametrize(
    ("document", "mutation", "rule"), CASES, ids=[f"{rule}-{doc}" for doc, _, rule in CASES]
)
def test_rule_fails_when_provoked(
    originals: dict[str, bytes], document: str, mutation: Mutation, rule: str
) -> None:
    assert validate_document(originals[document]).valid
    root = etree.fromstring(originals[document])
    mutation(root)
    report = validate_document(etree.tostring(root))
    failed = {finding.rule for finding in report.errors}
    assert rule in failed, f"{rule} not among {sorted(failed)}"


def test_every_implemented_rule_is_provoked() -> None:
    provoked = {rule for _, _, rule in CASES}
    implemented = set(oioubl_rules.covered_rules()) | set(danish_rules.covered_rules())
    assert implemented - provoked == set()
