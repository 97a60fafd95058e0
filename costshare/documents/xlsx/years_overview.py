"""The overview of a programme over several years (``oversigt-alle-aar.xlsx``): payer × year.

The overview's amounts are the years' integers; its totals are ``SUM`` formulas, so the
sheet shows that rows and columns foot (both ways the grand total is the same number), each
stored with its value computed here, so a previewer that does not recalculate shows the
totals. It is written with :class:`costshare.documents.xlsx.cells.Book` like every workbook:
text stays text, an amount beyond 15 digits is text with a note (and the book then carries
the values instead of formulas), one page wide with the header row repeated and the case
number in the footer (docs/reference/workbooks.md). A second sheet shows the price index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from costshare.base.money import ORE_PER_KRONE
from costshare.documents.xlsx.cells import (
    Book,
    amount_text,
    fit_row,
    fits_a_cell,
    kroner,
    print_setup,
    set_widths,
)
from costshare.documents.xlsx.method_sheet import (
    AMOUNTS_AS_TEXT_NOTE,
    DRAFT_HEADER,
    TITLE,
    amount_format,
    draft_title,
)
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer, payers
from costshare.programme.years import Plan

YEARS_SHEET = "Alle år"
INDEX_SHEET = "Prisindeks"
HEADER_ROW = 5
_INDEX_HEADER_ROW = 4

_BOLD = {"bold": True}
_HEADER = {"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True, "valign": "top"}
_PORTRAIT_WIDTH = 110
"""Characters of column width that print legibly across a portrait A4 page."""


def year_table(
    results: list[tuple[int, ProgrammeResult]],
    payers_by_year: Mapping[int, Sequence[Payer]] | None = None,
) -> tuple[list[tuple[str, str]], dict[tuple[str, int], int]]:
    """The payers of every year (first appearance order) and each payer's amount a year.

    ``payers_by_year`` are each year's payers where the caller has listed them already.
    """
    rows: dict[str, str] = {}
    amounts: dict[tuple[str, int], int] = {}
    for year, result in results:
        listed = payers_by_year[year] if payers_by_year is not None else payers(result)
        for payer in listed:
            rows.setdefault(payer.code, payer.official_name)
            amounts[payer.code, year] = payer.amount_ore
    return list(rows.items()), amounts


def build_years_overview(
    plan: Plan,
    results: list[tuple[int, ProgrammeResult]],
    payers_by_year: Mapping[int, Sequence[Payer]] | None = None,
) -> Book:
    """The overview workbook: payer × year, totals by row and column (formulas with values)."""
    first_programme = results[0][1].programme
    case = first_programme.case_number
    money = {"num_format": amount_format(first_programme.unit)}
    years = [year for year, _ in results]
    rows, amounts = year_table(results, payers_by_year)
    row_totals = {code: sum(amounts.get((code, y), 0) for y in years) for code, _ in rows}
    column_totals = {y: sum(amounts.get((code, y), 0) for code, _ in rows) for y in years}
    grand = sum(row_totals.values())
    every_amount = [*amounts.values(), *row_totals.values(), *column_totals.values(), grand]
    book = Book(live_formulas=all(fits_a_cell(kroner(amount)) for amount in every_amount))
    sheet = book.sheet(YEARS_SHEET)
    total_column = 3 + len(years)
    first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
    total_row = last + 1

    amount_width = 14.0
    if not book.live_formulas:  # amounts as text: the columns as wide as the longest
        amount_width = max(amount_width, max(len(amount_text(kroner(a))) for a in every_amount) + 2)
    widths = [7.0, max(14.0, *(len(name) + 2.0 for _, name in rows))]
    widths += [amount_width] * len(years) + [amount_width + 2]
    table_width = sum(widths)

    draft = bool(plan.index_override)  # --index: a what-if, so a draft (issue #22)
    book.text(sheet, 1, 1, draft_title("Finansiering pr. år", draft), **TITLE)
    _wide_line(book, sheet, 2, first_programme.title, total_column, table_width, **_BOLD)
    line = f"Sagsnr. {case}; beløb i kr. pr. betaler og år"
    _wide_line(book, sheet, 3, line, total_column, table_width)
    headings = ["Kode", "Betaler", *(str(year) for year in years), "I alt"]
    for column, heading in enumerate(headings, start=1):
        align = "left" if column <= 2 else "right"
        book.text(sheet, HEADER_ROW, column, heading, align=align, **_HEADER)
    for row, (code, name) in enumerate(rows, start=first):
        book.text(sheet, row, 1, code)
        book.text(sheet, row, 2, name)
        for column, year in enumerate(years, start=3):
            if (code, year) in amounts:  # blank where the payer does not pay that year
                book.number(sheet, row, column, kroner(amounts[code, year]), **money)
        formula = f"=SUM({_span(3, total_column - 1, row)})"
        book.formula(sheet, row, total_column, formula, _in_kroner(row_totals[code]), **money)
    book.text(sheet, total_row, 2, "I alt", top=1, **_BOLD)
    sheet.write_blank(total_row - 1, 0, None, book.style(top=1))
    for column, year in enumerate(years, start=3):
        formula = f"=SUM({_span_down(column, first, last)})"
        value = _in_kroner(column_totals[year])
        book.formula(sheet, total_row, column, formula, value, top=1, **money, **_BOLD)
    formula = f"=SUM({_span_down(total_column, first, last)})"  # the sum of the row totals
    book.formula(
        sheet, total_row, total_column, formula, _in_kroner(grand), top=1, **money, **_BOLD
    )
    check_row = total_row + 1
    book.text(sheet, check_row, 2, "Kontrol: sum af årenes i alt")
    formula = f"=SUM({_span(3, total_column - 1, total_row)})"  # the sum of the year totals
    book.formula(sheet, check_row, total_column, formula, _in_kroner(grand), **money)
    notes = [f"{year}: befolkning {r.municipal.population.source}" for year, r in results]
    if book.amounts_as_text:
        notes.append(AMOUNTS_AS_TEXT_NOTE)
    row = check_row + 1
    for text in notes:
        row += 1
        _wide_line(book, sheet, row, text, total_column, table_width)
    set_widths(sheet, widths)
    sheet.freeze_panes(HEADER_ROW, 2)
    print_setup(
        sheet,
        case,
        landscape=len(years) > 4 or table_width > _PORTRAIT_WIDTH,
        area=(1, 1, row, total_column),
        repeat_rows=(HEADER_ROW, HEADER_ROW),
    )
    if plan.table is not None:
        _index_sheet(book, plan, results)
    if draft:
        book.page_header(DRAFT_HEADER)
    return book


def _index_sheet(book: Book, plan: Plan, results: list[tuple[int, ProgrammeResult]]) -> None:
    """Each year's base amount, the index figures and the indexed amount."""
    assert plan.table is not None
    first_programme = results[0][1].programme
    money = {"num_format": amount_format(first_programme.unit)}
    sheet = book.sheet(INDEX_SHEET)
    widths = [8.0, 20.0, 12.0, 18.0, 12.0, 16.0]
    indexed = [
        (year, result.programme.indexation)
        for year, result in results
        if result.programme.indexation is not None
    ]
    shown = [
        kroner(amount)
        for _, indexation in indexed
        for amount in (indexation.base_ore, indexation.result_ore)
    ]
    as_text = not all(fits_a_cell(amount) for amount in shown)
    if as_text:  # amounts as text: the columns as wide as the longest
        longest = max(len(amount_text(amount)) for amount in shown) + 2
        widths[1], widths[5] = max(widths[1], longest), max(widths[5], longest)
    table_width = sum(widths)
    book.text(sheet, 1, 1, "Pris- og lønfremskrivning", **TITLE)
    _wide_line(book, sheet, 2, f"Indeks: {plan.table.describe()}", len(widths), table_width)
    headings = [
        "År",
        "Beløb i prisniveau",
        "Prisniveau",
        "Indeks prisniveau",
        "Indeks år",
        "Beløb (kr.)",
    ]
    for column, heading in enumerate(headings, start=1):
        align = "left" if column == 1 else "right"
        book.text(sheet, _INDEX_HEADER_ROW, column, heading, align=align, **_HEADER)
    row = _INDEX_HEADER_ROW
    for year, indexation in indexed:
        row += 1
        book.number(sheet, row, 1, year, align="left")
        book.number(sheet, row, 2, kroner(indexation.base_ore), **money)
        book.number(sheet, row, 3, indexation.price_level)
        for column, figure in ((4, indexation.base_index), (5, indexation.year_index)):
            # As written ("103,1"): text, so no spreadsheet reads the decimal comma otherwise.
            book.text(sheet, row, column, figure, align="right")
        book.number(sheet, row, 6, kroner(indexation.result_ore), **money)
    notes = [
        "Beløb = beløb i prisniveau × indeks år / indeks prisniveau, "
        "afrundet én gang til hele enheder (halve op)."
    ]
    if as_text:
        notes.append(AMOUNTS_AS_TEXT_NOTE)
    row += 1
    for text in notes:
        row += 1
        _wide_line(book, sheet, row, text, len(widths), table_width)
    set_widths(sheet, widths)
    print_setup(
        sheet,
        first_programme.case_number,
        landscape=True,
        area=(1, 1, row, len(widths)),
        repeat_rows=(_INDEX_HEADER_ROW, _INDEX_HEADER_ROW),
    )


def _wide_line(
    book: Book,
    sheet: Worksheet,
    row: int,
    text: str,
    columns: int,
    width: float,
    **style: Any,
) -> None:
    """A line of text across the table's ``columns``, wrapped, its row as tall as it needs."""
    sheet.merge_range(row - 1, 0, row - 1, columns - 1, "")
    book.text(sheet, row, 1, text, text_wrap=True, valign="top", **style)
    fit_row(sheet, row, [(text, width, bool(style.get("bold")))])


def _span(first_column: int, last_column: int, row: int) -> str:
    return f"{xl_col_to_name(first_column - 1)}{row}:{xl_col_to_name(last_column - 1)}{row}"


def _span_down(column: int, first_row: int, last_row: int) -> str:
    letter = xl_col_to_name(column - 1)
    return f"{letter}{first_row}:{letter}{last_row}"


def _in_kroner(amount_ore: int) -> Fraction:
    return Fraction(amount_ore, ORE_PER_KRONE)
