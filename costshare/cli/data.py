"""``costshare data``: the packaged population data and its provenance."""

from __future__ import annotations

import click

from costshare.cli.base import (
    cli,
    reports_errors,
)


@cli.group()
def data() -> None:
    """The packaged population data (Statistics Denmark FOLK1A)."""


@data.command(name="list")
@reports_errors
def data_list() -> None:
    """List the packaged quarters, with how each was checked.

    \b
    Example:
        costshare data list
    """
    from costshare.base.danish import format_count, format_date
    from costshare.population.packaged import load_packaged, quarter_date, quarters, source

    info = source()
    click.echo(f"{info['dataset']}: {info['publisher']}, {info['table']} ({info['title']})")
    for quarter in quarters():
        status = "verified" if quarter in info["verified"] else "checked by sums"
        total = format_count(load_packaged(quarter).total)
        click.echo(f"  {quarter}  {format_date(quarter_date(quarter)):>16}  {total:>10}  {status}")
    click.echo("Show one with: costshare data show 2025K1 [--region Hovedstaden]")


@data.command(name="show")
@click.argument("quarter")
@click.option(
    "--region", metavar="REGION", help="Only this region's municipalities, e.g. Hovedstaden."
)
@reports_errors
def data_show(quarter: str, region: str | None) -> None:
    """Print one quarter's population figures with their source.

    \b
    Example:
        costshare data show 2025K1 --region Hovedstaden
    """
    from costshare.base.danish import format_count
    from costshare.population.packaged import load_packaged

    population = load_packaged(quarter)
    if region:
        population = population.select_region(region)
    width = max(len(name) for name in population.names)
    for code, name, count in zip(
        population.codes, population.names, population.counts, strict=True
    ):
        click.echo(f"{code:>4}  {name:<{width}}  {format_count(count):>9}")
    click.echo(f"{'':>4}  {'I alt':<{width}}  {format_count(population.total):>9}")
    click.echo(population.source)
