"""``costshare einvoice``: checking e-invoices offline."""

from __future__ import annotations

from pathlib import Path

import click

from costshare.base.i18n import tr
from costshare.cli.base import cli, reports_errors


@cli.group()
def einvoice() -> None:
    """E-invoices (OIOUBL 2.1 and Peppol BIS Billing 3.0)."""


@einvoice.command(name="validate")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE...",
)
@reports_errors
def validate_command(files: tuple[Path, ...]) -> None:
    """Check e-invoices against the UBL 2.1 schema and the rules receivers enforce.

    OIOUBL documents are checked against costshare's implementation of the OIOUBL rules,
    Peppol documents against CEN EN 16931 and the Danish Peppol rules (see
    docs/reference/einvoices.md). Prints each failed rule with its id and text; exits
    with status 1 if any document fails.

    \b
    Example:
        costshare einvoice validate out/einvoices/*.xml
    """
    from costshare.base.limits import EINVOICE, MAX_EINVOICE_BYTES, read_regular_file
    from costshare.check.einvoice.validate import validate_document

    failed = 0
    for path in files:
        report = validate_document(read_regular_file(path, EINVOICE, MAX_EINVOICE_BYTES))
        if report.valid:
            click.echo(tr("{path}: OK ({format})", path=path, format=report.format))
        else:
            click.echo(tr("{path}: FAILED ({format})", path=path, format=report.format))
        for finding in report.findings:
            click.echo(f"  {finding}")
        failed += not report.valid
    if failed:
        raise click.ClickException(
            tr("{failed} of {count} document(s) failed validation", failed=failed, count=len(files))
        )
