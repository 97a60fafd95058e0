"""CSV text for the table reader: decoding bytes, and finding a line for a record.

>>> decode_csv("kommune;antal\\r\\n".encode("cp1252"), "pop.csv")
'kommune;antal\\r\\n'
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
