"""``costshare explain``, ``verify`` and ``compare``: checking a share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from costshare.base.i18n import tr
from costshare.cli.base import (
    cli,
    format_option,
    reports_errors,
    reports_errors_as_trouble,
    year_option,
)


@cli.command(name="explain")
@click.argument(
    "programme_file", metavar="PROGRAMME.toml|LETTER.pdf", type=click.Path(dir_okay=False)
)
@click.argument("party", metavar="[PARTY]", required=False)
@year_option
@reports_errors
def explain_command(programme_file: str, party: str | None, year: int | None) -> None:
    """Show the working behind one payer's amount, step by step.

    PARTY is a municipality or co-financing party, by code or name, in any case.
    The steps are the same as in the payer's workbook. Instead of the programme, give a
    letter or annex PDF you received: the working is computed again from the programme
    and figures it carries (a letter's own payer unless PARTY is given).

    \b
    Example:
        costshare explain examples/telehjerte-2025.toml Gentofte
        costshare explain examples/telehjerte-2025.toml 157
        costshare explain examples/telehjerte-2025.toml "Region Hovedstaden"
        costshare explain 157-gentofte.pdf
    """
    from costshare.documents.text.explain import explain
    from costshare.programme.payers import find_payer

    if Path(programme_file).suffix.casefold() == ".pdf":
        from costshare.package.received import explain_received

        result, payer = explain_received(programme_file, party)
        click.echo(explain(result, payer), nl=False)
        return
    if party is None:
        raise click.UsageError(
            tr("give the payer to explain: costshare explain PROGRAMME.toml PARTY")
        )
    from costshare.programme.model import compute, load_programme

    result = _computed(programme_file, year) if year else compute(load_programme(programme_file))
    click.echo(explain(result, find_payer(result, party)), nl=False)


@cli.command(name="verify")
@click.argument("received", metavar="FILE|PROGRAMME.toml", type=click.Path())
@click.argument("annex_file", metavar="[ANNEX]", required=False, type=click.Path(dir_okay=False))
@year_option
@click.pass_context
@reports_errors_as_trouble
def verify_command(
    ctx: click.Context, received: str, annex_file: str | None, year: int | None
) -> None:
    """Check what a payer received, or a received annex against the programme.

    With one FILE: a letter, settlement letter or annex PDF, a payer's workbook, the
    overview, an e-invoice or credit note, a package folder or a zip of one. costshare
    says what it is, computes the amounts again from the programme and figures it
    carries (a workbook: the letter or package beside it) and compares them with what
    the file shows. With PROGRAMME.toml and ANNEX (.xlsx or .csv): checks the annex
    against the programme.

    Exits 0 when everything matches; otherwise lists each difference with what was
    expected and what was found, and exits 1 (for an annex: also missing and unexpected
    municipalities, whether the total adds up, and which packaged population quarter
    reproduces it). Exits 2 when a file cannot be read or checked, as diff does.

    \b
    Example:
        costshare verify pakke/157-gentofte.pdf
        costshare verify pakke
        costshare verify examples/telehjerte-2025.toml bilag.xlsx
    """
    if annex_file is None:
        from costshare.documents.text.received_report import render_received
        from costshare.package.received_package import verify_received

        verdict = verify_received(received, year)
        click.echo(render_received(verdict), nl=False)
        if not verdict.ok:
            ctx.exit(1)
        return
    from costshare.check.annex import read_annex
    from costshare.check.verify import verify
    from costshare.documents.text.verify_report import render_verification
    from costshare.programme.model import compute, load_programme

    programme_file = received
    result = _computed(programme_file, year) if year else compute(load_programme(programme_file))
    check = verify(result, read_annex(annex_file))
    click.echo(render_verification(check), nl=False)
    if not check.ok:
        ctx.exit(1)


def _computed(programme_file: str, year: int) -> Any:
    """One year of a programme (``--year``), computed."""
    from costshare.programme.model import compute
    from costshare.programme.years import load_plan

    return compute(load_plan(programme_file).year(year).programme)


@cli.command(name="compare")
@click.argument("programme_file", metavar="PROGRAMME.toml", type=click.Path(dir_okay=False))
@click.argument(
    "other_file", metavar="[OTHER.toml]", required=False, type=click.Path(dir_okay=False)
)
@click.option(
    "--population",
    "population_basis",
    metavar="QUARTER|FILE",
    help="The other side: the same programme on this population (e.g. 2024K1 or a file).",
)
@format_option
@click.option(
    "--out",
    "out_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write to FILE instead: .xlsx for a workbook, .csv or .json for those formats.",
)
@reports_errors
def compare_command(
    programme_file: str,
    other_file: str | None,
    population_basis: str | None,
    output_format: str,
    out_file: str | None,
) -> None:
    """Compare each payer's amount on two bases, in kroner and percent.

    The other side is either a population (--population) or a second programme file.

    \b
    Example:
        costshare compare examples/telehjerte-2025.toml --population 2024K1
        costshare compare examples/telehjerte-2025.toml --population 2024K1 --format csv
        costshare compare examples/telehjerte-2025.toml --population 2024K1 --out diff.xlsx
        costshare compare old.toml new.toml
    """

    from costshare.check.compare import compare
    from costshare.documents.text.compare_report import csv_text, render_json, render_table
    from costshare.population.packaged import is_quarter
    from costshare.programme.model import compute, load_programme

    if other_file is not None and population_basis is not None:
        raise click.UsageError(tr("give a second programme file or --population, not both"))
    if other_file is None and population_basis is None:
        raise click.UsageError(tr("give the other side: --population QUARTER|FILE or OTHER.toml"))
    programme = load_programme(programme_file)
    before = compute(programme)
    before_label = programme.population_basis
    if other_file is not None:
        after = compute(load_programme(other_file))
        before_label, after_label = Path(programme_file).stem, Path(other_file).stem
        if before_label == after_label:
            before_label, after_label = programme_file, other_file
    else:
        assert population_basis is not None
        after = compute(programme, population_override=population_basis)
        after_label = after.municipal.population.basis
    # A file basis is labelled by its name, so the column headings stay short.
    before_label, after_label = (
        label if is_quarter(label) or other_file else Path(label).name
        for label in (before_label, after_label)
    )
    comparison = compare(before, after, before_label, after_label)
    suffix = Path(out_file).suffix.casefold() if out_file else ""
    if out_file and suffix == ".xlsx":
        from costshare.documents.xlsx.compare_workbook import CREATED, build_workbook
        from costshare.package.atomic_file import write_atomically

        data = build_workbook(comparison).to_bytes(CREATED)
        write_atomically(out_file, lambda path: path.write_bytes(data))
        click.echo(tr("Wrote {file} ({count} payers)", file=out_file, count=len(comparison.rows)))
        return
    if out_file and suffix not in (".csv", ".json"):
        raise click.BadParameter(
            tr("give a file ending in .xlsx, .csv or .json"), param_hint="--out"
        )
    output_format = suffix.lstrip(".") or output_format
    if output_format == "csv":
        text = csv_text(comparison)
    elif output_format == "json":
        text = render_json(comparison)
    else:
        text = render_table(comparison)
    if out_file:
        from costshare.package.atomic_file import write_atomically

        write_atomically(out_file, lambda path: path.write_text(text, encoding="utf-8"))
        click.echo(tr("Wrote {file} ({count} payers)", file=out_file, count=len(comparison.rows)))
    else:
        click.echo(text, nl=False)
