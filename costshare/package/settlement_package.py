"""The settlement package (``costshare settle``): a letter and a workbook per payer, an
overview, the review PDF of all letters, a manifest.

Letters are headed "Efterregulering" and say, per payer, what it was charged, its final
amount and the difference: an extra charge (efteropkrævning), a credit (tilgodehavende) or
no change. They are typeset with the :class:`~costshare.documents.pdf.typesetter.Typesetter` and the
escaping environment of :mod:`costshare.documents.pdf.letters`, from ``settlement.typ.j2``.

Each payer's workbook (same stem as its letter) is built by
:func:`~costshare.documents.xlsx.settlement_workbook.build_settlement_workbook`; the letter's
"Bilag:" names it and the overview. The review PDF (``gennemsyn-alle-breve.pdf``, as in a
charge package, made by the same :func:`~costshare.package.annex_package.write_review`)
lists every letter with its reference and difference, then the letters, for the person
who signs off. Each payer's settlement reference is its own
reference with ``-EFT`` (:func:`~costshare.documents.xlsx.settlement_workbook.settlement_reference`).

``manifest.json`` lists per payer ``charged``, ``final``, ``amount`` (the settlement,
negative for a credit) and ``reference``, and every file with its SHA-256. The files go,
as bytes, through the one staging protocol (:mod:`costshare.package.staging`): moved into
place only when every file succeeded, ``--out`` never the package being settled. The
package carries the final programme (:mod:`costshare.package.carried`).

**E-invoices and credit notes.** When the final programme has ``[invoicing]`` (and not
``--no-einvoices``), every payer with a non-zero difference and an EAN and a person
reference in the payer register gets, per format, an invoice for an extra charge or a
credit note (positive amounts) for a credit, written by
:class:`~costshare.package.einvoices.EinvoiceWriter` with a
:class:`~costshare.documents.einvoice.charge.Settling`: its number ends in ``-EFT``, its line
says "efterregulering af …", and it refers to the earlier e-invoice's number where the
earlier package's manifest recorded one. Each is validated as it is written; an invalid
one stops the run and nothing is installed. The manifest lists them with kind
``einvoice`` and ``amount`` the difference.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from costshare.base.danish import format_kr
from costshare.base.i18n import lazy, tr
from costshare.base.limits import MAX_PAYERS
from costshare.check.received.embedded import Run
from costshare.documents.einvoice.charge import Settling, settlement_attachments
from costshare.documents.pdf.settlement_letter import render_settlement_letter, settlement_context
from costshare.documents.xlsx.settlement_overview import build_settlement_overview
from costshare.documents.xlsx.settlement_workbook import (
    build_settlement_workbook,
    note,
    settlement_reference,
)
from costshare.package.annex_package import (
    check_payer_limit,
    withheld_note,
    write_review,
    writes_einvoices,
)
from costshare.package.carried import carried_files, write_carried
from costshare.package.einvoices import EinvoiceOutput, EinvoiceWriter
from costshare.package.embedded_runs import charged_run, run_of
from costshare.package.fonts import private_font_folder
from costshare.package.manifest import encode, settled_fields, settlement_document
from costshare.package.preparation import Prepared, reproducible_timestamp
from costshare.package.staging import Stage, staged
from costshare.package.template_cache import template_cache_folder
from costshare.programme.einvoiced import PayerEinvoice, einvoice_for
from costshare.programme.naming import MANIFEST_FILE, REVIEW_FILE, SETTLEMENT_OVERVIEW_FILE
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import CREDIT, EXTRA, ChargedPackage, Settlement

REVIEW_OVERLAP = 8
"""Payers whose workbook (and e-invoices) are made while typst composes the review PDF,
rather than while it sets their letters. During the letters the main process sets the
pace (a letter's source, workbook and files take it some 7 ms, typst some 5 ms), and
during the review (some 0.04 s of typst) it would otherwise wait: eight payers' workbooks
fill that wait, measured in the package's timeline (bench/bench_package.py)."""


@dataclass(frozen=True)
class SettlementSummary:
    """What a settlement run wrote."""

    out: Path
    letters: int
    warnings: tuple[str, ...]
    einvoices: tuple[dict[str, Any], ...] = ()
    """The manifest entries of the e-invoices and credit notes written."""
    einvoice_warnings: tuple[str, ...] = ()
    einvoices_withheld: bool = False
    """A draft of a programme with ``[invoicing]``: its e-invoices were not written."""


def write_settlement(
    settlement: Settlement,
    charged: ChargedPackage,
    final: Prepared,
    out: Path,
    force: bool = False,
    environ: Mapping[str, str] = os.environ,
    einvoices: bool = True,
    max_payers: int = MAX_PAYERS,
    charge_checked: Callable[[], None] = lambda: None,
) -> SettlementSummary:
    """Write the settlement package into ``out`` atomically (see the module docstring).

    ``final`` is the final programme's run. With ``einvoices`` (and ``[invoicing]`` in the
    final programme) the e-invoices and credit notes for the differences are written and
    validated too. ``charge_checked`` is called before the package is installed: the rest
    of the check of ``charged`` (its workbooks, :func:`~costshare.package.earlier_package.open_package`),
    which refuses by raising, so that nothing is installed. Raises
    :class:`~costshare.base.errors.InputError` as ``run`` does.
    """
    check_payer_limit(len(settlement.rows), max_payers)
    # A what-if final run (--index) is a draft, and a draft is not a claim (issue #22).
    withheld = bool(einvoices and final.provenance.draft and final.result.programme.invoicing)
    einvoices = writes_einvoices(final, einvoices)
    carried = carried_files(final.provenance)
    stamp = reproducible_timestamp(final.result.programme, environ)
    with staged(out, force=force, keep_clear_of=charged.folder) as stage:
        for row in settlement.rows:
            stage.claim(f"{row.payer.stem}.xlsx", repr(row.payer.name))
            stage.claim(f"{row.payer.stem}.pdf", repr(row.payer.name))
        stage.claim(SETTLEMENT_OVERVIEW_FILE, lazy("the overview"))
        stage.claim(REVIEW_FILE, lazy("the review"))
        payers = differences(settlement)
        invoicer = (
            EinvoiceWriter(settlement.final, payers, stage, settling=settling_for(charged))
            if einvoices
            else None
        )
        runs = (run_of(final, carried), charged_run(charged.folder))
        entries, warnings = _render(stage, settlement, charged, final, runs, stamp, invoicer)
        invoices = invoicer.finish() if invoicer is not None else EinvoiceOutput()
        copies, not_included = write_carried(stage, carried)
        listed = [*entries, *invoices.entries, *copies]
        document = settlement_document(settlement, charged, final, listed, not_included)
        stage.add(MANIFEST_FILE, encode(document))
        charge_checked()
    return SettlementSummary(
        out,
        len(settlement.rows),
        tuple(warnings),
        tuple(invoices.entries),
        tuple(invoices.warnings),
        withheld,
    )


def _render(
    stage: Stage,
    settlement: Settlement,
    charged: ChargedPackage,
    final: Prepared,
    runs: tuple[Run, Run],
    stamp: datetime,
    invoicer: EinvoiceWriter | None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The overview, a letter and a workbook per payer (and, through ``invoicer``, each
    payer's e-invoice, which carries its letter and workbook): their manifest entries and
    warnings. With an ``invoicer`` each letter names the invoice or credit note that
    carries its difference. Each letter carries its data: the final run and the
    charge's (``runs``)."""
    from costshare.documents.pdf.letters import template_root
    from costshare.documents.pdf.typesetter import Typesetter
    from costshare.documents.xlsx.workbooks import workbook_bytes

    provenance = final.provenance
    unit = final.result.programme.unit
    payers = differences(settlement)
    # Who gets an e-invoice or credit note, decided once: the letter and workbook say so.
    einvoices = [
        einvoice_for(settlement.final.programme, payer, settlement=True) if invoicer else None
        for payer in payers
    ]
    sources = _letter_sources(settlement, charged, provenance, runs, einvoices)
    letters: list[bytes] = []  # in payer order, as typst makes them
    letter_sha256: list[str] = []
    entries: list[dict[str, Any]] = []

    def paperwork(index: int) -> None:
        """Payer ``index``'s workbook (and e-invoice), and its entries, after its letter."""
        row, payer, letter = settlement.rows[index], payers[index], letters[index]
        name, workbook = f"{row.payer.stem}.pdf", f"{row.payer.stem}.xlsx"
        book = build_settlement_workbook(
            settlement,
            row,
            charged.population_basis,
            charged.letter_date,
            provenance,
            einvoices[index],
        )
        workbook_file = workbook_bytes(book, stamp)
        for path, kind, sha256 in (
            (name, "settlement-letter", letter_sha256[index]),
            (workbook, "workbook", stage.add(workbook, workbook_file)),
        ):
            entries.append({"path": path, "kind": kind, "sha256": sha256})
            entries[-1] |= settled_fields(row, unit)
        if invoicer is not None:
            invoicer.write(payer, settlement_attachments(name, letter, workbook, workbook_file))

    # The paperwork of the last payers is done while typst composes the review.
    composing = max(0, len(settlement.rows) - REVIEW_OVERLAP)
    with (
        template_root(None) as root,
        private_font_folder() as no_fonts,
        Typesetter(root, stamp, font_folder=no_fonts) as typesetter,
    ):
        overview = build_settlement_overview(settlement, charged, provenance)  # typst starts
        sha256 = stage.add(SETTLEMENT_OVERVIEW_FILE, workbook_bytes(overview, stamp))
        entries.append({"path": SETTLEMENT_OVERVIEW_FILE, "kind": "overview", "sha256": sha256})
        for index, letter in enumerate(typesetter.pdfs(sources)):
            letters.append(letter)
            letter_sha256.append(stage.add(f"{settlement.rows[index].payer.stem}.pdf", letter))
            if index < composing:
                paperwork(index)  # while typst sets the next letter

    def the_last_payers() -> None:
        for index in range(composing, len(letters)):
            paperwork(index)

    sha256, placing = _review(
        stage, settlement, payers, final, runs, stamp, letters, the_last_payers
    )
    entries.append({"path": REVIEW_FILE, "kind": "settlement-review", "sha256": sha256})
    return entries, typesetter.warnings + placing


def _review(
    stage: Stage,
    settlement: Settlement,
    payers: list[Payer],
    final: Prepared,
    runs: tuple[Run, Run],
    stamp: datetime,
    letters: list[bytes],
    meanwhile: Callable[[], None],
) -> tuple[str, list[str]]:
    """The review copy of the letters (the charge's :func:`write_review`), carrying every
    payer's settlement as its letters do, and both runs: its SHA-256 and typst's warnings."""
    from costshare.documents.pdf.embedded_data import attachment_prologue, settlement_review_data

    references = [payer.reference for payer in payers]
    data = settlement_review_data(settlement, references, *runs)
    return write_review(
        stage,
        settlement.final,
        payers,
        final.provenance,
        stamp,
        letters,
        "breve om efterregulering",
        prologue=attachment_prologue(data),
        meanwhile=meanwhile,
    )


def _letter_sources(
    settlement: Settlement,
    charged: ChargedPackage,
    provenance: Provenance,
    runs: tuple[Run, Run],
    einvoices: list[PayerEinvoice | None],
) -> Iterator[tuple[str, str]]:
    """Each payer's settlement letter as typst source (its data first), and where;
    ``einvoices``: the e-invoice or credit note each letter names (None for none)."""
    from costshare.documents.pdf.embedded_data import attachment_prologue, settlement_data
    from costshare.documents.pdf.letters import make_environment

    environment = make_environment(None, template_cache_folder())
    for row, einvoice in zip(settlement.rows, einvoices, strict=True):
        context = settlement_context(settlement, row, charged, provenance, einvoice)
        data = settlement_data(settlement, row, settlement_reference(row), *runs)
        yield (
            attachment_prologue(data) + render_settlement_letter(environment, context),
            f" for {row.payer.code} {row.payer.name}",
        )


def differences(settlement: Settlement) -> list[Payer]:
    """Every payer of the settlement with its difference (final − charged) as its amount
    and its settlement reference as its reference: what the e-invoice writer makes
    invoices (positive) and credit notes (negative) of."""
    return [
        replace(row.payer, amount_ore=row.amount_ore, reference=settlement_reference(row))
        for row in settlement.rows
    ]


def settling_for(charged: ChargedPackage) -> Settling:
    """What the settlement's e-invoices say about the charge: its e-invoice numbers and date."""
    try:
        earlier_date: date | None = date.fromisoformat(charged.letter_date)
    except ValueError:
        earlier_date = None
    return Settling(dict(charged.einvoice_numbers), earlier_date)


def describe_settlement(summary: SettlementSummary, settlement: Settlement) -> str:
    """One line for the terminal, and a line per payer in one run only."""
    decimals = settlement.final.programme.unit.shows_ore
    extra = sum(1 for row in settlement.rows if row.kind == EXTRA)
    credit = sum(1 for row in settlement.rows if row.kind == CREDIT)
    lines = [
        tr(
            "Wrote {out}: {letters} settlement letters ({extra} extra charges, {credit} credits, {unchanged} unchanged) with a workbook each, {overview}, the review PDF and {manifest}; charged {charged}, final {final}, settlement {total}",
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
    if summary.einvoices_withheld:
        lines.append(withheld_note())
    return "\n".join(lines)
