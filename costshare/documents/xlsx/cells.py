"""Writing workbook cells safely and exactly (XlsxWriter), shared by every workbook we write.

:class:`Book` wraps an in-memory ``xlsxwriter.Workbook`` and offers the only ways our
workbooks put something into a cell:

* :meth:`Book.text` stores a user's text as text, never as a formula: a name such as
  ``=HYPERLINK("http://…")`` reaches the workbook literally (issue #5), with Excel's quote
  prefix (the ``'`` a person would type) so it stays text when someone edits the cell.
  Characters XML 1.0 cannot carry are dropped, and text is clipped to Excel's 32,767.
* :meth:`Book.number` stores an amount or a count exactly: a spreadsheet number is an
  IEEE double and Excel shows and computes 15 significant digits, so a value with more
  than :data:`MAX_EXACT_DIGITS` digits is written as text (right-aligned, the exact
  digits), never rounded (issue #16); the builder then adds a note saying so.
* :meth:`Book.formula` stores one of our own formulas together with its value computed
  by Python, so previewers that do not recalculate (mail, phone, ``openpyxl`` with
  ``data_only=True``, ``costshare verify``) show the totals. In a book whose amounts do
  not all fit a cell, formulas are replaced by their exact values, since a spreadsheet
  would compute them from text cells as 0.
* :func:`footer` builds a page footer within Excel's 255 characters, shortening the
  case number if need be.

The bytes are reproducible: XlsxWriter stamps its zip entries with a fixed 1980 time, and
:meth:`Book.to_bytes` fixes the document's creation time.

>>> fits_a_cell(999_999_999_999_999), fits_a_cell(1_000_000_000_000_000)
(True, False)
>>> from decimal import Decimal, localcontext
>>> fits_a_cell(Decimal("9999999999999.99")), fits_a_cell(Decimal("10000000000000.01"))
(True, False)
>>> amount_text(Decimal("1E+3")), amount_text(-Decimal("1234567.50"))
('1.000', '-1.234.567,50')
>>> len(footer("S" * 300)), footer("SAG-1 & 2")
(77, '&LSAG-1 && 2&RSide &P af &N')
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from costshare.base.danish import format_count

MAX_EXACT_DIGITS = 15
"""Digits a spreadsheet number keeps exactly (Excel computes and shows 15 significant)."""
MAX_CELL_TEXT = 32767
MAX_HEADER_FOOTER = 255
MAX_FOOTER_CASE = 60
"""Characters of the case number a page footer shows (one line beside "Side n af m")."""
# What spreadsheet programs take as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (and that openpyxl refuses): C0 controls but tab/newline/CR.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PAGE_NUMBER = "&RSide &P af &N"

Number = int | Decimal


def fits_a_cell(value: Number) -> bool:
    """Whether a spreadsheet number holds ``value`` exactly (at most 15 digits written)."""
    _sign, digits, exponent = Decimal(value).as_tuple()
    assert isinstance(exponent, int)
    return len(digits) + max(exponent, 0) <= MAX_EXACT_DIGITS


def exact_kroner(amount_ore: int) -> Decimal:
    """Øre as the exact Decimal number of kroner, at any size (no context rounding)."""
    return Decimal(f"{amount_ore}E-2")


def kroner(amount_ore: int) -> Number:
    """Whole kroner as int; otherwise the exact Decimal (never a float)."""
    whole, ore = divmod(amount_ore, 100)
    return whole if ore == 0 else exact_kroner(amount_ore)


def plain_number(value: Number) -> str:
    """The exact digits of ``value`` without exponent: ``1E+3`` → ``1000``."""
    return f"{Decimal(value):f}"


def amount_text(value: Number) -> str:
    """``value`` as text, every digit, grouped the Danish way: ``1.234.567,50``.

    How an amount too long for a number cell is written; ``costshare verify`` reads it.
    """
    digits = plain_number(value)
    sign = "-" if digits.startswith("-") else ""
    whole, _, fraction = digits.lstrip("-").partition(".")
    grouped = format_count(int(whole))
    return sign + grouped + (f",{fraction}" if fraction else "")


def footer(case: str) -> str:
    """``case`` at the left, "Side n af m" at the right; within Excel's 255 characters.

    A case number longer than :data:`MAX_FOOTER_CASE` characters is shortened with "…"
    (the workbook's method sheet has it whole): longer, it would wrap and print over the
    page number.
    """
    text = case.replace("&", "&&")
    room = min(MAX_FOOTER_CASE, MAX_HEADER_FOOTER - len("&L") - len(_PAGE_NUMBER))
    if _utf16_len(text) > room:
        text = text[: room - 1]
        while _utf16_len(text) > room - 1 or text.endswith("&"):  # never split "&&"
            text = text[:-1]
        text += "…"
    return f"&L{text}{_PAGE_NUMBER}"


def marked_header(words: str) -> str:
    """A page header of ``words`` at the right, bold and red: a mark such as a draft's.

    >>> marked_header("UDKAST & co")
    '&R&"-,Bold"&KB3261EUDKAST && co'
    """
    return '&R&"-,Bold"&KB3261E' + words.replace("&", "&&")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Book:
    """An in-memory XlsxWriter workbook with cached formats and safe, exact cell writers.

    ``live_formulas`` is False when some amount of the book does not fit a cell: then
    :meth:`formula` writes the computed value instead of the formula.
    """

    def __init__(self, live_formulas: bool = True) -> None:
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.live_formulas = live_formulas
        self.amounts_as_text = False
        """Whether some number was written as text because it does not fit a cell."""
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}

    def sheet(self, name: str) -> Worksheet:
        return self.workbook.add_worksheet(name)

    def page_header(self, words: str) -> None:
        """Print ``words`` at the top of every page of every sheet so far (a draft's mark)."""
        for sheet in self.workbook.worksheets():
            sheet.set_header(marked_header(words))

    def style(self, **properties: Any) -> Format:
        """The one Format with these XlsxWriter properties (formats are shared, not copied)."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def text(self, sheet: Worksheet, row: int, column: int, value: str, **style: Any) -> None:
        """Store ``value`` (a 1-based row and column) as text: never a formula."""
        value = _ILLEGAL_XML.sub("", value)[:MAX_CELL_TEXT]
        if value.startswith(FORMULA_PREFIXES):
            style["quote_prefix"] = True  # and Excel keeps it text if someone edits the cell
        sheet.write_string(row - 1, column - 1, value, self.style(**style))

    def number(self, sheet: Worksheet, row: int, column: int, value: Number, **style: Any) -> None:
        """Store an exact number, or its exact digits as text when a cell cannot hold it."""
        if fits_a_cell(value):
            sheet.write_number(row - 1, column - 1, value, self.style(**style))
            return
        self.amounts_as_text = True
        style.pop("num_format", None)
        style.setdefault("align", "right")
        self.text(sheet, row, column, amount_text(value), **style)

    def formula(
        self, sheet: Worksheet, row: int, column: int, formula: str, value: Fraction, **style: Any
    ) -> None:
        """Store our own ``formula`` with its value (computed exactly by the caller) cached.

        Without live formulas, the value itself: an integer, or a Decimal to 15 digits.
        """
        if not self.live_formulas:
            self.number(sheet, row, column, _cell_value(value), **style)
            return
        # The cached result of one of our formulas (a share, an exact share, a total in
        # øre), as a spreadsheet would hold it: the double nearest the exact value. The
        # amounts themselves are written exactly by number(); a book with any amount a
        # double cannot hold has no live formulas at all (see above).
        cached = value.numerator if value.denominator == 1 else float(value)
        sheet.write_formula(row - 1, column - 1, formula, self.style(**style), cached)

    def to_bytes(self, timestamp: datetime) -> bytes:
        """Close the book and return the .xlsx bytes: identical for identical content."""
        self.workbook.set_properties({"author": "costshare", "created": timestamp})
        self.workbook.close()
        return self._buffer.getvalue()


def _cell_value(value: Fraction) -> Number:
    """An integer or terminating decimal exactly (money); any other ratio to 15 digits."""
    if value.denominator == 1:
        return value.numerator
    with localcontext() as context:
        context.prec = max(60, 2 * len(str(value.numerator)))
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
        if _terminates(value.denominator):
            return decimal
        return decimal.quantize(Decimal(1).scaleb(decimal.adjusted() - MAX_EXACT_DIGITS + 1))


def _terminates(denominator: int) -> bool:
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


# --- layout ---------------------------------------------------------------------------

LINE_HEIGHT = 15.0
"""Points per line of 11-point Calibri, the default font."""


def lines_needed(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide.

    A column's width counts digit widths; ordinary text averages narrower (about 1.2
    characters per unit in Calibri and in LibreOffice's wider fallback fonts), but words
    do not break, so 1.1 characters per unit (0.95 for bold) errs on the side of room.
    """
    capacity = max(1, int(width * (0.95 if bold else 1.1)) - 1)
    lines = 0
    for paragraph in text.split("\n"):
        line_length = 0
        lines += 1
        for word in paragraph.split(" "):
            if line_length and line_length + 1 + len(word) > capacity:
                lines += 1
                line_length = 0
            line_length += len(word) + (1 if line_length else 0)
            while line_length > capacity:  # a word longer than the line breaks anywhere
                lines += 1
                line_length -= capacity
    return lines


def fit_row(sheet: Worksheet, row: int, cells: list[tuple[str, float, bool]]) -> None:
    """Give a 1-based ``row`` the height its wrapped cells (text, width, bold) need."""
    lines = max(lines_needed(text, width, bold) for text, width, bold in cells)
    if lines > 1:
        sheet.set_row(row - 1, LINE_HEIGHT * lines + 2)


def set_widths(sheet: Worksheet, widths: list[float]) -> None:
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)


def print_setup(
    sheet: Worksheet,
    case: str,
    *,
    landscape: bool = False,
    area: tuple[int, int, int, int] | None = None,
    repeat_rows: tuple[int, int] | None = None,
    one_page: bool = False,
) -> None:
    """A4, one page wide (one page in all with ``one_page``), centred, case and page footer.

    ``area`` is (first row, first column, last row, last column), ``repeat_rows`` the
    first and last row printed at the top of every page; all 1-based.
    """
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    if area is not None:
        first_row, first_column, last_row, last_column = area
        sheet.print_area(first_row - 1, first_column - 1, last_row - 1, last_column - 1)
    if repeat_rows is not None:
        sheet.repeat_rows(repeat_rows[0] - 1, repeat_rows[1] - 1)
    sheet.set_footer(footer(case))


def weight_cell(weight: Fraction) -> int | Decimal:
    """A key weight for a cell: an integer, or a decimal to the 15 digits a cell holds
    (a display value; the amounts beside it are the exact integers)."""
    if weight.denominator == 1:
        return int(weight)
    with localcontext() as context:
        context.prec = 15
        return Decimal(weight.numerator) / Decimal(weight.denominator)
