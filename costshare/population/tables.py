"""Read a user's CSV or Excel file into a header and a table of text cells.

Both formats end up as the same :class:`Table`: the header cells as written, and a
polars DataFrame whose columns ``c0``, ``c1``, … hold every cell as text (``None`` for
an empty cell), plus ``_rec``, the record's position, which :meth:`Table.row_number`
turns into the row number a person sees in the file (the header is row 1 when it is
the first line). Rows that are entirely blank are dropped. What the columns mean is
decided by :mod:`costshare.population.userfile`.

CSV files may be UTF-8 (with or without BOM) or Windows-1252, and separated by commas,
semicolons or tabs (sniffed from the header line). Excel files (``.xlsx``/``.xlsm``) are
read with openpyxl; numbers become the text a person would type (``52939``, ``12.5``).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
>>> _ = path.write_bytes("kommune;antal\\r\\nK\\xf8ge;61.232\\r\\n".encode("cp1252"))
>>> table = read_table(path, lambda header: True)
>>> table.header, table.frame.rows(), table.row_number(0)
(('kommune', 'antal'), [(0, 'Køge', '61.232')], 2)
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from costshare.base.errors import InputError, shown

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (",", ";", "\t")  # a tie goes to the first
# Control characters (C0, DEL, C1): they cannot go into a workbook cell and could move a
# terminal's cursor; no name or figure has one. Tabs and line breaks (in a quoted cell)
# are allowed: a workbook cell can hold them.
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


@dataclass(frozen=True)
class Table:
    """A file's header and its data rows as text, with a way back to row numbers."""

    source: str
    header: tuple[str, ...]
    frame: pl.DataFrame
    row_number: Callable[[int], int]
    notes: tuple[str, ...] = ()
    # Whether an empty cell (record, column index) holds a formula with no saved value.
    is_formula: Callable[[int, int], bool] = lambda _rec, _col: False

    def column(self, index: int) -> str:
        """The DataFrame column name of header cell ``index``."""
        return f"c{index}"


def read_table(path: str | Path, accept: Callable[[Sequence[str]], bool]) -> Table:
    """Read a CSV or Excel file; in a workbook, the first sheet whose header ``accept``s.

    Raises :class:`InputError` (one line, naming the file) for a missing, empty,
    binary or undecodable file, or a damaged workbook.
    """
    source = str(path)
    path = Path(path)
    if not path.exists():
        raise InputError("no such file; check the path", source=source)
    if path.is_dir():
        raise InputError("is a folder, not a file; give a CSV or Excel file", source=source)
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise InputError("old .xls workbooks are not read; save it as .xlsx", source=source)
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path, source, accept)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"could not be read ({error.strerror})", source=source) from None
    return _read_csv(decode_csv(raw, source), source)


def decode_csv(raw: bytes, source: str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252; else an InputError."""
    if not raw.strip():
        raise InputError("the file is empty", source=source)
    if raw.startswith(b"PK\x03\x04"):
        raise InputError("is an Excel workbook, not CSV; rename it to .xlsx", source=source)
    if b"\x00" in raw:
        raise InputError("is a binary file, not CSV text; save it as CSV", source=source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV" in Danish Windows is Windows-1252, as are StatBank's exports.
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            "unreadable encoding (neither UTF-8 nor Windows-1252); save as UTF-8", source=source
        ) from None


def _read_csv(text: str, source: str) -> Table:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    content = re.search(r"\S", text)
    if content is None:
        raise InputError("the file is empty", source=source)
    start = text.rfind("\n", 0, content.start()) + 1
    body = text[start:]
    header_line = body.split("\n", 1)[0]
    separator = max(_SEPARATORS, key=header_line.count)
    # As wide as the widest line (a separator inside quotes only adds an empty column),
    # so that a row with more cells than the header is seen, not silently cut short.
    widest = max((line.count(separator) for line in body.split("\n")), default=0) + 1
    if '"' in body:
        # A cell over csv's size limit raises: keep the line count (an upper bound) then.
        with contextlib.suppress(csv.Error):
            widest = max(map(len, csv.reader(io.StringIO(body), delimiter=separator)), default=1)
    header_width = len(next(csv.reader([header_line], delimiter=separator)))
    width = max(header_width, widest)
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
        quote_line = _unclosed_quote(body)
        if quote_line is not None:
            problem = 'a quote (") opens a cell that is never closed; remove it or close it'
            line = text.count("\n", 0, start) + quote_line
            raise InputError(problem, source=source, row=line) from None
        reason = (str(error).strip().splitlines() or ["unknown reason"])[0]
        raise InputError(
            f"could not be read as CSV ({shown(reason)}); save it again as CSV", source=source
        ) from None
    header = [_clean(cell) for cell in frame.row(0)] if frame.height else [""] * width
    skipped = text.count("\n", 0, start)  # blank lines above the header

    def row_number(rec: int) -> int:
        line = None
        if '"' in body:  # a quoted cell may span lines: count them (error path only)
            line = _record_line(body, separator, rec + 1)
        return skipped + (line or rec + 2)

    return _table(source, header, frame.slice(1), row_number)


def _unclosed_quote(body: str) -> int | None:
    """The line of a quote that opens a cell and is never closed, if there is one."""
    opened_at, line, quoted = 0, 1, False
    for match in re.finditer(r'["\n]', body):
        if match[0] == "\n":
            line += 1
        else:
            quoted = not quoted
            opened_at = line if quoted else opened_at
    return opened_at if quoted else None


def _record_line(body: str, separator: str, record: int) -> int | None:
    """The line on which ``record`` (0 = header) starts, counting lines inside quotes."""
    reader = csv.reader(io.StringIO(body), delimiter=separator)
    previous_end = 0
    try:
        for index, _cells in enumerate(reader):
            if index == record:
                return previous_end + 1
            previous_end = reader.line_num
    except csv.Error:  # polars read it, so only a cell over csv's size limit lands here
        return None
    return None


def _read_workbook(path: Path, source: str, accept: Callable[[Sequence[str]], bool]) -> Table:
    """Read the one sheet whose header ``accept``s, refusing what a reader cannot see.

    A workbook can show one thing and hold another. So that the figures a person
    checks on screen are the figures split, costshare refuses (with the cell to fix)
    hidden or filtered-out rows, hidden columns and merged cells in the table, a
    hidden sheet, and two sheets that both hold a table it could read. A formula
    counts with the value Excel last saved for it.
    """
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    # openpyxl raises many kinds of exception for a damaged or foreign file (BadZipFile,
    # KeyError, XML parse errors…); all of them mean "this is not a workbook we can read".
    # Not read-only: the hidden rows, columns and merged cells are needed (population
    # workbooks are small; large files come as CSV).
    try:
        book = openpyxl.load_workbook(path, data_only=True)
        sheets: list[tuple[Worksheet, list[tuple[Any, ...]]]] = []
        for sheet in book.worksheets:
            rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
            sheets.append((sheet, list(rows)))
    except Exception as error:
        raise InputError(
            f"is not a readable Excel workbook ({type(error).__name__}); open it in Excel "
            "and save it as .xlsx, or save it as CSV",
            source=source,
        ) from None
    found: list[tuple[Worksheet, list[tuple[Any, ...]], int, list[str]]] = []
    for sheet, rows in sheets:
        first = next((i for i, row in enumerate(rows) if any(map(_cell_text, row))), None)
        if first is not None:
            found.append((sheet, rows, first, [_clean(cell) for cell in _texts(rows[first])]))
    if not found:
        raise InputError("the workbook is empty", source=source)
    readable = [f for f in found if accept(f[3])]
    if len(readable) > 1:
        titles = " and ".join(repr(f[0].title) for f in readable[:2])
        raise InputError(
            f"the sheets {titles} both hold a table of recipients; delete the sheet "
            "you do not mean, or save the one you mean as CSV",
            source=source,
        )
    # The sheet whose header is recognised; else the first, for the caller to explain.
    sheet, rows, first, header = (readable or found)[0]
    if readable and sheet.sheet_state != "visible":
        raise InputError(
            f"the sheet {sheet.title!r} is hidden; unhide it to check it first", source=source
        )
    _refuse_hidden(source, sheet, first + 1, len(rows), len(header))
    notes = (f"read sheet {sheet.title!r} of the {len(sheets)} sheets",) if len(sheets) > 1 else ()
    return _sheet_table(path, source, sheet.title, rows, first, header, notes)


def _refuse_hidden(source: str, sheet: Any, top: int, bottom: int, width: int) -> None:
    """Refuse merged cells and hidden rows/columns from the header row (``top``) down."""
    from openpyxl.utils import get_column_letter

    def has_values(row: int | None = None, column: int | None = None) -> bool:
        cells = sheet.iter_rows(
            min_row=row or top, max_row=row or bottom, min_col=column or 1,
            max_col=column or width, values_only=True,
        )  # fmt: skip
        return any(_cell_text(value) for line in cells for value in line)

    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= top:
            raise InputError(
                f"cells {merged.coord} are merged; unmerge them so that every row has "
                "its own values",
                source=source,
                row=merged.min_row,
                column=get_column_letter(merged.min_col),
            )
    for row in range(top, bottom + 1):
        if row in sheet.row_dimensions and sheet.row_dimensions[row].hidden and has_values(row):
            raise InputError(
                "the row is hidden or filtered out, but would be counted; unhide it "
                "and delete it if it should not count",
                source=source,
                row=row,
            )
    for dimension in sheet.column_dimensions.values():
        if not dimension.hidden:
            continue
        for column in range(dimension.min or 1, min(dimension.max or 1, width) + 1):
            if has_values(column=column):
                raise InputError(
                    f"column {get_column_letter(column)} is hidden, but would be read; "
                    "unhide it so that what you check is what is counted",
                    source=source,
                )


def _sheet_table(
    path: Path,
    source: str,
    title: str,
    rows: list[tuple[Any, ...]],
    first: int,
    header: list[str],
    notes: tuple[str, ...],
) -> Table:
    width = len(header)
    body = [(_texts(row) + [None] * width)[:width] for row in rows[first + 1 :]]
    columns = {f"c{i}": [row[i] for row in body] for i in range(width)}
    frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})

    def is_formula(rec: int, col: int) -> bool:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            row = first + 2 + rec
            cells = book[title].iter_rows(row, row, col + 1, col + 1, values_only=True)
            return any(value is not None for (value,) in cells)
        finally:
            book.close()

    from openpyxl.utils import get_column_letter

    return _table(
        source,
        header,
        frame,
        lambda rec: first + 2 + rec,
        notes,
        is_formula,
        lambda index: get_column_letter(index + 1),
    )


def _table(
    source: str,
    header: list[str],
    frame: pl.DataFrame,
    row_number: Callable[[int], int],
    notes: tuple[str, ...] = (),
    is_formula: Callable[[int, int], bool] = lambda _rec, _col: False,
    column_label: Callable[[int], str] = lambda index: str(index + 1),
) -> Table:
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
                problem = (
                    f"the value {shown(value)} has no column header; add a header or delete it"
                )
                raise InputError(
                    problem, source=source, row=row_number(rec), column=column_label(index)
                )
            continue
        control = frame.filter(column.str.contains(_CONTROL))
        if not control.is_empty():
            rec, value = control.select("_rec", f"c{index}").row(0)
            char = re.search(_CONTROL, value)
            code = ord(char[0]) if char else 0
            problem = f"the cell holds the control character U+{code:04X}; remove it"
            raise InputError(problem, source=source, row=row_number(rec), column=title)
    return Table(source, tuple(header), frame, row_number, notes, is_formula)


def _texts(row: Iterable[Any]) -> list[str | None]:
    return [_cell_text(value) for value in row]


def _cell_text(value: Any) -> str | None:
    """A cell as the text a person would type: ``52939``, ``12.5``, ``TRUE``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Above 2**53 a float is not every whole number, and Excel keeps 15 digits: such
        # a cell is shown in exponent form, which no reader takes for a whole number.
        if value.is_integer() and abs(value) < 10**15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _clean(cell: str | None) -> str:
    return (cell or "").strip().strip("\ufeff").strip()
