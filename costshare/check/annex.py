"""Reading a received annex: who is asked to pay what, from an .xlsx or a .csv file.

An annex is costshare's own overview workbook or a spreadsheet made by hand. The header
row is found among the first :data:`HEADER_SEARCH_ROWS` rows (title lines may sit above
it): it needs an amount column and a municipality column (a code, a name or both). The
amount column is chosen by its heading: ``Beløb``/``Beløb (kr.)`` first, then
``Amount``, ``Bidrag``, ``Share``, then ``Andel (kr.)``/``kr.``; a heading that names an
exact or unrounded amount (``Præcis andel (kr.)``) or a population share is never taken.
A row labelled ``I alt``, ``Total`` or ``Sum`` is a total row; its amount may be a formula
with no saved value (a file written by a program, not a spreadsheet), which is recorded
as ``None``.

Amounts are read by :func:`costshare.check.annex_amounts.parse_column`, in the style of
their column (Danish or English, inferred from all its cells).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.check.annex_amounts import parse_column
from costshare.population.tables import decode_csv

HEADER_SEARCH_ROWS = 20
TOTAL_LABELS = ("i alt", "total", "sum", "samlet", "alt i alt")
_CODE_HEADERS = {"kode", "kommunekode", "code", "kommunenr", "kommunenr.", "kommune nr.", "nr."}
_NAME_HEADERS = {"kommune", "kommunenavn", "navn", "name", "municipality", "betaler", "payer"}
_NOT_AMOUNT = ("præcis", "exact", "afrunding", "rounding", "indbygger", "andel af", "%")


@dataclass(frozen=True)
class AnnexRow:
    """One row of an annex: its row number, what identifies it, and its amount in øre.

    ``amount_ore`` is ``None`` when the amount cell is empty.
    """

    row: int
    code: str | None
    name: str | None
    amount_ore: int | None

    @property
    def label(self) -> str:
        """The row as a person would name it: ``157 Gentofte``."""
        return " ".join(part for part in (self.code, self.name) if part)


@dataclass(frozen=True)
class AnnexTotal:
    """A total row. ``amount_ore`` is ``None`` for a formula with no saved value."""

    row: int
    label: str
    amount_ore: int | None
    formula: bool = False


@dataclass(frozen=True)
class Annex:
    """The rows of an annex, in file order, with its total rows."""

    source: str
    sheet: str | None
    header_row: int
    amount_header: str
    rows: tuple[AnnexRow, ...]
    totals: tuple[AnnexTotal, ...]


def read_annex(path: str | Path) -> Annex:
    """Read an annex from an ``.xlsx`` or ``.csv`` file.

    Raises :class:`InputError` (``file:row:column: problem; what to do``) for a file that
    cannot be read, has no recognisable header, or holds an amount with no single reading.
    """
    source = str(path)
    path = Path(path)
    if not path.is_file():
        problem = "is a folder, not an annex" if path.is_dir() else "no such file; check the path"
        raise InputError(problem, source=source)
    if path.suffix.casefold() in (".xlsx", ".xlsm"):
        return _from_workbook(path, source)
    if path.suffix.casefold() == ".xls":
        raise InputError("old .xls workbooks are not read; save it as .xlsx", source=source)
    return _from_csv(decode_csv(path.read_bytes(), source), source)


def _from_csv(text: str, source: str) -> Annex:
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    # Title lines may come first, so try each separator, the most frequent first.
    for separator in sorted(";,\t", key=lambda s: -sum(line.count(s) for line in lines)):
        grid = list(csv.reader(io.StringIO(text), delimiter=separator))
        annex = _from_grid(grid, source, None, lambda _row, _col: False)
        if annex is not None:
            return annex
    raise _no_header(source)


def _from_workbook(path: Path, source: str) -> Annex:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # a damaged or foreign file raises many kinds of error
        raise InputError(
            f"is not a readable Excel workbook ({type(error).__name__}); "
            "open it in Excel and save it as .xlsx, or save it as CSV",
            source=source,
        ) from None
    for sheet in book.worksheets:
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]

        def is_formula(row: int, column: int, title: str = sheet.title) -> bool:
            formulas = openpyxl.load_workbook(path, data_only=False)[title]
            value = formulas.cell(row=row, column=column + 1).value
            return isinstance(value, str) and value.startswith("=")

        annex = _from_grid(grid, source, sheet.title, is_formula)
        if annex is not None:
            return annex
    raise _no_header(source)


def _no_header(source: str) -> InputError:
    return InputError(
        f"no header row with a municipality column (Kode/Kommune) and an amount column "
        f"(Beløb) in the first {HEADER_SEARCH_ROWS} rows; add such headings",
        source=source,
    )


def _from_grid(
    grid: list[list[Any]], source: str, sheet: str | None, is_formula: Any
) -> Annex | None:
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns = _header_columns(cells)
        if columns is not None:
            return _rows(grid, index, columns, source, sheet, is_formula)
    return None


def _header_columns(cells: list[Any]) -> tuple[int | None, int | None, int] | None:
    """The code, name and amount column of a header row, or None if it is not one."""
    headers = [_heading(cell) for cell in cells]
    code = next((i for i, h in enumerate(headers) if h in _CODE_HEADERS), None)
    name = next((i for i, h in enumerate(headers) if h in _NAME_HEADERS), None)
    ranked = [(rank, i) for i, h in enumerate(headers) if (rank := _amount_rank(h)) is not None]
    if not ranked or (code is None and name is None):
        return None
    return code, name, min(ranked)[1]


def _heading(cell: Any) -> str:
    return re.sub(r"\s+", " ", str(cell or "")).strip().rstrip(":").casefold()


def _amount_rank(heading: str) -> int | None:
    if not heading or any(word in heading for word in _NOT_AMOUNT):
        return None
    if heading.startswith("beløb"):
        return 0
    if heading.startswith(("amount", "bidrag", "share", "betaling")):
        return 1
    if heading in ("andel (kr.)", "andel i kr.", "andel kr.", "kr.", "kr", "dkk", "kroner"):
        return 2
    return None


def _rows(
    grid: list[list[Any]],
    header_index: int,
    columns: tuple[int | None, int | None, int],
    source: str,
    sheet: str | None,
    is_formula: Any,
) -> Annex:
    code_col, name_col, amount_col = columns
    amount_header = str(grid[header_index][amount_col]).strip()

    def cell(cells: list[Any], column: int | None) -> Any:
        if column is None or column >= len(cells):
            return None
        value = cells[column]
        return None if isinstance(value, str) and not value.strip() else value

    body = [(number, cells) for number, cells in enumerate(grid, start=1)][header_index + 1 :]
    amounts = parse_column(
        [cell(cells, amount_col) for _, cells in body],
        amount_header,
        source,
        [number for number, _ in body],
    )
    rows: list[AnnexRow] = []
    totals: list[AnnexTotal] = []
    for (number, cells), amount_ore in zip(body, amounts, strict=True):
        code, name = _text(cell(cells, code_col)), _text(cell(cells, name_col))
        label = next((t for t in (name, code, _text(cell(cells, 0))) if t), None)
        if label and _is_total(label):
            formula = amount_ore is None and is_formula(number, amount_col)
            totals.append(AnnexTotal(number, label, amount_ore, formula))
        elif code or name or amount_ore is not None:
            rows.append(AnnexRow(number, code, name, amount_ore))
    return Annex(source, sheet, header_index + 1, amount_header, tuple(rows), tuple(totals))


def _is_total(label: str) -> bool:
    """``I alt``, ``Total``, ``Sum``, also ``I alt kommuner`` or ``Kommunerne i alt``."""
    words = _heading(label).rstrip(".")
    return words in TOTAL_LABELS or any(
        words.startswith(f"{word} ") or words.endswith(f" {word}") for word in TOTAL_LABELS
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None
