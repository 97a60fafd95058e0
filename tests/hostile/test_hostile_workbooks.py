"""Issue #24, item 4: workbook cells as a person sees them, and sheets as large as their cells.

A formula counts with the value costshare computes for it, never the value saved beside it
(which is what a program that does not recalculate shows); a formula costshare cannot
compute is refused, naming the cell. A sheet that claims, merges or links a far-away area
is read from the cells it holds, without allocating the gap (the time target is in
``bench/bench_workbooks.py``; these tests check what is read and refused).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_verify import TELEHJERTE, overview, shares

from costshare.base.errors import InputError
from costshare.check.annex import read_annex
from costshare.cli import cli
from costshare.population.userfile import load_file

SHEET = "xl/worksheets/sheet1.xml"


def verify(annex: Path) -> tuple[int, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["verify", str(TELEHJERTE), str(annex)])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def patched(path: Path, change: dict[str, str]) -> Path:
    """``path`` with its first sheet's XML rewritten: each pattern replaced (regex)."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = members[SHEET].decode("utf-8")
    for pattern, replacement in change.items():
        xml, count = re.subn(pattern, replacement, xml)
        assert count, pattern
    members[SHEET] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def annex_with_gentofte(tmp_path: Path, cell: str, saved: str | None) -> Path:
    """The overview-like annex with Gentofte's amount (row 10, column G) a formula."""
    rows = shares()
    assert rows[5][:2] == ("157", "Gentofte") and rows[5][3] == 20415
    path = overview(tmp_path / "bilag.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book.active["G10"] = cell
    book.save(path)
    if saved is None:
        return path
    return patched(
        path, {r'(<c r="G10"[^>]*>)<f>(.*?)</f><v\s*/?>(</v>)?': rf"\1<f>\2</f><v>{saved}</v>"}
    )


def test_a_formula_is_checked_by_its_computed_value_not_its_saved_one(tmp_path: Path) -> None:
    """The issue's case: =20415-10000 saved as 20415 reads 10.415 kr. in Excel."""
    annex = annex_with_gentofte(tmp_path, "=20415-10000", "20415")
    code, output = verify(annex)
    assert code == 1, output
    assert "does NOT match" in output
    assert re.search(
        r"\n\s*10\s+157\s+Gentofte\s+20\.415 kr\.\s+10\.415 kr\.\s+-10\.000 kr\.", output
    )


def test_a_formula_that_gives_the_right_amount_verifies(tmp_path: Path) -> None:
    annex = annex_with_gentofte(tmp_path, "=20000+415", "20415")
    assert verify(annex)[0] == 0


def test_the_total_is_computed_too(tmp_path: Path) -> None:
    """A total saved as 525000 whose SUM gives more is a total that does not add up."""
    rows = shares()
    path = overview(tmp_path / "bilag.xlsx", rows, total="=SUM(G5:G33)+1")
    path = patched(
        path, {r"<f>SUM\(G5:G33\)\+1</f><v\s*/?>(</v>)?": "<f>SUM(G5:G33)+1</f><v>525000</v>"}
    )
    annex = read_annex(path)
    assert [(t.row, t.amount_ore) for t in annex.totals] == [(34, 52500100)]


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("=VLOOKUP(A10,A5:G33,7)", "the function VLOOKUP"),
        ("=Kilder!A1", "a cell of another sheet"),
        ("='Kilder'!A1", "a cell of another sheet"),
        ("=Beloeb", "the name Beloeb"),
        ('="20415"', "text in quotes"),
        ('=20415&""', "the operator &"),
        ("=#REF!", "the error value #REF!"),
        ("=G10", "refers to itself"),
        ("=B10+1", "B10 holds text, not a number"),
        ("=1/(G9-G9)", "it divides by zero: #DIV/0! in a spreadsheet"),
        ("=A1:A3", "a range outside SUM"),
        ("=G5 G6", "G6 cannot follow there"),
        ("=" + "(" * 80 + "1" + ")" * 80, "nested more than 64 deep"),
    ],
)
def test_a_formula_costshare_cannot_compute_is_refused(
    tmp_path: Path, formula: str, reason: str
) -> None:
    annex = annex_with_gentofte(tmp_path, formula, "20415")
    with pytest.raises(InputError) as refused:
        read_annex(annex)
    message = str(refused.value)
    assert message.startswith(f"{annex}:10:Beløb (kr.): "), message
    assert reason in message


def test_a_chain_of_squares_is_refused_before_it_is_computed(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kommune", "antal"])
    sheet.append(["Køge", 10**9])
    for row in range(3, 40):
        sheet.append([f"x{row}", f"=B{row - 1}*B{row - 1}"])
    book.save(tmp_path / "pop.xlsx")
    with pytest.raises(InputError, match=r"a number of more than 1,000 digits"):
        load_file(tmp_path / "pop.xlsx")


def test_formulas_deeper_than_the_limit_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kommune", "antal"])
    for row in range(2, 150):  # each refers to the row below it: 148 levels
        sheet.append([f"x{row}", f"=B{row + 1}"])
    sheet.append(["Køge", 1])
    book.save(tmp_path / "pop.xlsx")
    with pytest.raises(InputError, match=r":2:antal: .* refers to formulas more than 100 levels"):
        load_file(tmp_path / "pop.xlsx")


def test_a_sum_over_the_whole_sheet_reads_only_the_cells_there_are(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kommune", "antal"])
    sheet.append(["Køge", 5])
    sheet.append(["Gentofte", "=SUM(A1:XFD1)+SUM($B$2:B2)*2"])
    book.save(tmp_path / "pop.xlsx")
    population = load_file(tmp_path / "pop.xlsx")
    assert population.counts == (5, 10)


# --- a sheet's size is what its cells are -------------------------------------------------


def small_annex(tmp_path: Path) -> Path:
    return overview(tmp_path / "bilag.xlsx", shares())


def test_a_dimension_claiming_the_whole_grid_is_ignored(tmp_path: Path) -> None:
    annex = patched(
        small_annex(tmp_path), {r'<dimension ref="[^"]*"/>': '<dimension ref="A1:XFD1048576"/>'}
    )
    code, output = verify(annex)
    assert code == 0, output


def test_a_far_away_cell_is_named_not_allocated(tmp_path: Path) -> None:
    """One cell at XFD1048576 in a 6 KB file: read at once, and named as a stray value."""
    annex = patched(
        small_annex(tmp_path),
        {
            "</sheetData>": '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is>'
            "</c></row></sheetData>"
        },
    )
    assert annex.stat().st_size < 10_000
    with pytest.raises(InputError) as refused:
        read_annex(annex)
    assert str(refused.value) == (
        f"{annex}:1048576:XFD: the value 'x' has no column header; add a header or delete it"
    )


def test_a_far_away_row_in_the_table_is_read_as_one_row(tmp_path: Path) -> None:
    annex = patched(
        small_annex(tmp_path),
        {
            "</sheetData>": '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>note</t></is>'
            "</c></row></sheetData>"
        },
    )
    code, output = verify(annex)
    assert code == 0, output


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        (
            '<mergeCells count="1"><mergeCell ref="A40:XFD1048576"/></mergeCells>',
            ":40:A: cells A40:XFD1048576 are merged; unmerge them so that every row has its "
            "own values",
        ),
        ('<hyperlinks><hyperlink ref="A1:XFD1048576" location="A1"/></hyperlinks>', None),
    ],
)
def test_a_range_over_the_whole_grid_is_never_expanded(
    tmp_path: Path, element: str, expected: str | None
) -> None:
    annex = patched(small_annex(tmp_path), {"</sheetData>": "</sheetData>" + element})
    if expected is None:
        assert verify(annex)[0] == 0
        return
    with pytest.raises(InputError) as refused:
        read_annex(annex)
    assert str(refused.value) == f"{annex}{expected}"


def test_hidden_rows_and_columns_far_away_are_found(tmp_path: Path) -> None:
    """A hidden column range reaching the last column, a hidden row far below."""
    annex = patched(
        small_annex(tmp_path),
        {
            "<sheetData>": '<cols><col min="8" max="16384" hidden="1"/></cols><sheetData>',
            "</sheetData>": '<row r="900000" hidden="1"><c r="G900000" t="n"><v>5</v></c></row>'
            "</sheetData>",
        },
    )
    with pytest.raises(InputError) as refused:
        read_annex(annex)
    assert str(refused.value).startswith(f"{annex}:900000: the row is hidden or filtered out")
