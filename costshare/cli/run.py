"""``costshare run``: the annex package from a programme file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from costshare.base.limits import MAX_PAYERS
from costshare.base.text import escaped
from costshare.cli.base import (
    cli,
    reports_errors,
)


@cli.command(name="run")
@click.argument("programme_file", metavar="PROGRAMME.toml")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
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
@click.option(
    "--max-payers",
    type=click.IntRange(min=1),
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
    max_payers: int,
) -> None:
    """Write the annex package: overview workbook, a workbook and a PDF letter per payer.

    The files and manifest.json are written to a temporary folder beside OUT and moved
    into place only when all succeeded; two runs give byte-identical files.

    \b
    Example:
        costshare run examples/telehjerte-2025.toml --out out
        costshare run examples/telehjerte-2025.toml --out out --force --amount 1100000
    """
    from costshare.render.package import describe, file_count, prepare, write_package

    result, provenance = prepare(programme_file, population_basis, amount)
    if sys.stderr.isatty():
        bar = click.progressbar(length=file_count(result), label="Skriver bilag", file=sys.stderr)
        with bar:
            summary = write_package(
                result, provenance, out, templates, force, bar.update, max_payers=max_payers
            )
    else:
        summary = write_package(result, provenance, out, templates, force, max_payers=max_payers)
    for warning in summary.warnings:
        click.echo(f"Warning: typst: {escaped(warning)}", err=True)  # may quote the template
    click.echo(describe(summary, result))
