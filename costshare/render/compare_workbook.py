"""The comparison of two bases as an Excel workbook (``costshare compare --out FILE.xlsx``).

One sheet, "Sammenligning", with the title and both sources above a header row, one row
per payer and total rows; amounts are numbers in kroner with Danish-style number formats
(Excel shows the separators of the reader's locale). A second sheet, "Kilder", names the
sources and the costshare version. No business logic: the numbers come from
:class:`costshare.check.compare.Comparison`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from costshare.base.money import ORE_PER_KRONE
from costshare.check.compare import Comparison, ComparisonRow
from costshare.render.cells import keep_sheet_as_text

_KR_FORMAT = "#,##0"
_KR_ORE_FORMAT = "#,##0.00"
_PERCENT_FORMAT = "+0.00%;-0.00%;0.00%"


def build_workbook(comparison: Comparison) -> Any:
    """An openpyxl ``Workbook`` holding the comparison."""
    import openpyxl
    from openpyxl.styles import Font

    from costshare.base.version import __version__

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sammenligning"
    sheet.append([f"Sammenligning: {comparison.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Befolkning {comparison.before_label}: {comparison.before_source}"])
    sheet.append([f"Befolkning {comparison.after_label}: {comparison.after_source}"])
    sheet.append([])
    header = [
        "Kode",
        "Kommune",
        f"Beløb {comparison.before_label} (kr.)",
        f"Beløb {comparison.after_label} (kr.)",
        "Ændring (kr.)",
        "Ændring (%)",
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    money_format = _KR_ORE_FORMAT if comparison.unit.shows_ore else _KR_FORMAT
    for row in comparison.display_rows():
        if row is None:
            continue
        sheet.append(_cells(row))
        cells = sheet[sheet.max_row]
        for cell in cells[2:5]:
            cell.number_format = money_format
        cells[5].number_format = _PERCENT_FORMAT
        if not row.code:
            for cell in cells:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (6, 22, 18, 18, 15, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A6"
    sources = book.create_sheet("Kilder")
    sources.append(["Grundlag", "Kilde"])
    sources.append([comparison.before_label, comparison.before_source])
    sources.append([comparison.after_label, comparison.after_source])
    sources.append(["Program", f"costshare {__version__}"])
    sources.column_dimensions["B"].width = 90
    for worksheet in (sheet, sources):  # names and sources come from user files: text only
        keep_sheet_as_text(worksheet)
    return book


def write_workbook(comparison: Comparison, path: str | Path) -> None:
    """Build the workbook and save it to ``path`` (atomically: no partial file on failure)."""
    from costshare.render.output import write_atomically

    book = build_workbook(comparison)
    write_atomically(path, book.save)


def _cells(row: ComparisonRow) -> list[Any]:
    percent = row.change_percent
    ratio = None
    if percent is not None:  # a cell value, shown with 2 decimals; 6 significant is plenty
        ratio = Decimal(percent.numerator) / Decimal(percent.denominator) / 100
        ratio = ratio.quantize(Decimal("1e-8"))  # a percentage, not money
    return [
        row.code or None,
        row.name,
        _kroner(row.before_ore),
        _kroner(row.after_ore),
        _kroner(row.change_ore),
        ratio,
    ]


def _kroner(amount_ore: int | None) -> Decimal | None:
    """Øre as an exact Decimal number of kroner for the cell."""
    return None if amount_ore is None else Decimal(amount_ore) / ORE_PER_KRONE
