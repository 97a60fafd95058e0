"""Issue #24, item 4: worksheet formulas computed exactly, as a spreadsheet shows them.

A property test against an independent oracle (the same expression computed with Python's
Fraction and Decimal), Excel's precedence and rounding, and a cross-check with costshare's
own workbooks: every formula costshare writes, computed from the file, gives the value
costshare saved beside it (computed in Python when the workbook was made).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.population.formulas import FormulaError, evaluate
from costshare.population.sheets import Sheet, SheetCell, read_sheets

NUMBERS = {1: "20415", 2: "0.5", 3: "-7.25", 4: "1E3", 5: "0"}
CELLS = {(row, 1): SheetCell(float(text), number=text) for row, text in NUMBERS.items()}
VALUES = {f"A{row}": Fraction(Decimal(text)) for row, text in NUMBERS.items()}


def computed(formula: str) -> Fraction | int:
    sheet = Sheet("Ark1", cells={**CELLS, (9, 9): SheetCell(None, formula=formula)})
    return evaluate(sheet, [(9, 9)])[9, 9]


def round_half_away(value: Fraction, places: int) -> Fraction:
    """The oracle for ROUND: Decimal's ROUND_HALF_UP rounds halves away from zero."""
    with localcontext() as context:
        context.prec = 400
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return Fraction(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


literals = st.one_of(
    st.integers(-(10**6), 10**6).map(lambda n: (str(n), Fraction(n))),
    st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False).map(
        lambda d: (f"{d:f}", Fraction(d))
    ),
    st.sampled_from(sorted(VALUES.items())),
)


def combine(children: st.SearchStrategy[tuple[str, Fraction]]) -> st.SearchStrategy:
    pairs = st.tuples(children, children)
    return st.one_of(
        pairs.map(lambda p: (f"({p[0][0]}+{p[1][0]})", p[0][1] + p[1][1])),
        pairs.map(lambda p: (f"({p[0][0]}-{p[1][0]})", p[0][1] - p[1][1])),
        pairs.map(lambda p: (f"({p[0][0]}*{p[1][0]})", p[0][1] * p[1][1])),
        pairs.filter(lambda p: p[1][1] != 0).map(
            lambda p: (f"({p[0][0]}/{p[1][0]})", p[0][1] / p[1][1])
        ),
        children.map(lambda c: (f"-{c[0]}", -c[1])),
        pairs.map(
            lambda p: (f"SUM({p[0][0]},A1:A5,{p[1][0]})", p[0][1] + sum(VALUES.values()) + p[1][1])
        ),
        st.tuples(children, st.integers(-3, 4)).map(
            lambda c: (f"ROUND({c[0][0]},{c[1]})", round_half_away(c[0][1], c[1]))
        ),
    )


expressions = st.recursive(literals, combine, max_leaves=8)


@given(expressions)
def test_a_formula_is_computed_exactly(expression: tuple[str, Fraction]) -> None:
    text, expected = expression
    assert computed("=" + text) == expected


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=1+2*3", 7),
        ("=(1+2)*3", 9),
        ("=10-4-3", 3),  # left to right
        ("=8/4/2", 1),
        ("=-2*3", -6),
        ("=2--3", 5),
        ("= SUM( A1 , A2 ) ", Fraction(40831, 2)),
        ("=sum(a1:a5)", Fraction(40831, 2) - Fraction(29, 4) + 1000),
        ("=$A$1-$A1+A$1", 20415),
        ("=ROUND(2.5,0)", 3),
        ("=ROUND(-2.5,0)", -3),  # halves away from zero, as Excel
        ("=ROUND(1234.5678,-2)", 1200),
        ("=ROUND(1.005,2.9)", Fraction(101, 100)),  # places cut to 2
        ("=A9", 0),  # an empty cell counts 0
        ("=1/3*3", 1),  # exact: no float on the way
        ("=0.1+0.2", Fraction(3, 10)),
    ],
)
def test_excel_precedence_and_rounding(formula: str, expected: Fraction | int) -> None:
    assert computed(formula) == expected


def test_division_by_zero_names_the_cell() -> None:
    with pytest.raises(FormulaError) as refused:
        computed("=A1/A5")
    assert refused.value.cell == (9, 9)
    assert refused.value.fields["reason"] == "it divides by zero: #DIV/0! in a spreadsheet"


@pytest.mark.slow
def test_every_formula_in_costshares_own_workbooks_gives_its_saved_value(tmp_path: Path) -> None:
    """The overview's shares (C6/$C$35), adjustments (G6-E6), totals (SUM, ROUND(SUM()))
    and the co-financing summary: computed from the file = what costshare saved."""
    from annex_helpers import build_package

    checked = 0
    examples = ("telehjerte-2025", "syddanmark-mixed-2025")
    books = [
        book for name in examples for book in build_package(name, tmp_path / name).glob("*.xlsx")
    ]
    for workbook in sorted(books):
        for sheet in read_sheets(workbook.read_bytes(), str(workbook)):
            formulas = [cell for cell, found in sheet.cells.items() if found.formula]
            values = evaluate(sheet, formulas)
            for cell in formulas:
                saved = sheet.cells[cell].value
                assert float(values[cell]) == saved, (workbook.name, cell, values[cell], saved)
                checked += 1
    assert checked > 100
