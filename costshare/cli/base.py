"""The command group and what its commands share: error reporting, common options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from costshare.base.errors import CostshareError
from costshare.base.version import __version__

F = TypeVar("F", bound=Callable[..., Any])


class _CannotCheck(click.ClickException):
    """A library error for a command whose exit status 1 already means "differs"."""

    exit_code = 2


def reports_errors(command: F) -> F:
    """Turn a library error into click's one-line ``Error: …`` with exit status 1."""
    return _reporting(command, click.ClickException)


def reports_errors_as_trouble(command: F) -> F:
    """Like :func:`reports_errors`, but exit status 2, for commands whose 1 means "differs".

    ``verify`` follows ``diff``: 0 the annex matches, 1 it differs, 2 it could not be
    checked (a bad programme or annex file).
    """
    return _reporting(command, _CannotCheck)


def _reporting(command: F, problem: type[click.ClickException]) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CostshareError as error:
            raise problem(str(error)) from None

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


# Programmes over several years (issue #14): run, explain, verify and settle take these.
year_option = click.option(
    "--year",
    type=int,
    metavar="YEAR",
    help="The year of a programme over several years ([[years]]).",
)
index_option = click.option(
    "--index",
    "index_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="What-if: index the amounts with this PL-index CSV instead of the programme's.",
)
