"""What a reader of a worksheet cannot see: the checks the table reader makes on a sheet.

A workbook can show one thing and hold another. These checks take a
:class:`~costshare.population.sheets.Sheet` (the cells a worksheet holds, read by
:mod:`costshare.population.sheets`) and refuse, naming the cell: hidden or filtered-out rows and hidden columns that hold values,
merged cells in the table (but a one-row heading with nothing else in its row), and a
number format that shows something other than the cell's value.

>>> column_letter(1), column_letter(28), column_letter(703)
('A', 'AB', 'AAA')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy
from costshare.population.sheets import Sheet


def column_letter(number: int) -> str:
    """The spreadsheet name of column ``number`` (1 is ``A``)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def refuse_hidden(source: str, sheet: Sheet, top: int, width: int) -> None:
    """Refuse merged cells and hidden rows/columns from the header row (``top``) down.

    A merged cell that is a heading (one row, below the header, nothing else in its row)
    hides nothing and is allowed; a merged title above the header is not in the table.
    Only the cells that exist are looked at, never the area a range or a dimension spans.
    """
    if not (sheet.merged or sheet.hidden_rows or sheet.hidden_columns):
        return  # nothing hides anything
    shown: dict[int, list[int]] = {}  # row → columns (up to ``width``) that show something
    whole_rows: dict[int, list[int]] = {}  # row → every column that shows something
    for (row, column), cell in sheet.cells.items():
        if row >= top and cell_text(cell.value):
            whole_rows.setdefault(row, []).append(column)
            if column <= width:
                shown.setdefault(row, []).append(column)

    def is_heading(first_row: int, first_column: int, last_row: int, last_column: int) -> bool:
        if first_row != last_row or first_row <= top:
            return False
        columns = whole_rows.get(first_row, [])
        return all(first_column <= column <= last_column for column in columns)

    for first_row, first_column, last_row, last_column in sorted(sheet.merged):
        if last_row >= top and not is_heading(first_row, first_column, last_row, last_column):
            cells = (
                f"{column_letter(first_column)}{first_row}:{column_letter(last_column)}{last_row}"
            )
            raise InputError(
                lazy(
                    "cells {cells} are merged; unmerge them so that every row has its own values",
                    cells=cells,
                ),
                source=source,
                row=first_row,
                column=column_letter(first_column),
            )
    for row in sorted(sheet.hidden_rows):
        if row >= top and row in shown:
            raise InputError(
                lazy(
                    "the row is hidden or filtered out, but would be counted; unhide it "
                    "and delete it if it should not count"
                ),
                source=source,
                row=row,
            )
    with_values = {column for columns in shown.values() for column in columns}
    for first, last in sorted(sheet.hidden_columns):
        hidden = sorted(column for column in with_values if max(first, 1) <= column <= last)
        if hidden:
            raise InputError(
                lazy(
                    "column {column} is hidden, but would be read; "
                    "unhide it so that what you check is what is counted",
                    column=column_letter(hidden[0]),
                ),
                source=source,
            )


def refuse_hiding_formats(source: str, sheet: Sheet, top: int, header: Sequence[str]) -> None:
    """Refuse a cell below the header whose number format shows something other than its
    value (the first in reading order)."""
    width = len(header)
    hiding = [
        (row, column)
        for (row, column), cell in sheet.cells.items()
        if cell.number_format not in _SHOWS_ALL
        and row > top
        and column <= width
        and cell.value is not None
        and hides_value(cell.number_format, cell.value)
    ]
    if hiding:
        row, column = min(hiding)
        cell = sheet.cells[row, column]
        raise InputError(
            lazy(
                "the cell's number format {format} does not show its value {value}; "
                "set the format to General or a number format",
                format=shown(cell.number_format),
                value=shown(cell_text(cell.value)),
            ),
            source=source,
            row=row,
            column=header[column - 1] or column_letter(column),
        )


_SHOWS_ALL = frozenset(["General", "@", ""])


def hides_value(number_format: str, value: Any) -> bool:
    """Whether an Excel number format shows something other than ``value``.

    >>> hides_value("#,##0", 5), hides_value(";;;", 5), hides_value('"525.000 kr."', 7)
    (False, True, True)
    >>> hides_value("0;;;", "Gentofte"), hides_value("dd-mm-yyyy", 45000)
    (True, False)
    """
    if number_format in ("General", "@", ""):
        return False
    sections = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', number_format)  # ';' outside quotes
    if isinstance(value, bool | datetime | date | time):
        return False
    if isinstance(value, str):
        return len(sections) >= 4 and "@" not in _format_code(sections[3])
    if not isinstance(value, int | float | Decimal):
        return False
    if value < 0 and len(sections) >= 2:
        section = sections[1]
    elif value == 0 and len(sections) >= 3:
        section = sections[2]
    else:
        section = sections[0]
    code = _format_code(section)
    return not re.search(r"[0#?]|general|[ymdhs]", code.casefold())


def _format_code(section: str) -> str:
    """A format section without what only decorates: quoted text, escapes, [colours]."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].', "", section)


def cell_text(value: Any) -> str | None:
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
    if isinstance(value, Decimal):  # a computed formula: its exact digits, no exponent
        return format(value, "f")
    text = str(value)
    return text if text.strip() else None
