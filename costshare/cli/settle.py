"""``costshare settle``: the settlement run (efterregulering) against an earlier package."""

from __future__ import annotations

from pathlib import Path

import click

from costshare.base.i18n import tr
from costshare.base.text import escaped
from costshare.cli.base import (
    cli,
    index_option,
    max_payers_option,
    no_einvoices_or_credit_notes_option,
    reports_errors,
    strict_option,
    warn_of_the_figures,
    year_option,
)


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
@no_einvoices_or_credit_notes_option
@strict_option
@max_payers_option
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
    strict: bool,
    max_payers: int,
) -> None:
    """Settle an earlier charge against the final programme (efterregulering).

    Reads the earlier package (refusing one whose files do not match their SHA-256) and
    re-derives what each payer was charged from the programme it carries (refusing a
    package whose manifest or workbooks say otherwise), computes the final programme and
    writes per payer the charged amount, the final amount and the difference: a letter
    headed "Efterregulering" (extra charge, credit or no change) and a workbook with the
    working (<code>-<name>.pdf, .xlsx); efterregulering.xlsx, the overview of all payers;
    gennemsyn-alle-breve.pdf, all letters in one file for the person who signs off; the
    final programme and its files (programfil/); and manifest.json. The differences add up
    to the final total minus the charged total.

    With [invoicing] in the final programme, also an e-invoice (extra charge) or credit
    note (credit) per payer and format, for the difference, each validated first
    (einvoices/).

    \b
    Example:
        costshare run examples/telehjerte-2025-foreloebig.toml --out opkraevet
        costshare settle examples/telehjerte-2025-endelig.toml --charged opkraevet --out efterregulering
    """
    from costshare.documents.pdf.typesetter import start_early
    from costshare.package.earlier_package import open_package

    start_early()  # typst starts on the other core while the charge is read and re-derived
    beside = Path(programme_file).parent  # where a file too big to travel may be found
    # The charge's workbooks are checked beside the writing, and before anything is
    # installed (open_package, write_settlement's charge_checked).
    charged, workbooks_checked = open_package(
        charged_folder, charged_year if charged_year is not None else year, look_beside=beside
    )
    with workbooks_checked:
        # Imported once the check runs beside: the writers' imports overlap it.
        from costshare.package.preparation import prepare_run
        from costshare.package.settlement_package import describe_settlement, write_settlement
        from costshare.programme.settlement import settle
        from costshare.programme.years import load_plan

        final = prepare_run(load_plan(programme_file, index_file), year)
        figure_warnings = final.result.figure_warnings(
            strict, final=True
        )  # the final figures, before writing
        amounts = {payer.code: (payer.name, payer.amount_ore) for payer in charged.payers}
        settlement = settle(final.result, amounts, final.payers)
        summary = write_settlement(
            settlement,
            charged,
            final,
            out,
            force,
            einvoices=not no_einvoices,
            max_payers=max_payers,
            charge_checked=workbooks_checked.result,
        )
    for warning in summary.warnings:
        click.echo(tr("Warning: typst: {warning}", warning=warning), err=True)
    for warning in summary.einvoice_warnings:
        click.echo(tr("Warning: {warning}", warning=escaped(warning)), err=True)
    click.echo(describe_settlement(summary, settlement))
    warn_of_the_figures(figure_warnings)
