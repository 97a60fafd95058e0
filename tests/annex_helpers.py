"""Helpers for the annex-package tests: golden files, workbook dumps, formula checks.

* :func:`assert_golden` compares text with ``tests/golden/...`` (or rewrites it under
  ``--update-golden``).
* :func:`dump_workbook` turns an .xlsx into JSON-able data: cell values, formulas, number
  formats, merged ranges, column widths, print setup. Not bytes: the dump shows what a
  reader sees, and a diff of it is reviewable.
* :func:`evaluate` computes the formulas costshare writes (``SUM``, ``ROUND``, cell
  arithmetic) exactly with fractions, so the totals are checked without LibreOffice.
* :func:`recalculate_with_libreoffice` has LibreOffice load the file with forced
  recalculation and write every sheet as CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pypdf
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = Path(__file__).parent.parent / "examples"


def assert_golden(relative: str, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file, or rewrite it when ``update``."""
    path = GOLDEN / relative
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; run pytest --update-golden and review the diff"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path} differs; if the change is intended, run pytest --update-golden"
    )


def pdf_text(path: Path) -> str:
    """The text of every page of a PDF, as pypdf extracts it, pages separated by a form feed;
    a no-break space (between an amount and "kr.", issue #22) reads as a space, as it does
    to a reader (tests/documents/test_typography.py checks where the PDFs have them)."""
    reader = pypdf.PdfReader(path)
    text = "\f".join(page.extract_text() for page in reader.pages) + "\n"
    return text.replace("\xa0", " ")


def dump_workbook(path: Path) -> dict[str, Any]:
    """Everything a reader of the workbook sees, as JSON-able data (not the bytes)."""
    workbook = load_workbook(path)
    sheets = []
    for sheet in workbook.worksheets:
        cells = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                entry: dict[str, Any] = {"value": _plain(cell.value), "type": cell.data_type}
                if cell.number_format != "General":
                    entry["format"] = cell.number_format
                if cell.font.bold:
                    entry["bold"] = True
                if cell.quotePrefix:
                    entry["quote_prefix"] = True
                cells[cell.coordinate] = entry
        sheets.append(
            {
                "name": sheet.title,
                "cells": cells,
                "merged": sorted(str(merged) for merged in sheet.merged_cells.ranges),
                "column_widths": {
                    letter: dimension.width
                    for letter, dimension in sorted(sheet.column_dimensions.items())
                    if dimension.width
                },
                "freeze_panes": sheet.freeze_panes,
                "print_area": sheet.print_area,
                "print_title_rows": sheet.print_title_rows,
                "paper_size": sheet.page_setup.paperSize,
                "orientation": sheet.page_setup.orientation,
                "fit_to_width": sheet.page_setup.fitToWidth,
                "charts": len(sheet._charts),
            }
        )
    return {"sheets": sheets}


def dump_json(data: dict[str, Any]) -> str:
    """The dump as JSON with one cell per line, so a golden diff shows changed cells."""

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ['{"sheets": [']
    for index, sheet in enumerate(data["sheets"]):
        lines.append(" {")
        for key, value in sheet.items():
            if key == "cells":
                lines.append('  "cells": {')
                cells = [
                    f"   {compact(coordinate)}: {compact(cell)}"
                    for coordinate, cell in value.items()
                ]
                lines.append(",\n".join(cells))
                lines.append("  },")
            else:
                lines.append(f"  {compact(key)}: {compact(value)},")
        lines[-1] = lines[-1].rstrip(",")
        lines.append(" }," if index < len(data["sheets"]) - 1 else " }")
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == json.loads(json.dumps(data))
    return text


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- formulas -------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)|([A-Z]+)\(|(\d+(?:\.\d+)?)|(.))")


def evaluate(sheet: Any, coordinate: str, _depth: int = 0) -> Fraction:
    """The exact value of a cell: numbers as they are, formulas computed with fractions.

    Understands what costshare writes: ``SUM(range)``, ``ROUND(x, n)``, cell
    references and ``+ - * /``. Anything else fails the test loudly.
    """
    assert _depth < 50, "formula references loop"
    value = sheet[coordinate.replace("$", "")].value
    if isinstance(value, str) and value.startswith("="):
        parser = _Parser(sheet, value[1:], _depth)
        result = parser.expression()
        assert parser.done(), f"{coordinate}: cannot read formula {value!r}"
        return result
    assert isinstance(value, (int, float, Decimal)) and not isinstance(value, bool), (
        f"{coordinate}: {value!r} is not a number"
    )
    return Fraction(Decimal(str(value)))


class _Parser:
    def __init__(self, sheet: Any, text: str, depth: int) -> None:
        self.sheet = sheet
        self.depth = depth
        self.tokens = [next(g for g in m.groups() if g is not None) for m in _TOKEN.finditer(text)]
        self.kinds = [m.lastindex for m in _TOKEN.finditer(text)]
        self.position = 0

    def done(self) -> bool:
        return self.position == len(self.tokens)

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, int | None]:
        token, kind = self.tokens[self.position], self.kinds[self.position]
        self.position += 1
        return token, kind

    def expression(self) -> Fraction:
        value = self.term()
        while self._peek() in ("+", "-"):
            operator, _ = self._take()
            value = value + self.term() if operator == "+" else value - self.term()
        return value

    def term(self) -> Fraction:
        value = self.factor()
        while self._peek() in ("*", "/"):
            operator, _ = self._take()
            value = value * self.factor() if operator == "*" else value / self.factor()
        return value

    def factor(self) -> Fraction:
        token, kind = self._take()
        if token == "-":
            return -self.factor()
        if token == "(":
            value = self.expression()
            assert self._take()[0] == ")"
            return value
        if kind == 3:
            return Fraction(Decimal(token))
        if kind == 1:
            assert ":" not in token, f"a range {token} outside SUM"
            return evaluate(self.sheet, token, self.depth + 1)
        if kind == 2:
            return self.function(token)
        raise AssertionError(f"unexpected {token!r} in a formula")

    def function(self, name: str) -> Fraction:
        if name == "SUM":
            token, kind = self._take()
            assert kind == 1 and ":" in token, f"SUM of {token!r}"
            assert self._take()[0] == ")"
            low_col, low_row, high_col, high_row = range_boundaries(token.replace("$", ""))
            return sum(
                (
                    evaluate(self.sheet, f"{_letter(column)}{row}", self.depth + 1)
                    for row in range(low_row, high_row + 1)
                    for column in range(low_col, high_col + 1)
                    if self.sheet.cell(row, column).value is not None
                ),
                Fraction(0),
            )
        if name == "ROUND":
            value = self.expression()
            assert self._take()[0] == ","
            places = int(self.expression())
            assert self._take()[0] == ")"
            scaled = value * 10**places
            rounded = int(abs(scaled) + Fraction(1, 2)) * (1 if scaled >= 0 else -1)
            return Fraction(rounded, 10**places)
        raise AssertionError(f"unknown function {name}")


def _letter(column: int) -> str:
    return get_column_letter(column)


def formulas(sheet: Any) -> dict[str, str]:
    """Every formula cell of a sheet: coordinate → formula."""
    return {
        cell.coordinate: cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


def column_of(header: str, header_row: tuple[Any, ...]) -> int:
    """The 1-based column holding ``header``."""
    return [cell.value for cell in header_row].index(header) + 1


# --- LibreOffice ----------------------------------------------------------------------

_RECALCULATE_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
  oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate_with_libreoffice(xlsx: Path, work: Path) -> dict[str, list[list[str]]]:
    """Load ``xlsx`` in headless LibreOffice, recalculating every formula, and return
    each sheet's displayed values as CSV rows (sheet name → rows)."""
    binary = soffice()
    assert binary is not None
    profile = work / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    # A private profile that recalculates OOXML files on load ("always"), so the values
    # come from LibreOffice's own evaluation, not from anything cached in the file.
    (profile / "user" / "registrymodifications.xcu").write_text(
        _RECALCULATE_ALWAYS, encoding="utf-8"
    )
    out = work / "csv"
    # CSV filter options: comma, double quote, UTF-8, from row 1, ..., -1 = every sheet.
    export = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            export,
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {}
    for file in out.glob(f"{xlsx.stem}-*.csv"):
        name = file.stem.removeprefix(f"{xlsx.stem}-")
        sheets[name] = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"))))
    assert sheets, f"LibreOffice wrote no CSV for {xlsx}"
    return sheets


# --- running the command --------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> Any:
    """Invoke ``costshare`` in-process; return click's Result."""
    from click.testing import CliRunner

    from costshare.cli import cli

    return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


def build_package(example: str, out: Path, *options: str) -> Path:
    """Run ``costshare run examples/<example>.toml --out out`` and check it succeeded."""
    result = run_cli("run", str(EXAMPLES / f"{example}.toml"), "--out", str(out), *options)
    assert result.exit_code == 0, result.output + result.stderr
    return out


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes), to compare two states."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def with_greve(programme: str, amount: str, total: str) -> str:
    """A TeleHjerte programme whose charge also went to Greve (253), a municipality outside
    the region, as a co-financing party paying ``amount`` of ``total``: every other payer
    pays what it pays without Greve (region and municipalities keep their halves)."""
    half = str((int(total) - int(amount)) // 2)
    text = programme.replace('weight = "50 %"', f'weight = "{half}"')
    text = text.replace(
        "\n[municipalities]",
        f'\n[[parties]]\nname = "Greve"\ncode = "253"\nweight = "{amount}"\n\n[municipalities]',
        1,
    )
    for line in text.splitlines():
        if line.startswith("amount = "):
            return text.replace(line, f'amount = "{total}"', 1)
    raise AssertionError("no amount in the programme")
