"""Programmes over several years, indexing and the settlement run (issue #14)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pypdf
import pytest
from annex_helpers import (
    EXAMPLES,
    assert_golden,
    build_package,
    evaluate,
    formulas,
    pdf_text,
    run_cli,
    with_greve,
)
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from costshare.base.errors import InputError
from costshare.base.money import parse_amount
from costshare.documents.xlsx.cells import amount_text
from costshare.documents.xlsx.method_sheet import AMOUNTS_AS_TEXT_NOTE
from costshare.documents.xlsx.settlement_overview import build_settlement_overview
from costshare.documents.xlsx.workbooks import workbook_bytes
from costshare.documents.xlsx.years_overview import build_years_overview, year_table
from costshare.programme.indexing import (
    index_amount,
    inline_table,
    read_index_csv,
    round_half_up,
)
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import (
    REVIEW_FILE,
    SETTLEMENT_OVERVIEW_FILE,
    YEARS_OVERVIEW_FILE,
)
from costshare.programme.payers import payers
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import ChargedPackage, settle
from costshare.programme.years import load_plan

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

THREE_YEARS = EXAMPLES / "telehjerte-2025-2027.toml"
PRELIMINARY = EXAMPLES / "telehjerte-2025-foreloebig.toml"
FINAL = EXAMPLES / "telehjerte-2025-endelig.toml"


# --- indexing -------------------------------------------------------------------------
figures = st.decimals(min_value="0.1", max_value="999.9", places=1).map(str)


@given(base=st.integers(0, 10**12), figure=figures, unit=st.sampled_from([1, 100, 10_000]))
def test_indexing_by_equal_figures_changes_nothing(base: int, figure: str, unit: int) -> None:
    base -= base % unit  # an amount is a whole number of units
    table = inline_table({"2024": figure, "2025": figure}, "p.toml")
    assert index_amount(base, table, 2024, 2025, unit).result_ore == base
    hundred = inline_table({"2024": "100,0", "2025": "100"}, "p.toml")
    assert index_amount(base, hundred, 2024, 2025, unit).result_ore == base


@given(base=st.integers(0, 10**12), low=figures, high=figures, unit=st.sampled_from([1, 100]))
def test_indexing_rounds_once_half_up_to_the_unit(
    base: int, low: str, high: str, unit: int
) -> None:
    table = inline_table({"2024": low, "2027": high}, "p.toml")
    moved = index_amount(base, table, 2024, 2027, unit)
    exact = Fraction(base) * table.figures[2027] / table.figures[2024]
    assert moved.exact_ore == exact
    assert moved.result_ore % unit == 0
    assert -Fraction(unit, 2) < moved.result_ore - exact <= Fraction(unit, 2)


def test_round_half_up_rule() -> None:
    assert [round_half_up(Fraction(n, 2)) for n in (-3, -1, 1, 3, 5)] == [-2, -1, 1, 2, 3]
    table = inline_table({"2024": "100,0", "2025": "103,1"}, "p.toml")
    # 1.000.000,50 kr. would need an øre; in whole kroner 1.031.000,515 → 1.031.001 kr.
    assert index_amount(100_000_050, table, 2024, 2025, 100).result_ore == 103_100_100


def test_index_csv_records_source_version_and_checksum(tmp_path: Path) -> None:
    path = tmp_path / "pl.csv"
    path.write_text("år;indeks\n2024;100,0\n2025;102,9\n", encoding="utf-8")
    table = read_index_csv(path, "KL PL-skøn", "juni 2025")
    assert table.figures == {2024: Fraction(100), 2025: Fraction(1029, 10)}
    assert table.describe() == "KL PL-skøn, version juni 2025, fil pl.csv"
    assert len(table.sha256) == 64
    path.write_text("år;indeks\n2024;100,0\n2025;abc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pl\.csv:3:indeks: index 'abc' is not a number"):
        read_index_csv(path)


def test_index_table_without_the_year_is_named(tmp_path: Path) -> None:
    text = THREE_YEARS.read_text(encoding="utf-8").replace(', 2027 = "108,6"', "")
    broken = tmp_path / "p.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_plan(broken)
    assert str(error.value) == (
        f"{broken}: key 'years[3].year': the index table has no figure for 2027 "
        "(it has 2024, 2025, 2026); add the year to the index table"
    )


# --- years -------------------------------------------------------------------------------
def test_three_year_plan_indexes_each_year() -> None:
    plan = load_plan(THREE_YEARS)
    assert [(y.year, y.programme.amount_ore) for y in plan.years] == [
        (2025, 108_045_000),
        (2026, 110_985_000),
        (2027, 114_030_000),
    ]
    assert plan.year(2026).programme.reference == "TeleHjerte 2026-{code}"
    assert plan.year(2025).programme.reference == "TeleHjerte 2025-{code}"


def test_multi_year_programme_asks_for_the_year() -> None:
    with pytest.raises(InputError, match=r"several years \(2025, 2026, 2027\); give the year"):
        load_programme(THREE_YEARS)
    result = run_cli("explain", str(THREE_YEARS), "Gentofte")
    assert result.exit_code == 1 and "--year 2025" in result.output
    result = run_cli("explain", str(THREE_YEARS), "Gentofte", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert "21.405 kr." in result.output


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package("telehjerte-2025-2027", tmp_path_factory.mktemp("years") / "out")


def test_three_years_write_three_verifiable_packages(three_years: Path) -> None:
    for year in (2025, 2026, 2027):
        annex = three_years / str(year) / "finansiering-pr-kommune.xlsx"
        result = run_cli("verify", str(THREE_YEARS), "--year", str(year), str(annex))
        assert result.exit_code == 0, result.output
        assert result.output.startswith("OK:")
    manifest = json.loads((three_years / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["total"] for entry in manifest["years"]] == ["1080450", "1109850", "1140300"]
    assert manifest["years"][1]["indexing"]["year_index"] == "105,7"
    letter = pdf_text(three_years / "2026" / "157-gentofte.pdf")
    assert "1.050.000 kr. i 2024-priser × 105,7 / 100,0 = 1.109.850 kr." in " ".join(letter.split())


def test_cross_year_overview_foots_both_ways(three_years: Path) -> None:
    sheet = load_workbook(three_years / YEARS_OVERVIEW_FILE)["Alle år"]
    plan = load_plan(THREE_YEARS)
    results = [(y.year, compute(y.programme)) for y in plan.years]
    rows, amounts = year_table(results)
    first, last = 6, 5 + len(rows)
    total = last + 1
    for column, (_year, result) in zip("CDE", results, strict=True):
        assert evaluate(sheet, f"{column}{total}") * 100 == sum(result.party_parts_ore.values())
    for row, (code, _name) in enumerate(rows, start=first):
        expected = sum(amounts.get((code, year), 0) for year, _ in results)
        assert evaluate(sheet, f"F{row}") * 100 == expected
    grand = sum(sum(r.party_parts_ore.values()) for _, r in results)
    assert evaluate(sheet, f"F{total}") * 100 == grand == evaluate(sheet, f"F{total + 1}") * 100


def test_cross_year_overview_previewers_read_the_totals(three_years: Path) -> None:
    """``data_only=True`` (a previewer that does not calculate) reads the exact sums."""
    sheet = load_workbook(three_years / YEARS_OVERVIEW_FILE, data_only=True)["Alle år"]
    plan = load_plan(THREE_YEARS)
    results = [(y.year, compute(y.programme)) for y in plan.years]
    rows, amounts = year_table(results)
    first, last = 6, 5 + len(rows)
    total = last + 1
    for column, (_year, result) in zip("CDE", results, strict=True):
        assert _ore(sheet[f"{column}{total}"].value) == sum(result.party_parts_ore.values())
    for row, (code, _name) in enumerate(rows, start=first):
        expected = sum(amounts.get((code, year), 0) for year, _ in results)
        assert _ore(sheet[f"F{row}"].value) == expected
    grand = sum(sum(r.party_parts_ore.values()) for _, r in results)
    assert _ore(sheet[f"F{total}"].value) == grand == _ore(sheet[f"F{total + 1}"].value)
    assert sheet[f"B{total + 1}"].value == "Kontrol: sum af årenes i alt"
    index = load_workbook(three_years / YEARS_OVERVIEW_FILE)["Prisindeks"]
    assert [cell.value for cell in index[6]] == [2026, 1050000, 2024, "100,0", "105,7", 1109850]


def test_overviews_cache_what_every_formula_computes(
    three_years: Path, settled: tuple[Path, Path, Path]
) -> None:
    """Each formula's saved value is what the formula computes from the cells, exactly."""
    checked = 0
    for path in (three_years / YEARS_OVERVIEW_FILE, settled[0] / SETTLEMENT_OVERVIEW_FILE):
        cached = load_workbook(path, data_only=True)
        for sheet in load_workbook(path).worksheets:
            for coordinate in formulas(sheet):
                value = cached[sheet.title][coordinate].value
                assert isinstance(value, int), f"{path.name}!{coordinate}: {value!r}"
                assert value == evaluate(sheet, coordinate), f"{path.name}!{coordinate}"
                checked += 1
    assert checked == (30 + 4 + 1) + (3 + 1)  # 30 row totals, 3 years + grand, check; ditto


def test_cross_year_overview_prints_one_page_wide_with_the_case(three_years: Path) -> None:
    archive = _xml(three_years / YEARS_OVERVIEW_FILE)
    for sheet in ("sheet1", "sheet2"):
        xml = archive[f"xl/worksheets/{sheet}.xml"]
        assert '<pageSetUpPr fitToPage="1"/>' in xml and 'fitToHeight="0"' in xml
        assert 'paperSize="9"' in xml
        assert "&amp;LSAG-2024-05018&amp;RSide &amp;P af &amp;N" in xml
    names = archive["xl/workbook.xml"]
    assert "'Alle år'!$5:$5" in names and "Prisindeks!$4:$4" in names


def test_overview_bytes_are_reproducible() -> None:
    import time

    plan = load_plan(THREE_YEARS)
    results = [(y.year, compute(y.programme)) for y in plan.years]
    written = []
    for _attempt in range(2):
        written.append(workbook_bytes(build_years_overview(plan, results), STAMP))
        time.sleep(2.1)  # zip times have a two-second resolution
    assert written[0] == written[1]


def test_overview_with_amounts_beyond_15_digits_writes_exact_text() -> None:
    """The amount-as-text rule: every digit as text, values instead of formulas, a note."""
    plan = load_plan(THREE_YEARS)
    results = [  # about 10^20 kr. a year: 21 digits
        (y.year, compute(y.programme, amount_override_ore=10**22 + 100 * y.year))
        for y in plan.years
    ]
    rows, amounts = year_table(results)
    book = build_years_overview(plan, results)
    assert not book.live_formulas and book.amounts_as_text
    workbook = load_workbook(io.BytesIO(workbook_bytes(book, STAMP)))
    sheet = workbook["Alle år"]
    assert not formulas(sheet)
    total = 6 + len(rows)
    grand = sum(amounts.values())
    assert sheet[f"F{total}"].value == amount_text(grand // 100) == sheet[f"F{total + 1}"].value
    for column, (_year, result) in zip("CDE", results, strict=True):
        assert sheet[f"{column}{total}"].value == amount_text(result.total_ore // 100)
    assert AMOUNTS_AS_TEXT_NOTE in [cell.value for cell in sheet["A"]]


def test_run_one_year_writes_one_package(tmp_path: Path) -> None:
    out = build_package("telehjerte-2025-2027", tmp_path / "y", "--year", "2027")
    assert (out / "finansiering-pr-kommune.xlsx").is_file()
    assert json.loads((out / "manifest.json").read_text())["totals"]["total"] == "1140300"


def test_index_what_if_says_so_on_every_document(tmp_path: Path) -> None:
    index = tmp_path / "pl-juni.csv"
    index.write_text("year,index\n2024,100\n2025,104\n2026,108\n2027,112\n", encoding="utf-8")
    out = build_package("telehjerte-2025-2027", tmp_path / "w", "--index", str(index))
    note = "prisindeks fra pl-juni.csv (--index)"
    assert note in json.loads((out / "manifest.json").read_text())["what_if"]
    year = json.loads((out / "2025" / "manifest.json").read_text())
    assert year["what_if"] == [note] and year["totals"]["total"] == "1092000"
    for letter in (out / "2026").glob("*.pdf"):
        assert "(--index)" in "".join(pdf_text(letter).split())  # a line may break inside
    method = load_workbook(out / "2027" / "101-koebenhavn.xlsx")["Metode"]
    assert note in [cell.value for cell in method["B"]]
    # A draft (issue #22): the manifests and the years overview say so too.
    assert json.loads((out / "manifest.json").read_text())["draft"] is True
    assert year["draft"] is True
    overview = load_workbook(out / YEARS_OVERVIEW_FILE).worksheets[0]
    assert overview["A1"].value == "Udkast: Finansiering pr. år"
    assert "UDKAST" in str(overview.oddHeader.right.text)


# --- settlement ----------------------------------------------------------------------------
telehjerte = load_programme(EXAMPLES / "telehjerte-2025.toml")
quarters = st.sampled_from(["2021K1", "2022K1", "2024K1", "2025K1", "2026K1"])
amounts = st.integers(0, 10**9).map(lambda kroner: kroner * 100)


@given(
    charged_q=quarters,
    final_q=quarters,
    charged_amount=amounts,
    final_amount=amounts,
    dropped=st.sets(st.sampled_from(["101", "157", "400", "084"])),
    stranger=st.booleans(),
)
def test_settlement_plus_charge_is_final_for_every_payer(
    charged_q: str,
    final_q: str,
    charged_amount: int,
    final_amount: int,
    dropped: set[str],
    stranger: bool,
) -> None:
    earlier = compute(telehjerte, population_override=charged_q, amount_override_ore=charged_amount)
    final = compute(telehjerte, population_override=final_q, amount_override_ore=final_amount)
    charged = {p.code: (p.name, p.amount_ore) for p in payers(earlier) if p.code not in dropped}
    if stranger:  # a payer charged then that is not in the final split
        charged["253"] = ("Greve", 12_345_00)
    settlement = settle(final, charged)
    finals = {p.code: p.amount_ore for p in payers(final)}
    assert {row.payer.code for row in settlement.rows} == set(charged) | set(finals)
    for row in settlement.rows:
        assert row.charged_ore == charged.get(row.payer.code, ("", 0))[1]
        assert row.charged_ore + row.amount_ore == finals.get(row.payer.code, 0) == row.final_ore
    charged_total = sum(amount for _, amount in charged.values())
    assert settlement.total_ore == sum(finals.values()) - charged_total


@given(quarter=quarters, amount=amounts)
def test_settlement_against_itself_is_all_zero(quarter: str, amount: int) -> None:
    result = compute(telehjerte, population_override=quarter, amount_override_ore=amount)
    settlement = settle(result, {p.code: (p.name, p.amount_ore) for p in payers(result)})
    assert all(row.amount_ore == 0 and row.kind == "none" for row in settlement.rows)


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("settle")
    charged = build_package("telehjerte-2025-foreloebig", folder / "opkraevet")
    final = build_package("telehjerte-2025-endelig", folder / "endelig")
    out = folder / "efterregulering"
    result = run_cli("settle", str(FINAL), "--charged", str(charged), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "settlement 50.000 kr." in result.output
    return out, final, charged  # type: ignore[return-value]


def _payer_amounts(folder: Path) -> dict[str, int]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        entry["code"]: parse_amount(entry["amount"])
        for entry in manifest["files"]
        if entry["kind"] == "letter"
    }


def test_telehjerte_settlement_is_the_two_runs_subtracted(settled: tuple[Path, Path, Path]) -> None:
    out, final, charged = settled
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    before, after = _payer_amounts(charged), _payer_amounts(final)
    assert set(before) == set(after) and len(after) == 30
    rows = {entry["code"]: entry for entry in manifest["payers"]}
    for code in after:
        assert parse_amount(rows[code]["charged"]) == before[code]
        assert parse_amount(rows[code]["final"]) == after[code]
        assert parse_amount(rows[code]["amount"]) == after[code] - before[code]
    assert sum(parse_amount(entry["amount"]) for entry in rows.values()) == 50_000_00
    assert manifest["totals"] == {"charged": "1050000", "final": "1100000", "amount": "50000"}
    assert parse_amount(rows["084"]["amount"]) == 25_000_00
    letters = [entry for entry in manifest["files"] if entry["kind"] == "settlement-letter"]
    assert len(letters) == 30


def test_settlement_review_pdf_has_a_cover_and_every_letter(
    settled: tuple[Path, Path, Path],
) -> None:
    """The person who signs off reads one file, as for a charge (issue #22, item 7)."""
    out = settled[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = [entry for entry in manifest["files"] if entry["kind"] == "settlement-review"]
    assert [entry["path"] for entry in entries] == [REVIEW_FILE]
    review = pypdf.PdfReader(out / REVIEW_FILE)
    letters = sorted(p for p in out.glob("*.pdf") if p.name != REVIEW_FILE)
    assert len(letters) == 30
    assert len(review.pages) == 1 + sum(len(pypdf.PdfReader(p).pages) for p in letters)
    assert review.metadata is not None
    title = "Gennemsyn af breve om efterregulering – TeleHjerte, forlængelse 2025"
    assert review.metadata.get("/Title") == title
    cover = " ".join(review.pages[0].extract_text().split())
    assert "Gennemsyn af 30 breve om efterregulering" in cover
    assert "SAG-2024-05018-157-EFT" in cover and "50.000 kr." in cover  # the differences
    pages = {" ".join(page.extract_text().split()) for page in review.pages[1:]}
    for letter in letters:
        assert " ".join(pdf_text(letter).split()) in pages, letter.name


def test_settle_help_lists_everything_it_writes() -> None:
    result = run_cli("settle", "--help")
    flat = " ".join(result.output.split())
    for written in ("<code>-<name>.pdf", ".xlsx", SETTLEMENT_OVERVIEW_FILE, REVIEW_FILE):
        assert written in flat, written
    for written in ("programfil/", "manifest.json", "einvoices/"):
        assert written in flat, written


@pytest.mark.parametrize("stem", ["157-gentofte", "084-region-hovedstaden"])
def test_settlement_letters_golden(
    settled: tuple[Path, Path, Path], stem: str, update_golden: bool
) -> None:
    text = pdf_text(settled[0] / f"{stem}.pdf")
    assert "Efterregulering" in text
    assert_golden(f"settlement/telehjerte-2025-endelig/{stem}.txt", text, update_golden)


def test_credit_and_former_payer_letters(tmp_path: Path, update_golden: bool) -> None:
    """Charged at 1.100.000 kr. on 2025K1 (and 1.000 kr. to Greve, 253, as a co-financing
    party), settled at 1.050.000 kr.: credits, and Greve is no longer a payer."""
    programme = tmp_path / "charged.toml"
    text = (EXAMPLES / "telehjerte-2025-endelig.toml").read_text(encoding="utf-8")
    programme.write_text(with_greve(text, "1000", "1101000"), encoding="utf-8")
    charged = tmp_path / "c"
    assert run_cli("run", str(programme), "--out", str(charged)).exit_code == 0
    out = tmp_path / "s"
    result = run_cli(
        "settle",
        str(EXAMPLES / "telehjerte-2025.toml"),
        "--charged",
        str(charged),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "Note: 253 Greve: ikke i den endelige fordeling" in result.output
    settled = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert settled["settlement"]["only_charged"] == ["253"]
    assert settled["totals"]["amount"] == "-51000"
    greve = " ".join(pdf_text(out / "253-greve.pdf").split())
    assert "Greve Kommune indgår ikke i den endelige opgørelse" in greve
    assert "Tilgodehavende 1.000 kr." in greve
    assert_golden(
        "settlement/telehjerte-2025-credit/157-gentofte.txt",
        pdf_text(out / "157-gentofte.pdf"),
        update_golden,
    )


def test_settlement_overview_previewers_read_the_totals(
    settled: tuple[Path, Path, Path],
) -> None:
    out = settled[0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sheet = load_workbook(out / SETTLEMENT_OVERVIEW_FILE, data_only=True)["Efterregulering"]
    assert [cell.value for cell in sheet[5]] == [
        "Kode",
        "Betaler",
        "Opkrævet (kr.)",
        "Endelig (kr.)",
        "Efterregulering (kr.)",
        "Bemærkning",
    ]
    payers_ = manifest["payers"]
    total = 6 + len(payers_)
    for column, key in (("C", "charged"), ("D", "final"), ("E", "amount")):
        exact = sum(parse_amount(entry[key]) for entry in payers_)
        assert (
            _ore(sheet[f"{column}{total}"].value) == exact == parse_amount(manifest["totals"][key])
        )
    assert sheet[f"B{total}"].value == "I alt"
    assert _ore(sheet[f"E{total + 1}"].value) == 50_000_00  # final − charged
    assert [sheet[f"A{row}"].value for row in range(6, total)] == [e["code"] for e in payers_]


def test_settlement_overview_keeps_text_and_big_amounts_exact() -> None:
    """A payer's name stays text; amounts beyond 15 digits are text, totals as values."""
    final = compute(telehjerte, amount_override_ore=10**20)
    charged = {p.code: (p.name, p.amount_ore) for p in payers(final) if p.code != "157"}
    charged["999"] = ('=HYPERLINK("http://x","y")', 7)
    settlement = settle(final, charged)
    book = build_settlement_overview(settlement, _CHARGED, _PROVENANCE)
    assert not book.live_formulas and book.amounts_as_text
    sheet = load_workbook(io.BytesIO(workbook_bytes(book, STAMP)))["Efterregulering"]
    assert not formulas(sheet)
    values = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert values["999"][1] == '=HYPERLINK("http://x","y")'
    assert values["157"][2] == 0
    assert values["157"][5] == "ikke opkrævet tidligere: hele beløbet opkræves"
    total = 6 + len(settlement.rows)
    assert sheet[f"C{total}"].value == amount_text(Decimal(settlement.charged_total_ore) / 100)
    assert sheet[f"D{total}"].value == amount_text(Decimal(settlement.final_total_ore) / 100)
    assert sheet[f"E{total}"].value == amount_text(Decimal(settlement.total_ore) / 100)
    assert sheet[f"E{total + 1}"].value == sheet[f"E{total}"].value
    assert AMOUNTS_AS_TEXT_NOTE in [cell.value for cell in sheet["A"]]


def test_settlement_overview_bytes_are_reproducible(settled: tuple[Path, Path, Path]) -> None:
    settlement = settle(
        compute(load_programme(FINAL)),
        {p.code: (p.name, p.amount_ore) for p in payers(compute(load_programme(PRELIMINARY)))},
    )
    first, second = (
        workbook_bytes(build_settlement_overview(settlement, _CHARGED, _PROVENANCE), STAMP)
        for _ in range(2)
    )
    assert first == second
    archive = _xml(settled[0] / SETTLEMENT_OVERVIEW_FILE)
    xml = archive["xl/worksheets/sheet1.xml"]
    assert '<pageSetUpPr fitToPage="1"/>' in xml and 'orientation="landscape"' in xml
    assert "&amp;LSAG-2024-05018&amp;RSide &amp;P af &amp;N" in xml
    assert "Efterregulering!$5:$5" in archive["xl/workbook.xml"]


def test_tampered_package_is_refused_naming_the_file(tmp_path: Path) -> None:
    charged = build_package("telehjerte-2025-foreloebig", tmp_path / "c")
    workbook = charged / "157-gentofte.xlsx"
    workbook.write_bytes(workbook.read_bytes() + b"\0")
    result = run_cli("settle", str(FINAL), "--charged", str(charged), "--out", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {workbook}: does not match its SHA-256 in manifest.json (the package was "
        "changed after it was written); use the package as it was sent, or run it again\n"
    )
    assert not (tmp_path / "s").exists()


def test_settle_refuses_a_settlement_package_as_the_charge(
    settled: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    result = run_cli(
        "settle", str(FINAL), "--charged", str(settled[0]), "--out", str(tmp_path / "x")
    )
    assert result.exit_code == 1
    assert "is a settlement package, not a charge" in result.output


def test_settle_a_year_of_a_multi_year_package(three_years: Path, tmp_path: Path) -> None:
    out = tmp_path / "s"
    result = run_cli(
        "settle",
        str(THREE_YEARS),
        "--charged",
        str(three_years),
        "--year",
        "2026",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "settlement 0 kr." in result.output


def test_index_table_type_is_checked(tmp_path: Path) -> None:
    broken = tmp_path / "p.toml"
    broken.write_text(
        THREE_YEARS.read_text(encoding="utf-8").replace(
            'index = { 2024 = "100,0"', "index = { 2024 = 100.0"
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"key 'indexing.index.2024': must be text in quotes"):
        load_plan(broken)


def test_index_csv_named_by_the_programme(tmp_path: Path) -> None:
    (tmp_path / "pl.csv").write_text("år;indeks\n2024;100\n2025;110\n2026;120\n2027;130\n")
    text = THREE_YEARS.read_text(encoding="utf-8").replace(
        'index = { 2024 = "100,0", 2025 = "102,9", 2026 = "105,7", 2027 = "108,6" }',
        'file = "pl.csv"',
    )
    programme = tmp_path / "p.toml"
    programme.write_text(text, encoding="utf-8")
    plan = load_plan(programme)
    assert plan.table is not None and plan.table.file == "pl.csv"
    assert plan.year(2027).programme.amount_ore == 136_500_000
    (tmp_path / "pl.csv").unlink()
    with pytest.raises(InputError, match=r"p\.toml: key 'indexing.file': .*pl\.csv: no such file"):
        load_plan(programme)


def test_price_level_needs_an_index_table(tmp_path: Path) -> None:
    text = THREE_YEARS.read_text(encoding="utf-8")
    programme = tmp_path / "p.toml"
    start, end = text.index("[indexing]"), text.index("[[years]]")
    programme.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(InputError, match=r"key 'price_level': needs an index table"):
        load_plan(programme)


# --- helpers -----------------------------------------------------------------------------
STAMP = datetime(2025, 2, 17)
_CHARGED = ChargedPackage(
    folder=Path("."),
    programme_file="p.toml",
    title="",
    case_number="",
    letter_date="",
    population_basis="2024K1",
    what_if=(),
    payers=(),
)
_PROVENANCE = Provenance(
    version="0",
    programme_file="p.toml",
    population_basis="2025K1",
    population_source="",
    population_date=None,
    inputs=(),
    what_if=(),
)


def _ore(value: Any) -> int:
    """A cell's amount in kroner (a number, as saved) as exact øre."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    amount = Fraction(Decimal(str(value))) * 100
    assert amount.denominator == 1
    return int(amount)


def _xml(path: Path) -> dict[str, str]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
