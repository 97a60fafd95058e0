"""Checking a received annex against a programme, amount by amount.

:func:`verify` recomputes the programme and compares every row of the annex (read by
:mod:`costshare.check.annex`) with it: municipalities by code or name, and a row for a
co-financing party (the region) against that party's part. It reports the amounts that
differ, the payers missing from the annex, rows that are not payers, and whether each
total row equals the rows above it. When amounts differ, it tries every packaged
population quarter and names those that reproduce the annex exactly, since an annex
computed on last year's figures is the commonest cause.

A row whose code and name point at different municipalities is reported too; the code
decides which payer the row is compared with.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from costshare.base.codes import is_number_code, read_code, same_code
from costshare.base.i18n import tr
from costshare.population.names import municipality_names
from costshare.population.packaged import quarters
from costshare.programme.model import ProgrammeResult, compute
from costshare.programme.payers import Payer, match_payer, municipality_code, payers, suggestion

if TYPE_CHECKING:  # verifying an annex read elsewhere needs no reader
    from costshare.check.annex import Annex, AnnexRow


@dataclass(frozen=True)
class Mismatch:
    """A payer whose amount in the annex differs (``found_ore`` is None for a blank cell)."""

    row: int
    payer: Payer
    found_ore: int | None

    @property
    def difference_ore(self) -> int | None:
        """Found minus expected."""
        return None if self.found_ore is None else self.found_ore - self.payer.amount_ore


@dataclass(frozen=True)
class Unexpected:
    """A row that is not a payer of the programme, or a payer listed twice."""

    row: int
    label: str
    reason: str


@dataclass(frozen=True)
class TotalCheck:
    """A total row and the sum of the rows above it."""

    row: int
    label: str
    stated_ore: int | None
    rows_sum_ore: int

    @property
    def adds_up(self) -> bool:
        """Whether the stated total equals its rows (an empty total is summed)."""
        return self.stated_ore is None or self.stated_ore == self.rows_sum_ore


@dataclass(frozen=True)
class Verification:
    """The outcome of checking an annex against a programme."""

    annex: Annex
    result: ProgrammeResult
    checked: tuple[Payer, ...]
    mismatches: tuple[Mismatch, ...]
    missing: tuple[Payer, ...]
    unexpected: tuple[Unexpected, ...]
    conflicts: tuple[str, ...]
    totals: tuple[TotalCheck, ...]
    matching_quarters: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether every amount matches and nothing is missing, extra or inconsistent."""
        return not (
            self.mismatches
            or self.missing
            or self.unexpected
            or self.conflicts
            or not all(total.adds_up for total in self.totals)
        )


def verify(
    result: ProgrammeResult, annex: Annex, find_quarter: bool = True, explain: bool = True
) -> Verification:
    """Compare ``annex`` with the computed programme ``result``.

    With ``find_quarter``, when amounts differ, every packaged quarter is tried (for
    municipalities). Without ``explain``, rows that are not payers get no reason (the
    suggestions cost time, and trying a quarter needs none).
    """
    seen: dict[str, int] = {}
    checked: list[Payer] = []
    mismatches: list[Mismatch] = []
    unexpected: list[Unexpected] = []
    conflicts: list[str] = []
    for row in annex.rows:
        payer = _payer(result, row, conflicts)
        if payer is None:
            if row.amount_ore is not None:  # a note without an amount is not a payer row
                label = row.label or tr("(no name)")
                reason = _why_not(result, row) if explain else ""
                unexpected.append(Unexpected(row.row, label, reason))
            continue
        if payer.code in seen:
            reason = tr(
                "{name} is listed twice (first on row {row})", name=payer.name, row=seen[payer.code]
            )
            unexpected.append(Unexpected(row.row, row.label, reason))
            continue
        seen[payer.code] = row.row
        checked.append(payer)
        if row.amount_ore != payer.amount_ore:
            mismatches.append(Mismatch(row.row, payer, row.amount_ore))
    missing = [p for p in payers(result) if p.municipal and p.code not in seen]
    found_quarters: tuple[str, ...] = ()
    if find_quarter and mismatches and result.municipal.population.municipal:
        found_quarters = tuple(q for q in quarters() if _reproduces(result, annex, q))
    return Verification(
        annex,
        result,
        tuple(checked),
        tuple(mismatches),
        tuple(missing),
        tuple(unexpected),
        tuple(conflicts),
        _totals(annex),
        found_quarters,
    )


def _payer(result: ProgrammeResult, row: AnnexRow, conflicts: list[str]) -> Payer | None:
    """The payer a row is for: by code if it has one that is known, else by name."""
    by_code = match_payer(result, row.code) if row.code else None
    by_name = match_payer(result, row.name) if row.name else None
    code_is = by_code.code if by_code else municipality_code(row.code or "")
    name_is = by_name.code if by_name else municipality_code(row.name or "")
    if code_is and name_is and not same_code(code_is, name_is):
        named = by_code.name if by_code else municipality_names()[code_is]
        conflicts.append(
            tr(
                "row {row}: code {code} is {named}, but the name says {name}",
                row=row.row,
                code=row.code,
                named=named,
                name=repr(row.name),
            )
        )
    return by_code if code_is else by_name


def _why_not(result: ProgrammeResult, row: AnnexRow) -> str:
    if not (row.code or row.name):
        return tr("an amount with no municipality; name it or remove it")
    if row.code and is_number_code(read_code(row.code)):
        code = municipality_code(row.code)
        if code is None:
            return tr("{code} is not a kommunekode", code=row.code)
        return suggestion(result, municipality_names()[code])
    return suggestion(result, row.name or row.code or "")


def _totals(annex: Annex) -> tuple[TotalCheck, ...]:
    # Running sums over the rows (in file order), so many total rows stay linear.
    numbers = [r.row for r in annex.rows]
    running = [0, *itertools.accumulate(r.amount_ore or 0 for r in annex.rows)]
    checks = []
    for total in annex.totals:
        above = running[bisect.bisect_left(numbers, total.row)]
        checks.append(TotalCheck(total.row, total.label, total.amount_ore, above))
    return tuple(checks)


def _reproduces(result: ProgrammeResult, annex: Annex, quarter: str) -> bool:
    if quarter == result.municipal.population.basis:
        return False
    other = compute(result.programme, population_override=quarter)
    check = verify(other, annex, find_quarter=False, explain=False)
    return not (check.mismatches or check.missing)
