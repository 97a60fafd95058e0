"""E-invoices (issue #12): generation, validation of every TeleHjerte document, credit
notes, escaping, reproducibility, the package and the CLI."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from einvoice_helpers import (
    NS,
    documents,
    load,
    payable_ore,
    programme_file,
    registered,
    registered_payers,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from costshare.base.errors import InputError
from costshare.check.einvoice.validate import validate_document
from costshare.cli import cli
from costshare.package.annex_package import write_package
from costshare.package.preparation import prepare
from costshare.programme.einvoiced import invoiced_payers
from costshare.programme.model import compute
from costshare.programme.naming import MANIFEST_FILE
from costshare.programme.payers import payers

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def telehjerte(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return programme_file(tmp_path_factory.mktemp("einvoice"))


def test_every_telehjerte_document_is_valid(telehjerte: Path) -> None:
    result = load(telehjerte)
    written = documents(result)
    assert len(written) == 60
    for name, xml in written.items():
        report = validate_document(xml)
        assert report.valid, (name, [str(finding) for finding in report.findings])
        assert report.format == name.split("-")[1]
    oioubl = sum(payable_ore(xml) for name, xml in written.items() if name.endswith("oioubl"))
    peppol = sum(payable_ore(xml) for name, xml in written.items() if name.endswith("peppol"))
    assert oioubl == peppol == 105_000_000


def test_amounts_are_the_split_amounts(telehjerte: Path) -> None:
    result = load(telehjerte)
    written = documents(result)
    for payer in payers(result):
        for name in ("oioubl", "peppol"):
            assert payable_ore(written[f"{payer.code}-{name}"]) == payer.amount_ore


def test_invoice_line_number_and_references(telehjerte: Path) -> None:
    root = etree.fromstring(documents(load(telehjerte))["157-peppol"])
    assert root.findtext("cbc:ID", namespaces=NS) == "SAG-2024-05018-157"
    assert root.findtext("cbc:DueDate", namespaces=NS) == "2025-04-01"
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "Økonomi 157"
    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == "PO-157"
    item = root.find("cac:InvoiceLine/cac:Item", namespaces=NS)
    assert item is not None
    assert item.findtext("cbc:Name", namespaces=NS) == (
        "TeleHjerte, forlængelse 2025: andel efter indbyggertal"
    )
    assert item.findtext("cac:SellersItemIdentification/cbc:ID", namespaces=NS) == "SAG-2024-05018"
    endpoint = root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS)
    assert endpoint is not None and endpoint.get("schemeID") == "0088"
    oioubl = etree.fromstring(documents(load(telehjerte))["157-oioubl"])
    assert oioubl.findtext("cac:PaymentMeans/cbc:PaymentDueDate", namespaces=NS) == "2025-04-01"
    assert (
        oioubl.findtext("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID", namespaces=NS)
        == "Økonomi 157"
    )


@pytest.mark.parametrize("vat", ["outside-scope", "zero-rated", "standard"])
def test_negative_amount_gives_valid_credit_notes(tmp_path: Path, vat: str) -> None:
    result = load(programme_file(tmp_path, vat=vat, amount="-1050000"))
    written = documents(result)
    assert len(written) == 60
    for name, xml in written.items():
        root = etree.fromstring(xml)
        assert etree.QName(root).localname == "CreditNote"
        assert not root.findtext(
            "cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS
        ).startswith("-")
        report = validate_document(xml)
        assert report.valid, (name, [str(finding) for finding in report.findings])
    expected = -105_000_000 if vat != "standard" else None
    if expected is not None:
        assert (
            sum(payable_ore(xml) for n, xml in written.items() if n.endswith("peppol")) == expected
        )


def test_standard_vat_adds_25_percent_and_iban_validates(tmp_path: Path) -> None:
    bank = 'iban = "DK5000400440116243"\nbic = "DABADKKK"'
    result = load(programme_file(tmp_path, vat="standard", bank=bank))
    written = documents(result)
    for name, xml in written.items():
        report = validate_document(xml)
        assert report.valid, (name, [str(finding) for finding in report.findings])
    gentofte = next(payer for payer in payers(result) if payer.code == "157")
    assert (
        payable_ore(written["157-peppol"])
        == gentofte.amount_ore + (gentofte.amount_ore * 25 + 50) // 100
    )


def test_zero_share_and_missing_ean_get_no_document(telehjerte: Path) -> None:
    result = load(telehjerte)
    everyone = registered_payers(result)
    everyone[0] = dataclasses.replace(everyone[0], amount_ore=0)
    everyone[1] = dataclasses.replace(everyone[1], ean="")
    everyone[2] = dataclasses.replace(everyone[2], attention="")
    chosen, missing = invoiced_payers(everyone)
    assert len(chosen) == len(everyone) - 3
    assert [p.code for p in missing["an EAN"]] == [everyone[1].code]
    assert [p.code for p in missing["a person reference (attention)"]] == [everyone[2].code]
    assert everyone[0].code + "-oioubl" not in documents(result, everyone)


def test_hostile_text_is_escaped(telehjerte: Path) -> None:
    result = load(telehjerte)
    hostile = 'A & B <C> "D" \x01 ]]> &amp;'
    payer = registered(
        payers(result)[0], attention=hostile, order_reference=hostile, address=hostile
    )
    written = documents(result, [payer])
    for xml in written.values():
        root = etree.fromstring(xml)  # well-formed
        texts = [element.text for element in root.iter() if element.text]
        assert 'A & B <C> "D" ]]> &amp;' in texts
        assert validate_document(xml).valid


def test_an_address_without_postcode_or_number_is_sent_as_structured_lax(
    telehjerte: Path,
) -> None:
    """StructuredDK demands street, number and postcode (F-LIB033–035); a register that
    gives less must still give a valid invoice, not one the receiver bounces."""
    result = load(telehjerte)
    payer = registered(payers(result)[0], address="Rådhuset", postcode="", city="")
    for name, xml in documents(result, [payer]).items():
        assert validate_document(xml).valid, name
        if name.endswith("oioubl"):
            code = etree.fromstring(xml).xpath(
                "//cac:AccountingCustomerParty//cbc:AddressFormatCode", namespaces=NS
            )
            assert [element.text for element in code] == ["StructuredLax"]


def test_documents_are_byte_reproducible(telehjerte: Path) -> None:
    assert documents(load(telehjerte)) == documents(load(telehjerte))


@settings(max_examples=25)
@given(
    total=st.integers(min_value=-(10**9), max_value=10**9).map(lambda kroner: kroner * 100),
    vat=st.sampled_from(["outside-scope", "zero-rated"]),
)
def test_payable_amounts_add_up_to_the_split_total(
    tmp_path_factory: pytest.TempPathFactory, total: int, vat: str
) -> None:
    path = programme_file(tmp_path_factory.mktemp("prop"), vat=vat)
    programme = compute(load(path).programme, amount_override_ore=total)
    written = documents(programme)
    for name in ("oioubl", "peppol"):
        assert sum(payable_ore(xml) for key, xml in written.items() if key.endswith(name)) == total


# --- programme settings ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'seller_cvr = "12345674"',
            'seller_cvr = "5513301"',
            "key 'invoicing.seller_cvr': '5513301' is not a CVR number; write its 8 digits",
        ),
        (
            'vat = "outside-scope"',
            'vat = "exempt"',
            "key 'invoicing.vat': unknown VAT treatment 'exempt'",
        ),
        (
            'number = "{case_number}-{code}"',
            'number = "{case_number}"',
            "key 'invoicing.number': must contain {code}",
        ),
        (
            'number = "{case_number}-{code}"',
            'number = "{sag}-{code}"',
            "key 'invoicing.number': unknown field {sag}",
        ),
        (
            'formats = ["oioubl", "peppol"]',
            'formats = ["pdf"]',
            "key 'invoicing.formats': unknown format 'pdf'",
        ),
        (
            'seller_cvr = "12345674"',
            'seller_cvr = "12345674"\nseller_ean = "5798000000002"',
            "key 'invoicing.seller_ean': '5798000000002' is not an EAN number",
        ),
        ('reg_no = "1234"\n', "", "key 'payment.reg_no': is missing; give reg_no and account_no"),
        (
            'reg_no = "1234"\naccount_no = "1234567890"\n',
            "",
            "key 'payment.account': is missing; e-invoices need the bank account",
        ),
        (
            'reg_no = "1234"',
            'reg_no = "1234"\naccount = "Reg.nr. 9999, kontonr. 1111111111"',
            "key 'payment.account': 'Reg.nr. 9999, kontonr. 1111111111' is not the account in "
            "'payment.reg_no'/'payment.account_no' (Reg.nr. 1234, kontonr. 1234567890)",
        ),
        (
            'reg_no = "1234"',
            'reg_no = "12345"',
            "key 'payment.reg_no': '12345' is not a registration number",
        ),
    ],
)
def test_bad_settings_are_one_line_errors(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = programme_file(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- the package and the CLI --------------------------------------------------------------
def test_run_writes_and_lists_the_einvoices(
    telehjerte: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import costshare.package.preparation as package  # where a run lists its payers, once

    monkeypatch.setattr(package, "payers", lambda result: registered_payers(result))
    result, provenance = prepare(telehjerte)
    summary = write_package(result, provenance, tmp_path / "out")
    assert summary.einvoices == 60
    manifest = json.loads((tmp_path / "out" / MANIFEST_FILE).read_text(encoding="utf-8"))
    entries = [entry for entry in manifest["files"] if entry["kind"] == "einvoice"]
    assert len(entries) == 60
    gentofte = next(e for e in entries if e["code"] == "157" and e["format"] == "oioubl")
    assert gentofte["path"] == "einvoices/157-gentofte-oioubl.xml"
    assert gentofte["amount"] == "20415"
    assert gentofte["reference"] == "SAG-2024-05018-157"
    import hashlib

    assert (
        gentofte["sha256"]
        == hashlib.sha256((tmp_path / "out" / gentofte["path"]).read_bytes()).hexdigest()
    )


def test_run_refuses_an_invalid_document(
    telehjerte: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import costshare.package.preparation as package  # where a run lists its payers, once

    def bad_gln(result: object) -> list[object]:
        everyone = registered_payers(result)  # type: ignore[arg-type]
        everyone[3] = dataclasses.replace(everyone[3], ean="5798000000002")
        return everyone  # type: ignore[return-value]

    monkeypatch.setattr(package, "payers", bad_gln)
    result = CliRunner().invoke(cli, ["run", str(telehjerte), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "fails rule F-LIB181" in result.output or "PEPPOL-COMMON-R040" in result.output
    assert not (tmp_path / "out").exists()


def test_run_without_register_warns_and_no_einvoices_skips(
    telehjerte: Path, tmp_path: Path
) -> None:
    text = telehjerte.read_text(encoding="utf-8")
    assert 'register = "telehjerte-2025-modtagere.csv"' in text
    telehjerte = tmp_path / "no-register.toml"
    telehjerte.write_text(text.replace('register = "telehjerte-2025-modtagere.csv"', ""), "utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(telehjerte), "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert "no e-invoice for 30 payer(s) without an EAN" in result.output
    assert not (tmp_path / "a" / "einvoices").exists()
    result = runner.invoke(
        cli, ["run", str(telehjerte), "--out", str(tmp_path / "b"), "--no-einvoices"]
    )
    assert result.exit_code == 0
    assert "e-invoice" not in result.output


def test_cli_validate_reports_rule_ids(telehjerte: Path, tmp_path: Path) -> None:
    written = documents(load(telehjerte))
    good = tmp_path / "good.xml"
    good.write_bytes(written["157-peppol"])
    bad = tmp_path / "bad.xml"
    bad.write_bytes(
        written["157-peppol"].replace(b"<cbc:PaymentMeansCode>42<", b"<cbc:PaymentMeansCode>30<")
    )
    runner = CliRunner()
    ok = runner.invoke(cli, ["einvoice", "validate", str(good)])
    assert ok.exit_code == 0 and "OK (peppol)" in ok.output
    failed = runner.invoke(cli, ["einvoice", "validate", str(good), str(bad)])
    assert failed.exit_code == 1
    assert (
        "DK-R-005 [fatal]: For Danish suppliers the following Payment means codes are allowed"
        in failed.output
    )
    assert "1 of 2 document(s) failed validation" in failed.output
