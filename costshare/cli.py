"""The ``costshare`` command line.

Each command parses its options, calls the library and prints the result; there is no
arithmetic here. Library errors (:class:`~costshare.base.errors.CostshareError`) become a
one-line ``Error: …`` and exit status 1; usage mistakes exit with status 2.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from costshare.base.errors import CostshareError, InputError
from costshare.base.version import __version__

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a library error into click's one-line ``Error: …`` with exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CostshareError as error:
            raise click.ClickException(str(error)) from None

    return wrapper  # type: ignore[return-value]


class WorkflowGroup(click.Group):
    """Lists commands in the order they are defined (split, run, explain, verify, …)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=WorkflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="costshare")
def cli() -> None:
    """Split the cost of a joint municipal programme exactly to the krone.

    Shares are whole units (kroner by default) that add up to the total exactly, by
    the largest-remainder rule with ties to the lowest municipality code.
    """


def population_options(command: F) -> F:
    """--population and --region, shared by every command that reads figures."""
    command = click.option(
        "--region",
        metavar="REGION",
        help="Only the municipalities of this region/KKR, e.g. Hovedstaden. Default: all.",
    )(command)
    return click.option(
        "--population",
        "population_basis",
        metavar="QUARTER|FILE",
        help="A packaged quarter such as 2025K1, or a CSV/Excel file. Default: the newest quarter.",
    )(command)


def load_population(population_basis: str | None, region: str | None) -> Any:
    """Load the figures named by --population and narrow them to --region."""
    from costshare.population.basis import load_basis
    from costshare.population.packaged import latest_quarter

    population = load_basis(population_basis or latest_quarter())
    return population.select_region(region) if region else population


format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for people; csv and json for programs.",
)


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
    type=click.Choice(["largest-remainder", "webster"]),
    default="largest-remainder",
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
    population = load_population(population_basis, region)
    result = split(amount_ore, population, rounding_unit, method, key)  # type: ignore[arg-type]
    if output_format == "csv":
        if population_basis is None:  # the table and JSON name the basis; CSV has no room
            click.echo(f"Population: {population.basis}, the newest packaged quarter", err=True)
        write_csv(result, sys.stdout)
    elif output_format == "json":
        click.echo(render_json(result), nl=False)
    else:
        click.echo(render_table(result), nl=False)


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
@reports_errors
def run_command(
    programme_file: str,
    out: Path,
    templates: Path | None,
    population_basis: str | None,
    amount: str | None,
    force: bool,
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
            summary = write_package(result, provenance, out, templates, force, bar.update)
    else:
        summary = write_package(result, provenance, out, templates, force)
    for warning in summary.warnings:
        click.echo(f"Warning: typst: {warning}", err=True)
    click.echo(describe(summary, result))


@cli.command(name="explain")
@click.argument("programme_file", metavar="PROGRAMME.toml", type=click.Path(dir_okay=False))
@click.argument("party", metavar="PARTY")
@reports_errors
def explain_command(programme_file: str, party: str) -> None:
    """Show the working behind one payer's amount, step by step.

    PARTY is a municipality or co-financing party, by code or name, in any case.
    The steps are the same as in the payer's workbook.

    \b
    Example:
        costshare explain examples/telehjerte-2025.toml Gentofte
        costshare explain examples/telehjerte-2025.toml 157
        costshare explain examples/telehjerte-2025.toml "Region Hovedstaden"
    """
    from costshare.programme.model import compute, load_programme
    from costshare.programme.payers import find_payer
    from costshare.render.explain import explain

    result = compute(load_programme(programme_file))
    click.echo(explain(result, find_payer(result, party)), nl=False)


@cli.command(name="verify")
@click.argument("programme_file", metavar="PROGRAMME.toml", type=click.Path(dir_okay=False))
@click.argument("annex_file", metavar="ANNEX", type=click.Path(dir_okay=False))
@click.pass_context
@reports_errors
def verify_command(ctx: click.Context, programme_file: str, annex_file: str) -> None:
    """Check a received annex (.xlsx or .csv) against the programme.

    Exits 0 with one line when every amount matches; otherwise prints the amounts that
    differ, missing and unexpected municipalities, whether the annex's total adds up,
    and which packaged population quarter reproduces the annex, and exits 1.

    \b
    Example:
        costshare verify examples/telehjerte-2025.toml bilag.xlsx
        costshare verify examples/telehjerte-2025.toml bilag.csv
    """
    from costshare.check.annex import read_annex
    from costshare.check.verify import render_verification, verify
    from costshare.programme.model import compute, load_programme

    result = compute(load_programme(programme_file))
    check = verify(result, read_annex(annex_file))
    click.echo(render_verification(check), nl=False)
    if not check.ok:
        ctx.exit(1)


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
    from pathlib import Path

    from costshare.check.compare import compare, iter_csv, render_json, render_table
    from costshare.population.packaged import is_quarter
    from costshare.programme.model import compute, load_programme

    if other_file is not None and population_basis is not None:
        raise click.UsageError("give a second programme file or --population, not both")
    if other_file is None and population_basis is None:
        raise click.UsageError("give the other side: --population QUARTER|FILE or OTHER.toml")
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
        from costshare.render.compare_workbook import write_workbook

        write_workbook(comparison, out_file)
        click.echo(f"Wrote {out_file} ({len(comparison.rows)} payers)")
        return
    if out_file and suffix not in (".csv", ".json"):
        raise click.BadParameter("give a file ending in .xlsx, .csv or .json", param_hint="--out")
    output_format = suffix.lstrip(".") or output_format
    if output_format == "csv":
        text = "".join(iter_csv(comparison))
    elif output_format == "json":
        text = render_json(comparison)
    else:
        text = render_table(comparison)
    if out_file:
        from costshare.render.output import write_atomically

        write_atomically(out_file, lambda path: path.write_text(text, encoding="utf-8"))
        click.echo(f"Wrote {out_file} ({len(comparison.rows)} payers)")
    else:
        click.echo(text, nl=False)


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


def main() -> None:
    """Entry point for ``python -m costshare``."""
    cli(prog_name="costshare")
