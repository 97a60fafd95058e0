"""The split as a person or a program reads it: a Danish table, CSV or JSON.

The table is for finance staff (Danish headings and numbers); CSV and JSON are for
programs, with plain decimals (``.`` as decimal point, no thousands separator) so they
read back exactly. All three show the same integers.

What is the same for every row (the population total, the shares in order) is computed
once per render, not once per row. For many rows (as many as
:func:`costshare.allocation.vectorised.worth_vectorising` says) the CSV is built as polars columns
and written in one go, byte for byte the CSV :func:`iter_csv` writes
(tests/documents/test_report_fast.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, TextIO

from costshare.allocation.methods import METHOD_NAMES_DA
from costshare.base.danish import format_fraction, format_kr, format_percent, recipients_word
from costshare.base.i18n import tr
from costshare.base.money import format_plain
from costshare.documents.text.csv_export import csv_text
from costshare.documents.text.text_table import fixed_width
from costshare.population.packaged import Population, decimal_text
from costshare.programme.key_wording import Wording, counting_phrases, describe_key
from costshare.shares.splitting import Split

if TYPE_CHECKING:
    import polars as pl

CSV_HEADER = "code,name,population,share\n"


def basis_line(result: Split) -> str:
    """Where the population figures come from, in Danish."""
    return f"Befolkning: {result.population.source}"


def method_line(result: Split) -> str:
    """The rounding method and unit, in Danish."""
    unit = format_kr(result.unit.ore, decimals=result.unit.shows_ore)
    line = f"Afrunding: {METHOD_NAMES_DA[result.method][1]}, enhed {unit}"
    if result.allocation.ties:
        line += "; lige store brøkdele afgjort efter kommunekode: " + ", ".join(result.tied_names)
    return line


def render_table(result: Split) -> str:
    """A fixed-width Danish table with a total row equal to the amount."""
    population = result.population
    decimals = result.unit.shows_ore
    who = recipients_word(population.municipal, singular=True).capitalize()
    figures = Wording.of(result).label("table")
    figure = population.figure_text
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    if result.counted:  # the share of the key's weight, not of the raw figures
        header = ("Kode", who, figures, "Talt med" if result.rate else "Vægt", "Andel", "Beløb")
        weights, weight_total = result.key_weights, result.key_weight_total
        rows = [
            (
                code,
                name,
                figure(count),
                decimal_text(weights[code]),
                _percent(weights[code], weight_total),
                format_kr(share_ore, decimals),
            )
            for code, name, count, share_ore in result.rows()
        ]
        total: tuple[str, ...] = (
            "",
            "I alt",
            figure(population.total),
            decimal_text(weight_total),
            _percent(weight_total, weight_total),
            format_kr(result.amount_ore, decimals),
        )
    else:
        header = ("Kode", who, figures, "Andel", "Beløb")
        population_total = population.total
        rows = [
            (
                code,
                name,
                figure(count),
                format_percent(count, population_total),
                format_kr(share_ore, decimals),
            )
            for code, name, count, share_ore in result.rows()
        ]
        total = (
            "",
            "I alt",
            figure(population_total),
            format_percent(population_total, population_total),
            format_kr(result.amount_ore, decimals),
        )
    who = f"{len(rows)} {recipients_word(population.municipal)}"
    if result.rate is not None:  # the amounts follow from the rate (issue #21)
        rules = counting_phrases(result.key.counting, result.rate.units)
        rate = result.rate.describe() + (f" ({'; '.join(rules)})" if rules else "")
        title = f"Bidrag på {rate}, i alt {format_kr(result.amount_ore, decimals)}, {who}"
    else:
        title = (
            f"Fordeling af {format_kr(result.amount_ore, decimals)} {describe_key(result)}, {who}"
        )
    body = fixed_width([header, None, *rows, None, total], "ll" + "r" * (len(header) - 2))
    # A note is a message (English or Danish, as the user asked), so its prefix is too:
    # the line is wholly one language, though the table around it is a Danish document.
    notes = [tr("Note: {note}", note=note) for note in population.notes]
    return "\n".join([title, basis_line(result), method_line(result), *notes, "", *body]) + "\n"


def _figure(population: Population, count: int) -> int | str:
    """A figure for CSV/JSON: the count, or a decimal key's decimal as plain text."""
    if population.weight_scale == 1:
        return count
    return _plain(Fraction(count, population.weight_scale))


def _plain(value: Fraction) -> str:
    """An exact decimal with a point (``0.012345``); 12 places at most for a fraction that
    does not end."""
    return decimal_text(value).replace(".", "").replace(",", ".")


def _percent(part: Fraction, whole: Fraction) -> str:
    return format_fraction(100 * part / whole, 3) + " %" if whole else "0,000 %"


def iter_csv(result: Split) -> Iterator[str]:
    """CSV lines with exactly the columns ``code,name,population,share``."""
    yield CSV_HEADER
    population = result.population
    for code, name, count, share_ore in result.rows():
        figure = str(_figure(population, count))
        yield csv_text([(code, name, figure, format_plain(share_ore, result.unit))])


def write_csv(result: Split, stream: TextIO) -> None:
    """Write the CSV of :func:`iter_csv` to ``stream``; vectorised for many rows."""
    from costshare.allocation.vectorised import worth_vectorising

    # Every share lies between 0 and the amount, so the amount bounds the Int64 column.
    decimal_key = result.population.weight_scale != 1  # figures written as decimals, row by row
    if (
        decimal_key
        or not worth_vectorising(len(result.population.codes))
        or abs(result.amount_ore) >= 2**63
    ):
        stream.writelines(iter_csv(result))
    else:
        stream.write(_csv_with_polars(result))


def _csv_with_polars(result: Split) -> str:
    import polars as pl

    population = result.population
    frame = pl.DataFrame(
        {
            "code": population.codes,
            "name": population.names,
            "population": population.counts,
            "share": result.share_column_ore(),
        },
        schema={"code": pl.String, "name": pl.String, "population": pl.Int64, "share": pl.Int64},
    )
    return frame_csv(frame, result.unit.shows_ore)


def frame_csv(frame: pl.DataFrame, shows_ore: bool) -> str:
    """The CSV of :func:`iter_csv` from columns ``code``, ``name``, ``population`` and
    ``share`` (øre): the columnar path's writer too (issue #15)."""
    import polars as pl

    share = pl.col("share")
    text = ("code", "name")
    found = frame.select(
        *[(pl.col(c) == "").any().alias(c) for c in text],
        whole_kroner=(share % 100 == 0).all(),
    ).row(0, named=True)
    # An empty text cell as null, so it is written bare (polars quotes an empty string).
    cells = [pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) if found[c] else c for c in text]
    # Whole kroner print as the integers they are: no need to build a million strings.
    shares = (
        share // 100
        if found["whole_kroner"] and not shows_ore
        else _plain_decimal(share, shows_ore)
    )
    frame = frame.select(*cells, pl.col("population"), shares.alias("share"))
    return frame.write_csv(line_terminator="\n", null_value="")


def _plain_decimal(ore: pl.Expr, shows_ore: bool) -> pl.Expr:
    """:func:`~costshare.base.money.format_plain` as a polars expression: integer øre to text."""
    import polars as pl

    magnitude = ore.abs()
    sign = pl.when(ore < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    kroner = (magnitude // 100).cast(pl.String)
    with_ore = pl.concat_str(
        sign, kroner, pl.lit("."), (magnitude % 100).cast(pl.String).str.zfill(2)
    )
    if shows_ore:
        return with_ore.alias("share")
    return (
        pl.when(magnitude % 100 == 0)
        .then(pl.concat_str(sign, kroner))
        .otherwise(with_ore)
        .alias("share")
    )


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
        "key": describe_key(result),
        **({"rate": result.rate.describe()} if result.rate is not None else {}),
        "population_basis": population.basis,
        "population_source": population.source,
        "population_date": population.as_of.isoformat() if population.as_of else None,
        "ties_broken_by_code": list(result.allocation.ties),
        "rows": [
            {
                "code": code,
                "name": name,
                "population": _figure(population, count),
                **({"weight": _plain(result.key_weights[code])} if result.counted else {}),
                "share": format_plain(share_ore, result.unit),
            }
            for code, name, count, share_ore in result.rows()
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
