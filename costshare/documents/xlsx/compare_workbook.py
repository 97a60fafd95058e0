"""The comparison of two bases as an Excel workbook (``costshare compare --out FILE.xlsx``).

One sheet, "Sammenligning", with the title and both sources above a header row, one row
per payer and total rows; amounts are numbers in kroner with Danish-style number formats
(Excel shows the separators of the reader's locale), or their exact digits as text
beyond 15 digits (:mod:`costshare.documents.xlsx.cells`). A second sheet, "Kilder", names the
sources and the costshare version. Each sheet prints on one page width (the table in
portrait, repeating its header row; the sources on one landscape page). No business
logic: the numbers come from :class:`costshare.check.compare.Comparison`.

The file carries no wall-clock time (created 1980-01-01, as its zip entries), so the
same comparison gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from costshare.check.compare import Comparison, ComparisonRow
from costshare.documents.xlsx.cells import Book, exact_kroner, fit_row, print_setup, set_widths

_KR_FORMAT = "#,##0"
_KR_ORE_FORMAT = "#,##0.00"
_PERCENT_FORMAT = "+0.00%;-0.00%;0.00%"
_HEADER_ROW = 5
_WIDTHS = [6.0, 22.0, 18.0, 18.0, 15.0, 12.0]
CREATED = datetime(1980, 1, 1)
"""The document's creation time: fixed, so the bytes do not depend on the clock."""


def build_workbook(comparison: Comparison) -> Book:
    """A :class:`Book` holding the comparison."""
    from costshare.base.version import __version__

    book = Book(live_formulas=False)
    sheet = book.sheet("Sammenligning")
    table_width = sum(_WIDTHS)
    book.text(sheet, 1, 1, f"Sammenligning: {comparison.title}", bold=True, font_size=13)
    lines = [
        f"Befolkning {comparison.before_label}: {comparison.before_source}",
        f"Befolkning {comparison.after_label}: {comparison.after_source}",
    ]
    for row, line in enumerate(lines, start=2):
        sheet.merge_range(row - 1, 0, row - 1, len(_WIDTHS) - 1, "")
        book.text(sheet, row, 1, line, text_wrap=True, valign="top")
        fit_row(sheet, row, [(line, table_width, False)])
    header = [
        "Kode",
        "Kommune",
        f"Beløb {comparison.before_label} (kr.)",
        f"Beløb {comparison.after_label} (kr.)",
        "Ændring (kr.)",
        "Ændring (%)",
    ]
    for column, text in enumerate(header, start=1):
        align = "left" if column <= 2 else "right"
        book.text(
            sheet, _HEADER_ROW, column, text, bold=True, bottom=1, align=align, text_wrap=True
        )
    fit_row(sheet, _HEADER_ROW, [(h, w, True) for h, w in zip(header, _WIDTHS, strict=True)])
    money = _KR_ORE_FORMAT if comparison.unit.shows_ore else _KR_FORMAT
    row = _HEADER_ROW
    rule = False
    for shown in comparison.display_rows():
        if shown is None:
            rule = True
            continue
        row += 1
        _write_row(book, sheet, row, shown, money, bold=not shown.code, rule=rule)
        rule = False
    set_widths(sheet, _WIDTHS)
    sheet.freeze_panes(_HEADER_ROW, 0)
    print_setup(
        sheet,
        comparison.title,
        area=(1, 1, row, len(_WIDTHS)),
        repeat_rows=(_HEADER_ROW, _HEADER_ROW),
    )

    sources = book.sheet("Kilder")
    entries = [
        ("Grundlag", "Kilde"),
        (comparison.before_label, comparison.before_source),
        (comparison.after_label, comparison.after_source),
        ("Program", f"costshare {__version__}"),
    ]
    for number, (label, value) in enumerate(entries, start=1):
        bold = number == 1
        book.text(sources, number, 1, label, bold=bold, text_wrap=True, valign="top")
        book.text(sources, number, 2, value, bold=bold, text_wrap=True, valign="top")
        fit_row(sources, number, [(label, 14, bold), (value, 90, bold)])
    set_widths(sources, [14, 90])
    print_setup(sources, comparison.title, landscape=True, one_page=True)
    return book


def _write_row(
    book: Book, sheet: Worksheet, row: int, shown: ComparisonRow, money: str, bold: bool, rule: bool
) -> None:
    """One payer or total row; total rows bold, a rule above where the table has one."""
    style: dict[str, object] = {"bold": True} if bold else {}
    if rule:
        style["top"] = 1
    if shown.code:
        book.text(sheet, row, 1, shown.code, **style)
    elif rule:
        sheet.write_blank(row - 1, 0, None, book.style(**style))
    book.text(sheet, row, 2, shown.name, **style)
    amounts = (shown.before_ore, shown.after_ore, shown.change_ore)
    for column, amount_ore in enumerate(amounts, start=3):
        if amount_ore is None:
            sheet.write_blank(row - 1, column - 1, None, book.style(**style))
        else:
            book.number(sheet, row, column, exact_kroner(amount_ore), num_format=money, **style)
    percent = shown.change_percent
    if percent is None:
        sheet.write_blank(row - 1, 5, None, book.style(**style))
    else:  # a cell value, shown with 2 decimals; 8 places of the ratio is plenty
        ratio = Decimal(percent.numerator) / Decimal(percent.denominator) / 100
        ratio = ratio.quantize(Decimal("1e-8"))  # a percentage, not money
        book.number(sheet, row, 6, ratio, num_format=_PERCENT_FORMAT, **style)
