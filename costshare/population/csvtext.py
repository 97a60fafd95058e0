"""CSV text for the table reader: decoding bytes, plain records, and finding a line for a record.

>>> decode_csv("kommune;antal\\r\\n".encode("cp1252"), "pop.csv")
'kommune;antal\\r\\n'
>>> plain_records('kode;navn\\n101;"Kbh; x""y"\\n;\\n', ";")
[['kode', 'navn'], ['101', 'Kbh; x"y'], [None, None]]
>>> plain_records('kode;navn\\n101;Kbh "K"\\n', ";") is None
True
"""

from __future__ import annotations

import csv
import io
import re

from costshare.base.errors import InputError
from costshare.base.i18n import lazy


def decode_csv(raw: bytes, source: str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252; else an InputError."""
    if not raw.strip():
        raise InputError(lazy("the file is empty"), source=source)
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(lazy("is an Excel workbook, not CSV; rename it to .xlsx"), source=source)
    if b"\x00" in raw:
        raise InputError(lazy("is a binary file, not CSV text; save it as CSV"), source=source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV" in Danish Windows is Windows-1252, as are StatBank's exports.
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            lazy("unreadable encoding (neither UTF-8 nor Windows-1252); save as UTF-8"),
            source=source,
        ) from None


PLAIN_QUOTED_CHARS = 1 << 16
"""The largest text with quotes that :func:`plain_records` reads (polars reads larger)."""


def plain_records(body: str, separator: str) -> list[list[str | None]] | None:
    """``body``'s records, one per line (a quoted cell may hold line breaks), exactly as
    the polars CSV reader gives them: an empty cell is ``None``, a quoted empty cell
    ``""``; or None where polars must read it (tests/population/test_tables.py).

    Text without quotes is split on line breaks and ``separator``. Text with quotes (up
    to :data:`PLAIN_QUOTED_CHARS`) is read when every quote belongs to a cell quoted
    whole, with ``""`` for a quote inside it; a quote inside an unquoted cell, text after
    a closing quote or a quote never closed is not plain (polars refuses those, and the
    reader says why). ``body`` has ``\\n`` line breaks only.
    """
    if '"' not in body:
        lines = body.split("\n")
        if lines[-1] == "":  # the break that ends the last line starts no record
            lines.pop()
        return [[cell or None for cell in line.split(separator)] for line in lines]
    if len(body) > PLAIN_QUOTED_CHARS:
        return None
    cell = re.compile(f'"((?:[^"]|"")*)"|([^"{re.escape(separator)}\\n]*)')
    records: list[list[str | None]] = []
    record: list[str | None] = []
    position, end = 0, len(body)
    while True:
        match = cell.match(body, position)
        assert match is not None  # the second branch matches the empty text
        quoted, unquoted = match.group(1, 2)
        record.append(quoted.replace('""', '"') if quoted is not None else unquoted or None)
        position = match.end()
        if position == end:
            records.append(record)
            return records
        if body[position] == separator:
            position += 1
        elif body[position] == "\n":
            records.append(record)
            record = []
            position += 1
            if position == end:
                return records
        else:  # a quote in an unquoted cell, or text after a closing quote
            return None


def unclosed_quote(body: str) -> int | None:
    """The line of a quote that opens a cell and is never closed, if there is one."""
    opened_at, line, quoted = 0, 1, False
    for match in re.finditer(r'["\n]', body):
        if match[0] == "\n":
            line += 1
        else:
            quoted = not quoted
            opened_at = line if quoted else opened_at
    return opened_at if quoted else None


def record_line(body: str, separator: str, record: int) -> int | None:
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


def header_cells(line: str, separator: str) -> list[str]:
    """One line split as a CSV header (quotes honoured)."""
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return []
