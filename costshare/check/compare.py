"""Comparing a programme's amounts on two bases: another population, or another programme.

:func:`compare` lines up two computed programmes payer by payer (the municipalities,
then co-financing parties such as the region) and gives the change in kroner and in
percent of the first amount. A payer on only one side counts as 0 on the other, and has
no percentage. Showing it is :mod:`costshare.documents.text.compare_report`'s (table, CSV,
JSON) and :mod:`costshare.documents.xlsx.compare_workbook`'s.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> programme = load_programme(Path("examples/telehjerte-2025.toml"))
>>> result = compare(compute(programme), compute(programme, population_override="2024K1"), "2025K1", "2024K1")
>>> row = result.row("157")
>>> row.before_ore, row.after_ore, row.change_ore, row.change_percent
(2041500, 2061400, 19900, Fraction(3980, 4083))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from costshare.base.money import Unit
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer, payers


@dataclass(frozen=True)
class ComparisonRow:
    """One payer's amount on both bases (``None`` where it does not pay)."""

    code: str
    name: str
    municipal: bool
    before_ore: int | None
    after_ore: int | None

    @property
    def change_ore(self) -> int:
        """After minus before, a missing side counted as 0."""
        return (self.after_ore or 0) - (self.before_ore or 0)

    @property
    def change_percent(self) -> Fraction | None:
        """The change in percent of the before amount; None when that is 0 or missing."""
        return Fraction(100 * self.change_ore, self.before_ore) if self.before_ore else None


@dataclass(frozen=True)
class Comparison:
    """Two computations of a programme side by side."""

    title: str
    before_label: str
    after_label: str
    before_source: str
    after_source: str
    unit: Unit
    rows: tuple[ComparisonRow, ...]

    def row(self, code: str) -> ComparisonRow:
        """The row of the payer with this code. Raises :class:`KeyError` for an unknown code."""
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)

    def total(self, municipal: bool | None = None) -> ComparisonRow:
        """The sum of the municipalities' rows (``True``), the others', or all (``None``)."""
        rows = [r for r in self.rows if municipal is None or r.municipal == municipal]
        label = "I alt" if municipal is None or not self.has_parties else "I alt kommuner"
        return ComparisonRow(
            "",
            label,
            bool(municipal),
            sum(r.before_ore or 0 for r in rows),
            sum(r.after_ore or 0 for r in rows),
        )

    @property
    def has_parties(self) -> bool:
        """Whether payers other than municipalities (e.g. the region) are compared."""
        return any(not row.municipal for row in self.rows)

    def display_rows(self) -> list[ComparisonRow | None]:
        """Rows as shown: municipalities, their total, other parties, the grand total.

        ``None`` marks where a rule goes.
        """
        shown: list[ComparisonRow | None] = [r for r in self.rows if r.municipal]
        shown += [None, self.total(True)]
        if self.has_parties:
            shown += [r for r in self.rows if not r.municipal] + [None, self.total(None)]
        return shown


def compare(
    before: ProgrammeResult, after: ProgrammeResult, before_label: str, after_label: str
) -> Comparison:
    """Line up the payers of two computed programmes (``before`` first, in its order)."""
    first = {p.code: p for p in payers(before)}
    second = {p.code: p for p in payers(after)}
    order = [*first, *(code for code in second if code not in first)]

    def amount(side: dict[str, Payer], code: str) -> int | None:
        return side[code].amount_ore if code in side else None

    rows = []
    for code in order:
        payer = first.get(code) or second[code]
        rows.append(
            ComparisonRow(
                code, payer.name, payer.municipal, amount(first, code), amount(second, code)
            )
        )
    shows_ore = before.programme.unit.shows_ore or after.programme.unit.shows_ore
    return Comparison(
        title=before.programme.short_title,
        before_label=before_label,
        after_label=after_label,
        before_source=before.municipal.population.source,
        after_source=after.municipal.population.source,
        unit=Unit(1) if shows_ore else Unit(),
        rows=tuple(rows),
    )
