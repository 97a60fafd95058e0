"""``costshare split``: an amount split on figures, printed as a table, CSV or JSON."""

from __future__ import annotations

import sys

import click

from costshare.allocation.methods import METHODS
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, tr
from costshare.cli.base import (
    cli,
    format_option,
    load_population,
    population_options,
    reports_errors,
)
from costshare.population.packaged import Population
from costshare.shares.splitting import Key, Split
from costshare.shares.weights import Counting

METHOD = "largest-remainder"  # the default


@cli.command(name="split")
@click.option(
    "--amount",
    metavar="AMOUNT",
    help="The amount in kroner, e.g. 525000 or 525.000,00.",
)
@click.option(
    "--rate",
    metavar="RATE",
    help='Instead of --amount: a rate each recipient pays for its figure, e.g. "25 kr. pr. indbygger" or "3.494,16 kr. pr. 100 indbyggere".',
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
    "--with-factor",
    "factor",
    is_flag=True,
    help="Multiply each recipient's figure by the factor column of the --population file.",
)
@click.option("--cap", metavar="N", help="Count at most N inhabitants per recipient.")
@click.option(
    "--above",
    metavar="FROM:RATE",
    help="Count each inhabitant above FROM at RATE percent, e.g. 150000:50.",
)
@click.option(
    "--discount",
    metavar="ABOVE:RATE",
    help="Reduce the weight of a recipient above ABOVE inhabitants by RATE percent, e.g. 200000:10.",
)
@click.option(
    "--method",
    type=click.Choice(list(METHODS)),
    default=METHOD,
    show_default=True,
    help="Rounding method; webster never lowers a share when the amount grows.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse a population file whose rows differ from Statistics Denmark's figures (else a warning).",
)
@format_option
@reports_errors
def split_command(
    amount: str | None,
    rate: str | None,
    unit: str,
    population_basis: str | None,
    region: str | None,
    equal_part: str,
    fixed_amount: str | None,
    factor: bool,
    cap: str | None,
    above: str | None,
    discount: str | None,
    method: str,
    strict: bool,
    output_format: str,
) -> None:
    """Split an amount among municipalities by population.

    \b
    Example:
        costshare split --amount 525000 --region Hovedstaden --population 2025K1
        costshare split --amount 1050000,50 --unit 0.01 --format csv
        costshare split --amount 200000 --population schools.csv --equal-part 40
        costshare split --amount 900000 --population 2025K1 --cap 100000
        costshare split --amount 900000 --above 150000:50 --discount 200000:10
        costshare split --amount 500000 --population bloktilskud.csv
        costshare split --rate "25 kr. pr. indbygger" --above 150000:50
    """
    from costshare.base.money import Unit, parse_amount
    from costshare.shares.splitting import split

    rounding_unit = Unit.parse(unit)
    if (amount is None) == (rate is None):
        raise click.UsageError(tr("give --amount or --rate (one of them)"))
    amount_ore = parse_amount(amount, "--amount") if amount is not None else 0
    key = key_options(equal_part, fixed_amount, factor, counting_options(cap, above, discount))
    # A large CSV of recipients stays in polars columns from file to output (issue #15);
    # anything else goes the way of every file. split_column declines (None) every key and
    # method it does not implement in full, so this needs no rule of its own (issue #19).
    columns = None
    if population_basis and rate is None:  # a rate is charged row by row
        from costshare.population.columnar_reader import read_columnar

        columns = read_columnar(population_basis)
    if columns is not None and output_format == "csv" and not region:
        from costshare.documents.text.split_report import frame_csv
        from costshare.shares.column_split import split_column

        shares = split_column(amount_ore, columns, unit=rounding_unit, key=key, method=method)
        if shares is not None:
            frame = columns.frame.with_columns(share=shares)
            sys.stdout.write(frame_csv(frame, rounding_unit.shows_ore))
            return
    if columns is not None:
        population = columns.to_population()
        population = population.select_region(region) if region else population
    else:
        population = load_population(population_basis, region)
    warn_of_differences(population, strict)
    if rate is not None:  # each recipient's amount follows from the rate (issue #21)
        from costshare.shares.charges import parse_rate, rate_split

        result = rate_split(population, parse_rate(rate), unit=rounding_unit, key=key)
    else:
        result = split(amount_ore, population, unit=rounding_unit, method=method, key=key)  # type: ignore[arg-type]
    _echo(result, output_format, population_basis is None)


def _echo(result: Split, output_format: str, default_basis: bool) -> None:
    """The split as a table, CSV or JSON on stdout."""
    from costshare.documents.text.split_report import render_json, render_table, write_csv

    if output_format == "csv":
        if default_basis:  # the table and JSON name the basis; CSV has no room
            basis = result.population.basis
            click.echo(
                tr("Population: {basis}, the newest packaged quarter", basis=basis), err=True
            )
        write_csv(result, sys.stdout)
    elif output_format == "json":
        click.echo(render_json(result), nl=False)
    else:
        click.echo(render_table(result), nl=False)


def key_options(equal_part: str, fixed_amount: str | None, factor: bool, counting: Counting) -> Key:
    """``--equal-part``, ``--fixed``, ``--with-factor`` and the counting as a :class:`Key`."""
    from costshare.base.money import parse_amount, parse_percent

    equal = parse_percent(equal_part, "--equal-part")
    fixed_ore = parse_amount(fixed_amount, "--fixed") if fixed_amount else 0
    if fixed_ore < 0:
        raise InputError(
            lazy(
                "{option} {value} must not be negative", option="--fixed", value=repr(fixed_amount)
            )
        )
    return Key(equal, 1 - equal, fixed_ore, counting=counting, factor=factor)


def warn_of_differences(population: Population, strict: bool) -> None:
    """A municipal population file checked against FOLK1A (issue #21): each row that
    differs is named, on stderr, or refused with ``--strict``."""
    from costshare.population.crosscheck import cross_check

    check = cross_check(population)
    if check is None or not check.differences:
        return
    if strict:
        raise check.error()
    click.echo(tr("Warning: {warning}", warning=check.problem()), err=True)


def counting_options(cap: str | None, above: str | None, discount: str | None) -> Counting:
    """``--cap``, ``--above FROM:RATE`` and ``--discount ABOVE:RATE`` as a :class:`Counting`."""
    from fractions import Fraction

    from costshare.base.money import parse_decimal, parse_percent

    def number(text: str, option: str) -> Fraction:
        value = parse_decimal(text.strip(), option, "100000")
        if value < 0:
            raise InputError(
                lazy("{option} {value} must not be negative", option=option, value=repr(text))
            )
        return Fraction(value)

    def pair(text: str, option: str) -> tuple[Fraction, Fraction]:
        threshold, colon, rate = text.partition(":")
        if not colon:
            raise InputError(
                lazy(
                    "{option} {value} needs a threshold and a rate, e.g. 150000:50",
                    option=option,
                    value=repr(text),
                )
            )
        value = parse_percent(rate, option)
        if not 0 <= value <= 1:
            raise InputError(
                lazy(
                    "{option} {value}: the rate must be between 0 and 100 percent",
                    option=option,
                    value=repr(text),
                )
            )
        return number(threshold, option), value

    above_from, above_rate = pair(above, "--above") if above else (None, Fraction(1))
    discount_above, discount_rate = (
        pair(discount, "--discount") if discount else (None, Fraction(0))
    )
    return Counting(
        cap=number(cap, "--cap") if cap else None,
        above_from=above_from,
        above_rate=above_rate,
        discount_above=discount_above,
        discount_rate=discount_rate,
    )
