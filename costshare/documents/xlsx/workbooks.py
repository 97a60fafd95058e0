"""Workbooks of an annex package: the overview annex and one workbook per payer (XlsxWriter).

:func:`build_overview` makes the annex "Finansiering pr. kommune": one row per paying
municipality (code, name, population, share of population, exact share, rounding
adjustment, amount; then the payer's reference, CVR and EAN where any is known), a total
row whose amount is a ``SUM`` equal to the municipal part, the co-financing summary, a
bar chart naming every payer and a "Metode" sheet with the method, the rounding unit,
the ties, the population source and the inputs' SHA-256. :func:`build_party_workbook`
makes one payer's workbook: its amount, reference and identifiers, and the working from
:func:`costshare.programme.working.party_working`.

There is no arithmetic on money here beyond what a formula shows. Amounts are the
split's integers: whole kroner are stored as ``int``, amounts in øre as
``Decimal(øre) / 100`` (exact), never as floats. Every formula is stored with its value,
computed exactly in Python, so a previewer that does not recalculate shows the totals;
an amount a spreadsheet cannot hold exactly (more than 15 digits) is written as text
with a note, and that book carries values instead of formulas (see
:mod:`costshare.documents.xlsx.cells` and docs/reference/workbooks.md).

Number formats are written the way the file format wants them (``#,##0``); Excel and
LibreOffice show them with the reader's separators, i.e. ``20.415`` in Danish. Text from
the programme file or the figures (names, titles) is always stored as text.

:func:`workbook_bytes` serialises a book byte-for-byte reproducibly.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> book = build_overview(result, None)
>>> HEADERS[-1], book.live_formulas
('Beløb (kr.)', True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from costshare.base.danish import format_trimmed, recipients_word
from costshare.base.money import ORE_PER_KRONE
from costshare.check.received.labels import AMOUNT_LABEL, CODE_LABEL, PAYER_LABEL
from costshare.documents.xlsx import rule_columns as rules
from costshare.documents.xlsx.cells import (
    Book,
    amount_text,
    fit_row,
    fits_a_cell,
    kroner,
    print_setup,
    set_widths,
    weight_cell,
)
from costshare.documents.xlsx.method_sheet import (
    AMOUNTS_AS_TEXT_NOTE,
    EXACT_FORMAT,
    TITLE,
    add_method_sheet,
    amount_format,
    decimal_places,
    decision_line,
    draft_title,
    method_text,
)
from costshare.documents.xlsx.payer_rows import identifiers, payment_rows
from costshare.programme.einvoiced import PayerEinvoice
from costshare.programme.key_wording import Wording
from costshare.programme.model import MUNICIPAL_PARTY, ProgrammeResult
from costshare.programme.payers import Payer, payers
from costshare.programme.provenance import Provenance
from costshare.programme.working import party_working

OVERVIEW_SHEET = "Finansiering pr. kommune"
HEADERS = (
    "Kode",
    "Kommune",
    "Indbyggere",
    "Andel af indbyggere",
    "Præcis andel (kr.)",
    "Afrunding (kr.)",
    AMOUNT_LABEL,
)
"""The table's headers (``costshare verify`` reads them); optional columns follow."""
OPTIONAL_HEADERS = (("reference", "Reference"), ("cvr", "CVR"), ("ean", "EAN"))
PAYER_SHEET = "Beløb"
HEADER_ROW = 5
TOTAL_LABEL = "I alt"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.000%"
EXACT_PLACES = 6

_BOLD = {"bold": True}
_HEADER = {"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True, "valign": "top"}
_TOP_RULE = {"top": 1}
_PORTRAIT_WIDTH = 110
"""Characters of column width that print legibly across a portrait A4 page."""
_CHART_COLUMNS = 11
"""The chart sheet's columns of default width (64 pixels) that the chart spans."""


@dataclass
class _Overview:
    """The overview sheet being written, and the layout its parts share."""

    result: ProgrammeResult
    book: Book
    sheet: Worksheet
    exact: dict[str, Decimal]
    known: dict[str, Payer]
    extra: list[tuple[str, str]]
    """The optional columns (field of a payer, header) that some payer has a value for."""
    weighted: bool
    count_format: str
    headers: list[str]
    widths: list[float]
    weights: dict[str, Fraction] = field(default_factory=dict)
    """Each recipient's weight in the key, where columns C and D show weights."""
    ruled: list[rules.RuleColumn] = field(default_factory=list)
    """The columns a rule of issue #21 adds after the optional ones (parts, classes)."""

    @property
    def table_width(self) -> float:
        return sum(self.widths)

    @property
    def last_column(self) -> int:
        return len(self.headers)

    def identify(self, row: int, code: str) -> None:
        """The payer's reference, CVR and EAN in the optional columns (indented), and what
        a rule adds (each part's amount, the size class)."""
        for column, (name, _) in enumerate(self.extra, start=len(HEADERS) + 1):
            payer = self.known.get(code)
            self.book.text(self.sheet, row, column, getattr(payer, name) if payer else "", indent=1)
        start = len(HEADERS) + len(self.extra) + 1
        rules.write_rule_cells(self.book, self.sheet, row, start, self.ruled, code)


def build_overview(
    result: ProgrammeResult,
    provenance: Provenance | None,
    everyone: Sequence[Payer] | None = None,
) -> Book:
    """The overview annex: the table, the co-financing summary, a chart and the method.

    ``everyone`` are the result's payers where the caller has listed them already.
    """
    overview = _overview_layout(result, payers(result) if everyone is None else everyone)
    book, sheet = overview.book, overview.sheet
    _overview_heading(overview, draft_title(OVERVIEW_SHEET, provenance))
    first, last, total_row = _overview_table(overview)
    row = _cofinancing(
        book, sheet, result, total_row + 2, total_row, overview.last_column, overview.identify
    )
    last_printed = _overview_notes(overview, row)
    set_widths(sheet, overview.widths)
    sheet.freeze_panes(HEADER_ROW, 2)
    print_setup(
        sheet,
        result.programme.case_number,
        landscape=overview.table_width > _PORTRAIT_WIDTH,
        area=(1, 1, last_printed, overview.last_column),
        repeat_rows=(HEADER_ROW, HEADER_ROW),
    )
    _chart(book, first, last, result.programme.title, result.programme.case_number)
    add_method_sheet(book, result, provenance)
    return book


def _overview_layout(result: ProgrammeResult, everyone: Sequence[Payer]) -> _Overview:
    """The book (formulas only where every number fits a cell), its sheet and the columns."""
    split = result.municipal
    population = split.population
    exact = {code: _exact_kroner(result, code) for code in population.codes}
    parts = [kroner(part) for part in result.party_parts_ore.values()]
    every_number = [*population.counts, population.total, *exact.values(), *parts]
    every_number.append(kroner(result.total_ore))
    book = Book(live_formulas=all(fits_a_cell(number) for number in every_number))
    sheet = book.sheet(OVERVIEW_SHEET)
    known = {payer.code: payer for payer in everyone}
    extra = [
        (field, header)
        for field, header in OPTIONAL_HEADERS
        if any(getattr(payer, field) for payer in known.values())
    ]
    # A key that is not the plain population (a decimal key, or a cap, rate, factor or
    # discount, class weights) shows each recipient's weight in the key, so column D is
    # the key's share; a rule's own columns (parts, classes: issue #21) come last.
    weighted, weights, key_headers = rules.key_columns(split)
    whole = all(weight.denominator == 1 for weight in weights.values())
    table_headers = (*HEADERS[:2], *key_headers, *HEADERS[4:]) if weighted else HEADERS
    ruled = rules.rule_columns(split)
    widths: list[float] = [7, max(14, *(len(name) + 2 for name in population.names)), 12, 12]
    widths += [19, 15, 14]
    if not book.live_formulas:  # amounts as text: the columns as wide as the longest
        longest = max(len(amount_text(number)) for number in every_number) + 2
        widths[4], widths[6] = max(widths[4], longest), max(widths[6], longest)
    widths += [max(10, *(len(getattr(p, f)) + 2 for p in known.values())) for f, _ in extra]
    widths += [column.width for column in ruled]
    return _Overview(
        result, book, sheet, exact, known, extra, weighted,
        count_format=COUNT_FORMAT if whole else "#,##0.0#########",
        headers=[*table_headers, *(header for _, header in extra), *(c.header for c in ruled)],
        widths=widths, weights=weights, ruled=ruled,
    )  # fmt: skip


def _overview_heading(overview: _Overview, title: str) -> None:
    """The title, the programme and decision lines, and the table's header row."""
    book, sheet, result = overview.book, overview.sheet, overview.result
    book.text(sheet, 1, 1, title, **TITLE)
    for row, text, style in (
        (2, result.programme.title, _BOLD),
        (3, decision_line(result), {}),
    ):
        sheet.merge_range(row - 1, 0, row - 1, overview.last_column - 1, "")
        book.text(sheet, row, 1, text, text_wrap=True, valign="top", **style)
        fit_row(sheet, row, [(text, overview.table_width, bool(style))])
    for column, header in enumerate(overview.headers, start=1):
        align = "left" if column <= 2 or column > len(HEADERS) else "right"
        indent = {"indent": 1} if column > len(HEADERS) else {}
        book.text(sheet, HEADER_ROW, column, header, align=align, **indent, **_HEADER)
    lines = [(h, w, True) for h, w in zip(overview.headers, overview.widths, strict=True)]
    fit_row(sheet, HEADER_ROW, lines)


def _overview_table(overview: _Overview) -> tuple[int, int, int]:
    """A row per recipient and the total row, whose amount is a SUM; (first, last, total)
    rows."""
    book, sheet, result = overview.book, overview.sheet, overview.result
    split = result.municipal
    population = split.population
    exact, count_format = overview.exact, overview.count_format
    money = {"num_format": amount_format(result.programme.unit)}
    first = HEADER_ROW + 1
    last = first + len(population.codes) - 1
    total_row = last + 1
    weighted = overview.weighted
    weights = overview.weights
    total_count = sum(weights.values(), Fraction(0)) if weighted else Fraction(population.total)
    for row, (code, name, count) in enumerate(
        zip(population.codes, population.names, population.counts, strict=True), start=first
    ):
        amount = kroner(split.share_ore(code))
        book.text(sheet, row, 1, code)
        book.text(sheet, row, 2, name)
        weight = weights[code] if weighted else Fraction(count)
        book.number(sheet, row, 3, weight_cell(weight), num_format=count_format)
        share = weight / total_count if total_count else Fraction(0)
        book.formula(sheet, row, 4, f"=C{row}/$C${total_row}", share, num_format=SHARE_FORMAT)
        book.number(sheet, row, 5, exact[code], num_format=EXACT_FORMAT)
        adjustment = Fraction(amount) - Fraction(exact[code])
        book.formula(sheet, row, 6, f"=G{row}-E{row}", adjustment, num_format=EXACT_FORMAT)
        book.number(sheet, row, 7, amount, **money)
        overview.identify(row, code)

    book.text(sheet, total_row, 2, TOTAL_LABEL, top=1, **_BOLD)
    exact_sum = sum((Fraction(value) for value in exact.values()), Fraction(0))
    adjustments = Fraction(result.municipal_part_ore, ORE_PER_KRONE) - exact_sum
    totals = [
        (3, "=SUM({c})", total_count, count_format),
        (4, "=SUM({c})", Fraction(1 if total_count else 0), SHARE_FORMAT),
        (5, "=SUM({c})", exact_sum, EXACT_FORMAT),
        (6, "=ROUND(SUM({c}),3)", _round(adjustments, 3), EXACT_FORMAT),
        (7, "=SUM({c})", Fraction(result.municipal_part_ore, ORE_PER_KRONE), money["num_format"]),
    ]
    for column, formula, value, number_format in totals:
        letter = "ABCDEFG"[column - 1]
        cells = f"{letter}{first}:{letter}{last}"
        book.formula(
            sheet, total_row, column, formula.format(c=cells), value,
            num_format=number_format, top=1, **_BOLD,
        )  # fmt: skip
    for column in (1, *range(len(HEADERS) + 1, overview.last_column + 1)):
        sheet.write_blank(total_row - 1, column - 1, None, book.style(**_TOP_RULE))
    start = len(HEADERS) + len(overview.extra) + 1
    rules.write_rule_cells(book, sheet, total_row, start, overview.ruled, None)
    return first, last, total_row


def _overview_notes(overview: _Overview, row: int) -> int:
    """The notes below the co-financing summary (source, rounding, decimals); the last row."""
    book, sheet, result = overview.book, overview.sheet, overview.result
    notes = [
        # A decimal key (the block-grant key) is not a population (issue #13).
        f"{Wording.of(result.municipal).label('note')}: {result.municipal.population.source}",
        f"Afrunding: {method_text(result)}",
        f"Præcis andel er vist med {'tre' if book.live_formulas else 'seks'} decimaler; "
        "afrunding = beløb − præcis andel.",
    ]
    if book.amounts_as_text:
        notes.append(AMOUNTS_AS_TEXT_NOTE)
    for offset, note in enumerate(notes, start=1):
        sheet.merge_range(row + offset - 1, 0, row + offset - 1, overview.last_column - 1, "")
        book.text(sheet, row + offset, 1, note, text_wrap=True, valign="top")
        fit_row(sheet, row + offset, [(note, overview.table_width, False)])
    return row + len(notes)


def build_party_workbook(
    result: ProgrammeResult,
    payer: Payer,
    provenance: Provenance | None,
    einvoice: PayerEinvoice | None = None,
) -> Book:
    """One payer's workbook: its amount, the payment details and the working behind it;
    with the ``einvoice`` that goes to the payer, how it pays as its letter says it."""
    programme = result.programme
    amount = kroner(payer.amount_ore)
    book = Book(live_formulas=fits_a_cell(amount))
    sheet = book.sheet(PAYER_SHEET)
    widths = [46.0, 90.0]
    heading = draft_title(f"{payer.official_name}: {programme.short_title}", provenance)
    for row, text, style in (
        (1, heading, TITLE),
        (2, programme.title, {}),
        (3, decision_line(result), {}),
    ):
        sheet.merge_range(row - 1, 0, row - 1, 1, "")
        book.text(sheet, row, 1, text, text_wrap=True, valign="top", **style)
        lines = [(text, sum(widths) / (1.3 if style else 1.0), bool(style))]
        fit_row(sheet, row, lines)
    if payer.official_name:  # a 14-point title line is taller than a body line
        sheet.set_row(0, max(21.0, 21.0 * _title_lines(heading, sum(widths))))

    rows: list[tuple[str, str | Decimal | int]] = [
        (PAYER_LABEL, payer.official_name),
        (CODE_LABEL, payer.code),
    ]
    rows += [(label, value) for label, value in identifiers(payer) if value]
    rows.append((AMOUNT_LABEL, amount))
    # The payer's own reference is among the identifiers above; the programme's
    # ``payment.reference`` is only the pattern it was made from (#10).
    rows += payment_rows(programme.payment.instruction(payer.reference), einvoice)
    row = 5
    for label, value in rows:
        book.text(sheet, row, 1, label, valign="top", **_BOLD)  # level with a wrapped value
        if isinstance(value, str):
            book.text(sheet, row, 2, value, align="left", text_wrap=True, valign="top")
            fit_row(sheet, row, [(value, widths[1], False)])
        else:
            number_format = amount_format(programme.unit)
            book.number(sheet, row, 2, value, num_format=number_format, align="left", **_BOLD)
        row += 1
    if book.amounts_as_text:
        book.text(sheet, row, 2, AMOUNTS_AS_TEXT_NOTE, text_wrap=True, valign="top")
        fit_row(sheet, row, [(AMOUNTS_AS_TEXT_NOTE, widths[1], False)])
        row += 1
    row += 1
    book.text(sheet, row, 1, "Beregning", **_BOLD)
    for step in party_working(result, payer.code):
        row += 1
        book.text(sheet, row, 1, step.label, text_wrap=True, valign="top")
        book.text(sheet, row, 2, step.value, text_wrap=True, valign="top")
        fit_row(sheet, row, [(step.label, widths[0], False), (step.value, widths[1], False)])
    set_widths(sheet, widths)
    print_setup(sheet, programme.case_number, landscape=True, area=(1, 1, row, 2))
    add_method_sheet(book, result, provenance)
    return book


def workbook_bytes(book: Book, timestamp: datetime) -> bytes:
    """The .xlsx file as bytes, identical for identical content and timestamp.

    ``timestamp`` (a naive UTC datetime) is the document's creation and modification
    time; XlsxWriter dates every zip entry 1980-01-01, so nothing depends on the clock.
    """
    return book.to_bytes(timestamp)


def _title_lines(text: str, width: float) -> int:
    from costshare.documents.xlsx.cells import lines_needed

    return lines_needed(text, width / 1.3, bold=True)


def _cofinancing(
    book: Book,
    sheet: Worksheet,
    result: ProgrammeResult,
    row: int,
    total_row: int,
    last_column: int,
    identify: Callable[[int, str], None],
) -> int:
    """The summary "region part + municipal part = total"; returns the last row used.

    A co-financing party's row carries its code, so a reader of the annex (``costshare
    verify``) finds it as a payer; the municipalities' part is a subtotal row ("I alt
    kommuner") linked to the table's total; the weights are in the heading line.
    """
    programme = result.programme
    money = {"num_format": amount_format(programme.unit)}
    weight_total = sum(party.weight for party in programme.parties)
    weights = ", ".join(
        f"{party.name} {format_trimmed(party.weight / weight_total * 100, 4)} %"
        for party in programme.parties
    )
    sheet.merge_range(row - 1, 1, row - 1, last_column - 1, "")
    book.text(sheet, row, 2, f"Medfinansiering: {weights}", **_BOLD)
    who = recipients_word(result.municipal.population.municipal)
    start = row + 1
    # The municipalities' subtotal first, then the other parties, as ``compare`` prints them.
    for party in sorted(programme.parties, key=lambda party: not party.municipal):
        row += 1
        part = Fraction(result.party_parts_ore[party.code], ORE_PER_KRONE)
        if party.code == MUNICIPAL_PARTY:
            book.text(sheet, row, 2, f"{TOTAL_LABEL} {who}")
            book.formula(sheet, row, 7, f"=G{total_row}", part, **money)  # the table's total
        else:
            book.text(sheet, row, 1, party.code)
            book.text(sheet, row, 2, party.name)
            identify(row, party.code)
            book.number(sheet, row, 7, kroner(result.party_parts_ore[party.code]), **money)
    row += 1
    grand = Fraction(result.total_ore, ORE_PER_KRONE)
    book.text(sheet, row, 2, "Samlet udgift", **_BOLD)
    formula = f"=SUM(G{start}:G{row - 1})"
    book.formula(sheet, row, 7, formula, grand, top=1, **money, **_BOLD)
    return row


def _chart(book: Book, first: int, last: int, title: str, case: str) -> None:
    """A horizontal bar per payer, tall enough that every name is on the axis."""
    sheet = book.sheet("Diagram")
    sheet.merge_range(0, 0, 0, _CHART_COLUMNS - 1, "")
    book.text(sheet, 1, 1, title, text_wrap=True, valign="top", **_BOLD)
    fit_row(sheet, 1, [(title, _CHART_COLUMNS * 8.43, True)])
    count = last - first + 1
    if not book.live_formulas:  # amounts are text: a chart of them would be empty
        book.text(sheet, 3, 1, AMOUNTS_AS_TEXT_NOTE)
        print_setup(sheet, case, one_page=True)
        return
    chart = book.workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Beløb (kr.)",
            "categories": [OVERVIEW_SHEET, first - 1, 1, last - 1, 1],
            "values": [OVERVIEW_SHEET, first - 1, 6, last - 1, 6],
            "fill": {"color": "#4472C4"},
            "gap": 60,
        }
    )
    chart.set_title({"name": "Beløb pr. kommune (kr.)", "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    # In a bar chart the category axis is the vertical one (XlsxWriter's y axis): every
    # name shown (no skipped labels), the first payer at the top as in the table.
    chart.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 8}})
    chart.set_x_axis(
        {"num_format": COUNT_FORMAT, "num_font": {"size": 8}, "major_gridlines": {"visible": True}}
    )
    width, height = _CHART_COLUMNS * 64 - 16, 90 + 16 * count
    chart.set_size({"width": width, "height": height})
    sheet.insert_chart(xl_rowcol_to_cell(2, 0), chart, {"object_position": 3})
    rows = 3 + int(height / 20) + 1
    print_setup(sheet, case, one_page=True, area=(1, 1, rows, _CHART_COLUMNS))


def _exact_kroner(result: ProgrammeResult, code: str) -> Decimal:
    """The exact share in kroner, to six decimals, fewer if a cell could not hold them.

    Display only (the amount is the integer); the column shows three decimals.
    """
    split = result.municipal
    exact_ore = split.fixed_ore + split.allocation.working(code).exact * split.unit.ore
    return decimal_places(exact_ore / ORE_PER_KRONE, EXACT_PLACES)


def _round(value: Fraction, places: int) -> Fraction:
    """Excel's ROUND: halves away from zero."""
    scaled = value * 10**places
    rounded = int(abs(scaled) + Fraction(1, 2)) * (1 if scaled >= 0 else -1)
    return Fraction(rounded, 10**places)
