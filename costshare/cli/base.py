"""The command group and what its commands share: error reporting, common options, language."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from costshare.base import i18n
from costshare.base.errors import CostshareError
from costshare.base.limits import MAX_PAYERS
from costshare.base.version import __version__

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn a library error into click's one-line ``Error: …`` with exit status 1."""
    return _reporting(command, exit_code=1)


def reports_errors_as_trouble(command: F) -> F:
    """Like :func:`reports_errors`, but exit status 2, for commands whose 1 means "differs".

    ``verify`` follows ``diff``: 0 the annex matches, 1 it differs, 2 it could not be
    checked (a bad programme or annex file).
    """
    return _reporting(command, exit_code=2)


class _Trouble(click.ClickException):
    """A library error in a command whose exit status 1 means "differs"."""

    exit_code = 2


class _EnglishFailure(click.ClickException):
    """An error whose message is not translated yet: ``Error: …`` in English whatever the
    language, so that no line mixes the two."""

    def show(self, file: Any = None) -> None:
        line = "Error: " + self.format_message()  # English on purpose, not a message id
        click.echo(line, file=file, err=file is None)


class _EnglishTrouble(_EnglishFailure):
    exit_code = 2


def _reporting(command: F, exit_code: int) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CostshareError as error:
            if error.translated:
                raise (_Trouble if exit_code == 2 else click.ClickException)(str(error)) from None
            english = _EnglishTrouble if exit_code == 2 else _EnglishFailure
            raise english(str(error)) from None

    return wrapper  # type: ignore[return-value]


# click's own texts ("Usage:", "Error: …", "Missing option …") go through the module-level
# ``_``/``ngettext`` each click module imported from :mod:`gettext`; pointing them at the
# active language makes a usage error as Danish as costshare's own messages.
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils", "termui")  # fmt: skip


def _speak_through_costshare() -> None:
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = i18n.gettext_  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext_  # type: ignore[attr-defined]


_speak_through_costshare()


def _lang_from_args(args: list[str]) -> i18n.Language | None:
    """``--lang`` among the group's own options (before the command), if given."""
    for index, arg in enumerate(args):
        if not arg.startswith("-"):
            return None
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        if value in i18n.LANGUAGES:
            return value
    return None


def _commands(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _commands(sub)


# The usage line's placeholders: click writes them in English and does not translate them.
OPTIONS_METAVAR = i18n.mark("[OPTIONS]")
SUBCOMMAND_METAVAR = i18n.mark("COMMAND [ARGS]...")


def translate_help(group: click.Command) -> None:
    """Put every help text of the command tree into the active language.

    The English texts (docstrings, ``help=`` and ``metavar=``) are the message ids; the
    first call keeps them, so a later call in another language starts from them again. The
    usage line's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` are translated too, so a Danish
    user reads ``Brug: costshare run [TILVALG] PROGRAM.toml``.
    """
    for command in _commands(group):
        originals = command.__dict__.setdefault("_english_help", {})
        if "help" not in originals:
            originals["help"] = inspect.cleandoc(command.help) if command.help else None
            originals["short_help"] = command.short_help
        command.help = i18n.tr(originals["help"]) if originals["help"] else None
        if originals["short_help"]:
            command.short_help = i18n.tr(originals["short_help"])
        command.options_metavar = i18n.tr(OPTIONS_METAVAR)
        if isinstance(command, click.Group):
            command.subcommand_metavar = i18n.tr(SUBCOMMAND_METAVAR)
        command._help_option = None  # rebuilt with click's text in the active language
        for param in command.params:
            if isinstance(param, click.Option) and param.help:
                english = originals.setdefault(param.name or "", param.help)
                param.help = i18n.tr(english)
            if isinstance(param.type, click.Path):
                param.type.name = i18n.tr(_path_kind(param.type))
            if param.metavar:
                metavar = originals.setdefault(f"metavar {param.name}", param.metavar)
                param.metavar = i18n.tr(metavar)


# What click calls a path in its errors ("File 'pk' is a directory."): it names the kind
# when the command is built, before the language is chosen, so the kind is named again here.
_FILE, _FOLDER, _PATH = i18n.mark("file"), i18n.mark("directory"), i18n.mark("path")


def _path_kind(path: click.Path) -> str:
    if path.file_okay and not path.dir_okay:
        return _FILE
    return _FOLDER if path.dir_okay and not path.file_okay else _PATH


class WorkflowGroup(click.Group):
    """Lists commands in the order they are defined (split, run, explain, verify, …), and
    chooses the language before anything is printed: ``--lang``, else the environment
    (:func:`costshare.base.i18n.language_from_environment`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        i18n.set_language(_lang_from_args(args) or i18n.language_from_environment())
        translate_help(self)
        return super().parse_args(ctx, args)


@click.group(cls=WorkflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="costshare")
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    help="Language of messages and help: da (Danish) or en (English). Default: from COSTSHARE_LANG or the locale (LANG), else Danish.",
)
def cli(lang: str | None) -> None:
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
max_payers_option = click.option(
    "--max-payers",
    type=click.IntRange(min=1),
    metavar="N",
    default=MAX_PAYERS,
    show_default=True,
    help="Refuse a programme with more payers than this (each gets two files).",
)
no_einvoices_option = click.option(
    "--no-einvoices",
    is_flag=True,
    help="Write no e-invoices, even if the programme has [invoicing].",
)
no_einvoices_or_credit_notes_option = click.option(
    "--no-einvoices",
    is_flag=True,
    help="Write no e-invoices or credit notes, even if the programme has [invoicing].",
)
strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Refuse a population file whose rows differ from Statistics Denmark's figures (else a warning).",
)


def warn_of_the_figures(warnings: Sequence[object], year: int | None = None) -> None:
    """The figures' warnings (ProgrammeResult.figure_warnings), after the package: an
    error is the one line a failed run prints. A run over several years names the year."""
    for warning in warnings:
        if year is None:
            click.echo(i18n.tr("Warning: {warning}", warning=warning), err=True)
        else:
            click.echo(i18n.tr("Warning: {year}: {warning}", year=year, warning=warning), err=True)


index_option = click.option(
    "--index",
    "index_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="What-if: index the amounts with this PL-index CSV instead of the programme's.",
)
