"""``costshare run``: the annex package from a programme file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from costshare.base.i18n import tr
from costshare.base.limits import MAX_PAYERS
from costshare.base.text import escaped
from costshare.cli.base import (
    cli,
    index_option,
    reports_errors,
    year_option,
)


@cli.command(name="run")
@click.argument("programme_file", metavar="PROGRAMME.toml")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The folder to write the package to (created; must be empty unless --force).",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Use DIR/letter.typ.j2 instead of the shipped letter template.",
)
@click.option(
    "--population",
    "population_basis",
    metavar="QUARTER|FILE",
    help="What-if: use these figures instead of the programme's.",
)
@click.option(
    "--amount", metavar="AMOUNT", help="What-if: use this total instead of the programme's."
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace OUT if it holds an earlier package (only once every file succeeded).",
)
@year_option
@index_option
@click.option(
    "--no-einvoices",
    is_flag=True,
    help="Write no e-invoices, even if the programme has [invoicing].",
)
@click.option(
    "--max-payers",
    type=click.IntRange(min=1),
    metavar="N",
    default=MAX_PAYERS,
    show_default=True,
    help="Refuse a programme with more payers than this (each gets two files).",
)
@reports_errors
def run_command(
    programme_file: str,
    out: Path,
    templates: Path | None,
    population_basis: str | None,
    amount: str | None,
    force: bool,
    year: int | None,
    index_file: Path | None,
    no_einvoices: bool,
    max_payers: int,
) -> None:
    """Write the annex package: overview workbook, a workbook and a PDF letter per payer.

    With [invoicing] in the programme, also an OIOUBL and/or Peppol e-invoice per payer
    with an EAN in the payer register, each validated before the package is finished.

    The files and manifest.json are written to a temporary folder beside OUT and moved
    into place only when all succeeded; two runs give byte-identical files.

    \b
    Example:
        costshare run examples/telehjerte-2025.toml --out out
        costshare run examples/telehjerte-2025.toml --out out --force --amount 1100000
        costshare run examples/telehjerte-2025-2027.toml --out out3   # a folder a year
    """
    from costshare.package.annex_package import describe, file_count, write_package
    from costshare.package.preparation import prepare, prepare_year
    from costshare.package.years_package import describe_years, write_years
    from costshare.population.releases import publication_warnings, released_with
    from costshare.programme.years import load_plan

    plan = load_plan(programme_file, index_file)  # a programme over several years: issue #14
    if plan.multi_year and year is None:
        if population_basis is not None or amount is not None:
            raise click.UsageError(tr("--population and --amount change one year; add --year"))
        years = write_years(plan, out, templates, force)
        click.echo(describe_years(years, plan.years[0].programme.unit.shows_ore))
        return
    if plan.multi_year or year is not None:
        result, provenance = prepare_year(plan, year, population_basis, amount)
    else:
        result, provenance = prepare(programme_file, population_basis, amount)
    if sys.stderr.isatty():
        length = file_count(result, einvoices=not no_einvoices)
        bar = click.progressbar(length=length, label=tr("Writing the package"), file=sys.stderr)
        with bar:
            summary = write_package(
                result,
                provenance,
                out,
                templates=templates,
                force=force,
                progress=bar.update,
                max_payers=max_payers,
                einvoices=not no_einvoices,
            )
    else:
        summary = write_package(
            result,
            provenance,
            out,
            templates=templates,
            force=force,
            einvoices=not no_einvoices,
            max_payers=max_payers,
        )
    for warning in summary.warnings:
        # typst's own warning may quote the template, so it is escaped
        click.echo(tr("Warning: typst: {warning}", warning=escaped(warning)), err=True)
    for warning in summary.einvoice_warnings:
        click.echo(tr("Warning: {warning}", warning=escaped(warning)), err=True)
    click.echo(describe(summary, result))
    # After the package: an error is the one line a failed run prints.
    programme, basis = result.programme, result.municipal.population.basis
    quarter = released_with(basis)  # a month or a file has no known publication date
    if quarter is not None:
        dates = (programme.letter_date, programme.decision_date)
        for warning in publication_warnings(quarter, *dates):
            click.echo(tr("Warning: {warning}", warning=warning), err=True)
