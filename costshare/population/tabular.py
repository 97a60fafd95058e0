"""The table every reader makes of a user's file, and the checks every table gets.

:class:`Table` is what :func:`costshare.population.tables.read_table` returns for a CSV
file and :func:`costshare.population.sheet_table.read_workbook_table` for a worksheet: the
header cells as written, and the data rows as text cells (``None`` for an empty cell), each
with its record's position, which :meth:`Table.row_number` turns into the row number a
person sees in the file. The rows are plain Python: a register or an annex is read without
the columnar machinery. :attr:`Table.frame` gives them as a polars DataFrame (columns
``_rec``, ``c0``, ``c1``, …) for the population reader, which checks its columns with
polars expressions; polars is imported only then.

:func:`make_table` is the one place both readers finish a table: rows that are entirely
blank are dropped; a value in a column without a header, a cell over
:data:`MAX_FIELD_CHARS` or one holding a character that hides what it says is refused,
naming the cell; and the **total rows** (a cell ``I alt``, ``Total``, ``Sum``, ``Samlet …``,
``… i alt``) are set apart in ``total_rows``, for the caller to check against the rows.
White space is Unicode's (``str.split()`` without the four information separators, which
are control characters and refused), as polars, which held these rules before, reads it.

>>> table = make_table("f.csv", ["kommune", "antal"], [("Køge", "61.232"), (" ", None),
...     ("I alt", "61.232")], lambda rec: rec + 2)
>>> table.rows, table.total_rows
(((0, ('Køge', '61.232')),), ((2, ('I alt', '61.232')),))
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from costshare.base.errors import InputError, shown
from costshare.base.i18n import grouped, lazy
from costshare.base.limits import MAX_FIELD_CHARS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
from costshare.base.text import FORBIDDEN_CLASS, forbidden_named
from costshare.population.sheet_checks import cell_text

if TYPE_CHECKING:
    import polars as pl

HEADER_SEARCH_ROWS = 20
TOTAL_LABELS = ("i alt", "total", "sum", "samlet", "alt i alt")
_LABELS = "|".join(TOTAL_LABELS)
# ``I alt``, ``Total``, also ``I alt kommuner``, ``Samlet udgift``, ``Kommunerne i alt``.
_TOTAL = re.compile(f"^(?:{_LABELS})(?: .*)?$|^.* (?:{_LABELS})$")
# Unicode's white space as Rust's ``char::is_whitespace`` has it: Python's ``str.strip``
# also strips U+001C–U+001F, control characters a cell may not hold.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = re.compile(f"[{WHITE_SPACE}]+")
_FORBIDDEN = re.compile(FORBIDDEN_CLASS)

Cells = tuple[str | None, ...]
Row = tuple[int, Cells]
"""A data row: its record's position and its cells, one per header cell."""


@dataclass(frozen=True)
class Table:
    """A file's header and its data rows as text, with a way back to row numbers."""

    source: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    row_number: Callable[[int], int]
    notes: tuple[str, ...] = ()
    total_rows: tuple[Row, ...] = ()
    """Rows labelled I alt/Total, left out of ``rows``."""
    sheet: str | None = None
    header_row: int = 1
    # A cell as stored (numbers stay numbers in a workbook); None: the text is all there is.
    cell_value: Callable[[int, int], Any] | None = None
    sha256: str = ""
    """The SHA-256 of the bytes that were parsed."""

    def column(self, index: int) -> str:
        """The DataFrame column name of header cell ``index``."""
        return f"c{index}"

    @functools.cached_property
    def frame(self) -> pl.DataFrame:
        """The data rows as a polars DataFrame: ``_rec`` and a text column per header cell."""
        return self._frame(self.rows)

    @functools.cached_property
    def totals(self) -> pl.DataFrame:
        """The total rows as a DataFrame with the columns of :attr:`frame`."""
        return self._frame(self.total_rows)

    def _frame(self, rows: Sequence[Row]) -> pl.DataFrame:
        import polars as pl

        columns: dict[str, list[Any]] = {"_rec": [rec for rec, _ in rows]}
        for index in range(len(self.header)):
            columns[self.column(index)] = [cells[index] for _, cells in rows]
        schema = {name: pl.String for name in columns} | {"_rec": pl.UInt32}
        return pl.DataFrame(columns, schema=schema)

    def values(self, index: int, rows: Sequence[Row] | pl.DataFrame | None = None) -> list[Any]:
        """Column ``index`` of ``rows`` (default: the data rows; also a :attr:`frame`) as
        stored."""
        rows = self.rows if rows is None else rows
        if isinstance(rows, Sequence):
            if self.cell_value is None:
                return [cells[index] for _, cells in rows]
            return [self.cell_value(rec, index) for rec, _ in rows]
        if self.cell_value is None:
            return list(rows[self.column(index)].to_list())
        return [self.cell_value(rec, index) for rec in rows["_rec"].to_list()]


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
    records: Sequence[Cells],
    row_number: Callable[[int], int],
    notes: tuple[str, ...] = (),
    column_label: Callable[[int], str] = lambda index: str(index + 1),
    *,
    sheet: str | None = None,
    header_row: int = 1,
    cell_value: Callable[[int, int], Any] | None = None,
) -> Table:
    """The table of ``records`` (the rows below the header, one cell per header cell,
    numbered from 0), checked as the module docstring says."""
    if len(records) > MAX_TABLE_ROWS:
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
    width = len(header)
    rows = [(rec, cells) for rec, cells in enumerate(records) if not _blank(cells, width)]
    for index, title in enumerate(header):
        if title:
            refuse_bad_cells(source, rows, index, title, row_number)
            continue
        # A value outside the table might be a misplaced figure: refuse it.
        stray = next((row for row in rows if _stripped(row[1][index])), None)
        if stray is not None:
            problem = lazy(
                "the value {value} has no column header; add a header or delete it",
                value=shown(stray[1][index]),
            )
            raise InputError(
                problem, source=source, row=row_number(stray[0]), column=column_label(index)
            )
    titled = [index for index, title in enumerate(header) if title]
    is_total = [any(is_total_label(cells[i]) for i in titled) for _, cells in rows]
    totals = tuple(row for row, total in zip(rows, is_total, strict=True) if total)
    data = tuple(row for row, total in zip(rows, is_total, strict=True) if not total)
    return Table(
        source,
        tuple(header),
        data,
        row_number,
        notes,
        totals,
        sheet,
        header_row,
        cell_value,
    )


def _stripped(cell: str | None) -> str:
    return (cell or "").strip(WHITE_SPACE)


def _blank(cells: Cells, width: int) -> bool:
    return not any(_stripped(cell) for cell in cells[:width])


def refuse_bad_cells(
    source: str, rows: Sequence[Row], index: int, title: str, row_number: Callable[[int], int]
) -> None:
    """A cell over the length limit, or holding a character that hides what it says."""
    for rec, cells in rows:
        value = cells[index]
        if value is not None and len(value) > MAX_FIELD_CHARS:
            problem = lazy(
                "the cell holds {count} characters, over the limit of {limit}; shorten it",
                count=grouped(len(value)),
                limit=grouped(MAX_FIELD_CHARS),
            )
            raise InputError(problem, source=source, row=row_number(rec), column=title)
    for rec, cells in rows:
        value = cells[index]
        if value is not None and _FORBIDDEN.search(value):
            problem = lazy(
                "the cell holds {character}; remove it", character=forbidden_named(value)
            )
            raise InputError(problem, source=source, row=row_number(rec), column=title)


def normal_label(cell: str) -> str:
    """A cell as a label to match: lower case, single spaces, no trailing ':' or '.'."""
    text = _SPACES.sub(" ", cell.lower()).strip(WHITE_SPACE)
    return text.rstrip(":.").strip(WHITE_SPACE)


def is_total_label(cell: str | None) -> bool:
    """Whether a cell labels a total row (``I alt``, ``Total``, ``Samlet udgift``, …)."""
    return cell is not None and _TOTAL.search(normal_label(cell)) is not None


def texts(row: Iterable[Any]) -> list[str | None]:
    return [cell_text(value) for value in row]


def clean(cell: str | None) -> str:
    return (cell or "").strip().strip("\ufeff").strip()
