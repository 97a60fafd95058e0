"""The verification report as a person reads it: one line when the annex matches, else the problems."""

from __future__ import annotations

from costshare.base.danish import format_kr
from costshare.check.verify import TotalCheck, Verification
from costshare.population.packaged import quarters
from costshare.render.text_table import fixed_width


def render_verification(check: Verification) -> str:
    """The report: one line when the annex matches, else the problems as a table and lists."""
    annex, result = check.annex, check.result
    programme = result.programme
    basis = result.municipal.population.basis
    municipal = sum(1 for payer in check.checked if payer.municipal)
    parties = [payer.name for payer in check.checked if not payer.municipal]
    decimals = programme.unit.shows_ore
    if check.ok:
        also = "".join(f" and {name}" for name in parties)
        in_all = format_kr(sum(payer.amount_ore for payer in check.checked), decimals)
        summary = (
            f"OK: {annex.source} matches {programme.short_title}: all {municipal} municipalities"
            f"{also} agree, {in_all} in all (population {basis})"
        )
        notes = [f"Note: {_total_note(t, decimals)}" for t in check.totals if t.stated_ore is None]
        return "\n".join([summary, *notes]) + "\n"
    lines = [
        f"{annex.source} does NOT match {programme.short_title} (population {basis}; "
        f"{len(result.municipal.population.codes)} municipalities, "
        f"{format_kr(result.municipal_part_ore, decimals)})"
    ]
    if check.mismatches:
        lines.insert(1, _quarter_line(check.matching_quarters, basis))
        lines += ["", f"Amounts that differ ({len(check.mismatches)}):", *_table(check, decimals)]
    if check.missing:
        names = ", ".join(f"{p.code} {p.name}" for p in check.missing)
        lines += ["", f"Missing from the annex ({len(check.missing)}): {names}"]
    if check.unexpected:
        lines += ["", f"Not payers in the programme ({len(check.unexpected)}):"]
        lines += [f"  row {u.row}: {u.label}: {u.reason}" for u in check.unexpected]
    if check.conflicts:
        lines += ["", "Code and name disagree:", *(f"  {c}" for c in check.conflicts)]
    lines += ["", *(_total_line(total, decimals) for total in check.totals)]
    if not check.totals:
        lines.append("The annex has no total row (I alt, Total or Sum).")
    return "\n".join(lines) + "\n"


def _table(check: Verification, decimals: bool) -> list[str]:
    header = ("Row", "Code", "Municipality", "Expected", "Found", "Difference")
    rows: list[tuple[str, ...]] = [header]
    for m in check.mismatches:
        found = "(blank)" if m.found_ore is None else format_kr(m.found_ore, decimals)
        diff = m.difference_ore
        change = "" if diff is None else ("+" if diff > 0 else "") + format_kr(diff, decimals)
        expected = format_kr(m.payer.amount_ore, decimals)
        rows.append((str(m.row), m.payer.code, m.payer.name, expected, found, change))
    return fixed_width(rows, "rllrrr", indent="  ")


def _total_line(total: TotalCheck, decimals: bool) -> str:
    where = f"Total row {total.row} ({total.label!r})"
    rows = format_kr(total.rows_sum_ore, decimals)
    if total.stated_ore is None:
        return f"{where}: no saved value; the rows above it add up to {rows}"
    stated = format_kr(total.stated_ore, decimals)
    if total.adds_up:
        return f"{where}: {stated}, which the rows above it add up to"
    off = format_kr(total.stated_ore - total.rows_sum_ore, decimals)
    return f"{where}: states {stated}, but the rows above it add up to {rows} (off by {off})"


def _total_note(total: TotalCheck, decimals: bool) -> str:
    kind = "a formula with no saved value" if total.formula else "empty"
    return (
        f"the total on row {total.row} is {kind}, so costshare added up the rows instead: "
        f"{format_kr(total.rows_sum_ore, decimals)}"
    )


def _quarter_line(found: tuple[str, ...], basis: str) -> str:
    if found:
        matches = " and ".join(found)
        return f"Population: this annex matches population {matches}; the programme says {basis}."
    known = quarters()
    return (
        f"Population: no packaged quarter ({known[0]}–{known[-1]}) reproduces these amounts; "
        "check the total, the key and the municipalities."
    )
