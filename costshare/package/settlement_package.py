"""The settlement package (``costshare settle``): a letter and a workbook per payer, an
overview, a manifest.

Letters are headed "Efterregulering" and say, per payer, what it was charged, its final
amount and the difference: an extra charge (efteropkrævning), a credit (tilgodehavende) or
no change. They are typeset with the :class:`~costshare.documents.pdf.letters.Typesetter` and the
escaping environment of :mod:`costshare.documents.pdf.letters`, from ``settlement.typ.j2``.

Each payer's workbook (same stem as its letter) is built by
:func:`~costshare.documents.xlsx.settlement_workbook.build_settlement_workbook`; the letter's
"Bilag:" names it and the overview. Each payer's settlement reference is its own
reference with ``-EFT`` (:func:`~costshare.documents.xlsx.settlement_workbook.settlement_reference`).

``manifest.json`` lists per payer ``charged``, ``final``, ``amount`` (the settlement,
negative for a credit) and ``reference``, and every file with its SHA-256. The package is written to a
temporary folder beside ``out`` and moved into place only when every file succeeded.

**E-invoices and credit notes.** When the final programme has ``[invoicing]`` (and not
``--no-einvoices``), every payer with a non-zero difference and an EAN and a person
reference in the payer register gets, per format, an invoice for an extra charge or a
credit note (positive amounts) for a credit, written by
:func:`~costshare.package.einvoices.write_einvoices` with a
:class:`~costshare.documents.einvoice.charge.Settling`: its number ends in ``-EFT``, its line
says "efterregulering af …", and it refers to the earlier e-invoice's number where the
earlier package's manifest recorded one. Each is validated as it is written; an invalid
one stops the run and nothing is installed. The manifest lists them with kind
``einvoice`` and ``amount`` the difference.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from costshare.base.danish import format_kr
from costshare.base.i18n import tr
from costshare.base.money import format_plain
from costshare.base.version import __version__
from costshare.documents.einvoice.charge import Settling
from costshare.documents.pdf.settlement_letter import render_settlement_letter, settlement_context
from costshare.documents.xlsx.settlement_overview import build_settlement_overview
from costshare.documents.xlsx.settlement_workbook import (
    build_settlement_workbook,
    note,
    settlement_reference,
)
from costshare.package.fonts import private_font_folder
from costshare.package.preparation import reproducible_timestamp
from costshare.package.staging import check_destination, install, sha256_file, umask
from costshare.programme.naming import MANIFEST_FILE, SETTLEMENT_OVERVIEW_FILE
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import CREDIT, EXTRA, ChargedPackage, Settlement, SettlementRow


@dataclass(frozen=True)
class SettlementSummary:
    """What a settlement run wrote."""

    out: Path
    letters: int
    warnings: tuple[str, ...]
    einvoices: tuple[dict[str, Any], ...] = ()
    """The manifest entries of the e-invoices and credit notes written."""
    einvoice_warnings: tuple[str, ...] = ()


def write_settlement(
    settlement: Settlement,
    charged: ChargedPackage,
    provenance: Provenance,
    out: Path,
    force: bool = False,
    environ: Mapping[str, str] = os.environ,
    einvoices: bool = True,
) -> SettlementSummary:
    """Write the settlement package into ``out`` atomically (see the module docstring).

    With ``einvoices`` (and ``[invoicing]`` in the final programme) the e-invoices and
    credit notes for the differences are written and validated too.
    """
    from costshare.package.einvoices import EinvoiceOutput, write_einvoices

    check_destination(out, force)
    stamp = reproducible_timestamp(settlement.final.programme, environ)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        from costshare.documents.pdf.letters import Typesetter, make_environment, template_root
        from costshare.documents.xlsx.workbooks import workbook_bytes

        environment = make_environment(None)
        files: dict[str, tuple[str, SettlementRow | None]] = {}
        overview = build_settlement_overview(settlement, charged, provenance)
        (staging / SETTLEMENT_OVERVIEW_FILE).write_bytes(workbook_bytes(overview, stamp))
        files[SETTLEMENT_OVERVIEW_FILE] = ("overview", None)
        with template_root(None) as root, private_font_folder() as no_fonts:
            typesetter = Typesetter(root, stamp, font_folder=no_fonts)
            for row in settlement.rows:
                context = settlement_context(settlement, row, charged, provenance)
                source = render_settlement_letter(environment, context)
                name = f"{row.payer.stem}.pdf"
                where = f" for {row.payer.code} {row.payer.name}"
                (staging / name).write_bytes(typesetter.pdf(source, where))
                files[name] = ("settlement-letter", row)
                workbook = f"{row.payer.stem}.xlsx"
                book = build_settlement_workbook(
                    settlement, row, charged.population_basis, charged.letter_date, provenance
                )
                (staging / workbook).write_bytes(workbook_bytes(book, stamp))
                files[workbook] = ("workbook", row)
        invoices = (
            write_einvoices(
                settlement.final,
                differences(settlement),
                staging,
                settling=settling_for(charged),
            )
            if einvoices
            else EinvoiceOutput()
        )
        (staging / MANIFEST_FILE).write_bytes(
            _manifest(settlement, charged, provenance, staging, files, invoices.entries)
        )
        staging.chmod(0o777 & ~umask())
        install(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SettlementSummary(
        out,
        len(settlement.rows),
        tuple(typesetter.warnings),
        tuple(invoices.entries),
        tuple(invoices.warnings),
    )


def differences(settlement: Settlement) -> list[Payer]:
    """Every payer of the settlement with its difference (final − charged) as its amount:
    what the e-invoice writer makes invoices (positive) and credit notes (negative) of."""
    return [replace(row.payer, amount_ore=row.amount_ore) for row in settlement.rows]


def settling_for(charged: ChargedPackage) -> Settling:
    """What the settlement's e-invoices say about the charge: its e-invoice numbers and date."""
    try:
        earlier_date: date | None = date.fromisoformat(charged.letter_date)
    except ValueError:
        earlier_date = None
    return Settling(dict(charged.einvoice_numbers), earlier_date)


def _manifest(
    settlement: Settlement,
    charged: ChargedPackage,
    provenance: Provenance,
    folder: Path,
    files: dict[str, tuple[str, SettlementRow | None]],
    einvoices: list[dict[str, Any]],
) -> bytes:
    programme = settlement.final.programme
    unit = programme.unit
    listed = []
    for name in sorted(files):
        kind, row = files[name]
        entry: dict[str, Any] = {"path": name, "kind": kind, "sha256": sha256_file(folder / name)}
        if row is not None:
            entry |= _amounts(row, unit)
        listed.append(entry)
    listed = sorted([*listed, *einvoices], key=lambda entry: str(entry["path"]))
    document = {
        "generator": f"costshare {__version__}",
        "programme": {
            "file": provenance.programme_file,
            "title": programme.title,
            "case_number": programme.case_number,
            "letter_date": programme.letter_date.isoformat(),
        },
        "settlement": {
            "charged_package": {
                "programme_file": charged.programme_file,
                "letter_date": charged.letter_date,
                "population_basis": charged.population_basis,
                "manifest_sha256": sha256_file(charged.folder / MANIFEST_FILE),
            },
            "final": {"population_basis": provenance.population_basis},
            "only_charged": [row.payer.code for row in settlement.only_charged],
            "only_final": [row.payer.code for row in settlement.only_final],
        },
        "inputs": [{"what": what, "sha256": digest} for what, digest in provenance.inputs],
        "what_if": list(provenance.what_if),
        "unit": format_plain(unit.ore, unit),
        "totals": {
            "charged": format_plain(settlement.charged_total_ore, unit),
            "final": format_plain(settlement.final_total_ore, unit),
            "amount": format_plain(settlement.total_ore, unit),
        },
        "payers": [_amounts(row, unit) for row in settlement.rows],
        "files": listed,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _amounts(row: SettlementRow, unit: Any) -> dict[str, Any]:
    return {
        "code": row.payer.code,
        "name": row.payer.name,
        "charged": format_plain(row.charged_ore, unit),
        "final": format_plain(row.final_ore, unit),
        "amount": format_plain(row.amount_ore, unit),
        "reference": settlement_reference(row),
    }


def describe_settlement(summary: SettlementSummary, settlement: Settlement) -> str:
    """One line for the terminal, and a line per payer in one run only."""
    decimals = settlement.final.programme.unit.shows_ore
    extra = sum(1 for row in settlement.rows if row.kind == EXTRA)
    credit = sum(1 for row in settlement.rows if row.kind == CREDIT)
    lines = [
        tr(
            "Wrote {out}: {letters} settlement letters ({extra} extra charges, {credit} credits, {unchanged} unchanged) with a workbook each, {overview} and {manifest}; charged {charged}, final {final}, settlement {total}",
            out=summary.out,
            letters=summary.letters,
            extra=extra,
            credit=credit,
            unchanged=summary.letters - extra - credit,
            overview=SETTLEMENT_OVERVIEW_FILE,
            manifest=MANIFEST_FILE,
            charged=format_kr(settlement.charged_total_ore, decimals),
            final=format_kr(settlement.final_total_ore, decimals),
            total=format_kr(settlement.total_ore, decimals),
        )
    ]
    if summary.einvoices:
        credit_notes = sum(1 for e in summary.einvoices if e["document"] == "credit note")
        lines.append(
            tr(
                "E-invoices: {invoices} invoices for extra charges and {credit_notes} credit notes for credits in {folder}",
                invoices=len(summary.einvoices) - credit_notes,
                credit_notes=credit_notes,
                folder=f"{summary.out / 'einvoices'}",
            )
        )
    for row in settlement.only_charged + settlement.only_final:
        # note() is the letter's Danish sentence (English runs still show it in Danish).
        lines.append(tr("Note: {note}", note=f"{row.payer.code} {row.payer.name}: {note(row)}"))
    return "\n".join(lines)
