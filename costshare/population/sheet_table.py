"""A worksheet as a table: the sheet whose header the caller recognises, read as a person sees it.

:func:`read_workbook_table` reads an ``.xlsx`` (:mod:`costshare.population.sheets`: only
the cells it holds, whatever its dimension or ranges claim) and makes the
:class:`~costshare.population.tabular.Table` of the one sheet whose header the caller
``accept``\\ s. What a reader of the sheet sees is what is read:

* **formulas** in the table (the header row down) are computed by costshare
  (:mod:`costshare.population.formulas`) and the computed value is read, never the value
  saved with the formula; a formula costshare cannot compute is refused, naming the cell;
* a **hidden sheet**, **hidden or filtered-out rows** and **hidden columns** that hold
  values, **merged cells** in the table and a **number format** that shows something other
  than the value are refused, naming the cell (:mod:`costshare.population.sheet_checks`);
* a value to the right of the header, where no column has a heading, is refused, naming
  the cell (wherever it is: ``XFD1048576`` too);
* two sheets that both hold a table the caller can read are refused.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy, tr
from costshare.base.limits import MAX_SHEET_ROWS, MAX_TABLE_COLUMNS
from costshare.population.formulas import FormulaError, evaluate
from costshare.population.sheet_checks import (
    cell_text,
    column_letter,
    refuse_hidden,
    refuse_hiding_formats,
)
from costshare.population.sheets import Sheet, SheetCell, check_zip, read_sheets
from costshare.population.tabular import (
    HEADER_SEARCH_ROWS,
    Table,
    clean,
    make_table,
    too_many_columns,
    too_many_rows,
)

_ROW_LIMIT = MAX_SHEET_ROWS + HEADER_SEARCH_ROWS


def read_workbook_table(data: bytes, source: str, accept: Callable[[Sequence[str]], bool]) -> Table:
    """The table of the one sheet of workbook ``data`` whose header ``accept``\\ s.

    Raises :class:`InputError` naming the file (and cell) for a workbook over a limit, one
    that is not a readable workbook, and anything a reader would not see (module docstring).
    """
    if check_zip(data, source) > _ROW_LIMIT:
        raise too_many_rows(source, MAX_SHEET_ROWS)
    # openpyxl raises many kinds of exception for a damaged or foreign file (BadZipFile,
    # KeyError, XML parse errors…); all of them mean "this is not a workbook we can read".
    try:
        with warnings.catch_warnings():  # openpyxl warns (on stderr) about what it drops
            warnings.simplefilter("ignore")
            sheets = read_sheets(data, source)
    except InputError:
        raise
    except Exception as error:
        raise InputError(
            lazy(
                "is not a readable Excel workbook ({kind}); open it in Excel "
                "and save it as .xlsx, or save it as CSV",
                kind=type(error).__name__,
            ),
            source=source,
        ) from None
    found: list[tuple[Sheet, int, list[str]]] = []
    for sheet in sheets:
        located = _sheet_header(sheet, accept)
        if located is not None:
            found.append((sheet, *located))
    if not found:
        raise InputError(lazy("the workbook is empty"), source=source)
    readable = [f for f in found if accept(f[2])]
    if len(readable) > 1:
        raise InputError(
            lazy(
                "the sheets {first} and {second} both hold a table of recipients; delete the "
                "sheet you do not mean, or save the one you mean as CSV",
                first=repr(readable[0][0].title),
                second=repr(readable[1][0].title),
            ),
            source=source,
        )
    # The sheet whose header is recognised; else the first, for the caller to explain.
    sheet, header_row, header = (readable or found)[0]
    if len(header) > MAX_TABLE_COLUMNS:
        raise too_many_columns(source, len(header))
    if readable and sheet.state != "visible":
        raise InputError(
            lazy(
                "the sheet {sheet} is hidden; unhide it to check it first", sheet=repr(sheet.title)
            ),
            source=source,
        )
    _compute_formulas(sheet, header_row, header, source)
    if readable:
        _refuse_values_past_the_header(sheet, header_row, len(header), source)
        refuse_hidden(source, sheet, header_row, len(header))
        refuse_hiding_formats(source, sheet, header_row, header)
    notes: tuple[str, ...] = ()
    if len(sheets) > 1:  # always two or more: no singular
        notes = (
            tr(
                "read sheet {sheet} of the {count} sheets",
                sheet=repr(sheet.title),
                count=len(sheets),
            ),
        )
    return _sheet_table(source, sheet, header_row, header, notes)


def _sheet_header(
    sheet: Sheet, accept: Callable[[Sequence[str]], bool]
) -> tuple[int, list[str]] | None:
    """The header row's number and cells: the first accepted among the first rows, else
    the first row that shows something, else None. A row ends at its last cell that shows
    something."""

    def last_shown(rows: Callable[[int], bool]) -> dict[int, int]:
        """Row → its last column that shows something, for the rows asked for."""
        found: dict[int, int] = {}
        for (row, column), cell in sheet.cells.items():
            if rows(row) and column > found.get(row, 0) and cell_text(cell.value):
                found[row] = column
        return found

    def cells(row: int, width: int) -> list[str]:
        return [clean(cell_text(value)) for value in sheet.row(row, width)]

    top = last_shown(lambda row: row <= HEADER_SEARCH_ROWS)
    for row in sorted(top):
        if accept(cells(row, top[row])):
            return row, cells(row, top[row])
    if top:
        first = min(top)
        return first, cells(first, top[first])
    anywhere = last_shown(lambda row: True)  # nothing in the first rows: the first row shown
    if not anywhere:
        return None
    first = min(anywhere)
    return first, cells(first, anywhere[first])


def _compute_formulas(sheet: Sheet, header_row: int, header: list[str], source: str) -> None:
    """Give every formula of the table (the header row down) the value costshare computes
    for it, in place of the value saved with it. Raises :class:`InputError` naming a
    formula that cannot be computed."""
    width = len(header)
    wanted = sorted(
        (row, column)
        for (row, column), cell in sheet.cells.items()
        if cell.formula is not None and row >= header_row and column <= width
    )
    try:
        values = evaluate(sheet, wanted)
    except FormulaError as error:
        row, column = error.cell
        label = header[column - 1] if row > header_row and column <= width else ""
        raise InputError(
            lazy(error.message, **error.fields),
            source=source,
            row=row,
            column=label or column_letter(column),
        ) from None
    for cell in wanted:
        saved = sheet.cells[cell]
        sheet.cells[cell] = SheetCell(
            _as_cell_value(values[cell]), saved.number_format, saved.formula
        )


def _as_cell_value(value: int | Fraction) -> int | Decimal | float:
    """A computed value as a cell would hold it: a whole number or an exact decimal (an
    amount in øre is one); a ratio that no decimal holds (a share of 1/3) as the nearest
    double, as a spreadsheet holds it."""
    if isinstance(value, int):
        return value
    if value.denominator == 1:
        return value.numerator
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return float(value)
    with localcontext() as context:
        context.prec = len(str(value.numerator)) + len(str(value.denominator)) + 2
        return Decimal(value.numerator) / Decimal(value.denominator)


def _refuse_values_past_the_header(sheet: Sheet, header_row: int, width: int, source: str) -> None:
    """A value right of the header, below it, is in no column: a misplaced figure."""
    stray = sorted(
        (row, column)
        for (row, column), cell in sheet.cells.items()
        if row > header_row and column > width and cell_text(cell.value)
    )
    if stray:
        row, column = stray[0]
        raise InputError(
            lazy(
                "the value {value} has no column header; add a header or delete it",
                value=shown(cell_text(sheet.cells[row, column].value)),
            ),
            source=source,
            row=row,
            column=column_letter(column),
        )


def _sheet_table(
    source: str,
    sheet: Sheet,
    header_row: int,
    header: list[str],
    notes: tuple[str, ...],
) -> Table:
    """The rows below the header that hold something in the table's columns."""
    width = len(header)
    numbers = sorted({row for row, column in sheet.cells if row > header_row and column <= width})
    if len(numbers) > _ROW_LIMIT:
        raise too_many_rows(source, MAX_SHEET_ROWS)
    raw = [sheet.row(number, width) for number in numbers]
    return make_table(
        source,
        header,
        [tuple(cell_text(value) for value in row) for row in raw],
        lambda rec: numbers[rec],
        notes,
        lambda index: column_letter(index + 1),
        sheet=sheet.title,
        header_row=header_row,
        cell_value=lambda rec, col: raw[rec][col],
    )


__all__ = ["read_workbook_table"]
