"""Documents that can be sent as they are (issue #10): register, references, letters by key,
the annex and review PDFs, the stated basis and the dates. One test per "done when" line,
and the register's checks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import costshare.templates
import pypdf
import pytest
from annex_helpers import EXAMPLES, assert_golden, build_package, pdf_text, run_cli
from openpyxl import Workbook

from costshare.base.errors import InputError
from costshare.base.identifiers import cvr_check_ok, gln_ok
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import ANNEX_FILE, MANIFEST_FILE, REVIEW_FILE
from costshare.programme.payers import payers

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

TELEHJERTE = EXAMPLES / "telehjerte-2025.toml"
REGISTER = EXAMPLES / "telehjerte-2025-modtagere.csv"


def flat(path: Path) -> str:
    return " ".join(pdf_text(path).split())


def variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """The TeleHjerte example with text replaced, beside a copy of its register."""
    text = TELEHJERTE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    shutil.copy(REGISTER, tmp_path)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    return run_variant_with(tmp_path, name, replacements=replacements)


def run_variant_with(
    tmp_path: Path, name: str, *options: str, replacements: tuple[tuple[str, str], ...] = ()
) -> Path:
    """``costshare run`` of a TeleHjerte variant with command-line ``options``."""
    programme = variant(tmp_path, name, *replacements)
    out = tmp_path / f"{name}-out"
    result = run_cli("run", str(programme), "--out", str(out), *options)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package("telehjerte-2025", tmp_path_factory.mktemp("documents") / "out")


def test_every_letter_has_address_cvr_ean_att_and_its_own_reference(package: Path) -> None:
    manifest = json.loads((package / MANIFEST_FILE).read_text(encoding="utf-8"))
    letters = [entry for entry in manifest["files"] if entry["kind"] == "letter"]
    assert len(letters) == 30
    rows = {row["kommunekode"]: row for row in _register_rows()}
    result = compute(load_programme(TELEHJERTE))
    amounts = {p.code: p.amount_ore for p in payers(result)}
    references = set()
    for entry in letters:
        text = flat(package / entry["path"])
        row = rows[entry["code"]]
        for expected in (row["adresse"], f"{row['postnr']} {row['by']}", row["cvr"], row["ean"]):
            assert expected in text, (entry["path"], expected)
        assert f"Att.: {row['att']}" in text
        assert entry["reference"] == f"SAG-2024-05018-{entry['code']}"
        assert f"Reference: {entry['reference']}" in text
        assert f"»{entry['reference']}«" in text
        references.add(entry["reference"])
        # amounts unchanged by the register
        assert int(entry["amount"]) * 100 == amounts[entry["code"]]
    assert len(references) == 30


def test_official_names_and_cvr_from_the_packaged_register(package: Path) -> None:
    assert "Københavns Kommune" in flat(package / "101-koebenhavn.pdf")
    assert "Bornholms Regionskommune" in flat(package / "400-bornholm.pdf")
    result = compute(load_programme(EXAMPLES / "syddanmark-mixed-2025.toml"))  # no register
    odense = next(p for p in payers(result) if p.code == "461")
    assert (odense.official_name, odense.cvr, odense.ean) == ("Odense Kommune", "35209115", "")


def test_references_are_stable_across_reruns(tmp_path: Path) -> None:
    first = [p.reference for p in payers(compute(load_programme(TELEHJERTE)))]
    again = [p.reference for p in payers(compute(load_programme(TELEHJERTE)))]
    assert first == again
    numbered = variant(tmp_path, "n", ('"{case_number}-{code}"', '"TH25/{number}"'))
    assert [p.reference for p in payers(compute(load_programme(numbered)))][:2] == [
        "TH25/1",
        "TH25/2",
    ]
    fixed = variant(tmp_path, "f", ('"{case_number}-{code}"', '"TeleHjerte 2025"'))
    assert payers(compute(load_programme(fixed)))[0].reference == "TeleHjerte 2025-101"
    bad = variant(tmp_path, "b", ('"{case_number}-{code}"', '"{sag}-{code}"'))
    with pytest.raises(InputError, match=r"key 'payment.reference': unknown field \{sag\}"):
        load_programme(bad)


def test_no_letter_names_a_method_or_a_check(package: Path, tmp_path: Path) -> None:
    mixed = build_package("syddanmark-mixed-2025", tmp_path / "mixed")
    for folder in (package, mixed):
        for letter in folder.glob("*.pdf"):
            if letter.name in (ANNEX_FILE, REVIEW_FILE):
                continue
            text = flat(letter)
            for jargon in ("Hamilton", "kontrolleret", "Hare-Niemeyer", "største brøkdel"):
                assert jargon not in text, (letter.name, jargon)


def test_equal_key_letter_has_no_population_sentence(tmp_path: Path) -> None:
    out = run_variant(tmp_path, "equal", ('key = "population"', 'key = "equal"'))
    text = flat(out / "157-gentofte.pdf")
    assert "fordeles ligeligt mellem de 29 kommuner" in text
    assert "indbyggertal" not in text.casefold()
    assert "Befolkningstal" not in text


def test_mixed_key_letter_shows_both_parts(tmp_path: Path) -> None:
    out = build_package("syddanmark-mixed-2025", tmp_path / "mixed")
    text = flat(out / "461-odense.pdf")
    assert "40 % ligeligt og 60 % efter indbyggertal" in text
    assert "40 % (213.344 kr.) ligeligt: 9.697,45 kr. pr. kommune" in text
    assert re.search(
        r"60 % \(320\.016 kr\.\) efter indbyggertal: [\d.]+ af [\d.]+ indbyggere", text
    )
    assert "afrundet én gang til hele kroner" in text


def test_fixed_and_rest_letter_shows_the_fixed_amount(tmp_path: Path) -> None:
    out = run_variant(
        tmp_path, "fixed", ('key = "population"', 'key = "population"\nfixed = "10000"')
    )
    text = flat(out / "157-gentofte.pdf")
    assert "et fast beløb på 10.000 kr. Resten, 235.000 kr., fordeles" in text
    assert "fast beløb: 10.000 kr." in text
    assert "pr. modtager" not in text


def test_region_letter_explains_its_own_part_only(package: Path) -> None:
    text = flat(package / "084-region-hovedstaden.pdf")
    assert "Region Hovedstadens andel er 50 % af den samlede udgift på 1.050.000 kr." in text
    assert "indbyggertal" not in text
    assert "afrundet" not in text
    assert "CVR-nr. 29190623" in text


def test_letter_signatory_and_attachments(package: Path) -> None:
    text = flat(package / "157-gentofte.pdf")
    assert "Med venlig hilsen Marie Holm Sekretariatschef KKR Hovedstaden" in text
    assert "Bilag: 1. Beregning for Gentofte Kommune (regneark 157-gentofte.xlsx)" in text
    assert f"2. Finansiering pr. kommune ({ANNEX_FILE})" in text


def test_annex_lists_every_municipality_and_the_total(package: Path) -> None:
    text = flat(package / ANNEX_FILE)
    result = compute(load_programme(TELEHJERTE))
    for payer in payers(result):
        if payer.municipal:
            assert payer.official_name in text
    assert len(re.findall(r"Kommune|Regionskommune", text)) >= 29
    assert "525.000 kr." in text and "1.050.000 kr." in text
    assert "Region Hovedstaden" in text
    manifest = json.loads((package / MANIFEST_FILE).read_text(encoding="utf-8"))
    kinds = {entry["path"]: entry["kind"] for entry in manifest["files"]}
    assert kinds[ANNEX_FILE] == "annex"
    assert kinds[REVIEW_FILE] == "review"
    # 2025K1 has no exact timestamp: the rule's date, marked as such
    assert manifest["population"]["published"] == "2025-02-15T08:00:00+01:00"
    assert manifest["population"]["published_exact"] is False


def test_annex_in_alphabetical_order(tmp_path: Path) -> None:
    out = run_variant(
        tmp_path, "abc", ('key = "population"', 'key = "population"\n\n[annex]\norder = "name"')
    )
    text = flat(out / ANNEX_FILE)
    names = ["Albertslund", "Allerød", "Ballerup", "Bornholms", "Brøndby", "Dragør"]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert text.index("Høje-Taastrup") < text.index("Hørsholm") < text.index("Ishøj")
    assert "ordnet alfabetisk efter navn" in text


def test_review_pdf_has_every_letter(package: Path) -> None:
    text = pdf_text(package / REVIEW_FILE)
    assert text.count("Med venlig hilsen") == 30
    assert "Gennemsyn af 30 breve" in text


def review_pages(package: Path, programme: Path) -> tuple[list[Any], list[Any]]:
    """The review's pages after its cover, and every letter's pages in the review's order
    (the payers'), as pypdf reads them."""
    everyone = payers(compute(load_programme(programme)))
    review = pypdf.PdfReader(package / REVIEW_FILE).pages
    sent = [page for p in everyone for page in pypdf.PdfReader(package / f"{p.stem}.pdf").pages]
    return list(review[1:]), sent


def test_review_shows_every_letter_page_for_page(tmp_path: Path) -> None:
    """After the cover, the review is the letters as they are sent: page for page, the same
    text at the same size, also for letters of more than one page (a user's template)."""
    templates = tmp_path / "skabelon"
    templates.mkdir()
    shipped = (Path(costshare.templates.__file__).parent / "letter.typ.j2").read_text("utf-8")
    marker = "Med venlig hilsen"
    assert marker in shipped
    two_pages = shipped.replace(marker, "#pagebreak()\n" + marker, 1)
    (templates / "letter.typ.j2").write_text(two_pages, encoding="utf-8")
    out = run_variant_with(tmp_path, "two-pages", "--templates", str(templates))
    review, sent = review_pages(out, tmp_path / "two-pages.toml")
    assert len(sent) == 60
    assert len(review) == len(sent)
    for shown, letter in zip(review, sent, strict=True):
        assert shown.mediabox == letter.mediabox
        assert " ".join(shown.extract_text().split()) == " ".join(letter.extract_text().split())


def test_programme_without_population_basis_is_refused(tmp_path: Path) -> None:
    programme = variant(tmp_path, "nobasis", ('population = "2025K1"\n', ""))
    result = run_cli("run", str(programme), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {programme}: key 'municipalities.population' is missing; state the population "
        'basis under [municipalities], e.g. population = "2025K1" (a packaged quarter) or a '
        "CSV/Excel file\n"
    )
    assert not (tmp_path / "o").exists()


def test_basis_published_after_the_letter_date_warns(tmp_path: Path) -> None:
    programme = variant(
        tmp_path,
        "early",
        ("letter_date = 2025-02-17", "letter_date = 2025-01-20"),
        ("date = 2025-02-03", "date = 2025-01-10"),
    )
    result = run_cli("run", str(programme), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert warnings == [
        "Warning: population 2025K1 was published by Statistics Denmark around mid-February "
        "2025 (its release rule), after the letter date 2025-01-20; the letters quote figures "
        "that were not yet public on their date",
        "Warning: population 2025K1 was published by Statistics Denmark around mid-February "
        "2025 (its release rule), after the decision date 2025-01-10; the meeting could not "
        "have seen these figures (informational)",
    ]


def test_dates_that_make_no_sense_are_refused(tmp_path: Path) -> None:
    early_letter = variant(tmp_path, "l", ("letter_date = 2025-02-17", "letter_date = 2025-02-01"))
    with pytest.raises(InputError, match=r"key 'letter_date': 2025-02-01 is before the decision"):
        load_programme(early_letter)
    early_due = variant(tmp_path, "d", ("due = 2025-04-01", "due = 2025-02-10"))
    with pytest.raises(InputError, match=r"key 'payment.due': 2025-02-10 is before the letter"):
        load_programme(early_due)


def test_check_digits() -> None:
    assert cvr_check_ok("29190623") and not cvr_check_ok("29190624")
    assert not cvr_check_ok("2919062")
    assert gln_ok("5798000157019") and not gln_ok("5798000157018")


REGISTER_ERRORS = [
    ("cvr", "12345678", "CVR '12345678' fails the CVR check digit; check the number"),
    ("cvr", "1234", "CVR '1234' is not 8 digits; write the CVR number, e.g. 19438414"),
    ("ean", "5798000157018", "EAN '5798000157018' has a wrong check digit (GS1); check the number"),
    ("ean", "57980001", "EAN '57980001' is not 13 digits; write the EAN (GLN) number"),
    (
        "kommunekode",
        "461",
        "'461' is not a payer of this programme; correct the code or delete the row",
    ),
]


@pytest.mark.parametrize(("column", "value", "problem"), REGISTER_ERRORS)
def test_register_errors_name_the_cell(
    tmp_path: Path, column: str, value: str, problem: str
) -> None:
    programme = variant(tmp_path, "reg")
    rows = _register_rows()
    rows[5][column] = value  # Gentofte, row 7 of the file
    _write_register(tmp_path / REGISTER.name, rows)
    with pytest.raises(InputError) as error:
        compute(load_programme(programme))
    assert str(error.value) == f"{tmp_path / REGISTER.name}:7:{column}: {problem}"


def test_register_unknown_header_is_refused(tmp_path: Path) -> None:
    programme = variant(tmp_path, "reg")
    (tmp_path / REGISTER.name).write_text(
        "kommunekode,adrese\n157,Bernstorffsvej 161\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r":1:adrese: unknown column 'adrese'"):
        compute(load_programme(programme))


def test_register_in_excel_with_english_headers_and_missing_rows(tmp_path: Path) -> None:
    programme = variant(tmp_path, "xl", ('"telehjerte-2025-modtagere.csv"', '"payers.xlsx"'))
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "address", "postcode", "city", "ean", "attention", "order_reference"])
    sheet.append(
        ["0157", "Bernstorffsvej 161", 2920, "Charlottenlund", 5798000157019, "Løn", "PO-1"]
    )
    book.save(tmp_path / "payers.xlsx")
    everyone = {p.code: p for p in payers(compute(load_programme(programme)))}
    gentofte = everyone["157"]
    assert (gentofte.postcode, gentofte.ean, gentofte.attention) == ("2920", "5798000157019", "Løn")
    assert gentofte.order_reference == "PO-1"
    assert gentofte.cvr == "19438414"  # from the packaged register
    assert (everyone["101"].address, everyone["101"].ean) == ("", "")  # no row: allowed


def _register_rows() -> list[dict[str, str]]:
    import csv

    with REGISTER.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_register(path: Path, rows: list[dict[str, str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# Golden texts of the letter kinds the examples do not cover, and of the annex.
KIND_VARIANTS = {
    "equal": (('key = "population"', 'key = "equal"'),),
    "fixed": (('key = "population"', 'key = "population"\nfixed = "10000"'),),
}


@pytest.mark.parametrize("kind", list(KIND_VARIANTS))
def test_letter_kind_golden(kind: str, tmp_path: Path, update_golden: bool) -> None:
    out = run_variant(tmp_path, kind, *KIND_VARIANTS[kind])
    assert_golden(
        f"letters/kinds/{kind}-157-gentofte.txt", pdf_text(out / "157-gentofte.pdf"), update_golden
    )


def test_what_if_letter_and_annex_golden(tmp_path: Path, update_golden: bool) -> None:
    out = build_package(
        "telehjerte-2025", tmp_path / "o", "--amount", "1100000", "--population", "2024K1"
    )
    assert_golden(
        "letters/kinds/what-if-157-gentofte.txt", pdf_text(out / "157-gentofte.pdf"), update_golden
    )
    assert_golden("letters/kinds/what-if-annex.txt", pdf_text(out / ANNEX_FILE), update_golden)


def test_annex_golden(package: Path, update_golden: bool) -> None:
    assert_golden(
        "letters/telehjerte-2025-annex.txt", pdf_text(package / ANNEX_FILE), update_golden
    )
