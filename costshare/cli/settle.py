"""``costshare settle``: the settlement run (efterregulering) against an earlier package."""

from __future__ import annotations

from pathlib import Path

import click

from costshare.base.i18n import tr
from costshare.base.text import escaped
from costshare.cli.base import cli, index_option, reports_errors, year_option


@cli.command(name="settle")
@click.argument("programme_file", metavar="FINAL.toml", type=click.Path(dir_okay=False))
@click.option(
    "--charged",
    "charged_folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PACKAGE",
    help="The folder of the earlier package (what `costshare run` wrote and was sent).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The folder to write the settlement package to (created; must be empty unless --force).",
)
@year_option
@click.option(
    "--charged-year",
    type=int,
    metavar="YEAR",
    help="The year to read from an earlier package over several years. Default: --year.",
)
@index_option
@click.option("--force", is_flag=True, help="Replace OUT if it holds an earlier package.")
@click.option(
    "--no-einvoices",
    is_flag=True,
    help="Write no e-invoices or credit notes, even if the programme has [invoicing].",
)
@reports_errors
def settle_command(
    programme_file: str,
    charged_folder: Path,
    out: Path,
    year: int | None,
    charged_year: int | None,
    index_file: Path | None,
    force: bool,
    no_einvoices: bool,
) -> None:
    """Settle an earlier charge against the final programme (efterregulering).

    Reads what each payer was charged from the earlier package's manifest.json (refusing
    a package whose files do not match their SHA-256), computes the final programme and
    writes per payer the charged amount, the final amount and the difference: a letter
    headed "Efterregulering" (extra charge, credit or no change), an overview workbook
    and manifest.json. The differences add up to the final total minus the charged total.

    With [invoicing] in the final programme, also an e-invoice (extra charge) or credit
    note (credit) per payer and format, for the difference, each validated first.

    \b
    Example:
        costshare run examples/telehjerte-2025-foreloebig.toml --out opkraevet
        costshare settle examples/telehjerte-2025-endelig.toml --charged opkraevet --out efterregulering
    """
    from costshare.package.manifest import read_package
    from costshare.package.preparation import prepare_year
    from costshare.package.settlement_package import describe_settlement, write_settlement
    from costshare.programme.settlement import settle
    from costshare.programme.years import load_plan

    charged = read_package(charged_folder, charged_year if charged_year is not None else year)
    result, provenance = prepare_year(load_plan(programme_file, index_file), year)
    settlement = settle(
        result, {payer.code: (payer.name, payer.amount_ore) for payer in charged.payers}
    )
    summary = write_settlement(
        settlement, charged, provenance, out, force, einvoices=not no_einvoices
    )
    for warning in summary.warnings:
        click.echo(tr("Warning: typst: {warning}", warning=warning), err=True)
    for warning in summary.einvoice_warnings:
        click.echo(tr("Warning: {warning}", warning=escaped(warning)), err=True)
    click.echo(describe_settlement(summary, settlement))
