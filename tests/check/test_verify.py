"""``costshare verify``: checking a received annex against the programme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from paths import ROOT

from costshare.base.errors import InputError
from costshare.check.annex import read_annex
from costshare.check.annex_amounts import parse_column
from costshare.cli import cli
from costshare.documents.xlsx.workbooks import HEADERS
from costshare.programme.model import compute, load_programme

TELEHJERTE = str(ROOT / "examples" / "telehjerte-2025.toml")
HEADER = HEADERS  # the overview layout `costshare run` writes


def shares(quarter: str = "2025K1") -> list[tuple[str, str, int, int]]:
    """(code, name, population, kroner) per municipality, as the programme computes them."""
    result = compute(load_programme(TELEHJERTE), population_override=quarter)
    population = result.municipal.population
    return [
        (code, population.name_of(code), population.count_of(code), share // 100)
        for code, share in result.municipal.shares_ore().items()
    ]


def overview(path: Path, rows: list[tuple[str, str, int, int]], total: Any = None) -> Path:
    """A workbook laid out like costshare's overview: title lines, header, rows, I alt."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Finansiering pr. kommune"
    sheet.append(["TeleHjerte, forlængelse 2025"])
    sheet.append(["Kommunernes andel: 525.000 kr. fordelt efter indbyggertal"])
    sheet.append([])
    sheet.append(list(HEADER))
    population = sum(row[2] for row in rows)
    first = sheet.max_row + 1
    for code, name, count, kroner in rows:
        exact = 525000 * count / population
        sheet.append([code, name, count, count / population, exact, kroner - int(exact), kroner])
    last = sheet.max_row
    amount = f"=SUM(G{first}:G{last})" if total is None else total
    sheet.append([None, "I alt", population, 1, 525000, 14, amount])
    book.create_sheet("Kilder").append(["Danmarks Statistik, FOLK1A"])
    book.save(path)
    return path


def danish_csv(rows: list[tuple[str, str, int, int]], total: str = "525.000,00") -> str:
    lines = ["Bilag 1: Fordeling af kommunernes andel", "", "Kommune;Beløb i kr."]
    lines += [f"{name} Kommune;{kroner:,}".replace(",", ".") + ",00" for _, name, _, kroner in rows]
    return "\r\n".join([*lines, f"I alt;{total}", ""])


def verify(annex: Path) -> Result:
    return CliRunner().invoke(cli, ["verify", TELEHJERTE, str(annex)])


def test_costshares_own_overview_passes(tmp_path: Path) -> None:
    annex = overview(tmp_path / "bilag.xlsx", shares())
    result = verify(annex)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"OK: {annex} matches TeleHjerte, forlængelse 2025: all 29 municipalities agree, "
        "525.000 kr. in all (population 2025K1)\n"
    )  # the total is a SUM with no saved value: costshare computes it


def test_overview_with_a_saved_total_and_integer_codes(tmp_path: Path) -> None:
    rows = [(int(code), name, count, kroner) for code, name, count, kroner in shares()]
    annex = overview(tmp_path / "bilag.xlsx", rows, total=525000)  # type: ignore[arg-type]
    result = verify(annex)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1


def test_a_tampered_amount_names_the_municipality(tmp_path: Path) -> None:
    rows = [
        (code, name, count, kroner + 100 if name == "Gentofte" else kroner)
        for code, name, count, kroner in shares()
    ]
    annex = overview(tmp_path / "bilag.xlsx", rows, total=525100)
    result = verify(annex)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{annex} does NOT match TeleHjerte, forlængelse 2025 "
        "(population 2025K1; 29 municipalities, 525.000 kr.)"
    )
    assert "Amounts that differ (1):" in lines
    assert "   10  157   Gentofte      20.415 kr.  20.515 kr.    +100 kr." in lines
    assert "Total row 34 ('I alt'): 525.100 kr., which the rows above it add up to" in lines
    assert lines[1].startswith("Population: no packaged quarter (2016K1–2026K1) reproduces")


def test_an_annex_on_last_years_figures_names_the_quarter(tmp_path: Path) -> None:
    annex = overview(tmp_path / "bilag-2024.xlsx", shares("2024K1"))
    result = verify(annex)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "Population: this annex matches population 2024K1; the programme says 2025K1."
    )
    assert "Amounts that differ (29):" in result.stdout
    assert "    5  101   København       181.399 kr.  181.142 kr.    -257 kr." in result.stdout


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-8-sig"])
def test_a_hand_made_danish_semicolon_csv_is_accepted(tmp_path: Path, encoding: str) -> None:
    annex = tmp_path / "bilag.csv"
    annex.write_bytes(danish_csv(shares()).encode(encoding))
    result = verify(annex)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: {annex} matches TeleHjerte")


def test_whole_kroner_with_dot_thousands_read_as_danish(tmp_path: Path) -> None:
    annex = tmp_path / "bilag.csv"
    lines = ["Kode;Kommune;Beløb"]
    lines += [f"{code};{name};{kroner:,}".replace(",", ".") for code, name, _, kroner in shares()]
    annex.write_text("\n".join([*lines, ";I alt;525.000"]), encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 0, result.output


def test_a_region_row_is_checked_as_co_financing(tmp_path: Path) -> None:
    text = danish_csv(shares(), total="1.050.000,00").replace(
        "I alt;", "Region Hovedstaden;525.000,00\r\nI alt;"
    )
    annex = tmp_path / "bilag.csv"
    annex.write_text(text, encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 0, result.output
    assert "all 29 municipalities and Region Hovedstaden agree" in result.stdout


def test_missing_and_unexpected_municipalities(tmp_path: Path) -> None:
    rows = [row for row in shares() if row[1] != "Tårnby"] + [("751", "Aarhus", 1, 100)]
    rows.append(("999", "Atlantis", 1, 5))
    annex = overview(tmp_path / "bilag.xlsx", rows)
    result = verify(annex)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "Missing from the annex (1): 185 Tårnby" in lines
    assert "Not payers in the programme (2):" in lines
    assert (
        "  row 33: 751 Aarhus: Aarhus (751) does not pay in this programme; it has 29 "
        "municipalities and Region Hovedstaden (084)" in lines
    )
    assert "  row 34: 999 Atlantis: 999 is not a kommunekode" in lines
    assert "Amounts that differ" not in result.stdout


def test_a_wrong_total_row_fails_even_when_every_amount_matches(tmp_path: Path) -> None:
    annex = tmp_path / "bilag.csv"
    annex.write_text(danish_csv(shares(), total="525.010,00"), encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "Total row 33 ('I alt'): states 525.010 kr., but the rows above it add up to "
        "525.000 kr. (off by 10 kr.)"
    )


def test_a_municipality_listed_twice(tmp_path: Path) -> None:
    rows = shares()
    annex = overview(tmp_path / "bilag.xlsx", [*rows, rows[5]])
    result = verify(annex)
    assert result.exit_code == 1
    assert "  row 34: 157 Gentofte: Gentofte is listed twice (first on row 10)" in result.stdout


def test_code_and_name_that_disagree(tmp_path: Path) -> None:
    rows = [(c, "Gladsaxe" if c == "157" else n, p, k) for c, n, p, k in shares()]
    result = verify(overview(tmp_path / "bilag.xlsx", rows))
    assert result.exit_code == 1
    assert "  row 10: code 157 is Gentofte, but the name says 'Gladsaxe'" in result.stdout


def test_a_column_mixing_danish_and_english_numbers_is_refused(tmp_path: Path) -> None:
    annex = tmp_path / "bilag.csv"
    annex.write_text("Kommune;Beløb\nGentofte;20.415\nKøbenhavn;181,399\n", encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 2  # could not be checked (diff's convention)
    assert result.stderr == (
        f"Error: {annex}:3:Beløb: the column mixes Danish ('20.415', row 2) and English "
        "('181,399', row 3) number formats; write all amounts one way, e.g. 20.415,00\n"
    )


def test_an_annex_without_a_recognisable_header(tmp_path: Path) -> None:
    annex = tmp_path / "bilag.csv"
    annex.write_text("Kommune;Indbyggere\nGentofte;75076\n", encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 2  # could not be checked (diff's convention)
    assert result.stderr == (
        f"Error: {annex}: no header row with a municipality column (Kode/Kommune) and an "
        "amount column (Beløb) in the first 20 rows; add such headings\n"
    )


def test_reading_the_overview_takes_the_beloeb_column(tmp_path: Path) -> None:
    annex = read_annex(overview(tmp_path / "bilag.xlsx", shares()))
    assert (annex.sheet, annex.header_row, annex.amount_header) == (
        "Finansiering pr. kommune",
        4,
        "Beløb (kr.)",
    )
    assert annex.rows[5].code == "157" and annex.rows[5].amount_ore == 2041500
    # The total is a SUM saved without a value: costshare computes it (issue #24).
    assert [(t.row, t.label, t.amount_ore) for t in annex.totals] == [(34, "I alt", 52500000)]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["20.415", "181.399", "1.050.000"], [2041500, 18139900, 105000000]),
        (["20.415,50", "7,5", "12"], [2041550, 750, 1200]),
        (["20,415.50", "1,050", "7.5"], [2041550, 105000, 750]),
        (["kr. 20.415", "-1.000 kr.", "20 415", None, ""], [2041500, -100000, 2041500, None, None]),
        ([20415, 20415.5, 0.1 + 0.2], [2041500, 2041550, 30]),
    ],
)
def test_amount_columns(cells: list[Any], expected: list[int | None]) -> None:
    assert parse_column(cells, "Beløb") == expected


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["0.415"], "annex:1:Beløb: '0.415' is not an amount in kroner (at most two decimals)"),
        (["20.4150"], "annex:1:Beløb: '20.4150' is not an amount in kroner (at most two"),
        ([20415.123], "annex:1:Beløb: 20415.123 has fractions of an øre"),
        (["abc"], "annex:1:Beløb: 'abc' is not an amount in kroner"),
    ],
)
def test_amounts_with_no_single_reading(cells: list[Any], message: str) -> None:
    with pytest.raises(InputError) as error:
        parse_column(cells, "Beløb")
    assert str(error.value).startswith(message)


def test_a_comma_csv_with_quoted_danish_amounts_and_subtotals(tmp_path: Path) -> None:
    lines = ["Kode,Kommune,Beløb"]
    lines += [
        f'{code},{name},"{f"{kroner:,}".replace(",", ".")},00"'
        for code, name, _, kroner in shares()
    ]
    lines += [
        ',I alt kommuner,"525.000,00"',
        '084,Region Hovedstaden,"525.000,00"',
        ',I alt,"1.050.000,00"',
    ]
    annex = tmp_path / "bilag.csv"
    annex.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 0, result.output
    assert (
        "all 29 municipalities and Region Hovedstaden agree, 1.050.000 kr. in all" in result.stdout
    )


def test_an_amount_without_a_municipality_is_unexpected(tmp_path: Path) -> None:
    annex = tmp_path / "bilag.csv"
    text = danish_csv(shares()).replace("I alt;", ";100,00\r\nI alt;")
    annex.write_text(text, encoding="utf-8")
    result = verify(annex)
    assert result.exit_code == 1
    assert "  row 33: (no name): an amount with no municipality; name it or remove it" in (
        result.stdout.splitlines()
    )
    assert "Total row 34 ('I alt'): states 525.000 kr., but the rows above it add up to " in (
        result.stdout
    )
