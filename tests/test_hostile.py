"""Hostile names and text reach every output literally, and nothing else happens.

Recipients' names come from a user's file. A name that looks like a spreadsheet formula,
typst markup, a Jinja2 expression or a path must come out as the same text: a string cell
(never a formula) in every workbook, the literal text in every letter, and a file name that
stays inside the output folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from costshare.cli import cli
from costshare.userfile import load_file

CATALOGUE = Path(__file__).parent / "catalogue"
HOSTILE_NAMES = [
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    '#read("/etc/passwd")',
    '#import "@preview/x:0.1.0": *',
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "$x$ *bold* ] _u_ `raw` <label> @ref // no comment",
    "../../evil",
    "/etc/passwd",
    "a/b\\c",
    "CON",
    "com1.txt",
    "x" * 300,
    " .. ",
    "Æblø Kommune ",
]


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A population file of hostile recipients and two programmes that use it."""
    monkeypatch.chdir(tmp_path)
    with open("hostile.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "population"])
        for number, name in enumerate(HOSTILE_NAMES, start=1):
            writer.writerow([f"R{number:02d}", name, 100 + number])
    valid = (CATALOGUE / "programmes" / "valid.toml").read_text(encoding="utf-8")
    programme = valid.replace(
        'population = "2025K1"\nregion = "Hovedstaden"', 'population = "hostile.csv"'
    )
    Path("prog.toml").write_text(programme, encoding="utf-8")
    Path("prog2.toml").write_text(programme.replace('"1050000"', '"2100000"'), encoding="utf-8")
    return tmp_path


def test_hostile_names_load_literally(hostile: Path) -> None:
    population = load_file("hostile.csv")
    assert population.names == tuple(name.strip() for name in HOSTILE_NAMES)
    assert not population.municipal


def text_cells(path: Path) -> list[tuple[str, str]]:
    """Every cell of a workbook as (value, data type); formulas show as type 'f'."""
    book = openpyxl.load_workbook(path)
    return [
        (str(cell.value), cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_compare_workbook_keeps_hostile_names_as_text(hostile: Path) -> None:
    result = CliRunner().invoke(
        cli, ["compare", "prog.toml", "prog2.toml", "--out", "diff.xlsx"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    cells = text_cells(Path("diff.xlsx"))
    assert [value for value, kind in cells if kind == "f"] == []
    values = {value for value, _kind in cells}
    for name in HOSTILE_NAMES:
        assert name.strip() in values
    book = openpyxl.load_workbook("diff.xlsx")
    formula_like = [
        cell
        for row in book["Sammenligning"].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
    ]
    assert len(formula_like) == 4 and all(cell.quotePrefix for cell in formula_like)
