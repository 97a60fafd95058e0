"""The settlement overview workbook (``efterregulering.xlsx``): payer × (charged, final,
settlement), with totals that foot.

The totals are ``SUM`` formulas stored with the values computed here, and a check row
gives final total − charged total; positive settlements are extra charges, negative ones
credits. Built with :class:`~costshare.documents.xlsx.cells.Book` like every workbook.
"""

from __future__ import annotations

from fractions import Fraction

from costshare.base.money import ORE_PER_KRONE
from costshare.check.received.labels import (
    CHARGED_LABEL,
    CODE_LABEL,
    DIFFERENCE_LABEL,
    OVERVIEW_FINAL_LABEL,
    PAYER_LABEL,
    SETTLEMENT_SHEET,
)
from costshare.documents.xlsx.cells import (
    Book,
    amount_text,
    fit_row,
    fits_a_cell,
    kroner,
    print_setup,
    set_widths,
)
from costshare.documents.xlsx.method_sheet import AMOUNTS_AS_TEXT_NOTE, TITLE, amount_format
from costshare.documents.xlsx.settlement_workbook import (
    basis_words,
    note,
)
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import ChargedPackage, Settlement

HEADINGS = (
    CODE_LABEL,
    PAYER_LABEL,
    CHARGED_LABEL,
    OVERVIEW_FINAL_LABEL,
    DIFFERENCE_LABEL,
    "Bemærkning",
)
HEADER_ROW = 5

_BOLD = {"bold": True}
_HEADER = {"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True, "valign": "top"}


def build_settlement_overview(
    settlement: Settlement, charged: ChargedPackage, provenance: Provenance
) -> Book:
    """Payer × (charged, final, settlement) with totals that foot (SUM formulas with values)."""
    programme = settlement.final.programme
    money = {"num_format": amount_format(programme.unit)}
    columns = ((3, "charged_ore"), (4, "final_ore"), (5, "amount_ore"))
    totals = {field: sum(getattr(row, field) for row in settlement.rows) for _, field in columns}
    difference = totals["final_ore"] - totals["charged_ore"]
    every_amount = [getattr(row, field) for row in settlement.rows for _, field in columns]
    every_amount += [*totals.values(), difference]
    book = Book(live_formulas=all(fits_a_cell(kroner(amount)) for amount in every_amount))
    sheet = book.sheet(SETTLEMENT_SHEET)
    widths = [7.0, 30.0, 16.0, 16.0, 20.0, 56.0]
    if not book.live_formulas:  # amounts as text: the columns as wide as the longest
        longest = max(len(amount_text(kroner(amount))) for amount in every_amount) + 2
        widths[2:5] = [max(width, longest) for width in widths[2:5]]
    table_width = sum(widths)
    last_column = len(HEADINGS)

    book.text(sheet, 1, 1, f"Efterregulering: {programme.short_title}", **TITLE)
    lines = [
        (2, programme.title, _BOLD),
        (
            3,
            f"Opkrævet på {basis_words(charged.population_basis)}; endeligt på "
            f"{basis_words(provenance.population_basis)}. Sagsnr. {programme.case_number}",
            {},
        ),
    ]
    for row, text, style in lines:
        sheet.merge_range(row - 1, 0, row - 1, last_column - 1, "")
        book.text(sheet, row, 1, text, text_wrap=True, valign="top", **style)
        fit_row(sheet, row, [(text, table_width, bool(style))])
    for column, heading in enumerate(HEADINGS, start=1):
        align = "right" if 3 <= column <= 5 else "left"
        indent = {"indent": 1} if column == 6 else {}  # apart from the amount beside it
        book.text(sheet, HEADER_ROW, column, heading, align=align, **indent, **_HEADER)
    first = HEADER_ROW + 1
    for number, entry in enumerate(settlement.rows, start=first):
        book.text(sheet, number, 1, entry.payer.code)
        book.text(sheet, number, 2, entry.payer.official_name or entry.payer.name)
        for column, field in columns:
            book.number(sheet, number, column, kroner(getattr(entry, field)), **money)
        remark = note(entry)
        book.text(sheet, number, 6, remark, indent=1, text_wrap=True, valign="top")
        fit_row(sheet, number, [(remark, widths[5] - 2, False)])
    last = first + len(settlement.rows) - 1
    total = last + 1
    book.text(sheet, total, 2, "I alt", top=1, **_BOLD)
    for column in (1, 6):
        sheet.write_blank(total - 1, column - 1, None, book.style(top=1))
    for column, field in columns:
        letter = "ABCDEF"[column - 1]
        formula = f"=SUM({letter}{first}:{letter}{last})"
        value = Fraction(totals[field], ORE_PER_KRONE)
        book.formula(sheet, total, column, formula, value, top=1, **money, **_BOLD)
    book.text(sheet, total + 1, 2, "Kontrol: endelig i alt − opkrævet i alt")
    value = Fraction(difference, ORE_PER_KRONE)
    book.formula(sheet, total + 1, 5, f"=D{total}-C{total}", value, **money)
    notes = ["Positiv efterregulering: efteropkrævning; negativ: tilgodehavende."]
    if book.amounts_as_text:
        notes.append(AMOUNTS_AS_TEXT_NOTE)
    line = total + 2
    for text in notes:
        line += 1
        sheet.merge_range(line - 1, 0, line - 1, last_column - 1, "")
        book.text(sheet, line, 1, text, text_wrap=True, valign="top")
        fit_row(sheet, line, [(text, table_width, False)])
    set_widths(sheet, widths)
    sheet.freeze_panes(HEADER_ROW, 2)
    print_setup(
        sheet,
        programme.case_number,
        landscape=True,
        area=(1, 1, line, last_column),
        repeat_rows=(HEADER_ROW, HEADER_ROW),
    )
    return book
