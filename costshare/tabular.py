"""Read a user's CSV or Excel file into a header and a table of text cells.

Both formats end up as the same :class:`Table`: the header cells as written, and a
polars DataFrame whose columns ``c0``, ``c1``, … hold every cell as text (``None`` for
an empty cell), plus ``_rec``, the record's position, which :meth:`Table.row_number`
turns into the row number a person sees in the file (the header is row 1 when it is
the first line). Rows that are entirely blank are dropped. What the columns mean is
decided by :mod:`costshare.userfile`.

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

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from .errors import InputError, located

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (",", ";", "\t")  # a tie goes to the first


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
        raise InputError(located(source, "no such file; check the path"))
    if path.is_dir():
        raise InputError(located(source, "is a folder, not a file; give a CSV or Excel file"))
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise InputError(located(source, "old .xls workbooks are not read; save it as .xlsx"))
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path, source, accept)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(located(source, f"could not be read ({error.strerror})")) from None
    return _read_csv(decode_csv(raw, source), source)


def decode_csv(raw: bytes, source: str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252; else an InputError."""
    if not raw.strip():
        raise InputError(located(source, "the file is empty"))
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(located(source, "is an Excel workbook, not CSV; rename it to .xlsx"))
    if b"\x00" in raw:
        raise InputError(located(source, "is a binary file, not CSV text; save it as CSV"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV" in Danish Windows is Windows-1252, as are StatBank's exports.
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            located(source, "unreadable encoding (neither UTF-8 nor Windows-1252); save as UTF-8")
        ) from None


def _read_csv(text: str, source: str) -> Table:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    content = re.search(r"\S", text)
    if content is None:
        raise InputError(located(source, "the file is empty"))
    start = text.rfind("\n", 0, content.start()) + 1
    body = text[start:]
    header_line = body.split("\n", 1)[0]
    separator = max(_SEPARATORS, key=header_line.count)
    width = len(next(csv.reader([header_line], delimiter=separator)))
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
        reason = (str(error).strip().splitlines() or ["unknown reason"])[0]
        raise InputError(located(source, f"could not be read as CSV ({reason})")) from None
    header = [_clean(cell) for cell in frame.row(0)] if frame.height else [""] * width
    skipped = text.count("\n", 0, start)  # blank lines above the header

    def row_number(rec: int) -> int:
        line = None
        if '"' in body:  # a quoted cell may span lines: count them (error path only)
            line = _record_line(body, separator, rec + 1)
        return skipped + (line or rec + 2)

    return _table(source, header, frame.slice(1), row_number)


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
    import openpyxl

    # openpyxl raises many kinds of exception for a damaged or foreign file (BadZipFile,
    # KeyError, XML parse errors…); all of them mean "this is not a workbook we can read".
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheets: list[tuple[str, list[tuple[Any, ...]]]] = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # do not trust a stale <dimension> tag
            sheets.append((sheet.title, list(sheet.iter_rows(values_only=True))))
        book.close()
    except Exception as error:
        raise InputError(
            located(
                source,
                f"is not a readable Excel workbook ({type(error).__name__}); open it in Excel "
                "and save it as .xlsx, or save it as CSV",
            )
        ) from None
    found: list[tuple[str, list[tuple[Any, ...]], int, list[str]]] = []
    for title, rows in sheets:
        first = next((i for i, row in enumerate(rows) if any(map(_cell_text, row))), None)
        if first is not None:
            found.append((title, rows, first, [_clean(cell) for cell in _texts(rows[first])]))
    if not found:
        raise InputError(located(source, "the workbook is empty"))
    # The first sheet whose header is recognised; else the first, for the caller to explain.
    title, rows, first, header = next((f for f in found if accept(f[3])), found[0])
    notes = (f"read sheet {title!r} of the {len(sheets)} sheets",) if len(sheets) > 1 else ()
    return _sheet_table(path, source, title, rows, first, header, notes)


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

    return _table(source, header, frame, lambda rec: first + 2 + rec, notes, is_formula)


def _table(
    source: str,
    header: list[str],
    frame: pl.DataFrame,
    row_number: Callable[[int], int],
    notes: tuple[str, ...] = (),
    is_formula: Callable[[int, int], bool] = lambda _rec, _col: False,
) -> Table:
    frame = frame.with_row_index("_rec")
    cells = [pl.col(f"c{i}") for i in range(len(header))]
    blank = pl.all_horizontal([c.is_null() | (c.str.strip_chars() == "") for c in cells])
    frame = frame.filter(~blank) if cells else frame.clear()
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
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _clean(cell: str | None) -> str:
    return (cell or "").strip().strip("\ufeff").strip()
