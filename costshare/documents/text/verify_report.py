"""The verification report as a person reads it: one line when the annex matches, else the problems."""

from __future__ import annotations

from costshare.base.danish import format_kr
from costshare.base.i18n import tr
from costshare.check.verify import TotalCheck, Verification
from costshare.documents.text.text_table import fixed_width
from costshare.population.packaged import quarters


def render_verification(check: Verification) -> str:
    """The report: one line when the annex matches, else the problems as a table and lists."""
    annex, result = check.annex, check.result
    programme = result.programme
    basis = result.municipal.population.basis
    municipal = sum(1 for payer in check.checked if payer.municipal)
    parties = [payer.name for payer in check.checked if not payer.municipal]
    decimals = programme.unit.shows_ore
    if check.ok:
        also = "".join(tr(" and {name}", name=name) for name in parties)
        in_all = format_kr(sum(payer.amount_ore for payer in check.checked), decimals)
        summary = tr(
            "OK: {annex} matches {title}: all {count} municipalities{also} agree, {total} in all (population {basis})",
            annex=annex.source,
            title=programme.short_title,
            count=municipal,
            also=also,
            total=in_all,
            basis=basis,
        )
        notes = [
            tr("Note: {note}", note=_total_note(t, decimals))
            for t in check.totals
            if t.stated_ore is None
        ]
        return "\n".join([summary, *notes]) + "\n"
    lines = [
        tr(
            "{annex} does NOT match {title} (population {basis}; {count} municipalities, {total})",
            annex=annex.source,
            title=programme.short_title,
            basis=basis,
            count=len(result.municipal.population.codes),
            total=format_kr(result.municipal_part_ore, decimals),
        )
    ]
    if check.mismatches:
        lines.insert(1, _quarter_line(check.matching_quarters, basis))
        differ = tr("Amounts that differ ({count}):", count=len(check.mismatches))
        lines += ["", differ, *_table(check, decimals)]
    if check.missing:
        names = ", ".join(f"{p.code} {p.name}" for p in check.missing)
        missing = tr("Missing from the annex ({count}): {names}", count=len(check.missing), names=names)  # fmt: skip
        lines += ["", missing]
    if check.unexpected:
        lines += ["", tr("Not payers in the programme ({count}):", count=len(check.unexpected))]
        lines += [
            tr("  row {row}: {label}: {reason}", row=u.row, label=u.label, reason=u.reason)
            for u in check.unexpected
        ]
    if check.conflicts:
        lines += ["", tr("Code and name disagree:"), *(f"  {c}" for c in check.conflicts)]
    lines += ["", *(_total_line(total, decimals) for total in check.totals)]
    if not check.totals:
        lines.append(tr("The annex has no total row (I alt, Total or Sum)."))
    return "\n".join(lines) + "\n"


def _table(check: Verification, decimals: bool) -> list[str]:
    header = (tr("Row"), tr("Code"), tr("Municipality"), tr("Expected"), tr("Found"), tr("Difference"))  # fmt: skip
    rows: list[tuple[str, ...]] = [header]
    for m in check.mismatches:
        found = tr("(blank)") if m.found_ore is None else format_kr(m.found_ore, decimals)
        diff = m.difference_ore
        change = "" if diff is None else ("+" if diff > 0 else "") + format_kr(diff, decimals)
        expected = format_kr(m.payer.amount_ore, decimals)
        rows.append((str(m.row), m.payer.code, m.payer.name, expected, found, change))
    return fixed_width(rows, "rllrrr", indent="  ")


def _total_line(total: TotalCheck, decimals: bool) -> str:
    where = tr("Total row {row} ({label})", row=total.row, label=repr(total.label))
    rows = format_kr(total.rows_sum_ore, decimals)
    if total.stated_ore is None:
        return tr("{where}: empty; the rows above it add up to {rows}", where=where, rows=rows)
    stated = format_kr(total.stated_ore, decimals)
    if total.adds_up:
        return tr("{where}: {stated}, which the rows above it add up to", where=where, stated=stated)  # fmt: skip
    off = format_kr(total.stated_ore - total.rows_sum_ore, decimals)
    return tr(
        "{where}: states {stated}, but the rows above it add up to {rows} (off by {off})",
        where=where,
        stated=stated,
        rows=rows,
        off=off,
    )


def _total_note(total: TotalCheck, decimals: bool) -> str:
    rows = format_kr(total.rows_sum_ore, decimals)
    return tr(
        "the total on row {row} is empty, so costshare added up the rows instead: {total}",
        row=total.row,
        total=rows,
    )


def _quarter_line(found: tuple[str, ...], basis: str) -> str:
    if found:
        matches = tr(" and ").join(found)
        return tr(
            "Population: this annex matches population {matches}; the programme says {basis}.",
            matches=matches,
            basis=basis,
        )
    known = quarters()
    return tr(
        "Population: no packaged quarter ({first}–{last}) reproduces these amounts; check the total, the key and the municipalities.",
        first=known[0],
        last=known[-1],
    )
