"""Reading an Excel workbook into sheets of the cells it holds: no more, whatever it claims.

A worksheet's size is what its cells are. A 6 KB file may hold one cell at ``XFD1048576``,
claim the dimension ``A1:XFD1048576``, merge or link a range of seventeen billion cells:
a reader that makes a grid of the sheet (openpyxl's ordinary mode, and any ``iter_rows``
from ``A1``) allocates that gap and runs for minutes. :func:`read_sheets` streams each
worksheet's XML once (openpyxl's own parser, so shared strings, shared formulas, dates and
number formats are read as Excel writes them) and keeps only the cells that hold a value
or a formula, in a :class:`Sheet`: a dictionary by (row, column), the hidden rows and
columns, and the merged ranges as four numbers each. Nothing is ever expanded.

Before anything is parsed, :func:`check_zip` checks the zip against the limits of
:mod:`costshare.base.limits` (what it unpacks to, the number of worksheets) and counts
each sheet's rows in its XML.

>>> column_number("A"), column_number("XFD")
(1, 16384)
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import grouped, lazy
from costshare.base.limits import MAX_SHEETS, MAX_XLSX_UNCOMPRESSED

LAST_ROW = 1_048_576
LAST_COLUMN = 16_384
_SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml")


@dataclass(frozen=True)
class SheetCell:
    """A cell that holds something: its value as saved, its formula, its number format.

    ``value`` is what Excel saved (for a formula: the result it computed last, or None);
    ``number`` is a number cell's digits exactly as written in the file; ``formula`` is the
    formula's text (``=SUM(G5:G34)``), or an openpyxl object for an array formula.
    """

    value: Any
    number_format: str = "General"
    formula: Any = None
    number: str | None = None


@dataclass
class Sheet:
    """The cells of one worksheet that hold something, and what hides some of them."""

    title: str
    state: str = "visible"
    cells: dict[tuple[int, int], SheetCell] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: tuple[tuple[int, int], ...] = ()
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """(first row, first column, last row, last column) of each merged range."""

    def row_numbers(self) -> list[int]:
        """The rows that hold a cell, in order."""
        return sorted({row for row, _ in self.cells})

    def row(self, number: int, width: int) -> list[Any]:
        """Row ``number``'s values in columns 1 to ``width`` (None where empty)."""
        values: list[Any] = [None] * width
        for column in range(1, width + 1):
            cell = self.cells.get((number, column))
            if cell is not None:
                values[column - 1] = cell.value
        return values

    def cells_in_rows(self, first: int, last: int) -> Iterator[tuple[int, int, SheetCell]]:
        """(row, column, cell) for every cell in rows ``first`` to ``last``."""
        for (row, column), cell in self.cells.items():
            if first <= row <= last:
                yield row, column, cell


def column_number(letters: str) -> int:
    """The number of spreadsheet column ``letters`` (``A`` is 1)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def read_sheets(data: bytes, source: str) -> list[Sheet]:
    """Every worksheet of the workbook ``data``, as the cells it holds.

    Only the workbook's parts that say what the sheets are (their names and states, the
    shared strings, the number formats) are read as openpyxl reads them; each worksheet is
    then streamed once. Raises :class:`InputError` for a workbook over a limit; other
    exceptions (a damaged or foreign file) are the caller's to report as unreadable.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    check_zip(data, source)
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = []
        for entry, relation in reader.parser.find_sheets():
            if relation.target not in reader.valid_files or "chartsheet" in relation.Type:
                continue
            sheet = Sheet(entry.name, entry.state or "visible")
            with reader.archive.open(relation.target) as stream:
                _read_sheet(reader, stream, sheet)
            sheets.append(sheet)
        return sheets
    finally:
        reader.archive.close()


def _read_sheet(reader: Any, stream: Any, sheet: Sheet) -> None:
    """Stream one worksheet into ``sheet``: only cells that hold something are kept."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.utils.cell import range_boundaries

    book = reader.wb
    formats: dict[int, str] = {}

    def number_format(style: int) -> str:
        if style not in formats:
            code = book._cell_styles[style].numFmtId if style < len(book._cell_styles) else 0
            if code < BUILTIN_FORMATS_MAX_SIZE:
                formats[style] = str(BUILTIN_FORMATS.get(code, "General"))
            else:
                formats[style] = str(book._number_formats[code - BUILTIN_FORMATS_MAX_SIZE])
        return formats[style]

    parser = _cell_parser()(
        stream,
        reader.shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    for _, cells in parser.parse():
        for cell in cells:
            formula = cell.get("formula")
            if cell["value"] is None and formula is None:
                continue
            row, column = cell["row"], cell["column"]
            if not (1 <= row <= LAST_ROW and 1 <= column <= LAST_COLUMN):
                raise ValueError(f"a cell outside the sheet: row {row}, column {column}")
            sheet.cells[row, column] = SheetCell(
                cell["value"], number_format(cell["style_id"] or 0), formula, cell.get("number")
            )
    sheet.hidden_rows = frozenset(
        int(row) for row, attributes in parser.row_dimensions.items() if _true(attributes, "hidden")
    )
    sheet.hidden_columns = tuple(
        (int(attributes.get("min", 0)), int(attributes.get("max", 0)))
        for attributes in parser.column_dimensions.values()
        if _true(attributes, "hidden")
    )
    if parser.merged_cells is not None:
        merged = []
        for merge in parser.merged_cells.mergeCell:
            min_col, min_row, max_col, max_row = range_boundaries(merge.ref)
            merged.append((min_row, min_col, max_row, max_col))
        sheet.merged = tuple(merged)


def _true(attributes: dict[str, str], name: str) -> bool:
    return str(attributes.get(name, "")).casefold() in ("1", "true")


@functools.cache
def _cell_parser() -> type:
    """openpyxl's streaming parser, keeping a formula and its saved value both, and a
    number's digits as written (made on first use: openpyxl loads only to read a workbook)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if element.find(FORMULA_TAG) is not None:
                cell["formula"] = self.parse_formula(element)
            if element.get("t", "n") == "n":
                cell["number"] = element.findtext(VALUE_TAG, None) or None
            return cell

    return CellParser


def check_zip(data: bytes, source: str) -> int:
    """Refuse a workbook that would inflate past the limit or hold too many sheets, before
    anything in it is parsed; return the most rows a sheet may have (its ``<row`` elements,
    counted in the XML: reading takes time per row, counting them takes none)."""
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
            sheets = [m for m in members if _SHEET_MEMBER.fullmatch(m.filename)]
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
            return max((_rows_in(archive, member) for member in sheets), default=0)
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return 0  # not a readable zip: reading it reports it as not a workbook


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
