"""Every document a payer receives names the same payment (issue #20, items 5–7).

A run with ``[invoicing]`` is read back from the bytes it wrote: the letter (its PDF text,
via pypdf), the payer's workbook (its cells, via openpyxl), both e-invoices (via lxml)
and the manifest. The expected values come from the programme file and the payer register
as written here, not from costshare: account 1234/1234567890, due 1 April 2025, the
reference ``SAG-2024-05018-<code>``, each payer's EAN from the register.

Frederiksberg (147) has no EAN in the register here, so it gets no e-invoice: its letter
is the payment request. Every other letter says the amount is paid once, through the
e-invoice it names, and does not ask for a payment of its own.
"""

from __future__ import annotations

import base64
import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from annex_helpers import assert_golden, pdf_text, run_cli
from einvoice_helpers import NS, programme_file, settlement_programmes
from lxml import etree
from openpyxl import load_workbook

CASE = "SAG-2024-05018"
ACCOUNT_WORDS = "Reg.nr. 1234, kontonr. 1234567890"
DUE_WORDS, DUE_ISO = "1. april 2025", "2025-04-01"
SELLER_CVR = "12345674"
NO_EAN = "147"
REGISTER = "telehjerte-2025-modtagere.csv"
SECOND_REQUEST = "Beløbet bedes indbetalt"


def compact(text: str) -> str:
    """Text without any white space: PDF extraction breaks lines (and may split a word)."""
    return "".join(text.split())


def kroner(ore: int) -> str:
    """``2041500`` → ``20.415 kr.`` as the letters print whole kroner."""
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100:,} kr.".replace(",", ".")


@dataclass(frozen=True)
class Package:
    out: Path
    manifest: dict[str, Any]
    eans: dict[str, str]

    def entries(self, kind: str) -> dict[str, dict[str, Any]]:
        """The manifest's entries of ``kind`` by payer code (one format for e-invoices)."""
        found: dict[str, dict[str, Any]] = {}
        for entry in self.manifest["files"]:
            if entry["kind"] == kind and entry.get("format") in (None, "peppol"):
                found[entry["code"]] = entry
        return found

    def letter(self, code: str) -> str:
        return compact(pdf_text(self.out / self.entries("letter")[code]["path"]))


def register_eans(folder: Path) -> dict[str, str]:
    with (folder / REGISTER).open(encoding="utf-8") as rows:
        return {row["kommunekode"]: row["ean"] for row in csv.DictReader(rows) if row["ean"]}


def without_ean(folder: Path, code: str) -> None:
    """Blank one payer's EAN in the register beside the programme."""
    path = folder / REGISTER
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["kommunekode"] == code:
            row["ean"] = ""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def run_package(folder: Path, *options: str) -> Package:
    programme = programme_file(folder)
    without_ean(folder, NO_EAN)
    out = folder / "out"
    result = run_cli("run", str(programme), "--out", str(out), *options)
    assert result.exit_code == 0, result.output + result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return Package(out, manifest, register_eans(folder))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    return run_package(tmp_path_factory.mktemp("run"))


def workbook_rows(path: Path) -> dict[str, Any]:
    """The payer workbook's label → value rows, as a reader sees them."""
    sheet = load_workbook(path)["Beløb"]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}


def xml_of(package: Package, code: str, name: str) -> etree._Element:
    entry = next(
        e
        for e in package.manifest["files"]
        if e["kind"] == "einvoice" and e["code"] == code and e["format"] == name
    )
    return etree.fromstring((package.out / entry["path"]).read_bytes())


def value(root: etree._Element, path: str) -> str:
    return str(root.xpath(f"string({path})", namespaces=NS))


def ore_of(decimal: str) -> int:
    kroner_part, _, ore = decimal.partition(".")
    return int(kroner_part) * 100 + int(ore or 0)


# --- item 6: one payment instruction, on every document ------------------------------------
def test_every_document_names_the_same_amount_reference_account_and_due_date(
    package: Package,
) -> None:
    letters, workbooks = package.entries("letter"), package.entries("workbook")
    einvoices = package.entries("einvoice")
    assert len(letters) == 30 and set(letters) == set(workbooks)
    assert set(einvoices) == set(letters) - {NO_EAN}
    for code, letter_entry in letters.items():
        reference = f"{CASE}-{code}"
        amount_ore = int(letter_entry["amount"]) * 100
        # The manifest: every entry of the payer, the same amount and reference.
        assert workbooks[code]["amount"] == letter_entry["amount"]
        assert letter_entry["reference"] == workbooks[code]["reference"] == reference
        # The letter.
        letter = package.letter(code)
        for words in (kroner(amount_ore), reference, ACCOUNT_WORDS, DUE_WORDS):
            assert compact(words) in letter, (code, words)
        # The workbook.
        rows = workbook_rows(package.out / workbooks[code]["path"])
        assert int(rows["Beløb (kr.)"]) * 100 == amount_ore
        assert rows["Reference"] == reference
        assert rows["Konto"] == ACCOUNT_WORDS
        assert rows["Betales senest"] == DUE_WORDS
        if code == NO_EAN:
            continue
        # Both e-invoices.
        assert einvoices[code]["amount"] == letter_entry["amount"]
        for name in ("oioubl", "peppol"):
            root = xml_of(package, code, name)
            means = "/*/cac:PaymentMeans"
            assert ore_of(value(root, "/*/cac:LegalMonetaryTotal/cbc:PayableAmount")) == amount_ore
            assert value(root, f"{means}/cac:PayeeFinancialAccount/cbc:ID") == "1234567890"
            branch = f"{means}/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"
            assert value(root, branch) == "1234"
            assert value(root, "/*/cbc:AccountingCost") == reference
            if name == "oioubl":
                assert value(root, f"{means}/cbc:PaymentDueDate") == DUE_ISO
                note = f"{means}/cac:PayeeFinancialAccount/cbc:PaymentNote"
                assert value(root, note) == reference
            else:
                assert value(root, "/*/cbc:DueDate") == DUE_ISO
                assert value(root, f"{means}/cbc:PaymentID") == reference


# --- item 7: letters say how they are paid ------------------------------------------------
def test_a_letter_with_an_einvoice_names_it_and_asks_for_no_second_payment(
    package: Package,
) -> None:
    for code in package.entries("einvoice"):
        letter = package.letter(code)
        number = value(xml_of(package, code, "peppol"), "/*/cbc:ID")
        assert number == f"{CASE}-{code}"
        assert compact(f"e-faktura nr. {number}") in letter, code
        assert compact(f"EAN-nr. {package.eans[code]}") in letter, code
        assert compact("Betal kun én gang") in letter
        assert compact(SECOND_REQUEST) not in letter, code


def test_the_workbook_says_how_to_pay_as_the_letter_does(
    package: Package, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One truth (issue #19): the workbook of a payer with an e-invoice said "Beløbet
    indbetales til KL ved bankoverførsel", the programme's words, while its letter said the
    amount comes by the e-invoice and is paid once, through it."""
    for code in package.entries("einvoice"):
        how = workbook_rows(package.out / package.entries("workbook")[code]["path"])["Betaling"]
        number = value(xml_of(package, code, "peppol"), "/*/cbc:ID")
        assert how == (
            f"Beløbet opkræves med e-faktura nr. {number}, som sendes til EAN-nr. "
            f"{package.eans[code]}. Betal kun én gang, via e-fakturaen."
        )
        letter = package.letter(code)
        for sentence in how.split(". "):
            assert compact(sentence.rstrip(".")) in letter, (code, sentence)
    entry = package.entries("workbook")[NO_EAN]
    assert workbook_rows(package.out / entry["path"])["Betaling"] != how  # the programme's
    plain = run_package(tmp_path_factory.mktemp("plain-how"), "--no-einvoices")
    for code, entry in plain.entries("workbook").items():
        assert "e-faktura" not in workbook_rows(plain.out / entry["path"])["Betaling"], code


def test_a_payer_without_an_einvoice_gets_the_payment_request(package: Package) -> None:
    letter = package.letter(NO_EAN)
    assert compact(f"{SECOND_REQUEST} senest {DUE_WORDS}") in letter
    assert compact("e-faktura") not in letter


def test_letters_show_the_senders_cvr(package: Package) -> None:
    for code in package.entries("letter"):
        assert compact(f"CVR-nr. {SELLER_CVR}") in package.letter(code)


def test_without_einvoices_every_letter_asks_for_the_payment(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    plain = run_package(tmp_path_factory.mktemp("plain"), "--no-einvoices")
    assert not plain.entries("einvoice")
    for code in plain.entries("letter"):
        letter = plain.letter(code)
        assert compact(f"{SECOND_REQUEST} senest {DUE_WORDS}") in letter
        assert compact(ACCOUNT_WORDS) in letter
        assert compact("e-faktura") not in letter


def test_a_template_that_leaves_out_the_einvoice_is_warned_about(tmp_path: Path) -> None:
    """A user's template written before letters named their e-invoice asks for a second
    payment; the run says so (and which payers)."""
    templates = tmp_path / "skabelon"
    templates.mkdir()
    (templates / "letter.typ.j2").write_text(
        "{{ recipient.name }}: {{ amount }}. Beløbet bedes indbetalt senest {{ payment.due }}.\n",
        encoding="utf-8",
    )
    programme = programme_file(tmp_path)
    out = tmp_path / "out"
    result = run_cli("run", str(programme), "--out", str(out), "--templates", str(templates))
    assert result.exit_code == 0, result.output + result.stderr
    assert "the letter template does not name the e-invoice in 30 letter(s)" in result.stderr
    assert "(payers 101, 147, " in result.stderr
    shipped = run_cli("run", str(programme), "--out", str(tmp_path / "shipped"))
    assert "does not name the e-invoice" not in shipped.stderr


def test_letter_goldens(package: Package, update_golden: bool) -> None:
    for code, stem in (("157", "157-gentofte"), (NO_EAN, "147-frederiksberg")):
        text = pdf_text(package.out / package.entries("letter")[code]["path"])
        assert_golden(f"letters/einvoiced/{stem}.txt", text, update_golden)


# --- item 5: the e-invoice carries the letter ---------------------------------------------
def attachments(root: etree._Element) -> dict[str, tuple[str, bytes]]:
    """Each embedded file by file name: its media type and bytes."""
    found = {}
    for element in root.xpath(
        "/*/cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        namespaces=NS,
    ):
        found[element.get("filename")] = (element.get("mimeCode"), base64.b64decode(element.text))
    return found


def test_each_einvoice_carries_its_letter_and_the_annex(package: Package) -> None:
    annex = "bilag-finansiering-pr-kommune.pdf"
    for code, letter_entry in package.entries("letter").items():
        if code == NO_EAN:
            continue
        letter = letter_entry["path"]
        for name in ("oioubl", "peppol"):
            carried = attachments(xml_of(package, code, name))
            assert carried == {
                letter: ("application/pdf", (package.out / letter).read_bytes()),
                annex: ("application/pdf", (package.out / annex).read_bytes()),
            }


# --- settlement letters -------------------------------------------------------------------
@pytest.mark.slow
def test_settlement_letters_name_the_document_that_carries_the_difference(
    tmp_path: Path, update_golden: bool
) -> None:
    """Settled at an unchanged total on new figures: extra charges and credits."""
    charged, final = settlement_programmes(tmp_path, final_amount="1050000")
    assert run_cli("run", str(charged), "--out", str(tmp_path / "c")).exit_code == 0
    out = tmp_path / "s"
    result = run_cli("settle", str(final), "--charged", str(tmp_path / "c"), "--out", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    eans = register_eans(tmp_path)
    kinds = {"extra": 0, "credit": 0}
    for entry in manifest["files"]:
        if entry["kind"] != "settlement-letter" or entry["amount"] == "0":
            continue
        code, number = entry["code"], f"{CASE}-{entry['code']}-EFT"
        letter = compact(pdf_text(out / entry["path"]))
        credit = entry["amount"].startswith("-")
        kinds["credit" if credit else "extra"] += 1
        document = "elektronisk kreditnota" if credit else "e-faktura"
        assert compact(f"{document} nr. {number}") in letter, code
        assert compact(f"EAN-nr. {eans[code]}") in letter, code
        assert compact("udbetales eller modregnes") not in letter, code
        assert compact("bedes betalt") not in letter, code
        assert compact(f"CVR-nr. {SELLER_CVR}") in letter
        peppol = out / "einvoices" / f"{Path(entry['path']).stem}-peppol.xml"
        root = etree.fromstring(peppol.read_bytes())
        assert value(root, "/*/cbc:ID") == number
        assert value(root, "/*/cbc:AccountingCost") == entry["reference"] == number
        if not credit:
            assert value(root, "/*/cac:PaymentMeans/cbc:PaymentID") == entry["reference"]
        workbook = Path(entry["path"]).with_suffix(".xlsx").name
        # The workbook says what the letter says: by which document, under the letter's heading.
        sheet = load_workbook(out / workbook).worksheets[0]
        rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
        heading = "Tilbagebetaling" if credit else "Betaling"
        assert compact(f"{document} nr. {number}") in compact(rows[heading]), (code, rows)
        assert ("Der skal ikke betales noget." in rows[heading]) == credit
        assert set(attachments(root)) == {entry["path"], workbook}
        assert attachments(root)[entry["path"]][1] == (out / entry["path"]).read_bytes()
        assert attachments(root)[workbook][1] == (out / workbook).read_bytes()
    assert kinds["extra"] and kinds["credit"]
    for stem in ("101-koebenhavn", "157-gentofte"):  # an extra charge and a credit
        text = pdf_text(out / f"{stem}.pdf")
        assert_golden(f"settlement/einvoiced/{stem}.txt", text, update_golden)
