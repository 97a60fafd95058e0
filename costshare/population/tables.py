"""Read a user's CSV or Excel file into a header and a table of text cells: the one reader
for population files, received annexes and registers.

Both formats end up as the same :class:`Table`: the header cells as written, and a
polars DataFrame whose columns ``c0``, ``c1``, … hold every cell as text (``None`` for
an empty cell), plus ``_rec``, the record's position, which :meth:`Table.row_number`
turns into the row number a person sees in the file. Rows that are entirely blank are
dropped. What the columns mean is decided by the caller
(:mod:`costshare.population.userfile`, :mod:`costshare.check.annex`).

* **The header row** is the first of the first :data:`HEADER_SEARCH_ROWS` rows that the
  caller's ``accept`` recognises, so title rows (and, in a workbook, a merged title cell)
  may sit above it; if none is recognised, the first non-blank row is returned for the
  caller to explain.
* **Total rows** (a cell ``I alt``, ``Total``, ``Sum``, ``Samlet …``, ``… i alt``) are left
  out of ``frame`` and given in ``totals``, for the caller to check against the rows.
* **What you see is what is read**: in a workbook, a hidden sheet, hidden or filtered-out
  rows and hidden columns that hold values, merged cells in the table (other than a
  one-row heading with nothing else in its row) and a number format that shows something
  other than the value (``;;;`` or a literal text) are refused, naming the cell
  (:mod:`costshare.population.sheet_checks`).
* **Text that cannot lie**: a cell holding a control character, a bidirectional control
  or a non-character is refused (:mod:`costshare.base.text`).
* **Bounded**: the file must be a regular file within the limits of
  :mod:`costshare.base.limits` (size, a workbook's uncompressed size, rows, cell length).

CSV files may be UTF-8 (with or without BOM) or Windows-1252, and separated by commas,
semicolons or tabs (sniffed from the header line). Excel files (``.xlsx``/``.xlsm``) are
read with openpyxl; numbers become the text a person would type (``52939``, ``12.5``),
and :meth:`Table.values` gives a column's cells as stored (numbers as numbers).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
>>> _ = path.write_bytes("Befolkning\\r\\nkommune;antal\\r\\nK\\xf8ge;61.232\\r\\nI alt;61.232\\r\\n".encode("cp1252"))
>>> table = read_table(path, lambda header: "antal" in header)
>>> table.header, table.frame.rows(), table.row_number(0), table.totals.rows()
(('kommune', 'antal'), [(0, 'Køge', '61.232')], 3, [(1, 'I alt', '61.232')])
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from costshare.base.errors import InputError, shown
from costshare.base.i18n import grouped, lazy, tr
from costshare.base.limits import (
    MAX_FIELD_CHARS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_XLSX_UNCOMPRESSED,
    POPULATION_FILE,
    regular_file,
)
from costshare.base.text import FORBIDDEN_CLASS, forbidden_named
from costshare.population.csvtext import decode_csv, header_cells, record_line, unclosed_quote
from costshare.population.sheet_checks import (
    cell_text,
    column_letter,
    refuse_hidden,
    refuse_hiding_formats,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 20
TOTAL_LABELS = ("i alt", "total", "sum", "samlet", "alt i alt")
_SEPARATORS = (",", ";", "\t")  # a tie goes to the first
_LABELS = "|".join(TOTAL_LABELS)
# ``I alt``, ``Total``, also ``I alt kommuner``, ``Samlet udgift``, ``Kommunerne i alt``.
_TOTAL = f"^(?:{_LABELS})(?: .*)?$|^.* (?:{_LABELS})$"

__all__ = ["EXCEL_SUFFIXES", "HEADER_SEARCH_ROWS", "Table", "decode_csv", "read_table"]


def _never(_rec: int, _col: int) -> bool:
    return False


@dataclass(frozen=True)
class Table:
    """A file's header and its data rows as text, with a way back to row numbers."""

    source: str
    header: tuple[str, ...]
    frame: pl.DataFrame
    row_number: Callable[[int], int]
    notes: tuple[str, ...] = ()
    # Whether an empty cell (record, column index) holds a formula with no saved value.
    is_formula: Callable[[int, int], bool] = _never
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


def read_table(
    path: str | Path, accept: Callable[[Sequence[str]], bool], what: str = POPULATION_FILE
) -> Table:
    """Read a CSV or Excel file; in a workbook, the one sheet with a header ``accept``ed.

    Raises :class:`InputError` (one line, naming the file) for a missing, empty,
    binary, oversized or undecodable file, a damaged workbook, or anything in it that a
    reader would not see (see the module docstring).
    """
    source = str(path)
    path = Path(path)
    if not path.exists():
        raise InputError(lazy("no such file; check the path"), source=source)
    if path.is_dir():
        raise InputError(lazy("is a folder, not a file; give a CSV or Excel file"), source=source)
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise InputError(lazy("old .xls workbooks are not read; save it as .xlsx"), source=source)
    regular_file(path, what)  # before opening: a FIFO or device would block the read
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(
            lazy("could not be read ({reason})", reason=error.strerror), source=source
        ) from None
    # The file is read once, and everything below parses these bytes: so the SHA-256 a
    # package records describes exactly what was split, even if the file changes later.
    if suffix in EXCEL_SUFFIXES:
        table = _read_workbook(raw, source, accept)
    else:
        table = _read_csv(decode_csv(raw, source), source, accept)
    return replace(table, sha256=hashlib.sha256(raw).hexdigest())


def _too_many_rows(source: str, limit: int = MAX_TABLE_ROWS) -> InputError:
    if limit == MAX_TABLE_ROWS:
        problem = lazy("has more than {limit} rows, the limit for a CSV file", limit=grouped(limit))
    else:
        problem = lazy(
            "has more than {limit} rows, the limit for a worksheet; save it as CSV",
            limit=grouped(limit),
        )
    return InputError(problem, source=source)


def _too_many_columns(source: str, width: int) -> InputError:
    return InputError(
        lazy(
            "has {width} columns, over the limit of {limit} for a table; "
            "keep only the columns that are needed",
            width=grouped(width),
            limit=grouped(MAX_TABLE_COLUMNS),
        ),
        source=source,
    )


def _csv_header(text: str, accept: Callable[[Sequence[str]], bool]) -> tuple[int, str] | None:
    """The offset of the header line and its separator: the first accepted line among the
    first rows, else the first non-blank line with its commonest separator."""
    first: tuple[int, str] | None = None
    position = 0
    for _ in range(HEADER_SEARCH_ROWS):
        end = text.find("\n", position)
        line = text[position : end if end >= 0 else len(text)]
        if line.strip():
            by_count = sorted(_SEPARATORS, key=lambda s: -line.count(s))
            first = first or (position, by_count[0])
            for separator in by_count:
                if accept([_clean(cell) for cell in header_cells(line, separator)]):
                    return position, separator
        if end < 0:
            break
        position = end + 1
    if first is None:
        content = re.search(r"\S", text)
        if content is None:
            return None
        start = text.rfind("\n", 0, content.start()) + 1
        line = text[start:].split("\n", 1)[0]
        first = (start, max(_SEPARATORS, key=line.count))
    return first


def _read_csv(text: str, source: str, accept: Callable[[Sequence[str]], bool]) -> Table:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") > MAX_TABLE_ROWS + HEADER_SEARCH_ROWS:
        raise _too_many_rows(source)
    found = _csv_header(text, accept)
    if found is None:
        raise InputError(lazy("the file is empty"), source=source)
    start, separator = found
    body = text[start:]
    header_line = body.split("\n", 1)[0]
    # As wide as the widest line (a separator inside quotes only adds an empty column),
    # so that a row with more cells than the header is seen, not silently cut short.
    widest = max((line.count(separator) for line in body.split("\n")), default=0) + 1
    if '"' in body:
        # A cell over csv's size limit raises: keep the line count (an upper bound) then.
        with contextlib.suppress(csv.Error):
            widest = max(map(len, csv.reader(io.StringIO(body), delimiter=separator)), default=1)
    header_width = len(next(csv.reader([header_line], delimiter=separator)))
    width = max(header_width, widest)
    if width > MAX_TABLE_COLUMNS:
        raise _too_many_columns(source, width)
    if width > header_width:  # polars takes the number of columns from the first line
        body = header_line + separator * (width - header_width) + body[len(header_line) :]
    try:
        frame = pl.read_csv(
            body.encode("utf-8"),
            has_header=False,
            separator=separator,
            schema={f"c{i}": pl.String for i in range(width)},
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as error:
        quote_line = unclosed_quote(body)
        if quote_line is not None:
            problem = lazy('a quote (") opens a cell that is never closed; remove it or close it')
            line = text.count("\n", 0, start) + quote_line
            raise InputError(problem, source=source, row=line) from None
        reason = (str(error).strip().splitlines() or ["unknown reason"])[0]
        raise InputError(
            lazy("could not be read as CSV ({reason}); save it again as CSV", reason=shown(reason)),
            source=source,
        ) from None
    header = [_clean(cell) for cell in frame.row(0)] if frame.height else [""] * width
    skipped = text.count("\n", 0, start)  # title and blank lines above the header

    def row_number(rec: int) -> int:
        line = None
        if '"' in body:  # a quoted cell may span lines: count them (error path only)
            line = record_line(body, separator, rec + 1)
        return skipped + (line or rec + 2)

    return _table(source, header, frame.slice(1), row_number, header_row=skipped + 1)


def _check_inflated_size(data: bytes, source: str) -> None:
    """Refuse a workbook that would inflate past the limit or hold too many rows, before
    openpyxl reads it (reading takes ~0.7 s per 10,000 rows; counting them takes none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            size = sum(member.file_size for member in members)
            if size > MAX_XLSX_UNCOMPRESSED:
                raise InputError(
                    lazy(
                        "the workbook unpacks to {size} bytes, over the limit of {limit}; "
                        "save it as CSV or leave out what is not needed",
                        size=grouped(size),
                        limit=grouped(MAX_XLSX_UNCOMPRESSED),
                    ),
                    source=source,
                )
            sheets = [m for m in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", m.filename)]
            if len(sheets) > MAX_SHEETS:
                raise InputError(
                    lazy(
                        "the workbook has {count} worksheets, over the limit of {limit}; "
                        "save the sheet you mean as CSV",
                        count=grouped(len(sheets)),
                        limit=MAX_SHEETS,
                    ),
                    source=source,
                )
            for member in sheets:
                if _rows_in(archive, member) > MAX_SHEET_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_many_rows(source, MAX_SHEET_ROWS)
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return  # not a readable zip: openpyxl's reading reports it as not a workbook


def _rows_in(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """How many ``<row`` elements a worksheet's XML holds (an upper bound on its rows)."""
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row") + data.count(b":row ")
            tail = data[-5:]
            count -= tail.count(b"<row") + tail.count(b":row ")  # counted again next time
    return count + tail.count(b"<row") + tail.count(b":row ")


def _read_workbook(data: bytes, source: str, accept: Callable[[Sequence[str]], bool]) -> Table:
    """Read the one sheet whose header ``accept``s, refusing what a reader cannot see.

    A workbook can show one thing and hold another. So that the figures a person
    checks on screen are the figures used, costshare refuses (with the cell to fix)
    hidden or filtered-out rows, hidden columns, merged cells and hiding number formats
    in the table, a hidden sheet, and two sheets that both hold a table it could read.
    A formula counts with the value Excel last saved for it.
    """
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    _check_inflated_size(data, source)
    # openpyxl raises many kinds of exception for a damaged or foreign file (BadZipFile,
    # KeyError, XML parse errors…); all of them mean "this is not a workbook we can read".
    # Not read-only: the hidden rows, columns, merged cells and formats are needed.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        sheets: list[tuple[Worksheet, list[tuple[Any, ...]]]] = []
        for sheet in book.worksheets:
            rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
            sheets.append((sheet, list(rows)))
    except Exception as error:
        raise InputError(
            lazy(
                "is not a readable Excel workbook ({kind}); open it in Excel "
                "and save it as .xlsx, or save it as CSV",
                kind=type(error).__name__,
            ),
            source=source,
        ) from None
    found: list[tuple[Worksheet, list[tuple[Any, ...]], int, list[str]]] = []
    for sheet, rows in sheets:
        if len(rows) > MAX_SHEET_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows(source, MAX_SHEET_ROWS)
        first = _sheet_header(rows, accept)
        if first is not None:
            found.append((sheet, rows, first, [_clean(cell) for cell in _texts(rows[first])]))
    if not found:
        raise InputError(lazy("the workbook is empty"), source=source)
    readable = [f for f in found if accept(f[3])]
    if len(readable) > 1:
        raise InputError(
            lazy(
                "the sheets {first} and {second} both hold a table of recipients; delete the "
                "sheet you do not mean, or save the one you mean as CSV",
                first=repr(readable[0][0].title),
                second=repr(readable[1][0].title),
            ),
            source=source,
        )
    # The sheet whose header is recognised; else the first, for the caller to explain.
    sheet, rows, first, header = (readable or found)[0]
    if len(header) > MAX_TABLE_COLUMNS:
        raise _too_many_columns(source, len(header))
    if readable and sheet.sheet_state != "visible":
        raise InputError(
            lazy(
                "the sheet {sheet} is hidden; unhide it to check it first", sheet=repr(sheet.title)
            ),
            source=source,
        )
    if readable:
        refuse_hidden(source, sheet, first + 1, len(rows), len(header))
        refuse_hiding_formats(source, sheet, first + 1, len(rows), header)
    notes: tuple[str, ...] = ()
    if len(sheets) > 1:  # always two or more: no singular
        notes = (
            tr(
                "read sheet {sheet} of the {count} sheets",
                sheet=repr(sheet.title),
                count=len(sheets),
            ),
        )
    return _sheet_table(data, source, sheet.title, rows, first, header, notes)


def _sheet_header(
    rows: list[tuple[Any, ...]], accept: Callable[[Sequence[str]], bool]
) -> int | None:
    """The index of the header row: the first accepted among the first rows, else the
    first non-empty row, else None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(map(cell_text, row)) and accept([_clean(cell) for cell in _texts(row)]):
            return index
    return next((i for i, row in enumerate(rows) if any(map(cell_text, row))), None)


def _sheet_table(
    data: bytes,
    source: str,
    title: str,
    rows: list[tuple[Any, ...]],
    first: int,
    header: list[str],
    notes: tuple[str, ...],
) -> Table:
    width = len(header)
    raw = [(list(row) + [None] * width)[:width] for row in rows[first + 1 :]]
    columns = {f"c{i}": [cell_text(row[i]) for row in raw] for i in range(width)}
    frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
    header_row = first + 1

    @functools.cache
    def formula_cells() -> frozenset[tuple[int, int]]:
        """(row, column index) of every formula in the table, read once (formulas mode)."""
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            lines = book[title].iter_rows(min_row=header_row + 1, max_col=width, values_only=True)
            return frozenset(
                (number, column)
                for number, line in enumerate(lines, start=header_row + 1)
                for column, value in enumerate(line)
                if value is not None and not _is_constant(value)
            )
        finally:
            book.close()

    return _table(
        source,
        header,
        frame,
        lambda rec: header_row + 1 + rec,
        notes,
        lambda rec, col: (header_row + 1 + rec, col) in formula_cells(),
        lambda index: column_letter(index + 1),
        sheet=title,
        header_row=header_row,
        cell_value=lambda rec, col: raw[rec][col],
    )


def _is_constant(value: Any) -> bool:
    if isinstance(value, str):
        return not value.startswith("=")
    return isinstance(value, int | float | datetime | date | time)


def _table(
    source: str,
    header: list[str],
    frame: pl.DataFrame,
    row_number: Callable[[int], int],
    notes: tuple[str, ...] = (),
    is_formula: Callable[[int, int], bool] = _never,
    column_label: Callable[[int], str] = lambda index: str(index + 1),
    *,
    sheet: str | None = None,
    header_row: int = 1,
    cell_value: Callable[[int, int], Any] | None = None,
) -> Table:
    if len(frame) > MAX_TABLE_ROWS:
        raise _too_many_rows(source)
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
        _refuse_bad_cells(source, frame, index, title, row_number)
    is_total = pl.any_horizontal(
        [_normal_label(pl.col(f"c{i}")).str.contains(_TOTAL) for i, t in enumerate(header) if t]
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
        is_formula,
        totals,
        sheet,
        header_row,
        cell_value,
    )


def _refuse_bad_cells(
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


def _normal_label(column: pl.Expr) -> pl.Expr:
    """A cell as a label to match: lower case, single spaces, no trailing ':' or '.'."""
    text = column.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    return text.str.strip_chars_end(":.").str.strip_chars()


def _texts(row: Iterable[Any]) -> list[str | None]:
    return [cell_text(value) for value in row]


def _clean(cell: str | None) -> str:
    return (cell or "").strip().strip("\ufeff").strip()
