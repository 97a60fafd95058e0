"""``costshare split``: an amount split on figures, printed as a table, CSV or JSON."""

from __future__ import annotations

import sys

import click

from costshare.allocation.methods import METHODS
from costshare.base.errors import InputError
from costshare.cli.base import (
    cli,
    format_option,
    load_population,
    population_options,
    reports_errors,
)

METHOD = "largest-remainder"  # the default, and the one the columnar path computes


@cli.command(name="split")
@click.option(
    "--amount",
    required=True,
    metavar="AMOUNT",
    help="The amount in kroner, e.g. 525000 or 525.000,00.",
)
@click.option(
    "--unit",
    default="1",
    show_default=True,
    metavar="UNIT",
    help="Round shares to this unit: 1 (kroner), 0.01 (øre), 100 ...",
)
@population_options
@click.option(
    "--equal-part",
    default="0",
    show_default=True,
    metavar="PERCENT",
    help="Percent of the amount split equally; the rest goes by population (e.g. 40).",
)
@click.option(
    "--fixed",
    "fixed_amount",
    metavar="AMOUNT",
    help="A fixed amount per recipient; the rest is split by the key.",
)
@click.option(
    "--method",
    type=click.Choice(list(METHODS)),
    default=METHOD,
    show_default=True,
    help="Rounding method; webster never lowers a share when the amount grows.",
)
@format_option
@reports_errors
def split_command(
    amount: str,
    unit: str,
    population_basis: str | None,
    region: str | None,
    equal_part: str,
    fixed_amount: str | None,
    method: str,
    output_format: str,
) -> None:
    """Split an amount among municipalities by population.

    \b
    Example:
        costshare split --amount 525000 --region Hovedstaden --population 2025K1
        costshare split --amount 1050000,50 --unit 0.01 --format csv
        costshare split --amount 200000 --population schools.csv --equal-part 40
    """
    from costshare.base.money import Unit, parse_amount, parse_percent
    from costshare.render.split_report import render_json, render_table, write_csv
    from costshare.shares.splitting import Key, split

    rounding_unit = Unit.parse(unit)
    amount_ore = parse_amount(amount, "--amount")
    equal = parse_percent(equal_part, "--equal-part")
    fixed_ore = parse_amount(fixed_amount, "--fixed") if fixed_amount else 0
    if fixed_ore < 0:
        raise InputError(f"--fixed {fixed_amount!r} must not be negative")
    key = Key(equal=equal, population=1 - equal, fixed_ore=fixed_ore)
    # A large CSV of recipients stays in polars columns from file to output (issue #15);
    # anything else, and anything the columns do not take, goes the way of every file.
    columns = None
    if population_basis:
        from costshare.population.columnar import read_columnar

        columns = read_columnar(population_basis)
    if columns is not None and output_format == "csv" and not region and method == METHOD:
        from costshare.render.split_report import frame_csv
        from costshare.shares.columnar import split_column

        shares = split_column(amount_ore, columns, unit=rounding_unit, key=key)
        if shares is not None:
            frame = columns.frame.with_columns(share=shares)
            sys.stdout.write(frame_csv(frame, rounding_unit.shows_ore))
            return
    if columns is not None:
        population = columns.to_population()
        population = population.select_region(region) if region else population
    else:
        population = load_population(population_basis, region)
    result = split(amount_ore, population, unit=rounding_unit, method=method, key=key)  # type: ignore[arg-type]
    if output_format == "csv":
        if population_basis is None:  # the table and JSON name the basis; CSV has no room
            click.echo(f"Population: {population.basis}, the newest packaged quarter", err=True)
        write_csv(result, sys.stdout)
    elif output_format == "json":
        click.echo(render_json(result), nl=False)
    else:
        click.echo(render_table(result), nl=False)
