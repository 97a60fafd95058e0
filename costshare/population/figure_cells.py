"""The cells of a user's population file: whole numbers, decimals and totals, checked.

:mod:`costshare.population.userfile` finds the columns and the recipients; this module
reads the figures in a column: whole-number populations (thousands separators allowed),
decimal shares and factors (exact, no thousands separators), a chosen figure column
(either), and a total row that must equal the rows above it. Every problem is an
:class:`InputError` naming the file, the row as the file shows it and the column.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import polars as pl

from costshare.base.errors import InputError, Problem, shown
from costshare.base.i18n import lazy, mark
from costshare.population.tables import Table

MAX_DIGITS = 18  # fits an Int64, and far beyond any population
WHOLE = (  # digits, or digits grouped in threes by '.', ',' or ' ' (never a fraction)
    r"^(?:[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+)$"
)

_EMPTY = {
    "population": mark("the population is empty; fill it in or delete the row"),
    "code": mark("the code is empty; fill it in or delete the row"),
    "name": mark("the name is empty; fill it in or delete the row"),
    "share": mark("the share is empty; fill it in or delete the row"),
    "factor": mark("the factor is empty; fill it in or delete the row"),
    "figure": mark("the figure is empty; fill it in or delete the row"),
}
_NEGATIVE = {
    "share": mark("share must not be negative, got {value}; correct the cell"),
    "factor": mark("factor must not be negative, got {value}; correct the cell"),
    "figure": mark("the figure must not be negative, got {value}; correct the cell"),
}
_NOT_DECIMAL = {
    "share": mark(
        "share must be a decimal number such as 0,012345 or 1,2345 % (no thousands separators), got {value}; correct the cell"
    ),
    "factor": mark(
        "factor must be a decimal number such as 1 or 0,85 (no thousands separators), got {value}; correct the cell"
    ),
    "figure": mark(
        "the figure must be a whole number such as 1.234 or a decimal such as 12,5 (decimals without thousands separators), got {value}; correct the cell"
    ),
}
_MIXED = {
    "share": mark("share {value} mixes percentages and plain numbers in one column; write every cell the same way"),
    "factor": mark("factor {value} mixes percentages and plain numbers in one column; write every cell the same way"),
}  # fmt: skip


def figure_column(table: Table, frame: pl.DataFrame, index: int) -> tuple[tuple[int, ...], int]:
    """A chosen figure column: whole numbers (thousands separators allowed), or else
    decimals (no thousands separators), as integers and their common scale."""
    cells = [re.sub("[\u00a0\u202f\u2009]", " ", cell or "").strip() for cell in frame[table.column(index)].to_list()]  # fmt: skip
    if all(re.fullmatch(WHOLE, cell) for cell in cells):
        return counts_of(table, frame, index), 1
    # Decimals: "4.380" beside "2920,5" is 4380 to a Danish reader and 4,38 to a decimal
    # reader; a column with both marks is refused rather than read one way.
    if any("." in cell for cell in cells) and any("," in cell for cell in cells):
        row = next(i for i, cell in enumerate(cells) if "." in cell)
        problem = lazy(
            "the column has both '.' and ',' in its numbers, so {value} could be a thousand or "
            "a decimal; write decimals with one mark and no thousands separators",
            value=shown(cells[row]),
        )
        raise cell_error(table, frame["_rec"][row], index, problem)
    values = decimals_of(table, frame, index, "figure", percent=False)
    scale = math.lcm(*(value.denominator for value in values))
    return tuple(int(value * scale) for value in values), scale


def counts_of(table: Table, frame: pl.DataFrame, index: int) -> tuple[int, ...]:
    """The population column as ints, checked and converted in polars (no row loop)."""
    text = pl.col(table.column(index)).str.replace_all("[\u00a0\u202f\u2009]", " ")
    text = text.str.strip_chars()
    digits = text.str.replace_all("[ .,]", "").str.replace("^0+([0-9])", "${1}")
    ok = text.str.contains(WHOLE) & (digits.str.len_chars() <= MAX_DIGITS)
    checked = frame.select("_rec", text.alias("text"), digits.alias("digits"), ok.alias("ok"))
    if checked["ok"].fill_null(False).all():
        return tuple(checked["digits"].cast(pl.Int64).to_list())
    rec, value, _digits, _ok = checked.filter(~pl.col("ok").fill_null(False)).row(0)
    if not value:
        raise empty_cell(table, rec, index, "population")
    problem: Problem
    if re.fullmatch(WHOLE, value):
        problem = lazy(
            "population {value} is too large (over {limit} digits); correct the cell",
            value=repr(value),
            limit=MAX_DIGITS,
        )
    elif re.fullmatch(r"[0-9.]+e\+[0-9]+", value):  # a float cell past Excel's 15 digits
        problem = lazy(
            "population {value} is a number too large for Excel to hold exactly "
            "(over 15 digits); enter it as text, or correct the cell",
            value=repr(value),
        )
    elif re.match(r"[-\u2212]\s*[0-9]", value):
        problem = lazy(
            "population must not be negative, got {value}; correct the cell", value=repr(value)
        )
    else:
        problem = lazy(
            "population must be a whole number, got {value}; correct the cell", value=shown(value)
        )
    raise InputError(
        problem, source=table.source, row=table.row_number(rec), column=table.header[index]
    )


# A decimal with ',' or '.' as the decimal mark and no thousands separators, optionally in
# E-notation (how an Excel number cell may arrive) and optionally a percentage.
# The exponent has at most two digits: 1e-999999 would make a denominator of a million digits.
_DECIMAL = re.compile(r"^[0-9]+(?:[.,][0-9]+)?(?:[eE][-+]?[0-9]{1,2})?$")


def decimals_of(
    table: Table, frame: pl.DataFrame, index: int, what: str, percent: bool
) -> tuple[Fraction, ...]:
    """A column of decimals (``0,012345``, ``1.2345 %``, ``1,5``) as exact fractions.

    A percentage is divided by 100; a column must not mix percentages and plain numbers,
    since which one a bare number means cannot be known.
    """
    cells = frame[table.column(index)].to_list()
    recs = frame["_rec"].to_list()
    values: list[Fraction] = []
    kinds: set[bool] = set()
    for rec, cell in zip(recs, cells, strict=True):
        text = re.sub("[\u00a0\u202f\u2009 ]", "", cell or "")
        is_percent = percent and text.endswith("%")
        number = text.removesuffix("%") if is_percent else text
        if not number:
            raise empty_cell(table, rec, index, what)
        if not _DECIMAL.match(number) or len(number) > 40:
            if re.match(r"[-\u2212]\s*[0-9]", number):
                problem = lazy(_NEGATIVE[what], value=shown(cell))
            else:
                problem = lazy(_NOT_DECIMAL[what], value=shown(cell))
            raise cell_error(table, rec, index, problem)
        kinds.add(is_percent)
        if len(kinds) > 1:
            problem = lazy(_MIXED[what], value=shown(cell))
            raise cell_error(table, rec, index, problem)
        value = Fraction(Decimal(number.replace(",", ".")))
        values.append(value / 100 if is_percent else value)
    return tuple(values)


def check_totals(table: Table, frame: pl.DataFrame, counts: Sequence[int], index: int) -> None:
    """An ``I alt``/``Total`` row (left out by the reader) must equal the rows above it."""
    stated = table.totals.filter(pl.col(table.column(index)).str.strip_chars() != "")
    if stated.is_empty():
        return
    recs = frame["_rec"].to_list()  # in file order
    running = [0, *itertools.accumulate(counts)]
    for rec, total in zip(stated["_rec"].to_list(), counts_of(table, stated, index), strict=True):
        above = running[bisect.bisect_left(recs, rec)]
        if total != above:
            raise InputError(
                lazy(
                    "the total row says {total}, but the rows above it add up to {above}; "
                    "correct the total or the rows, or delete the total row",
                    total=total,
                    above=above,
                ),
                source=table.source,
                row=table.row_number(rec),
                column=table.header[index],
            )


def empty_cell(table: Table, rec: int, index: int, what: str) -> InputError:
    return InputError(
        lazy(_EMPTY[what]),
        source=table.source,
        row=table.row_number(rec),
        column=table.header[index],
    )


def cell_error(table: Table, rec: int, index: int, problem: Problem) -> InputError:
    # The row number only on the error path: with quoted cells it means counting lines.
    row, column = table.row_number(rec), table.header[index]
    return InputError(problem, source=table.source, row=row, column=column)
