"""Workbook cells that hold a user's text keep it as text, never as a formula.

openpyxl stores any string that begins with ``=`` as a formula, and Excel evaluates a
cell beginning with ``=``, ``+``, ``-`` or ``@`` when someone edits it. A recipient's name
comes from a user's file, so a name such as ``=HYPERLINK("http://…")`` must reach the
workbook as the literal text (issue #5). :func:`keep_as_text` marks such cells as strings,
with Excel's quote prefix (the ``'`` a person would type) so they stay text when edited.
Call it on cells that hold data, never on cells meant to hold a formula (such as totals).

>>> import openpyxl
>>> sheet = openpyxl.Workbook().active
>>> sheet.append(["=1+1", "+45 12 34 56 78", 3])
>>> keep_as_text(sheet[1])
>>> [(cell.value, cell.data_type, cell.quotePrefix) for cell in sheet[1]]
[('=1+1', 's', True), ('+45 12 34 56 78', 's', True), (3, 'n', False)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What spreadsheet programs take as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(cells: Iterable[Any]) -> None:
    """Mark every string cell among ``cells`` as text, quote-prefixed if it looks like a formula."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True


def keep_sheet_as_text(sheet: Any) -> None:
    """:func:`keep_as_text` for every cell of a sheet that has no intended formulas."""
    keep_as_text(cell for row in sheet.iter_rows() for cell in row)
