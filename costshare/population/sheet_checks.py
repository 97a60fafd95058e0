"""What a reader of a worksheet cannot see: the checks the table reader makes on a sheet.

A workbook can show one thing and hold another. These checks take an openpyxl worksheet
(loaded by :mod:`costshare.population.tables`, the only module that reads workbooks) and
refuse, naming the cell: hidden or filtered-out rows and hidden columns that hold values,
merged cells in the table (but a one-row heading with nothing else in its row), and a
number format that shows something other than the cell's value.

>>> column_letter(1), column_letter(28), column_letter(703)
('A', 'AB', 'AAA')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy


def column_letter(number: int) -> str:
    """The spreadsheet name of column ``number`` (1 is ``A``)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def refuse_hidden(source: str, sheet: Any, top: int, bottom: int, width: int) -> None:
    """Refuse merged cells and hidden rows/columns from the header row (``top``) down.

    A merged cell that is a heading (one row, below the header, nothing else in its row)
    hides nothing and is allowed; a merged title above the header is not in the table.
    """

    def has_values(row: int | None = None, column: int | None = None) -> bool:
        cells = sheet.iter_rows(
            min_row=row or top, max_row=row or bottom, min_col=column or 1,
            max_col=column or width, values_only=True,
        )  # fmt: skip
        return any(cell_text(value) for line in cells for value in line)

    def is_heading(merged: Any) -> bool:
        if merged.min_row != merged.max_row or merged.min_row <= top:
            return False
        (line,) = sheet.iter_rows(min_row=merged.min_row, max_row=merged.min_row, values_only=True)
        outside = [v for i, v in enumerate(line, 1) if not merged.min_col <= i <= merged.max_col]
        return not any(map(cell_text, outside))

    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= top and not is_heading(merged):
            raise InputError(
                lazy(
                    "cells {cells} are merged; unmerge them so that every row has its own values",
                    cells=merged.coord,
                ),
                source=source,
                row=merged.min_row,
                column=column_letter(merged.min_col),
            )
    for row in range(top, bottom + 1):
        if row in sheet.row_dimensions and sheet.row_dimensions[row].hidden and has_values(row):
            raise InputError(
                lazy(
                    "the row is hidden or filtered out, but would be counted; unhide it "
                    "and delete it if it should not count"
                ),
                source=source,
                row=row,
            )
    for dimension in sheet.column_dimensions.values():
        if not dimension.hidden:
            continue
        for column in range(dimension.min or 1, min(dimension.max or 1, width) + 1):
            if has_values(column=column):
                raise InputError(
                    lazy(
                        "column {column} is hidden, but would be read; "
                        "unhide it so that what you check is what is counted",
                        column=column_letter(column),
                    ),
                    source=source,
                )


def refuse_hiding_formats(
    source: str, sheet: Any, top: int, bottom: int, header: Sequence[str]
) -> None:
    """Refuse a cell whose number format shows something other than its value."""
    cells = sheet.iter_rows(min_row=top + 1, max_row=bottom, max_col=len(header))
    for line in cells:
        for cell in line:
            if cell.value is None or not hides_value(str(cell.number_format), cell.value):
                continue
            index = cell.column - 1
            raise InputError(
                lazy(
                    "the cell's number format {format} does not show its value {value}; "
                    "set the format to General or a number format",
                    format=shown(cell.number_format),
                    value=shown(cell_text(cell.value)),
                ),
                source=source,
                row=cell.row,
                column=header[index] or column_letter(cell.column),
            )


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
    if not isinstance(value, int | float):
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
    text = str(value)
    return text if text.strip() else None
