"""``costshare data``: the packaged population data and its provenance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from costshare.base.i18n import language, tr
from costshare.cli.base import (
    cli,
    reports_errors,
)

if TYPE_CHECKING:
    from costshare.population.datasets import Dataset


@cli.group()
def data() -> None:
    """The population data: packaged sets, and sets fetched from StatBank."""


@data.command(name="list")
@reports_errors
def data_list() -> None:
    """List every data set: its periods, their totals and how each was checked.

    Packaged sets ship with costshare; sets fetched with ``costshare data fetch`` are
    marked "hentet fra Statistikbanken" and are named statbank:<period> as well.

    \b
    Example:
        costshare data list
    """
    from costshare.base.danish import format_count, format_date
    from costshare.population.datasets import (
        PACKAGED,
        basis_ages,
        basis_date,
        fetched,
        fetched_dir,
        packaged,
    )

    def show(dataset: Dataset) -> None:
        info = dataset.info
        heading = f"{dataset.name}: {info['publisher']}, {info['table']} ({info['title']})"
        click.echo(heading)
        for basis in sorted(dataset.columns, key=lambda b: (basis_date(b), b)):
            when = format_date(basis_date(basis)) + (
                f", {basis_ages(basis)}" if ":" in basis else ""
            )
            total = format_count(sum(dataset.counts(basis)))
            # The Danish status is the one the documents print; English has its own words.
            status = dataset.status(basis) if language() == "da" else dataset.status_en(basis)
            line = f"  {basis:<11} {when:>30}  {total:>10}  {status}"
            click.echo(line)

    for name in PACKAGED:
        show(packaged(name))
    fetched_sets = list(fetched())
    if fetched_sets:
        click.echo(tr("Fetched from StatBank (in {folder}):", folder=fetched_dir()))
    for dataset in fetched_sets:
        show(dataset)
    click.echo(tr("Show one with: costshare data show 2025K1 [--region Hovedstaden]"))


@data.command(name="fetch")
@click.option(
    "--quarter",
    "period",
    required=True,
    metavar="PERIOD",
    help="A quarter (2024K4, FOLK1A) or a month (2024M12, FOLK1AM).",
)
@click.option("--ages", metavar="AGES", help="An age group: 0-17, 65- (65 and over), 80-.")
@click.option(
    "--api-url",
    metavar="URL",
    help="The StatBank API base URL. Default: COSTSHARE_STATBANK_URL, else https://api.statbank.dk/v1.",
)
@reports_errors
def data_fetch(period: str, ages: str | None, api_url: str | None) -> None:
    """Fetch a period's population by municipality from Statistics Denmark's StatBank.

    The figures are stored with their provenance (request, response SHA-256, time of
    retrieval, table metadata) in the user data folder (COSTSHARE_DATA_DIR overrides it)
    and can then be used like a packaged quarter: --population 2026K2, or
    --population statbank:2024K4 where a packaged set of that period exists.

    \b
    Example:
        costshare data fetch --quarter 2024K4
        costshare data fetch --quarter 2025K1 --ages 0-17
    """
    from costshare.base.danish import format_count
    from costshare.population.datasets import packaged_bases
    from costshare.population.statbank import fetch

    result = fetch(period, ages, api_url)
    total = format_count(sum(result.dataset.counts(result.basis)))
    click.echo(
        tr(
            "Fetched {basis} ({table}): 98 municipalities, {total} in all",
            basis=result.basis,
            table=result.dataset.info["table"],
            total=total,
        )
    )
    click.echo(tr("Stored in {file} with its provenance beside it", file=result.csv_path))
    if result.basis in packaged_bases():
        click.echo(
            tr(
                "{basis} is also packaged; the packaged figures are used unless you write "
                "--population statbank:{basis}",
                basis=result.basis,
            )
        )
    else:
        click.echo(tr("Use it with: --population {basis}", basis=result.basis))


@data.command(name="show")
@click.argument("quarter", metavar="QUARTER")
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
    from costshare.population.basis import load_basis
    from costshare.population.packaged import is_quarter, load_packaged
    from costshare.population.regions import regions_inner

    # The regions are summed from a quarter (regioner:2025K1, issue #21); files are not data.
    inner = regions_inner(quarter)
    population = load_basis(quarter) if inner and is_quarter(inner) else load_packaged(quarter)
    if region:
        population = population.select_region(region)
    width = max(len(name) for name in population.names)
    for code, name, count in zip(
        population.codes, population.names, population.counts, strict=True
    ):
        row = f"{code:>4}  {name:<{width}}  {format_count(count):>9}"
        click.echo(row)
    # The figures are a table, Danish in both languages like split's.
    total = f"{'':>4}  {'I alt':<{width}}  {format_count(population.total):>9}"
    click.echo(total)
    click.echo(population.source)
