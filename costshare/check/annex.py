"""Reading a received annex: who is asked to pay what, from an .xlsx or a .csv file.

An annex is costshare's own overview workbook or a spreadsheet made by hand. The header
row is found among the first :data:`HEADER_SEARCH_ROWS` rows (title lines may sit above
it): it needs an amount column and a municipality column (a code, a name or both). The
amount column is chosen by its heading: ``Beløb``/``Beløb (kr.)`` first, then
``Amount``, ``Bidrag``, ``Share``, then ``Andel (kr.)``/``kr.``; a heading that names an
exact or unrounded amount (``Præcis andel (kr.)``) or a population share is never taken.
A row labelled ``I alt``, ``Total`` or ``Sum`` is a total row. A formula (a ``SUM``, a
difference) counts with the value costshare computes for it, never the value saved with
it (:mod:`costshare.population.formulas`): what Excel shows is what is checked.

Amounts are read by :func:`costshare.check.annex_amounts.parse_column`, in the style of
their column (Danish or English, inferred from all its cells).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.limits import ANNEX
from costshare.check.annex_amounts import parse_column
from costshare.population.tables import HEADER_SEARCH_ROWS, Table, read_table
from costshare.population.tabular import Row

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
    """A total row. ``amount_ore`` is ``None`` for an empty amount cell."""

    row: int
    label: str
    amount_ore: int | None


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
    """Read an annex from an ``.xlsx`` or ``.csv`` file, through the one table reader.

    The table reader (:func:`costshare.population.tables.read_table`) finds the header,
    refuses hidden sheets, rows and columns, merged cells and number formats that hide a
    value, and sets the total rows apart, exactly as for a population file: what a
    person checks on screen is what is compared.

    Raises :class:`InputError` (``file:row:column: problem; what to do``) for a file that
    cannot be read, has no recognisable header, or holds an amount with no single reading.
    """
    source = str(path)
    if Path(path).is_dir():
        raise InputError(lazy("is a folder, not an annex"), source=source)
    table = read_table(path, lambda header: _header_columns(header) is not None, ANNEX)
    columns = _header_columns(table.header)
    if columns is None:
        raise _no_header(source)
    return _annex(table, columns)


def is_annex_header(cells: Sequence[Any]) -> bool:
    """Whether a row is an annex's header: a municipality column and an amount column."""
    return _header_columns(cells) is not None


def annex_of(table: Table) -> Annex | None:
    """The annex in a table already read (None: its header is not an annex's)."""
    columns = _header_columns(table.header)
    return None if columns is None else _annex(table, columns)


def _no_header(source: str) -> InputError:
    return InputError(
        lazy(
            "no header row with a municipality column (Kode/Kommune) and an amount column "
            "(Beløb) in the first {count} rows; add such headings",
            count=HEADER_SEARCH_ROWS,
        ),
        source=source,
    )


def _annex(table: Table, columns: tuple[int | None, int | None, int]) -> Annex:
    code_col, name_col, amount_col = columns
    amount_header = table.header[amount_col]
    # Rows and totals together in file order: a column's number style is read from all.
    both = sorted(table.rows + table.total_rows, key=lambda row: row[0])
    totals = {rec for rec, _ in table.total_rows}
    recs = [rec for rec, _ in both]
    numbers = [table.row_number(rec) for rec in recs]
    amounts = parse_column(table.values(amount_col, both), amount_header, table.source, numbers)
    codes = _column(table, both, code_col)
    names = _column(table, both, name_col)
    firsts = _column(table, both, 0)
    rows: list[AnnexRow] = []
    found: list[AnnexTotal] = []
    for i, (rec, number, amount_ore) in enumerate(zip(recs, numbers, amounts, strict=True)):
        code, name = codes[i], names[i]
        if rec in totals:
            label = next((t for t in (name, code, firsts[i]) if t), "")
            found.append(AnnexTotal(number, label, amount_ore))
        elif code or name or amount_ore is not None:
            rows.append(AnnexRow(number, code, name, amount_ore))
    return Annex(
        table.source, table.sheet, table.header_row, amount_header, tuple(rows), tuple(found)
    )


def _column(table: Table, rows: Sequence[Row], index: int | None) -> list[str | None]:
    if index is None:
        return [None] * len(rows)
    return [(cells[index] or "").strip() or None for _, cells in rows]


def _header_columns(cells: Sequence[Any]) -> tuple[int | None, int | None, int] | None:
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
