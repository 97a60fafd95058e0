"""``costshare run``: the annex package from a programme file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from costshare.base.i18n import tr
from costshare.base.text import escaped
from costshare.cli.base import (
    cli,
    index_option,
    max_payers_option,
    no_einvoices_option,
    reports_errors,
    strict_option,
    warn_of_the_figures,
    year_option,
)

if TYPE_CHECKING:
    from costshare.programme.years import Plan


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
@no_einvoices_option
@strict_option
@max_payers_option
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
    strict: bool,
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
    from costshare.documents.pdf.typesetter import start_early

    start_early()  # typst starts on the other core while the programme is read and computed
    from costshare.package.annex_package import describe, file_count, write_package
    from costshare.package.preparation import prepare_run
    from costshare.programme.years import load_plan

    plan = load_plan(programme_file, index_file)  # the one read of the programme file
    einvoices = not no_einvoices
    if plan.multi_year and year is None:
        if population_basis is not None or amount is not None:
            raise click.UsageError(tr("--population and --amount change one year; add --year"))
        _run_years(plan, out, templates, force, einvoices, max_payers, strict)
        return
    prepared = prepare_run(plan, year, population_basis, amount)
    figure_warnings = prepared.result.figure_warnings(strict)  # before anything is written
    summary = _with_progress(
        file_count(prepared, einvoices),
        lambda progress: write_package(
            prepared,
            None,
            out,
            templates=templates,
            force=force,
            progress=progress,
            einvoices=einvoices,
            max_payers=max_payers,
        ),
    )
    _warn(summary.warnings, summary.einvoice_warnings)
    click.echo(describe(summary, prepared.result))
    warn_of_the_figures(figure_warnings)


def _run_years(
    plan: Plan,
    out: Path,
    templates: Path | None,
    force: bool,
    einvoices: bool,
    max_payers: int,
    strict: bool,
) -> None:
    """A programme over several years: a package a year and the overview, one staging;
    each year's figures checked as a one-year run checks them."""
    from costshare.package.years_package import (
        describe_years,
        prepare_years,
        write_years,
        years_file_count,
    )

    years = prepare_years(plan)
    figure_warnings = {
        prepared.result.programme.year: prepared.result.figure_warnings(strict)
        for prepared in years
    }
    written = _with_progress(
        years_file_count(years, einvoices),
        lambda progress: write_years(
            plan,
            out,
            templates,
            force,
            years=years,
            einvoices=einvoices,
            max_payers=max_payers,
            progress=progress,
        ),
    )
    _warn(written.warnings, written.einvoice_warnings)
    click.echo(describe_years(written, plan.years[0].programme.unit.shows_ore))
    for year, warnings in figure_warnings.items():
        warn_of_the_figures(warnings, year)


Written = TypeVar("Written")


def _with_progress(length: int, write: Callable[[Callable[[int], Any] | None], Written]) -> Written:
    """``write(progress)``, with a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return write(None)
    bar = click.progressbar(length=length, label=tr("Writing the package"), file=sys.stderr)
    with bar:
        return write(bar.update)


def _warn(typst: Sequence[str], einvoices: Sequence[str]) -> None:
    for warning in typst:
        # typst's own warning may quote the template, so it is escaped
        click.echo(tr("Warning: typst: {warning}", warning=escaped(warning)), err=True)
    for warning in einvoices:
        click.echo(tr("Warning: {warning}", warning=escaped(warning)), err=True)
