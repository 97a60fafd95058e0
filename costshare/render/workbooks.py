"""Workbooks of an annex package: the overview annex and one workbook per payer (openpyxl).

:func:`build_overview` makes the annex "Finansiering pr. kommune": one row per paying
municipality (code, name, population, share of population, exact share, rounding
adjustment, amount), a total row whose amount is a live ``SUM`` equal to the municipal
part, the co-financing summary, a bar chart of the amounts and a "Metode" sheet with the
method, the rounding unit, the ties, the population source and the inputs' SHA-256.
:func:`build_party_workbook` makes one payer's workbook: its amount and the working from
:func:`costshare.programme.working.party_working`.

There is no arithmetic on money here. Amounts are the split's integers: whole kroner are
stored as ``int``, amounts in øre as ``Decimal(øre) / 100`` (exact), never as floats. The
exact share is the allocation's exact fraction, written as a decimal with six places
(display only); the share of population and the rounding adjustment are formulas, so
the sheet shows its own arithmetic and recalculates in Excel and LibreOffice (the file
asks for a full calculation on load, as it carries no cached results).

Number formats are written the way the file format wants them (``#,##0``); Excel and
LibreOffice show them with the reader's separators, i.e. ``20.415`` in Danish. Text from
the programme file or the figures (names, titles) is always stored as text, never as a
formula, even when it starts with ``=``, ``+``, ``-`` or ``@``.

:func:`workbook_bytes` serialises a workbook byte-for-byte reproducibly: fixed document
properties and fixed zip entry times.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> sheet = build_overview(result, None).active
>>> [cell.value for cell in sheet[HEADER_ROW]] == list(HEADERS)
True
>>> HEADERS[-1]
'Beløb (kr.)'
>>> sheet["B35"].value, sheet["G35"].value
('I alt', '=SUM(G6:G34)')
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from costshare.allocation.methods import METHOD_NAMES_DA
from costshare.base.danish import format_date, format_fraction, format_kr
from costshare.base.money import ORE_PER_KRONE, Unit
from costshare.programme.model import MUNICIPAL_PARTY, ProgrammeResult
from costshare.programme.payers import Payer
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
    "Beløb (kr.)",
)
HEADER_ROW = 5
TOTAL_LABEL = "I alt"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.000%"
EXACT_FORMAT = "#,##0.000"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_RULE = Side(style="thin")
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_overview(result: ProgrammeResult, provenance: Provenance | None) -> Workbook:
    """The overview annex: the table, the co-financing summary, a chart and the method."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = OVERVIEW_SHEET
    programme = result.programme
    split = result.municipal
    population = split.population
    amount_format = _amount_format(programme.unit)

    _text(sheet, 1, 1, OVERVIEW_SHEET, font=_TITLE)
    _text(sheet, 2, 1, programme.title, font=_BOLD, alignment=_WRAP)
    _text(sheet, 3, 1, _decision_line(result))
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
    sheet.row_dimensions[2].height = 32
    for column, header in enumerate(HEADERS, start=1):
        _text(sheet, HEADER_ROW, column, header, font=_BOLD, fill=_HEADER_FILL)
        sheet.cell(HEADER_ROW, column).border = Border(bottom=_RULE)
        sheet.cell(HEADER_ROW, column).alignment = Alignment(
            horizontal="left" if column <= 2 else "right", wrap_text=True
        )

    first = HEADER_ROW + 1
    last = first + len(population.codes) - 1
    total_row = last + 1
    for row, (code, name, count) in enumerate(
        zip(population.codes, population.names, population.counts, strict=True), start=first
    ):
        _text(sheet, row, 1, code)
        _text(sheet, row, 2, name)
        _number(sheet, row, 3, count, COUNT_FORMAT)
        _number(sheet, row, 4, f"=C{row}/$C${total_row}", SHARE_FORMAT)
        _number(sheet, row, 5, _exact_kroner(result, code), EXACT_FORMAT)
        _number(sheet, row, 6, f"=G{row}-E{row}", EXACT_FORMAT)
        _number(sheet, row, 7, _kroner(split.share_ore(code)), amount_format)

    _text(sheet, total_row, 2, TOTAL_LABEL, font=_BOLD)
    totals = {
        3: "=SUM({c})",
        4: "=SUM({c})",
        5: "=SUM({c})",
        6: "=ROUND(SUM({c}),3)",
        7: "=SUM({c})",
    }
    formats = {3: COUNT_FORMAT, 4: SHARE_FORMAT, 5: EXACT_FORMAT, 6: EXACT_FORMAT, 7: amount_format}
    for column, formula in totals.items():
        letter = get_column_letter(column)
        cells = f"{letter}{first}:{letter}{last}"
        _number(sheet, total_row, column, formula.format(c=cells), formats[column], font=_BOLD)
    for column in range(1, len(HEADERS) + 1):
        sheet.cell(total_row, column).border = Border(top=_RULE)

    row = _cofinancing(sheet, result, total_row + 2, f"G{total_row}", amount_format)
    _text(sheet, row + 1, 1, f"Befolkning: {population.source}")
    _text(sheet, row + 2, 1, f"Afrunding: {_method_text(result)}")
    _text(
        sheet,
        row + 3,
        1,
        "Præcis andel er vist med tre decimaler; afrunding = beløb − præcis andel.",
    )
    last_printed = row + 3

    _widths(sheet, [7, max(14, *(len(name) + 2 for name in population.names)), 12, 12, 16, 14, 14])
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    _print_setup(sheet, f"A1:G{last_printed}", f"{HEADER_ROW}:{HEADER_ROW}", programme.case_number)
    _chart(workbook, sheet, first, last, programme.title)
    _method_sheet(workbook, result, provenance)
    return workbook


def build_party_workbook(
    result: ProgrammeResult, payer: Payer, provenance: Provenance | None
) -> Workbook:
    """One payer's workbook: its amount, the payment details and the working behind it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Beløb"
    programme = result.programme
    _text(sheet, 1, 1, f"{payer.official_name}: {programme.short_title}", font=_TITLE)
    _text(sheet, 2, 1, programme.title, alignment=_WRAP)
    sheet.merge_cells("A2:B2")
    sheet.row_dimensions[2].height = 32
    _text(sheet, 3, 1, _decision_line(result))
    rows: list[tuple[str, Any]] = [
        ("Betaler", payer.official_name),
        ("Kode", payer.code),
        ("Beløb (kr.)", _kroner(payer.amount_ore)),
    ]
    due = programme.payment.get("due")
    if isinstance(due, date):
        rows.append(("Betales senest", format_date(due)))
    for key, label in (("how", "Betaling"), ("account", "Konto")):
        if programme.payment.get(key):
            rows.append((label, str(programme.payment[key])))
    if payer.reference:  # the payer's own reference (#10), not the programme's pattern
        rows.append(("Reference", payer.reference))
    row = 5
    for label, value in rows:
        _text(sheet, row, 1, label, font=_BOLD)
        if isinstance(value, str):
            _text(sheet, row, 2, value, alignment=Alignment(horizontal="left"))
        else:
            _number(sheet, row, 2, value, _amount_format(programme.unit), font=_BOLD)
            sheet.cell(row, 2).alignment = Alignment(horizontal="left")
        row += 1
    row += 1
    _text(sheet, row, 1, "Beregning", font=_BOLD)
    for step in party_working(result, payer.code):
        row += 1
        _text(sheet, row, 1, step.label, alignment=_WRAP)
        _text(sheet, row, 2, step.value, alignment=_WRAP)
    _widths(sheet, [46, 90])
    _print_setup(sheet, f"A1:B{row}", None, programme.case_number, landscape=True)
    _method_sheet(workbook, result, provenance)
    return workbook


def workbook_bytes(workbook: Workbook, timestamp: datetime) -> bytes:
    """The .xlsx file as bytes, identical for identical content and timestamp.

    openpyxl stamps the current time into the document properties and the zip entries;
    both are replaced by ``timestamp`` (a naive UTC datetime, after 1980).
    """
    workbook.properties.creator = "costshare"
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, timestamp) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip file whose entries all carry one fixed time (openpyxl writes with now()).

    openpyxl adds most parts with ``writestr`` and the worksheets with ``write`` from a
    temporary file; both are routed through a :class:`zipfile.ZipInfo` with the fixed time.
    """

    def __init__(self, file: io.BytesIO, timestamp: datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._date_time = timestamp.timetuple()[:6]

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o644 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())


def _cofinancing(
    sheet: Worksheet, result: ProgrammeResult, row: int, municipal_cell: str, amount_format: str
) -> int:
    """The summary "region part + municipal part = total"; returns the last row used.

    A co-financing party's row carries its code, so a reader of the annex (``costshare
    verify``) finds it as a payer; the municipalities' part is a subtotal row ("I alt
    kommuner") linked to the table's total; the weights are in the heading line.
    """
    programme = result.programme
    weight_total = sum(party.weight for party in programme.parties)
    weights = ", ".join(
        f"{party.name} {format_fraction(party.weight / weight_total * 100, 4).rstrip('0').rstrip(',')} %"
        for party in programme.parties
    )
    _text(sheet, row, 2, f"Medfinansiering: {weights}", font=_BOLD)
    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(HEADERS))
    who = "kommuner" if result.municipal.population.municipal else "modtagere"
    start = row + 1
    # The municipalities' subtotal first, then the other parties, as ``compare`` prints them.
    for party in sorted(programme.parties, key=lambda party: not party.municipal):
        row += 1
        if party.code == MUNICIPAL_PARTY:
            _text(sheet, row, 2, f"{TOTAL_LABEL} {who}")
            _number(sheet, row, 7, f"={municipal_cell}", amount_format)  # live: the table's total
        else:
            _text(sheet, row, 1, party.code)
            _text(sheet, row, 2, party.name)
            _number(sheet, row, 7, _kroner(result.party_parts_ore[party.code]), amount_format)
    row += 1
    _text(sheet, row, 2, "Samlet udgift", font=_BOLD)
    _number(sheet, row, 7, f"=SUM(G{start}:G{row - 1})", amount_format, font=_BOLD)
    sheet.cell(row, 7).border = Border(top=_RULE)
    return row


def _chart(workbook: Workbook, table: Worksheet, first: int, last: int, title: str) -> None:
    sheet = workbook.create_sheet("Diagram")
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Beløb pr. kommune (kr.)"
    chart.legend = None
    chart.add_data(
        Reference(table, min_col=7, min_row=HEADER_ROW, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(table, min_col=2, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # first municipality at the top, as in the table
    chart.y_axis.numFmt = COUNT_FORMAT
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = 24
    chart.height = max(8.0, 0.5 * (last - first + 1))
    sheet.add_chart(chart, "A2")
    _text(sheet, 1, 1, title, font=_BOLD)
    _print_setup(sheet, None, None, "", landscape=False)


def _method_sheet(
    workbook: Workbook, result: ProgrammeResult, provenance: Provenance | None
) -> None:
    sheet = workbook.create_sheet("Metode")
    programme = result.programme
    split = result.municipal
    ties = ", ".join(f"{code} {split.population.name_of(code)}" for code in split.allocation.ties)
    rows: list[tuple[str, str]] = [
        ("Sag", f"{programme.title} ({programme.case_number})"),
        ("Beslutning", _decision_line(result)),
        (
            "Samlet udgift",
            format_kr(sum(result.party_parts_ore.values()), programme.unit.shows_ore),
        ),
        ("Fordelingsnøgle", split.key.describe()),
        ("Fordelingsmetode", METHOD_NAMES_DA[split.method][0]),
        ("Afrundingsenhed", format_kr(programme.unit.ore, programme.unit.shows_ore)),
        ("Lige store brøkdele", f"afgjort efter laveste kode: {ties}" if ties else "ingen"),
        ("Befolkningskilde", split.population.source),
    ]
    if split.population.as_of is not None:
        rows.append(("Befolkningsdato", format_date(split.population.as_of)))
    if provenance is not None:
        rows.append(("Befolkningsgrundlag", provenance.population_basis))
        rows += [(f"SHA-256 ({label})", digest) for label, digest in provenance.inputs]
        rows.append(("Program", f"costshare {provenance.version}"))
        rows += [("Ændret grundlag", note) for note in provenance.what_if]
    _text(sheet, 1, 1, "Metode og kilder", font=_TITLE)
    for row, (label, value) in enumerate(rows, start=3):
        _text(sheet, row, 1, label, font=_BOLD, alignment=_WRAP)
        _text(sheet, row, 2, value, alignment=_WRAP)
    _widths(sheet, [30, 90])
    _print_setup(sheet, f"A1:B{len(rows) + 2}", None, programme.case_number, landscape=True)


def _decision_line(result: ProgrammeResult) -> str:
    programme = result.programme
    item = f", punkt {programme.decision_item}" if programme.decision_item else ""
    return (
        f"Besluttet af {programme.decision_body} den {format_date(programme.decision_date)}"
        f"{item}; sagsnr. {programme.case_number}"
    )


def _method_text(result: ProgrammeResult) -> str:
    split = result.municipal
    unit = format_kr(split.unit.ore, split.unit.shows_ore)
    text = f"{METHOD_NAMES_DA[split.method][0]}, enhed {unit}"
    if split.allocation.ties:
        text += "; lige store brøkdele afgjort efter laveste kode: " + ", ".join(split.tied_names)
    return text


def _exact_kroner(result: ProgrammeResult, code: str) -> Decimal:
    """The exact share in kroner, to six decimals (display only; the amount is the integer)."""
    split = result.municipal
    exact_ore = split.fixed_ore + split.allocation.working(code).exact * split.unit.ore
    return _decimal(exact_ore / ORE_PER_KRONE, 6)


def _decimal(value: Fraction, places: int) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1).scaleb(-places)
        )


def _kroner(amount_ore: int) -> int | Decimal:
    """Whole kroner as int; otherwise the exact Decimal (never a float)."""
    kroner, ore = divmod(amount_ore, ORE_PER_KRONE)
    return kroner if ore == 0 else Decimal(amount_ore) / ORE_PER_KRONE


def _amount_format(unit: Unit) -> str:
    return "#,##0.00" if unit.shows_ore else "#,##0"


def _text(sheet: Worksheet, row: int, column: int, value: str, **style: Any) -> None:
    """Store ``value`` as text: never a formula, whatever it starts with."""
    cell = sheet.cell(row, column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    if value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # and Excel keeps it text if someone edits the cell
    for name, setting in style.items():
        setattr(cell, name, setting)


def _number(
    sheet: Worksheet, row: int, column: int, value: Any, number_format: str, **style: Any
) -> None:
    """Store a number or one of our own formulas."""
    cell = sheet.cell(row, column)
    cell.value = value
    cell.number_format = number_format
    for name, setting in style.items():
        setattr(cell, name, setting)


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _print_setup(
    sheet: Worksheet, area: str | None, title_rows: str | None, case: str, landscape: bool = False
) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    if area:
        sheet.print_area = area
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.left.text = case.replace("&", "&&")
    sheet.oddFooter.right.text = "Side &P af &N"
