"""A comparison as people and programs read it: a Danish table, CSV and JSON.

The table is Danish, like the split table; CSV and JSON hold plain decimals with ``.``
(JSON amounts as strings), so they read back exactly.
"""

from __future__ import annotations

import json

from costshare.base.danish import format_fraction, format_kr
from costshare.base.money import Unit, format_plain
from costshare.check.compare import Comparison, ComparisonRow
from costshare.documents.text import csv_export as export
from costshare.documents.text.text_table import fixed_width


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
    heading = [
        f"Sammenligning: {comparison.title}",
        f"Befolkning {comparison.before_label}: {comparison.before_source}",
        f"Befolkning {comparison.after_label}: {comparison.after_source}",
        "Ændring = beløb " + comparison.after_label + " minus beløb " + comparison.before_label,
        "",
    ]
    return "\n".join([*heading, *fixed_width([header, None, *cells], "llrrrr")]) + "\n"


def _plain(value: int | None, unit: Unit) -> str | None:
    return None if value is None else format_plain(value, unit)


def _plain_percent(row: ComparisonRow) -> str | None:
    """The percent change rounded half away from zero to 4 decimals, with '.'."""
    percent = row.change_percent
    return (
        None if percent is None else format_fraction(percent, 4).replace(".", "").replace(",", ".")
    )


def csv_text(comparison: Comparison) -> str:
    """CSV: ``code,name,kind,before,after,change,change_percent``, no total rows."""
    unit = comparison.unit
    rows = [("code", "name", "kind", "before", "after", "change", "change_percent")]
    for row in comparison.rows:
        rows.append(
            (
                row.code,
                row.name,
                "municipality" if row.municipal else "party",
                _plain(row.before_ore, unit) or "",
                _plain(row.after_ore, unit) or "",
                format_plain(row.change_ore, unit),
                _plain_percent(row) or "",
            )
        )
    return export.csv_text(rows)


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
