"""Packages of a programme over several years: a complete package a year and an overview.

``costshare run`` on a programme with ``[[years]]`` writes into ``out``::

    out/2025/…            the 2025 package, exactly as a one-year run writes it
    out/2026/…
    out/oversigt-alle-aar.xlsx   payer × year, with row and column totals
    out/manifest.json     the years, their totals and the indexing, and the overview's SHA-256

Each year's folder is written by :func:`costshare.render.package.write_package`, so it is
complete and verifiable on its own (``costshare verify PROGRAMME --year 2026
out/2026/finansiering-pr-kommune.xlsx``). Everything is written to a temporary folder
beside ``out`` and moved into place only when every year succeeded.

The overview's amounts are the years' integers; its totals are live ``SUM`` formulas, so
the sheet shows that rows and columns foot (both ways the grand total is the same number).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import ORE_PER_KRONE, format_plain, parse_amount
from costshare.base.version import __version__
from costshare.population.packaged import DATASET, is_quarter, packaged_checksum
from costshare.programme.model import ProgrammeResult, compute
from costshare.programme.payers import payers
from costshare.programme.provenance import Provenance
from costshare.programme.years import Plan
from costshare.render.package import (
    MANIFEST_FILE,
    _check_destination,
    _install,
    _population_file,
    _sha256_file,
    _umask,
    reproducible_timestamp,
    write_package,
)

YEARS_OVERVIEW_FILE = "oversigt-alle-aar.xlsx"
YEARS_SHEET = "Alle år"
INDEX_SHEET = "Prisindeks"
HEADER_ROW = 5

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_RULE = Side(style="thin")


@dataclass(frozen=True)
class YearsSummary:
    """What a multi-year run wrote: the folder, the years and each year's total."""

    out: Path
    totals_ore: dict[int, int]
    files: int


def prepare_year(
    plan: Plan, year: int | None, population: str | None = None, amount: str | None = None
) -> tuple[ProgrammeResult, Provenance]:
    """One year of ``plan`` computed, with its provenance (as ``package.prepare`` records it).

    Raises :class:`InputError` for a year the plan does not have or a bad override.
    """
    programme = plan.year(year).programme
    amount_ore = parse_amount(amount, "--amount") if amount is not None else None
    result = compute(programme, population_override=population, amount_override_ore=amount_ore)
    what_if = []
    if amount_ore is not None:
        shown = format_kr(amount_ore, programme.unit.shows_ore)
        what_if.append(f"samlet udgift {shown} (--amount)")
    if population is not None:
        shown = population if is_quarter(population) else Path(population).name
        what_if.append(f"befolkning {shown} (--population)")
    if plan.index_override:
        what_if.append(f"prisindeks fra {plan.index_override} (--index)")
    inputs = [(f"programfil {programme.path.name}", programme.sha256)]
    population_file = _population_file(programme, population)
    if population_file is None:
        inputs.append((f"befolkningsdata {DATASET}.csv", packaged_checksum()))
    else:
        inputs.append((f"befolkningsdata {population_file.name}", _sha256_file(population_file)))
    if plan.table is not None and plan.table.file:
        inputs.append((f"prisindeks {plan.table.file}", plan.table.sha256))
    split = result.municipal
    provenance = Provenance(
        version=__version__,
        programme_file=programme.path.name,
        population_basis=Path(split.population.basis).name,
        population_source=split.population.source,
        population_date=split.population.as_of,
        inputs=tuple(inputs),
        what_if=tuple(what_if),
    )
    return result, provenance


def write_years(
    plan: Plan,
    out: Path,
    templates: Path | None = None,
    force: bool = False,
    environ: Mapping[str, str] = os.environ,
) -> YearsSummary:
    """Write every year's package and the overview into ``out`` atomically."""
    _check_destination(out, force)
    results = [(entry.year, *prepare_year(plan, entry.year)) for entry in plan.years]
    stamp = reproducible_timestamp(results[0][1].programme, environ)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        files = 0
        for year, result, provenance in results:
            summary = write_package(
                result, provenance, staging / str(year), templates=templates, environ=environ
            )
            files += len(summary.files)
        from costshare.render.workbooks import workbook_bytes

        overview = build_years_overview(plan, [(year, result) for year, result, _ in results])
        (staging / YEARS_OVERVIEW_FILE).write_bytes(workbook_bytes(overview, stamp))
        (staging / MANIFEST_FILE).write_bytes(_manifest(plan, results, staging))
        staging.chmod(0o777 & ~_umask())
        _install(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    totals = {year: result.total_ore for year, result, _ in results}
    return YearsSummary(out, totals, files + 2)


def year_table(
    results: list[tuple[int, ProgrammeResult]],
) -> tuple[list[tuple[str, str]], dict[tuple[str, int], int]]:
    """The payers of every year (first appearance order) and each payer's amount a year."""
    rows: dict[str, str] = {}
    amounts: dict[tuple[str, int], int] = {}
    for year, result in results:
        for payer in payers(result):
            rows.setdefault(payer.code, payer.official_name)
            amounts[payer.code, year] = payer.amount_ore
    return list(rows.items()), amounts


def build_years_overview(plan: Plan, results: list[tuple[int, ProgrammeResult]]) -> Workbook:
    """The overview workbook: payer × year, totals by row and column (formulas)."""
    from costshare.render.cells import keep_as_text

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = YEARS_SHEET
    first_programme = results[0][1].programme
    shows_ore = first_programme.unit.shows_ore
    amount_format = "#,##0.00" if shows_ore else "#,##0"
    years = [year for year, _ in results]
    rows, amounts = year_table(results)
    total_column = 3 + len(years)
    first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
    total_row = last + 1

    sheet.cell(1, 1, "Finansiering pr. år").font = _TITLE
    sheet.cell(2, 1, first_programme.title).font = _BOLD
    sheet.cell(3, 1, f"Sagsnr. {first_programme.case_number}; beløb i kr. pr. betaler og år")
    headings = ["Kode", "Betaler", *(str(year) for year in years), "I alt"]
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(HEADER_ROW, column, heading)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, Border(bottom=_RULE)
        cell.alignment = Alignment(horizontal="left" if column <= 2 else "right")
    for row, (code, name) in enumerate(rows, start=first):
        sheet.cell(row, 1, code)
        sheet.cell(row, 2, name)
        for column, year in enumerate(years, start=3):
            if (code, year) in amounts:  # blank where the payer does not pay that year
                cell = sheet.cell(row, column, _kroner(amounts[code, year]))
                cell.number_format = amount_format
        sheet.cell(row, total_column, f"=SUM({_span(3, total_column - 1, row)})")
        sheet.cell(row, total_column).number_format = amount_format
    keep_as_text(cell for row_cells in sheet.iter_rows(max_col=2) for cell in row_cells)
    sheet.cell(total_row, 2, "I alt").font = _BOLD
    for column in range(3, total_column + 1):
        letter = get_column_letter(column)
        cell = sheet.cell(total_row, column, f"=SUM({letter}{first}:{letter}{last})")
        cell.number_format, cell.font, cell.border = amount_format, _BOLD, Border(top=_RULE)
    check_row = total_row + 1
    sheet.cell(check_row, 2, "Kontrol: sum af årenes i alt")
    cell = sheet.cell(check_row, total_column, f"=SUM({_span(3, total_column - 1, total_row)})")
    cell.number_format = amount_format
    note = check_row + 2
    for year, result in results:
        population = result.municipal.population
        sheet.cell(note, 1, f"{year}: befolkning {population.source}")
        note += 1
    widths = [7, max(14, *(len(name) + 2 for _, name in rows)), *([14] * len(years)), 16]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(first, 3)
    _fit(sheet, landscape=len(years) > 4)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if plan.table is not None:
        _index_sheet(workbook, plan, results, amount_format)
    return workbook


def _index_sheet(
    workbook: Workbook, plan: Plan, results: list[tuple[int, ProgrammeResult]], amount_format: str
) -> None:
    """Each year's base amount, the index figures and the indexed amount."""
    assert plan.table is not None
    sheet = workbook.create_sheet(INDEX_SHEET)
    sheet.cell(1, 1, "Pris- og lønfremskrivning").font = _TITLE
    sheet.cell(2, 1, f"Indeks: {plan.table.describe()}")
    headings = [
        "År",
        "Beløb i prisniveau",
        "Prisniveau",
        "Indeks prisniveau",
        "Indeks år",
        "Beløb (kr.)",
    ]
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(4, column, heading)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    row = 5
    for year, result in results:
        indexation = result.programme.indexation
        if indexation is None:
            continue
        sheet.cell(row, 1, year)
        sheet.cell(row, 2, _kroner(indexation.base_ore)).number_format = amount_format
        sheet.cell(row, 3, indexation.price_level)
        for column, figure in ((4, indexation.base_index), (5, indexation.year_index)):
            # As written ("103,1"): text, so no spreadsheet reads the decimal comma otherwise.
            sheet.cell(row, column, figure).alignment = Alignment(horizontal="right")
        sheet.cell(row, 6, _kroner(indexation.result_ore)).number_format = amount_format
        row += 1
    sheet.cell(
        row + 1,
        1,
        "Beløb = beløb i prisniveau × indeks år / indeks prisniveau, "
        "afrundet én gang til hele enheder (halve op).",
    )
    for column, width in enumerate([8, 20, 12, 18, 12, 16], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    _fit(sheet, landscape=True)


def _fit(sheet: Worksheet, landscape: bool) -> None:
    """A4, one page wide."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _manifest(
    plan: Plan, results: list[tuple[int, ProgrammeResult, Provenance]], folder: Path
) -> bytes:
    first = results[0][1].programme
    years = []
    for year, result, _provenance in results:
        unit = result.programme.unit
        entry: dict[str, object] = {
            "year": year,
            "folder": str(year),
            "total": format_plain(result.total_ore, unit),
            "manifest_sha256": _sha256_file(folder / str(year) / MANIFEST_FILE),
        }
        indexation = result.programme.indexation
        if indexation is not None:
            entry["indexing"] = {
                "base_amount": format_plain(indexation.base_ore, unit),
                "price_level": indexation.price_level,
                "base_index": indexation.base_index,
                "year_index": indexation.year_index,
                "amount": format_plain(indexation.result_ore, unit),
            }
        years.append(entry)
    document = {
        "generator": f"costshare {__version__}",
        "programme": {
            "file": first.path.name,
            "title": first.title,
            "case_number": first.case_number,
        },
        "index": (
            {"source": plan.table.source, "version": plan.table.version, "file": plan.table.file}
            if plan.table is not None
            else None
        ),
        "what_if": [f"prisindeks fra {plan.index_override} (--index)"]
        if plan.index_override
        else [],
        "years": years,
        "files": [
            {
                "path": YEARS_OVERVIEW_FILE,
                "kind": "overview-years",
                "sha256": hashlib.sha256((folder / YEARS_OVERVIEW_FILE).read_bytes()).hexdigest(),
            }
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def describe_years(summary: YearsSummary, shows_ore: bool) -> str:
    """One line for the terminal."""
    years = ", ".join(
        f"{year} {format_kr(total, shows_ore)}" for year, total in summary.totals_ore.items()
    )
    return (
        f"Wrote {summary.out}: a package a year ({years}), {YEARS_OVERVIEW_FILE} "
        f"and {MANIFEST_FILE}"
    )


def _span(first_column: int, last_column: int, row: int) -> str:
    return f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}"


def _kroner(amount_ore: int) -> int | Decimal:
    """Whole kroner as int; otherwise the exact Decimal (never a float)."""
    kroner, ore = divmod(amount_ore, ORE_PER_KRONE)
    return kroner if ore == 0 else Decimal(amount_ore) / ORE_PER_KRONE


def refuse_overrides_for_all_years(population: str | None, amount: str | None) -> None:
    """``--population`` and ``--amount`` change one year; with several years, ask which."""
    if population is not None or amount is not None:
        raise InputError(
            lazy("--population and --amount change one year's figures; give the year with --year")
        )
