"""``costshare verify FILE`` on whatever a payer received (issue #20, items 1–3 and 8).

The TeleHjerte example with ``[invoicing]`` is written once; then every file of the
package, the folder and a zip of it must verify OK, and an amount changed in any of them
(a workbook cell, an e-invoice's payable amount, a PDF's data, the annex PDF's text) must be
named with what was expected and what was found. ``explain`` on a letter prints what
``explain`` on the programme prints.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import jsonschema
import pypdf
import pytest
from annex_helpers import EXAMPLES
from click.testing import CliRunner, Result
from einvoice_helpers import programme_file, settlement_programmes
from openpyxl import load_workbook
from paths import ROOT

from costshare.check.received.embedded_schema import FILE_NAME, schema_text
from costshare.cli import cli

pytestmark = pytest.mark.slow

SCHEMA = ROOT / "docs" / "reference" / "embedded-data.schema.json"


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("received")
    programme = programme_file(folder)
    out = folder / "pakke"
    result = run_cli("run", str(programme), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def _copy(package: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "pakke"
    shutil.copytree(package, copy)
    return copy


def _files(package: Path) -> list[Path]:
    return sorted(path for path in package.rglob("*") if path.is_file())


def test_every_file_of_the_package_verifies(package: Path) -> None:
    for path in _files(package):
        result = run_cli("verify", str(path))
        assert result.exit_code == 0, (path.name, result.output)
        assert "OK: " in result.output, result.output


def test_it_says_what_each_document_is(package: Path) -> None:
    said = {
        "157-gentofte.pdf": "Gentofte Kommune's letter about TeleHjerte, forlængelse 2025, SAG-2024-05018",
        "157-gentofte.xlsx": "Gentofte Kommune's workbook for TeleHjerte",
        "bilag-finansiering-pr-kommune.pdf": "the annex (financing per municipality) of TeleHjerte",
        "finansiering-pr-kommune.xlsx": "the overview (financing per municipality) of TeleHjerte",
        "einvoices/157-gentofte-oioubl.xml": "Gentofte Kommune's e-invoice SAG-2024-05018-157 (OIOUBL)",
        "einvoices/084-region-hovedstaden-peppol.xml": "Region Hovedstaden's e-invoice SAG-2024-05018-084 (Peppol)",
    }
    for name, words in said.items():
        output = run_cli("verify", str(package / name)).output
        assert output.splitlines()[0].startswith(f"{package / name}: {words}"), output
    assert (
        "OK: 20.415 kr., reference SAG-2024-05018-157"
        in run_cli("verify", str(package / "157-gentofte.pdf")).output
    )


def test_the_danish_words(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COSTSHARE_LANG", "da")
    output = run_cli("verify", str(package / "157-gentofte.pdf")).output
    assert "Gentofte Kommunes brev om TeleHjerte, forlængelse 2025, SAG-2024-05018" in output
    assert "passer med costshares egen beregning ud fra programfilen" in output


def test_the_folder_and_a_zip_of_it_verify(package: Path, tmp_path: Path) -> None:
    result = run_cli("verify", str(package))
    assert result.exit_code == 0, result.output
    count = len(_files(package))  # every file the manifest lists, and the manifest
    assert f"OK: all {count} files agree" in result.output
    for top in ("", "pakke/"):
        archive = tmp_path / f"pakke{len(top)}.zip"
        with zipfile.ZipFile(archive, "w") as out:
            for path in _files(package):
                out.write(path, top + path.relative_to(package).as_posix())
        result = run_cli("verify", str(archive))
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"{archive}: a zip of the package of TeleHjerte")


def test_a_changed_workbook_cell_is_named(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy(package, tmp_path)
    book = copy / "157-gentofte.xlsx"
    workbook = load_workbook(book)
    sheet = workbook["Beløb"]
    for row in sheet.iter_rows():
        if row[0].value == "Beløb (kr.)":
            row[1].value = 20416
    workbook.save(book)
    line = "the amount (row 11): expected 20.415 kr., found 20.416 kr."
    result = run_cli("verify", str(book))
    assert result.exit_code == 1 and line in result.output, result.output
    assert "computation from the programme telehjerte-einvoice.toml" in result.output
    assert "; 1 difference:\n" in result.output  # one, not "1 differences"
    result = run_cli("verify", str(copy))
    assert result.exit_code == 1 and f"157-gentofte.xlsx: {line}" in result.output
    assert "157-gentofte.xlsx: does not match its SHA-256 in manifest.json" in result.output
    assert "; 2 differences:\n" in result.output
    monkeypatch.setenv("COSTSHARE_LANG", "da")  # as the guide shows it
    danish = run_cli("verify", str(book)).output.splitlines()
    assert danish[1].endswith("; 1 afvigelse:")
    assert danish[2] == "  beløbet (række 11): forventet 20.415 kr., fundet 20.416 kr."


def test_a_changed_overview_cell_is_named(package: Path, tmp_path: Path) -> None:
    copy = _copy(package, tmp_path)
    book = copy / "finansiering-pr-kommune.xlsx"
    workbook = load_workbook(book)
    sheet = workbook["Finansiering pr. kommune"]
    assert (sheet["A11"].value, sheet["G11"].value) == ("157", 20415)
    sheet["G11"] = 20416
    workbook.save(book)
    line = "the amount of '157 Gentofte' (row 11): expected 20.415 kr., found 20.416 kr."
    result = run_cli("verify", str(book))
    assert result.exit_code == 1 and line in result.output, result.output


def test_a_changed_amount_in_the_manifest_is_named(package: Path, tmp_path: Path) -> None:
    copy = _copy(package, tmp_path)
    manifest = copy / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    old = '"code": "157",\n      "name": "Gentofte",\n      "amount": "20415"'
    assert text.count(old) == 2  # the letter and the workbook
    manifest.write_text(text.replace(old, old.replace("20415", "20416"), 1), encoding="utf-8")
    result = run_cli("verify", str(copy))
    assert result.exit_code == 1, result.output
    assert (
        "manifest.json: the amount of '157 Gentofte' (157-gentofte.pdf) is 20.416 kr., but the "
        "package's own programme and figures give 20.415 kr."
    ) in result.output


def test_a_changed_payable_amount_is_named(package: Path, tmp_path: Path) -> None:
    copy = _copy(package, tmp_path)
    xml = copy / "einvoices" / "147-frederiksberg-peppol.xml"
    text = xml.read_text(encoding="utf-8")
    old = '<cbc:PayableAmount currencyID="DKK">28780.00</cbc:PayableAmount>'
    assert old in text
    xml.write_text(text.replace(old, old.replace("28780.00", "28781.00")), encoding="utf-8")
    line = "the payable amount (PayableAmount): expected 28.780 kr., found 28.781 kr."
    result = run_cli("verify", str(xml))
    assert result.exit_code == 1 and line in result.output, result.output
    result = run_cli("verify", str(copy))
    assert f"einvoices/147-frederiksberg-peppol.xml: {line}" in result.output


def test_every_field_of_an_einvoice_is_checked(package: Path, tmp_path: Path) -> None:
    """The right payable amount is not enough (issue #20): the VAT, the taxable amount,
    the account and the due date are re-derived too, each named by its path."""
    copy = _copy(package, tmp_path)
    xml = copy / "einvoices" / "147-frederiksberg-peppol.xml"
    text = xml.read_text(encoding="utf-8")
    for old, new in (
        (
            '<cbc:TaxableAmount currencyID="DKK">28780.00<',
            '<cbc:TaxableAmount currencyID="DKK">23024.00<',
        ),
        ('<cbc:TaxAmount currencyID="DKK">0.00<', '<cbc:TaxAmount currencyID="DKK">5756.00<'),
        ("<cbc:ID>1234567890</cbc:ID>", "<cbc:ID>9999999999</cbc:ID>"),
        ("<cbc:DueDate>2025-04-01<", "<cbc:DueDate>2025-05-01<"),
    ):
        assert old in text
        text = text.replace(old, new)
    xml.write_text(text, encoding="utf-8")
    result = run_cli("verify", str(xml))
    assert result.exit_code == 1, result.output
    assert "5 differences" in result.output and "PayableAmount" not in result.output
    for line in (
        "the field cbc:DueDate: expected '2025-04-01', found '2025-05-01'",
        "the field cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID: expected '1234567890', "
        "found '9999999999'",
        "the field cac:TaxTotal/cbc:TaxAmount: expected '0.00', found '5756.00'",
        "the field cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount: expected '28780.00', "
        "found '23024.00'",
    ):
        assert line in result.output, result.output
    assert f"einvoices/{xml.name}: the field cbc:DueDate" in run_cli("verify", str(copy)).output


def test_a_field_costshare_does_not_write_is_named(package: Path, tmp_path: Path) -> None:
    copy = _copy(package, tmp_path)
    xml = copy / "einvoices" / "147-frederiksberg-oioubl.xml"
    text = xml.read_text(encoding="utf-8")
    old = "<cbc:PaymentDueDate>2025-04-01</cbc:PaymentDueDate>"
    assert text.count(old) == 1
    xml.write_text(text.replace(old, ""), encoding="utf-8")
    output = run_cli("verify", str(xml)).output
    assert "has no cac:PaymentMeans/cbc:PaymentDueDate; costshare writes '2025-04-01'" in output
    xml.write_text(
        text.replace(old, old + "<cbc:InstructionNote>Betal til 9999</cbc:InstructionNote>")
    )
    output = run_cli("verify", str(xml)).output
    assert (
        "has cac:PaymentMeans/cbc:InstructionNote 'Betal til 9999', which costshare does not write"
    ) in output


@pytest.mark.parametrize("charge_einvoices", [True, False])
def test_a_settlements_einvoices_verify_field_by_field(
    tmp_path: Path, charge_einvoices: bool
) -> None:
    """A settlement's e-invoice names the charge's where the charge sent one; whether it
    did is not in the runs, so either is accepted, and every other field is checked."""
    charged_programme, final_programme = settlement_programmes(tmp_path)
    charged, final = tmp_path / "opkraevet", tmp_path / "efterregulering"
    extra = [] if charge_einvoices else ["--no-einvoices"]
    assert run_cli("run", str(charged_programme), "--out", str(charged), *extra).exit_code == 0
    settle = run_cli("settle", str(final_programme), "--charged", str(charged), "--out", str(final))
    assert settle.exit_code == 0, settle.output
    invoices = sorted((final / "einvoices").glob("*.xml"))
    assert len(invoices) == 60
    named = [x for x in invoices if "BillingReference" in x.read_text(encoding="utf-8")]
    assert len(named) == (60 if charge_einvoices else 0)
    for xml in invoices[:4]:
        result = run_cli("verify", str(xml))
        assert result.exit_code == 0, result.output
    assert run_cli("verify", str(final)).exit_code == 0
    xml = invoices[0]
    text = xml.read_text(encoding="utf-8")
    xml.write_text(text.replace("<cbc:Note>Efterregulering af", "<cbc:Note>Opkrævning af"))
    result = run_cli("verify", str(xml))
    assert result.exit_code == 1 and "the field cbc:Note: expected 'Efterregulering af" in (
        result.output
    ), result.output


def _data(path: Path) -> dict[str, object]:
    found = pypdf.PdfReader(path).attachments[FILE_NAME]
    document: dict[str, object] = json.loads(found[0])
    return document


def _with_data(path: Path, document: dict[str, object]) -> None:
    """The PDF at ``path`` carrying ``document`` instead of its own data."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path))
    writer.root_object.pop("/Names", None)
    writer.add_attachment(FILE_NAME, json.dumps(document).encode("utf-8"))
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


def test_a_changed_amount_in_the_data_is_named(package: Path, tmp_path: Path) -> None:
    copy = _copy(package, tmp_path)
    letter = copy / "101-koebenhavn.pdf"
    document = _data(letter)
    document["payer"]["amount"] = "181400"  # type: ignore[index]
    _with_data(letter, document)
    result = run_cli("verify", str(letter))
    assert result.exit_code == 1
    assert "the amount in the PDF's data: expected 181.399 kr., found 181.400 kr." in result.output
    assert "101-koebenhavn.pdf: the amount in the PDF's data" in run_cli("verify", str(copy)).output


def test_a_changed_programme_in_the_data_is_named(package: Path, tmp_path: Path) -> None:
    """The data's programme edited (a larger total): the copy no longer has its SHA-256, and
    what the edited programme gives is not what the letter shows."""
    copy = _copy(package, tmp_path)
    letter = copy / "157-gentofte.pdf"
    document = _data(letter)
    files = document["run"]["files"]  # type: ignore[index]
    files[0]["text"] = files[0]["text"].replace('amount = "1050000"', 'amount = "2100000"')
    _with_data(letter, document)
    output = run_cli("verify", str(letter)).output
    assert (
        "the copy of 'telehjerte-einvoice.toml' in the PDF's data does not match its SHA-256"
        in output
    )
    assert "the amount in the letter's text (line" in output and "found 20.415 kr." in output


def test_a_changed_amount_in_the_annex_text_is_named(package: Path, tmp_path: Path) -> None:
    """The annex typeset again with one row's amount changed, its data as it was."""
    from costshare.documents.pdf.annex_pdf import ANNEX_TEMPLATE, annex_context
    from costshare.documents.pdf.embedded_data import attachment_prologue
    from costshare.documents.pdf.letters import make_environment, render_letter, template_root
    from costshare.documents.pdf.typesetter import Typesetter
    from costshare.package.fonts import private_font_folder
    from costshare.package.preparation import prepare, reproducible_timestamp

    copy = _copy(package, tmp_path)
    annex = copy / "bilag-finansiering-pr-kommune.pdf"
    data = pypdf.PdfReader(annex).attachments[FILE_NAME][0]
    result, provenance = prepare(copy / "programfil" / "telehjerte-einvoice.toml")
    from costshare.programme.payers import payers

    context = annex_context(result, payers(result), provenance)
    for row in context["rows"]:
        if row["code"] == "157":
            row["amount"] = "20.416 kr."
    source = attachment_prologue(data) + render_letter(
        make_environment(None), context, "", ANNEX_TEMPLATE
    )
    stamp = reproducible_timestamp(result.programme)
    with (
        template_root(None) as root,
        private_font_folder() as fonts,
        Typesetter(root, stamp, font_folder=fonts) as typesetter,
    ):
        annex.write_bytes(typesetter.pdf(source, ""))
    result_cli = run_cli("verify", str(annex))
    assert result_cli.exit_code == 1, result_cli.output
    assert "the amount of '157 Gentofte' (line" in result_cli.output
    assert "expected 20.415 kr., found 20.416 kr." in result_cli.output


def test_explain_on_a_letter_is_explain_on_the_programme(package: Path) -> None:
    on_letter = run_cli("explain", str(package / "157-gentofte.pdf"))
    programme = package / "programfil" / "telehjerte-einvoice.toml"
    on_programme = run_cli("explain", str(programme), "157")
    assert on_letter.exit_code == 0, on_letter.output
    assert on_letter.output == on_programme.output
    annex = package / "bilag-finansiering-pr-kommune.pdf"
    assert (
        run_cli("explain", str(annex), "Region Hovedstaden").output
        == run_cli("explain", str(programme), "084").output
    )
    refused = run_cli("explain", str(annex))
    assert refused.exit_code == 1 and "name the payer" in refused.output


def test_every_pdf_carries_data_the_published_schema_accepts(package: Path) -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    pdfs = sorted(package.glob("*.pdf"))
    assert len(pdfs) == 32  # 30 letters, the annex, the review copy
    for pdf in pdfs:
        jsonschema.validate(_data(pdf), schema)
    letter = _data(package / "157-gentofte.pdf")
    assert letter["payer"] == {
        "code": "157",
        "name": "Gentofte",
        "addressed": "Gentofte Kommune",
        "amount": "20415",
        "reference": "SAG-2024-05018-157",
    }
    run = letter["run"]
    assert run["basis"]["kind"] == "packaged" and run["basis"]["name"] == "2025K1"  # type: ignore[index]
    programme = (package / "programfil" / "telehjerte-einvoice.toml").read_text(encoding="utf-8")
    assert run["files"][0]["text"] == programme  # type: ignore[index]


def test_the_letter_ends_with_how_to_check_it(package: Path) -> None:
    from annex_helpers import pdf_text

    text = pdf_text(package / "157-gentofte.pdf")
    fingerprint = _data(package / "157-gentofte.pdf")["fingerprint"]
    last = [line for line in text.splitlines() if line.strip()][-2]  # before the footer
    assert last == (
        "Kontrol af beløbet: costshare verify 157-gentofte.pdf "
        f"(fingeraftryk for program og grundlag: {fingerprint})"
    )
    assert (
        f"(fingerprint {fingerprint})"
        in run_cli("verify", str(package / "157-gentofte.pdf")).output
    )


def test_a_basis_the_receiver_lacks_is_said_plainly(package: Path, tmp_path: Path) -> None:
    copy = _copy(package, tmp_path)
    letter = copy / "157-gentofte.pdf"
    document = _data(letter)
    document["run"]["basis"]["name"] = "2099K1"  # type: ignore[index]
    _with_data(letter, document)
    result = run_cli("verify", str(letter))
    assert result.exit_code == 2
    assert "was computed on population '2099K1', which this costshare" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_workbook_alone_says_what_it_needs(package: Path, tmp_path: Path) -> None:
    shutil.copy(package / "157-gentofte.xlsx", tmp_path)
    result = run_cli("verify", str(tmp_path / "157-gentofte.xlsx"))
    assert result.exit_code == 2, result.output
    assert "put the letter (157-gentofte.pdf) or the annex PDF beside it" in result.output
    assert "heading" not in result.output  # never advice to edit the file
    shutil.copy(package / "157-gentofte.pdf", tmp_path)
    assert run_cli("verify", str(tmp_path / "157-gentofte.xlsx")).exit_code == 0


def test_an_einvoice_alone_is_checked_through_the_letter_it_carries(
    package: Path, tmp_path: Path
) -> None:
    shutil.copy(package / "einvoices" / "157-gentofte-peppol.xml", tmp_path)
    result = run_cli("verify", str(tmp_path / "157-gentofte-peppol.xml"))
    assert result.exit_code == 0, result.output
    assert "OK: 20.415 kr., reference SAG-2024-05018-157" in result.output


def test_a_letter_from_a_users_template_carries_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "skabelon"
    folder.mkdir()
    shutil.copy(ROOT / "templates" / "letter.typ.j2", folder)
    (folder / "letter.typ.j2").write_text(
        '#set page(paper: "a5")\nKære {{ recipient.name }}: {{ amount }}\n'
    )
    programme = programme_file(tmp_path)
    out = tmp_path / "pakke"
    assert (
        run_cli("run", str(programme), "--out", str(out), "--templates", str(folder)).exit_code == 0
    )
    assert _data(out / "157-gentofte.pdf")["payer"]["amount"] == "20415"  # type: ignore[index]
    result = run_cli("verify", str(out / "157-gentofte.pdf"))
    assert result.exit_code == 0, result.output


def test_a_zip_that_would_leave_its_folder_is_refused(package: Path, tmp_path: Path) -> None:
    archive = tmp_path / "pakke.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(package / "manifest.json", "manifest.json")
        out.writestr("../outside.txt", "x")
    result = run_cli("verify", str(archive))
    assert result.exit_code == 2
    assert "'../outside.txt', a name that would land outside the folder" in result.output
    assert not (tmp_path / "outside.txt").exists()


def test_the_settlement_package_verifies(tmp_path: Path) -> None:
    for name in ("telehjerte-2025-foreloebig.toml", "telehjerte-2025-endelig.toml"):
        shutil.copy(EXAMPLES / name, tmp_path)
    charged, final = tmp_path / "opkraevet", tmp_path / "efterregulering"
    assert (
        run_cli(
            "run", str(tmp_path / "telehjerte-2025-foreloebig.toml"), "--out", str(charged)
        ).exit_code
        == 0
    )
    settle = run_cli(
        "settle",
        str(tmp_path / "telehjerte-2025-endelig.toml"),
        "--charged",
        str(charged),
        "--out",
        str(final),
    )
    assert settle.exit_code == 0, settle.output
    review = final / "gennemsyn-alle-breve.pdf"
    for given in (final, final / "157-gentofte.pdf", final / "efterregulering.xlsx", review):
        result = run_cli("verify", str(given))
        assert result.exit_code == 0, result.output
    letter = run_cli("verify", str(final / "157-gentofte.pdf")).output
    assert "Gentofte Kommune's settlement letter about TeleHjerte" in letter
    assert "OK: 773 kr., reference SAG-2024-05018-157-EFT" in letter
    assert "the review copy of every settlement letter" in run_cli("verify", str(review)).output

    # The review carries every payer's settlement, both runs, and is checked by them.
    document = _data(review)
    assert document["document"] == "settlement-review" and "charged_run" in document
    gentofte = next(p for p in document["payers"] if p["code"] == "157")  # type: ignore[attr-defined]
    assert (gentofte["charged"], gentofte["final"], gentofte["amount"]) == ("20614", "21387", "773")
    gentofte["charged"] = "20615"
    _with_data(review, document)
    result = run_cli("verify", str(review))
    assert result.exit_code == 1, result.output
    assert (
        "the charged amount of '157 Gentofte' in the PDF's data: expected 20.614 kr., "
        "found 20.615 kr."
    ) in result.output

    # A settlement package written before the review carried data: checked by its SHA-256.
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(review))
    writer.root_object.pop("/Names", None)
    with review.open("wb") as out:
        writer.write(out)
    manifest = final / "manifest.json"
    document = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in document["files"]:
        if entry["path"] == review.name:
            entry["sha256"] = hashlib.sha256(review.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    result = run_cli("verify", str(final))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "example",
    [
        "syddanmark-mixed-2025",  # a reference with a space: "Koordinator 2025-083"
        "os2-kontingent-illustrativ",  # long names wrap in the annex's name column
    ],
)
def test_a_fresh_package_of_an_example_verifies(example: str, tmp_path: Path) -> None:
    out = tmp_path / "pakke"
    assert run_cli("run", str(EXAMPLES / f"{example}.toml"), "--out", str(out)).exit_code == 0
    result = run_cli("verify", str(out))
    assert result.exit_code == 0, result.output


def test_a_letter_whose_key_part_names_a_file_is_checked_alone(tmp_path: Path) -> None:
    """Movia's first part is split by a file of service hours the letter carries: the
    letter alone verifies, and explains itself as the programme does."""
    programme = EXAMPLES / "movia-linje-illustrativ.toml"
    out = tmp_path / "pakke"
    assert run_cli("run", str(programme), "--out", str(out)).exit_code == 0
    alone = tmp_path / "alone"
    alone.mkdir()
    letter = shutil.copy(out / "259-koege.pdf", alone)
    result = run_cli("verify", str(letter))
    assert result.exit_code == 0, result.output
    assert (
        run_cli("explain", str(letter)).output == run_cli("explain", str(programme), "259").output
    )


def test_a_draft_says_it_is_a_draft(tmp_path: Path) -> None:
    """A what-if letter verified "OK: 21.387 kr." with the same fingerprint as the real
    letter's 20.415 kr., and nothing said it was a draft computed with another amount."""
    out = tmp_path / "udkast"
    programme = str(EXAMPLES / "telehjerte-2025.toml")
    assert run_cli("run", programme, "--out", str(out), "--amount", "1100000").exit_code == 0
    for given in (out / "157-gentofte.pdf", out):
        result = run_cli("verify", str(given))
        assert result.exit_code == 0, result.output
        assert "a draft (what-if: " in result.output and "--amount" in result.output
    decided = tmp_path / "besluttet"
    assert run_cli("run", programme, "--out", str(decided)).exit_code == 0
    assert "a draft (what-if" not in run_cli("verify", str(decided / "157-gentofte.pdf")).output
