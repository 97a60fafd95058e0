"""Read a user's CSV or Excel file into a header and a table of text cells: the one reader
for population files, received annexes and registers.

Both formats end up as the same :class:`~costshare.population.tabular.Table`: the header
cells as written, and the data rows, every cell as text (``None`` for an empty cell), each
with ``rec``, the record's position, which :meth:`Table.row_number` turns into the row
number a person sees in the file. A CSV file is split into records in Python where its
quoting is plain (:func:`~costshare.population.csvtext.plain_records`: no quotes, or cells
quoted whole), which every register and most files are; polars reads the others, so a
register is read without importing it. Rows that are
entirely blank are dropped. What the columns mean is decided by the caller
(:mod:`costshare.population.userfile`, :mod:`costshare.check.annex`). This module reads CSV;
a workbook is read by :mod:`costshare.population.sheet_table`.

* **The header row** is the first of the first :data:`HEADER_SEARCH_ROWS` rows that the
  caller's ``accept`` recognises, so title rows (and, in a workbook, a merged title cell)
  may sit above it; if none is recognised, the first non-blank row is returned for the
  caller to explain.
* **Total rows** (a cell ``I alt``, ``Total``, ``Sum``, ``Samlet …``, ``… i alt``) are left
  out of ``rows`` and given in ``total_rows``, for the caller to check against the rows.
* **What you see is what is read**: in a workbook, a formula counts with the value
  costshare computes for it, never the value saved with it, and one it cannot compute is
  refused (:mod:`costshare.population.formulas`); a hidden sheet, hidden or filtered-out
  rows and hidden columns that hold values, merged cells in the table (other than a
  one-row heading with nothing else in its row) and a number format that shows something
  other than the value (``;;;`` or a literal text) are refused, naming the cell
  (:mod:`costshare.population.sheet_checks`).
* **Text that cannot lie**: a cell holding a control character, a bidirectional control
  or a non-character is refused (:mod:`costshare.base.text`).
* **Bounded**: the file must be a regular file within the limits of
  :mod:`costshare.base.limits` (size, a workbook's uncompressed size, rows, cell length);
  a worksheet is as large as the cells it holds, whatever its dimension or its ranges
  claim (:mod:`costshare.population.sheets`).

CSV files may be UTF-8 (with or without BOM) or Windows-1252, and separated by commas,
semicolons or tabs (sniffed from the header line). In Excel files (``.xlsx``/``.xlsm``)
numbers become the text a person would type (``52939``, ``12.5``), and
:meth:`Table.values` gives a column's cells as stored (numbers as numbers).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
>>> _ = path.write_bytes("Befolkning\\r\\nkommune;antal\\r\\nK\\xf8ge;61.232\\r\\nI alt;61.232\\r\\n".encode("cp1252"))
>>> table = read_table(path, lambda header: "antal" in header)
>>> table.header, table.rows, table.row_number(0), table.total_rows
(('kommune', 'antal'), ((0, ('Køge', '61.232')),), 3, ((1, ('I alt', '61.232')),))
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy
from costshare.base.limits import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, POPULATION_FILE, regular_file
from costshare.population.csvtext import (
    decode_csv,
    header_cells,
    plain_records,
    record_line,
    unclosed_quote,
)
from costshare.population.tabular import (
    HEADER_SEARCH_ROWS,
    Table,
    clean,
    make_table,
    too_many_columns,
    too_many_rows,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SEPARATORS = (",", ";", "\t")  # a tie goes to the first

__all__ = ["EXCEL_SUFFIXES", "HEADER_SEARCH_ROWS", "Table", "decode_csv", "read_table"]


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
        from costshare.population.sheet_table import read_workbook_table

        table = read_workbook_table(raw, source, accept)
    else:
        table = _read_csv(decode_csv(raw, source), source, accept)
    return replace(table, sha256=hashlib.sha256(raw).hexdigest())


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
                if accept([clean(cell) for cell in header_cells(line, separator)]):
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
        raise too_many_rows(source)
    found = _csv_header(text, accept)
    if found is None:
        raise InputError(lazy("the file is empty"), source=source)
    start, separator = found
    body = text[start:]
    plain = plain_records(body, separator)
    records = plain if plain is not None else _polars_records(text, start, separator, source)
    width = max(map(len, records))
    if width > MAX_TABLE_COLUMNS:
        raise too_many_columns(source, width)
    cells = [(*record, *(None,) * (width - len(record))) for record in records]
    header = [clean(cell) for cell in cells[0]]
    skipped = text.count("\n", 0, start)  # title and blank lines above the header

    def row_number(rec: int) -> int:
        line = None
        if '"' in body:  # a quoted cell may span lines: count them (error path only)
            line = record_line(body, separator, rec + 1)
        return skipped + (line or rec + 2)

    return make_table(source, header, cells[1:], row_number, header_row=skipped + 1)


def _polars_records(
    text: str, start: int, separator: str, source: str
) -> Sequence[Sequence[str | None]]:
    """The records of a CSV whose quoting :func:`plain_records` leaves to polars: a large
    file with quotes, or one whose quotes polars refuses (the error names the line)."""
    import polars as pl

    body = text[start:]
    header_line = body.split("\n", 1)[0]
    # As wide as the widest line (a separator inside quotes only adds an empty column),
    # so that a row with more cells than the header is seen, not silently cut short.
    widest = max((line.count(separator) for line in body.split("\n")), default=0) + 1
    # A cell over csv's size limit raises: keep the line count (an upper bound) then.
    with contextlib.suppress(csv.Error):
        widest = max(map(len, csv.reader(io.StringIO(body), delimiter=separator)), default=1)
    header_width = len(next(csv.reader([header_line], delimiter=separator)))
    width = max(header_width, widest)
    if width > MAX_TABLE_COLUMNS:
        raise too_many_columns(source, width)
    # polars takes the number of columns from the first line: a first line as wide as the
    # widest goes before the body and is dropped again (padding the header's own line put
    # a separator inside a quoted cell that runs on to the next line).
    skip = 1 if width > header_width else 0
    read = separator * (width - 1) + "\n" + body if skip else body
    try:
        frame = pl.read_csv(
            read.encode("utf-8"),
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
    rows = frame.rows()[skip:]
    return rows if rows else [(None,) * width]
