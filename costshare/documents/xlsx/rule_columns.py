"""The overview workbook's columns for the published rules of issue #21.

The overview's table (:func:`costshare.documents.xlsx.workbooks.build_overview`) keeps its
seven columns, which ``costshare verify`` reads; what a rule adds comes after them:

* a key in parts: one column per part with each payer's exact amount from it (the
  "Præcis andel" column is their sum), with the part's amount in the total row;
* a key by size class (weights or fees): the payer's class.

:func:`key_columns` says what columns C and D hold: the population and its share, or the
weight in the key and its share (a counted key, a decimal key, class weights), or for a
rate the units counted and their share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from xlsxwriter.worksheet import Worksheet

from costshare.base.money import ORE_PER_KRONE
from costshare.documents.xlsx.cells import Book
from costshare.documents.xlsx.method_sheet import EXACT_FORMAT, decimal_places
from costshare.programme.key_wording import class_of
from costshare.shares.parts import part_shares
from costshare.shares.splitting import Split

EXACT_PLACES = 6


@dataclass(frozen=True)
class RuleColumn:
    """One column after the table's own: header, a value per payer, and a total."""

    header: str
    values: dict[str, str | Decimal]
    total: Decimal | None = None
    width: float = 14.0

    @property
    def numbers(self) -> bool:
        """Whether the column holds numbers (exact amounts) rather than text."""
        return self.total is not None


def key_columns(split: Split) -> tuple[bool, dict[str, Fraction], tuple[str, str]]:
    """Whether columns C and D show weights, the weights, and the two headers."""
    population = split.population
    classes = split.key.classes
    if classes is not None and not classes.fees:
        weights = {
            code: classes.weight_of(figure)
            for code, figure in zip(population.codes, population.figures(), strict=True)
        }
        return True, weights, ("Vægt i nøglen", "Andel af vægten")
    weighted = bool(split.counted) or population.weight_scale != 1
    if not weighted:
        return False, {}, ("Indbyggere", "Andel af indbyggere")
    if split.rate is not None:
        return True, split.key_weights, ("Talt med", "Andel af det talte")
    return True, split.key_weights, ("Vægt i nøglen", "Andel af vægten")


def rule_columns(split: Split) -> list[RuleColumn]:
    """The columns a rule adds after the table's own (see the module docstring)."""
    codes = split.population.codes
    if split.key.parts:
        shares = {code: part_shares(split, code) for code in codes}
        columns = []
        for index, part in enumerate(split.key.parts):
            values: dict[str, str | Decimal] = {
                code: _kroner(shares[code][index].exact_ore) for code in codes
            }
            amount = shares[codes[0]][index].amount_ore if codes else Fraction(0)
            header = f"Del {index + 1}: {part.name} (kr.)"
            columns.append(
                RuleColumn(header, values, _kroner(amount), max(16.0, len(header) / 2 + 2))
            )
        return columns
    if split.key.classes is not None:
        labels: dict[str, str | Decimal] = {code: class_of(split, code)[0] for code in codes}
        width = max(16.0, *(len(str(label)) + 2 for label in labels.values()))
        return [RuleColumn("Størrelsesklasse", labels, None, width)]
    return []


def write_rule_cells(
    book: Book, sheet: Worksheet, row: int, start: int, ruled: list[RuleColumn], code: str | None
) -> None:
    """The rule columns of one row, from column ``start``: a payer's values, or for the
    total row (``code`` None) each part's amount, bold under a rule like the table's."""
    for column, rule in enumerate(ruled, start=start):
        if code is None:
            if rule.total is not None:  # a part's amount: the sum of its column, exactly
                book.number(sheet, row, column, rule.total, num_format=EXACT_FORMAT, top=1, bold=True)  # fmt: skip
            continue
        value = rule.values.get(code)
        if isinstance(value, Decimal):
            book.number(sheet, row, column, value, num_format=EXACT_FORMAT)
        elif value is not None:
            book.text(sheet, row, column, value, indent=1)


def _kroner(amount_ore: Fraction) -> Decimal:
    """An exact amount in kroner to six decimals (display; the amount is the integer)."""
    return decimal_places(amount_ore / ORE_PER_KRONE, EXACT_PLACES)
