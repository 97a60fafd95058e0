"""The table every reader makes of a user's file, and the checks every table gets.

:class:`Table` is what :func:`costshare.population.tables.read_table` returns for a CSV
file and :func:`costshare.population.sheet_table.read_workbook_table` for a worksheet: the
header cells as written, and a polars DataFrame whose columns ``c0``, ``c1``, … hold every
cell as text (``None`` for an empty cell), plus ``_rec``, the record's position, which
:meth:`Table.row_number` turns into the row number a person sees in the file.

:func:`make_table` is the one place both readers finish a table: rows that are entirely
blank are dropped; a value in a column without a header, a cell over
:data:`MAX_FIELD_CHARS` or one holding a character that hides what it says is refused,
naming the cell; and the **total rows** (a cell ``I alt``, ``Total``, ``Sum``, ``Samlet …``,
``… i alt``) are set apart in ``totals``, for the caller to check against the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from costshare.base.errors import InputError, shown
from costshare.base.i18n import grouped, lazy
from costshare.base.limits import MAX_FIELD_CHARS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from costshare.base.text import FORBIDDEN_CLASS, forbidden_named
from costshare.population.sheet_checks import cell_text

HEADER_SEARCH_ROWS = 20
TOTAL_LABELS = ("i alt", "total", "sum", "samlet", "alt i alt")
_LABELS = "|".join(TOTAL_LABELS)
# ``I alt``, ``Total``, also ``I alt kommuner``, ``Samlet udgift``, ``Kommunerne i alt``.
_TOTAL = f"^(?:{_LABELS})(?: .*)?$|^.* (?:{_LABELS})$"


@dataclass(frozen=True)
class Table:
    """A file's header and its data rows as text, with a way back to row numbers."""

    source: str
    header: tuple[str, ...]
    frame: pl.DataFrame
    row_number: Callable[[int], int]
    notes: tuple[str, ...] = ()
    # Rows labelled I alt/Total (same columns as ``frame``), left out of ``frame``.
    totals: pl.DataFrame = field(default_factory=pl.DataFrame)
    sheet: str | None = None
    header_row: int = 1
    # A cell as stored (numbers stay numbers in a workbook); None: the text is all there is.
    cell_value: Callable[[int, int], Any] | None = None
    sha256: str = ""
    """The SHA-256 of the bytes that were parsed."""

    def column(self, index: int) -> str:
        """The DataFrame column name of header cell ``index``."""
        return f"c{index}"

    def values(self, index: int, frame: pl.DataFrame | None = None) -> list[Any]:
        """Column ``index`` of ``frame`` (default: the data rows) as stored."""
        frame = self.frame if frame is None else frame
        if self.cell_value is None:
            return list(frame[self.column(index)].to_list())
        return [self.cell_value(rec, index) for rec in frame["_rec"].to_list()]


def too_many_rows(source: str, limit: int = MAX_TABLE_ROWS) -> InputError:
    if limit == MAX_TABLE_ROWS:
        problem = lazy("has more than {limit} rows, the limit for a CSV file", limit=grouped(limit))
    else:
        problem = lazy(
            "has more than {limit} rows, the limit for a worksheet; save it as CSV",
            limit=grouped(limit),
        )
    return InputError(problem, source=source)


def too_many_columns(source: str, width: int) -> InputError:
    return InputError(
        lazy(
            "has {width} columns, over the limit of {limit} for a table; "
            "keep only the columns that are needed",
            width=grouped(width),
            limit=grouped(MAX_TABLE_COLUMNS),
        ),
        source=source,
    )


def make_table(
    source: str,
    header: list[str],
    frame: pl.DataFrame,
    row_number: Callable[[int], int],
    notes: tuple[str, ...] = (),
    column_label: Callable[[int], str] = lambda index: str(index + 1),
    *,
    sheet: str | None = None,
    header_row: int = 1,
    cell_value: Callable[[int, int], Any] | None = None,
) -> Table:
    if len(frame) > MAX_TABLE_ROWS:
        raise too_many_rows(source)
    for index, title in enumerate(header):
        bad = forbidden_named(title)
        if bad is not None:
            raise InputError(
                lazy("the header holds {character}; remove it", character=bad),
                source=source,
                row=header_row,
                column=column_label(index),
            )
    frame = frame.with_row_index("_rec")
    cells = [pl.col(f"c{i}") for i in range(len(header))]
    blank = pl.all_horizontal([c.is_null() | (c.str.strip_chars() == "") for c in cells])
    frame = frame.filter(~blank) if cells else frame.clear()
    for index, title in enumerate(header):
        column = pl.col(f"c{index}")
        if not title:  # a value outside the table might be a misplaced figure: refuse it
            stray = frame.filter(column.str.strip_chars() != "")
            if not stray.is_empty():
                rec, value = stray.select("_rec", f"c{index}").row(0)
                problem = lazy(
                    "the value {value} has no column header; add a header or delete it",
                    value=shown(value),
                )
                raise InputError(
                    problem, source=source, row=row_number(rec), column=column_label(index)
                )
            continue
        refuse_bad_cells(source, frame, index, title, row_number)
    is_total = pl.any_horizontal(
        [normal_label(pl.col(f"c{i}")).str.contains(_TOTAL) for i, t in enumerate(header) if t]
        or [pl.lit(False)]
    ).fill_null(False)
    totals = frame.filter(is_total)
    frame = frame.filter(~is_total) if not totals.is_empty() else frame
    return Table(
        source,
        tuple(header),
        frame,
        row_number,
        notes,
        totals,
        sheet,
        header_row,
        cell_value,
    )


def refuse_bad_cells(
    source: str, frame: pl.DataFrame, index: int, title: str, row_number: Callable[[int], int]
) -> None:
    """A cell over the length limit, or holding a character that hides what it says."""
    column = pl.col(f"c{index}")
    long = frame.filter(column.str.len_chars() > MAX_FIELD_CHARS)
    if not long.is_empty():
        rec, value = long.select("_rec", f"c{index}").row(0)
        problem = lazy(
            "the cell holds {count} characters, over the limit of {limit}; shorten it",
            count=grouped(len(value)),
            limit=grouped(MAX_FIELD_CHARS),
        )
        raise InputError(problem, source=source, row=row_number(rec), column=title)
    hostile = frame.filter(column.str.contains(FORBIDDEN_CLASS))
    if not hostile.is_empty():
        rec, value = hostile.select("_rec", f"c{index}").row(0)
        problem = lazy("the cell holds {character}; remove it", character=forbidden_named(value))
        raise InputError(problem, source=source, row=row_number(rec), column=title)


def normal_label(column: pl.Expr) -> pl.Expr:
    """A cell as a label to match: lower case, single spaces, no trailing ':' or '.'."""
    text = column.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    return text.str.strip_chars_end(":.").str.strip_chars()


def texts(row: Iterable[Any]) -> list[str | None]:
    return [cell_text(value) for value in row]


def clean(cell: str | None) -> str:
    return (cell or "").strip().strip("\ufeff").strip()
