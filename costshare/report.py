"""The split as a person or a program reads it: a Danish table, CSV or JSON.

The table is for finance staff (Danish headings and numbers); CSV and JSON are for
programs, with plain decimals (``.`` as decimal point, no thousands separator) so they
read back exactly. All three show the same integers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .danish import format_count, format_kr, format_percent
from .money import format_plain
from .split import Split


def basis_line(result: Split) -> str:
    """Where the population figures come from, in Danish."""
    return f"Befolkning: {result.population.source}"


def method_line(result: Split) -> str:
    """The rounding method and unit, in Danish."""
    unit = format_kr(result.unit.ore, decimals=result.unit.shows_ore)
    line = f"Afrunding: største brøkdel (Hamilton), enhed {unit}"
    if result.method == "webster":
        line = f"Afrunding: Sainte-Laguë (Webster), enhed {unit}"
    if result.allocation.ties:
        line += "; lige store brøkdele afgjort efter kommunekode: " + ", ".join(result.tied_names)
    return line


def render_table(result: Split) -> str:
    """A fixed-width Danish table with a total row equal to the amount."""
    population = result.population
    decimals = result.unit.shows_ore
    who = "Kommune" if population.municipal else "Modtager"
    header = ("Kode", who, "Indbyggere", "Andel", "Beløb")
    rows = [
        (
            code,
            name,
            format_count(count),
            format_percent(count, population.total),
            format_kr(result.share_ore(code), decimals),
        )
        for code, name, count in zip(
            population.codes, population.names, population.counts, strict=True
        )
    ]
    total = (
        "",
        "I alt",
        format_count(population.total),
        format_percent(population.total, population.total),
        format_kr(result.amount_ore, decimals),
    )
    widths = [max(len(row[i]) for row in [header, *rows, total]) for i in range(5)]

    def line(cells: tuple[str, ...]) -> str:
        code, name, *numbers = cells
        padded = [code.ljust(widths[0]), name.ljust(widths[1])]
        padded += [cell.rjust(width) for cell, width in zip(numbers, widths[2:], strict=True)]
        return "  ".join(padded).rstrip()

    rule = "-" * len(line(total))
    title = (
        f"Fordeling af {format_kr(result.amount_ore, decimals)} {result.key.describe()}, "
        f"{len(rows)} {'kommuner' if population.municipal else 'modtagere'}"
    )
    body = [line(header), rule, *map(line, rows), rule, line(total)]
    notes = [f"Bemærk: {note}" for note in population.notes]
    return "\n".join([title, basis_line(result), method_line(result), *notes, "", *body]) + "\n"


def iter_csv(result: Split) -> Iterator[str]:
    """CSV lines with exactly the columns ``code,name,population,share``."""
    yield "code,name,population,share\n"
    population = result.population
    for code, name, count in zip(
        population.codes, population.names, population.counts, strict=True
    ):
        yield f"{_csv_field(code)},{_csv_field(name)},{count},{format_plain(result.share_ore(code), result.unit)}\n"


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def render_json(result: Split) -> str:
    """The rows plus total, unit, method and population basis as JSON.

    Amounts are strings holding plain decimals ("181399" or "181399.25") so no JSON
    reader turns them into floats.
    """
    population = result.population
    document = {
        "total": format_plain(result.amount_ore, result.unit),
        "unit": format_plain(result.unit.ore, result.unit),
        "method": result.method,
        "key": result.key.describe(),
        "population_basis": population.basis,
        "population_source": population.source,
        "population_date": population.as_of.isoformat() if population.as_of else None,
        "ties_broken_by_code": list(result.allocation.ties),
        "rows": [
            {
                "code": code,
                "name": name,
                "population": count,
                "share": format_plain(result.share_ore(code), result.unit),
            }
            for code, name, count in zip(
                population.codes, population.names, population.counts, strict=True
            )
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
