"""Hostile names and text reach every output literally, and nothing else happens.

Recipients' names come from a user's file. A name that looks like a spreadsheet formula,
typst markup, a Jinja2 expression or a path must come out as the same text: a string cell
(never a formula) in every workbook, the literal text in every letter, and a file name that
stays inside the output folder.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pypdf
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from paths import TESTS

from costshare.cli import cli
from costshare.population.userfile import load_file
from costshare.programme.naming import PROGRAMME_FOLDER, file_stem

CATALOGUE = TESTS / "catalogue"
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


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["run", *args], prog_name="costshare")


def test_run_keeps_hostile_names_literal_everywhere(hostile: Path) -> None:
    result = run("prog.toml", "--out", "out")
    assert result.exit_code == 0, result.output
    out = Path("out")
    files = sorted(path.name for path in out.iterdir() if path.name != PROGRAMME_FOLDER)
    # File names: inside the folder, letters/digits/'-' only, short, never a device name;
    # beside them only the folder of the programme's copy (issue #20).
    assert all(path.parent == out and path.is_file() for path in out.iterdir() if path.is_file())
    assert [path.name for path in out.iterdir() if path.is_dir()] == [PROGRAMME_FOLDER]
    for name in files:
        stem, _, suffix = name.rpartition(".")
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", stem), name
        assert suffix in ("xlsx", "pdf", "json") and len(name) <= 100, name
        assert stem.upper() not in WINDOWS_DEVICES
    assert not Path("evil.xlsx").exists() and not list(hostile.parent.glob("*evil*"))
    # Workbooks: every name is a string cell; no formula mentions a name.
    for workbook in out.glob("*.xlsx"):
        cells = text_cells(workbook)
        assert not [v for v, kind in cells if kind == "f" and any(n in v for n in NAMED)]
    overview = {value for value, _kind in text_cells(out / "finansiering-pr-kommune.xlsx")}
    assert all(name.strip() in overview for name in HOSTILE_NAMES)
    book = openpyxl.load_workbook(out / "finansiering-pr-kommune.xlsx")
    for cell in (c for sheet in book.worksheets for row in sheet.iter_rows() for c in row):
        if isinstance(cell.value, str) and cell.value.strip() in NAMED and cell.value[:1] in "=+-@":
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    # Letters: the name typeset literally; nothing read, no template expression evaluated.
    letters = {path.stem: pdf_text(path) for path in out.glob("r*.pdf")}
    for number, name in enumerate(HOSTILE_NAMES, start=1):
        (text,) = [text for stem, text in letters.items() if stem.startswith(f"r{number:02d}-")]
        assert squeeze(name) in squeeze(text), name
    everything = "".join(letters.values())
    assert "root:" not in everything  # /etc/passwd was not read
    assert not re.search(r"(?<![\d.,])49(?![\d.,])", everything)  # {{ 7*7 }} not evaluated


WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}  # fmt: skip
NAMED = {name.strip() for name in HOSTILE_NAMES if len(name.strip()) > 2}


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def squeeze(text: str) -> str:
    """Text without whitespace: PDF text extraction breaks long words and lines anywhere."""
    return re.sub(r"\s+", "", text)


@given(code=st.text(max_size=60), name=st.text(max_size=400))
def test_file_stems_are_safe_for_any_code_and_name(code: str, name: str) -> None:
    stem = file_stem(code, name)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*-[a-z0-9]+(?:-[a-z0-9]+)*", stem)
    assert len(stem) <= 81 and stem.upper() not in WINDOWS_DEVICES


def test_a_run_that_fails_midway_leaves_nothing_and_changes_nothing(hostile: Path) -> None:
    templates = Path("templates")
    templates.mkdir()
    (templates / "letter.typ.j2").write_text(
        '{% if recipient.code == "R05" %}{{ nope }}{% endif %}Kære {{ recipient.name }}\n',
        encoding="utf-8",
    )
    before = sorted(p.name for p in hostile.iterdir())
    result = run("prog.toml", "--out", "out", "--templates", "templates")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: letter.typ.j2: 'nope' is undefined for R05 ")
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in hostile.iterdir()) == before  # no out, no staging folder
    assert run("prog.toml", "--out", "out").exit_code == 0
    snapshot = {p: p.read_bytes() for p in Path("out").rglob("*") if p.is_file()}
    result = run("prog.toml", "--out", "out", "--force", "--templates", "templates")
    assert result.exit_code == 1
    assert {p: p.read_bytes() for p in Path("out").rglob("*") if p.is_file()} == snapshot
    assert sorted(p.name for p in hostile.iterdir()) == sorted([*before, "out"])


def test_a_template_cannot_read_files_outside_its_folder(hostile: Path) -> None:
    templates = Path("templates")
    templates.mkdir()
    (templates / "letter.typ.j2").write_text('#read("/etc/passwd")\n', encoding="utf-8")
    result = run("prog.toml", "--out", "out", "--templates", "templates")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: letter.typ.j2: typst could not typeset the letter")
    assert "file not found" in result.stderr and not Path("out").exists()
