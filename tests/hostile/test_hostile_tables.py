"""Issue #16, "what you see is what is checked": one table reader for populations and annexes.

A received annex and a population file go through the same reader, so a hidden sheet, a
hidden row or column, merged cells or a number format that hides a value are refused in
both; title rows, a merged title and an ``I alt`` row are read in both.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from test_verify import TELEHJERTE, overview, shares

from costshare.base.errors import InputError
from costshare.check.annex import read_annex
from costshare.cli import cli
from costshare.population.userfile import load_file


def verify(annex: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify", TELEHJERTE, str(annex)])
    return result.exit_code, result.output


def error_of(read: object, path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read(path)  # type: ignore[operator]
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_right_amounts_on_a_hidden_sheet_are_not_checked(tmp_path: Path) -> None:
    path = overview(tmp_path / "annex.xlsx", shares())
    book = openpyxl.load_workbook(path)
    book.worksheets[0].sheet_state = "hidden"
    visible = book.create_sheet("Vist", 0)
    visible.append(["Kommune", "Bemærkning"])
    visible.append(["Gentofte", "forkert"])
    book.save(path)
    code, output = verify(path)
    assert code == 2 and "is hidden; unhide it" in output


def test_a_hidden_amount_column_is_refused(tmp_path: Path) -> None:
    path = overview(tmp_path / "annex.xlsx", shares())
    book = openpyxl.load_workbook(path)
    book.worksheets[0].column_dimensions["G"].hidden = True
    book.save(path)
    assert "column G is hidden" in error_of(read_annex, path)


def test_a_filtered_out_annex_row_is_refused(tmp_path: Path) -> None:
    path = overview(tmp_path / "annex.xlsx", shares())
    book = openpyxl.load_workbook(path)
    book.worksheets[0].row_dimensions[7].hidden = True
    book.save(path)
    assert error_of(read_annex, path).startswith(f"{path}:7: the row is hidden or filtered out")


def test_a_literal_number_format_that_hides_the_amount_is_refused(tmp_path: Path) -> None:
    path = overview(tmp_path / "annex.xlsx", shares())
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["G6"].number_format = '"181.399"'
    book.save(path)
    message = error_of(read_annex, path)
    assert message.startswith(f"{path}:6:Beløb (kr.): the cell's number format")
    assert "does not show its value" in message


def test_merged_cells_in_an_annex_table_are_refused(tmp_path: Path) -> None:
    path = overview(tmp_path / "annex.xlsx", shares())
    book = openpyxl.load_workbook(path)
    book.worksheets[0].merge_cells("F6:G6")
    book.save(path)
    assert "cells F6:G6 are merged" in error_of(read_annex, path)


def test_costshares_own_overview_still_verifies(tmp_path: Path) -> None:
    """Its merged title rows sit above the header, its merged heading has a row to itself."""
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", TELEHJERTE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    code, output = verify(out / "finansiering-pr-kommune.xlsx")
    assert code == 0 and output.startswith("OK:"), output


def population_book(path: Path, total: int | None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Befolkning 1. januar 2025"])
    sheet.merge_cells("A1:C1")
    sheet.append([])
    sheet.append(["Kode", "Kommune", "Indbyggere"])
    sheet.append(["157", "Gentofte", 75076])
    sheet.append(["101", "København", 667099])
    if total is not None:
        sheet.append([None, "I alt", total])
    book.save(path)
    return path


def test_a_population_workbook_with_a_merged_title_and_an_i_alt_row_loads(tmp_path: Path) -> None:
    population = load_file(population_book(tmp_path / "pop.xlsx", 75076 + 667099))
    assert population.codes == ("157", "101")
    assert population.counts == (75076, 667099)


def test_an_i_alt_row_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    path = population_book(tmp_path / "pop.xlsx", 742000)
    message = error_of(load_file, path)
    assert message == (
        f"{path}:6:Indbyggere: the total row says 742000, but the rows above it add up to "
        "742175; correct the total or the rows, or delete the total row"
    )


def test_a_population_csv_with_title_rows_and_a_total(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("Befolkning\n\nkommunekode;indbyggertal\n157;75.076\nI alt;75.076\n")
    population = load_file(path)
    assert (population.codes, population.counts) == (("157",), (75076,))


def annex_with_amount_cell(path: Path, stored: str) -> Path:
    """A two-row annex whose amount cell holds ``stored`` as written in the sheet's XML."""
    book = openpyxl.Workbook()
    book.active.append(["Kommune", "Beløb"])
    book.active.append(["Gentofte", 12345])
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    files[sheet] = files[sheet].replace(b"<v>12345</v>", f"<v>{stored}</v>".encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def test_an_annex_amount_past_what_a_float_holds_is_an_error(tmp_path: Path) -> None:
    path = annex_with_amount_cell(tmp_path / "inf.xlsx", "1E+309")
    assert error_of(read_annex, path) == (
        f"{path}:2:Beløb: inf is not a number a spreadsheet can hold; correct it"
    )
    path = annex_with_amount_cell(tmp_path / "big.xlsx", "1.065516172600254E+30")
    assert "too large for a spreadsheet to hold exactly" in error_of(read_annex, path)


def test_a_31_digit_annex_amount_is_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "annex.csv"
    path.write_text("Kommune;Beløb\nGentofte;1065516172600254123456789012345,67\n")
    (row,) = read_annex(path).rows
    assert row.amount_ore == 106551617260025412345678901234567


def test_a_bidi_override_in_an_annex_or_population_name_is_refused(tmp_path: Path) -> None:
    annex = tmp_path / "annex.csv"
    annex.write_text("Kommune;Beløb\nGentofte\u202e;20.415\n")
    assert error_of(read_annex, annex) == (
        f"{annex}:2:Kommune: the cell holds the bidirectional control U+202E; remove it"
    )
    population = tmp_path / "pop.csv"
    population.write_text("kommune;antal\nGentofte\uffff;1\n")
    assert "the non-character U+FFFF" in error_of(load_file, population)


def test_an_escape_sequence_in_an_annex_never_reaches_the_terminal(tmp_path: Path) -> None:
    annex = tmp_path / "annex.csv"
    annex.write_text("Kommune;Beløb\nGentofte;20.415\nx;\x1b[2J\x1b]0;pwned\x07\n")
    code, output = verify(annex)
    assert code == 2 and "\x1b" not in output and "\x07" not in output
    assert output.endswith(":3:Beløb: the cell holds the control character U+001B; remove it\n")


def test_three_thousand_total_rows_are_read_in_one_pass(tmp_path: Path) -> None:
    """Each total a formula over the ten totals above it: computed by costshare (#24)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Kommune", "Beløb"])
    for row in range(2, 3002):
        sheet.append([f"I alt {row}", f"=SUM(B{max(row - 10, 1)}:B{row - 1})*0+1"])
    path = tmp_path / "annex.xlsx"
    book.save(path)
    annex = read_annex(path)
    assert len(annex.totals) == 3000 and annex.totals[0].amount_ore == 100
