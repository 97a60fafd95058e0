"""Comparing a programme's amounts on two bases: another population, or another programme.

:func:`compare` lines up two computed programmes payer by payer (the municipalities,
then co-financing parties such as the region) and gives the change in kroner and in
percent of the first amount. A payer on only one side counts as 0 on the other, and has
no percentage. :func:`render_table` is for people (Danish, like the split table);
:func:`iter_csv` and :func:`render_json` are for programs (plain decimals with ``.``,
JSON amounts as strings); :mod:`costshare.render.compare_workbook` builds the workbook.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> programme = load_programme(Path("examples/telehjerte-2025.toml"))
>>> result = compare(compute(programme), compute(programme, "2024K1"), "2025K1", "2024K1")
>>> row = result.row("157")
>>> row.before_ore, row.after_ore, row.change_ore, format_change_percent(row)
(2041500, 2061400, 19900, '+0,97 %')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from costshare.base.danish import format_fraction, format_kr
from costshare.base.money import Unit, format_plain
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
        """The row of the payer with this code."""
        return next(row for row in self.rows if row.code == code)

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


def format_change_percent(row: ComparisonRow) -> str:
    """The change in percent, Danish, with a sign: ``+0,97 %`` (empty when undefined)."""
    percent = row.change_percent
    if percent is None:
        return ""
    return ("+" if percent > 0 else "") + format_fraction(percent, 2) + " %"


def render_table(comparison: Comparison) -> str:
    """A fixed-width Danish table, one row per payer, with totals."""
    decimals = comparison.unit.shows_ore

    def kr(value: int | None, sign: bool = False) -> str:
        if value is None:
            return "–"
        return ("+" if sign and value > 0 else "") + format_kr(value, decimals)

    header = (
        "Kode",
        "Kommune",
        f"Beløb {comparison.before_label}",
        f"Beløb {comparison.after_label}",
        "Ændring kr.",
        "Ændring %",
    )
    cells: list[tuple[str, ...] | None] = [
        None
        if row is None
        else (
            row.code,
            row.name,
            kr(row.before_ore),
            kr(row.after_ore),
            kr(row.change_ore, sign=True),
            format_change_percent(row),
        )
        for row in comparison.display_rows()
    ]
    filled = [header, *(c for c in cells if c is not None)]
    widths = [max(len(cell[i]) for cell in filled) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        padded = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        padded += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        return "  ".join(padded).rstrip()

    rule = "-" * len(line(header))
    body = [rule if row is None else line(row) for row in cells]
    heading = [
        f"Sammenligning: {comparison.title}",
        f"Befolkning {comparison.before_label}: {comparison.before_source}",
        f"Befolkning {comparison.after_label}: {comparison.after_source}",
        "Ændring = beløb " + comparison.after_label + " minus beløb " + comparison.before_label,
        "",
    ]
    return "\n".join([*heading, line(header), rule, *body]) + "\n"


def _plain(value: int | None, unit: Unit) -> str | None:
    return None if value is None else format_plain(value, unit)


def _plain_percent(row: ComparisonRow) -> str | None:
    """The percent change rounded half away from zero to 4 decimals, with '.'."""
    percent = row.change_percent
    return (
        None if percent is None else format_fraction(percent, 4).replace(".", "").replace(",", ".")
    )


def iter_csv(comparison: Comparison) -> Iterator[str]:
    """CSV lines: ``code,name,kind,before,after,change,change_percent``, no total rows."""
    yield "code,name,kind,before,after,change,change_percent\n"
    unit = comparison.unit
    for row in comparison.rows:
        cells = [
            row.code,
            row.name,
            "municipality" if row.municipal else "party",
            _plain(row.before_ore, unit) or "",
            _plain(row.after_ore, unit) or "",
            format_plain(row.change_ore, unit),
            _plain_percent(row) or "",
        ]
        yield ",".join(f'"{c}"' if any(ch in c for ch in ',"\n') else c for c in cells) + "\n"


def render_json(comparison: Comparison) -> str:
    """Both bases, every row and the totals as JSON; amounts as strings of plain decimals."""
    unit = comparison.unit

    def row_json(row: ComparisonRow) -> dict[str, object]:
        return {
            "code": row.code,
            "name": row.name,
            "kind": "municipality" if row.municipal else "party",
            "before": _plain(row.before_ore, unit),
            "after": _plain(row.after_ore, unit),
            "change": format_plain(row.change_ore, unit),
            "change_percent": _plain_percent(row),
        }

    totals = [comparison.total(True)] + ([comparison.total(None)] if comparison.has_parties else [])
    document = {
        "title": comparison.title,
        "before": {"label": comparison.before_label, "source": comparison.before_source},
        "after": {"label": comparison.after_label, "source": comparison.after_source},
        "rows": [row_json(row) for row in comparison.rows],
        "totals": [
            {k: v for k, v in row_json(t).items() if k not in ("code", "kind")} for t in totals
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
