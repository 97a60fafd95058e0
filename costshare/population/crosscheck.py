"""A user's population file checked against Statistics Denmark's own figures (issue #21).

Published tables get copied by hand, and a slip stays: Region Nordjylland's table of the
"Nordjyske kommuner" matches FOLK1A 2020K1 in ten of its eleven rows, but prints Rebild
as 31.113 instead of 30.113. Loaded without its total row, such a file used to be split
silently, and every payer's share was slightly wrong.

:func:`cross_check` compares a file of municipalities' inhabitants with the FOLK1A (or
FOLK1AM) figures costshare has, packaged or fetched: with the period the file names (a
``TID`` column), or else with every quarter, taking the one that matches most rows. Each
row that differs is named: ``Rebild: 31.113 i filen, 30.113 i FOLK1A 2020K1``.

A file whose figures match no period in at least half of its rows is taken to hold
another measure (an age group, service hours) and is not compared; nor is a decimal key,
a file of other recipients, or a packaged or fetched basis (those *are* the figures).

>>> from costshare.population.packaged import load_packaged
>>> from dataclasses import replace
>>> north = load_packaged("2020K1").select_region("Nordjylland")
>>> copied = replace(north, basis="nordjyske.csv", counts=tuple(
...     31113 if code == "840" else count for code, count in zip(north.codes, north.counts)))
>>> found = cross_check(copied)
>>> found.period, found.named, found.matching, [d.name for d in found.differences]
('2020K1', False, 10, ['Rebild'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from costshare.base.errors import InputError
from costshare.base.i18n import Grouped, Joined, Text, lazy, nlazy
from costshare.population.datasets import FETCHED_PREFIX, normalise_basis
from costshare.population.packaged import Population, dataset_of, is_quarter, load_packaged, periods

# "befolkning.csv (2025K1)": the period a file's TID column names (see userfile.load_file).
_NAMED_PERIOD = re.compile(r" \(([^()]+)\)$")


@dataclass(frozen=True)
class Difference:
    """A row whose figure differs from the official one."""

    code: str
    name: str
    in_file: int
    official: int


@dataclass(frozen=True)
class CrossCheck:
    """The file compared with one period of Statistics Denmark's figures."""

    file: str
    period: str
    table: str
    named: bool
    """Whether the file names the period (else it is the one matching most rows)."""
    rows: int
    matching: int
    differences: tuple[Difference, ...]

    def problem(self) -> Text:
        """The rows that differ, as one message (the warning, or the ``--strict`` error)."""
        which = (
            lazy("the period the file names")
            if self.named
            else lazy(
                "the period that matches the file best, {matching} of {rows} rows",
                matching=self.matching,
                rows=self.rows,
            )
        )
        rows = Joined(
            (
                lazy(
                    "{name}: {in_file} in the file, {official} in {table} {period}",
                    name=row.name,
                    in_file=Grouped(row.in_file),
                    official=Grouped(row.official),
                    table=self.table,
                    period=self.period,
                )
                for row in self.differences
            ),
            "; ",
        )
        return nlazy(
            "{count} row differs from Statistics Denmark's {table} {period} ({which}): {rows}",
            "{count} rows differ from Statistics Denmark's {table} {period} ({which}): {rows}",
            len(self.differences),
            count=len(self.differences),
            table=self.table,
            period=self.period,
            which=which,
            rows=rows,
        )

    def error(self) -> InputError:
        """The refusal under ``--strict``: the same rows, and what to do."""
        return InputError(
            lazy(
                "{problem}; correct the file, or leave out --strict if it is right",
                problem=self.problem(),
            ),
            source=self.file,
        )


def comparable(population: Population) -> bool:
    """Whether ``population`` is a user's file of municipalities' inhabitants."""
    return (
        population.municipal
        and population.weight_scale == 1
        and population.measure == "indbyggertal"
        and not is_quarter(population.basis)
        and bool(population.codes)
    )


def cross_check(population: Population) -> CrossCheck | None:
    """The file compared with the official figures, or None when there is nothing to
    compare (see the module docstring). A result may have no differences."""
    if not comparable(population):
        return None
    named = _named_period(population.basis)
    candidates = [named] if named else _quarters_held()
    best: tuple[int, str, dict[str, int]] | None = None
    for period in candidates:
        try:
            official = load_packaged(period)
        except InputError:  # a period the file names that costshare does not have
            return None
        counts = dict(zip(official.codes, official.counts, strict=True))
        matching = sum(
            counts.get(code) == count
            for code, count in zip(population.codes, population.counts, strict=True)
        )
        if best is None or matching >= best[0]:  # the newest of equally good ones
            best = (matching, period, counts)
    rows = len(population.codes)
    if best is None or 2 * best[0] < rows:
        return None
    matching, period, counts = best
    differences = tuple(
        Difference(code, population.names[index], count, counts[code])
        for index, (code, count) in enumerate(zip(population.codes, population.counts, strict=True))
        if code in counts and counts[code] != count
    )
    file = population.basis.split(" (")[0]
    table = str(dataset_of(period).info.get("table", "FOLK1A"))
    return CrossCheck(file, period, table, named is not None, rows, matching, differences)


def _named_period(basis: str) -> str | None:
    match = _NAMED_PERIOD.search(basis)
    if not match:
        return None
    period = normalise_basis(match[1])
    return period if period and ":" not in period else None


def _quarters_held() -> list[str]:
    """Every whole-population quarter costshare has, packaged then fetched, oldest first."""
    held = []
    for basis in periods():
        period = basis.removeprefix(FETCHED_PREFIX)
        if ":" not in period and "K" in period and period not in held:
            held.append(period)
    return held
