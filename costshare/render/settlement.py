"""The settlement package (``costshare settle``): a letter and a workbook per payer, an
overview, a manifest.

Letters are headed "Efterregulering" and say, per payer, what it was charged, its final
amount and the difference: an extra charge (efteropkrævning), a credit (tilgodehavende) or
no change. They are typeset with the :class:`~costshare.render.letters.Typesetter` and the
escaping environment of :mod:`costshare.render.letters`, from ``settlement.typ.j2``.

Each payer's workbook (same stem as its letter) is built by
:func:`~costshare.render.settlement_workbook.build_settlement_workbook`; the letter's
"Bilag:" names it and the overview. Each payer's settlement reference is its own
reference with ``-EFT`` (:func:`~costshare.render.settlement_workbook.settlement_reference`).

``manifest.json`` lists per payer ``charged``, ``final``, ``amount`` (the settlement,
negative for a credit) and ``reference``, and every file with its SHA-256. The package is written to a
temporary folder beside ``out`` and moved into place only when every file succeeded.

**E-invoices and credit notes.** When the final programme has ``[invoicing]`` (and not
``--no-einvoices``), every payer with a non-zero difference and an EAN and a person
reference in the payer register gets, per format, an invoice for an extra charge or a
credit note (positive amounts) for a credit, written by
:func:`~costshare.render.einvoice.writer.write_einvoices` with a
:class:`~costshare.render.einvoice.charge.Settling`: its number ends in ``-EFT``, its line
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
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2

from costshare.base.danish import format_date, format_kr
from costshare.base.errors import TemplateError
from costshare.base.i18n import lazy, tr
from costshare.base.money import ORE_PER_KRONE, format_plain
from costshare.base.version import __version__
from costshare.check.package_manifest import ChargedPackage
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import CREDIT, EXTRA, Settlement, SettlementRow
from costshare.render.cells import (
    Book,
    amount_text,
    fit_row,
    fits_a_cell,
    kroner,
    print_setup,
    set_widths,
)
from costshare.render.destination import (
    MANIFEST_FILE,
    check_destination,
    install,
    sha256_file,
    umask,
)
from costshare.render.einvoice.charge import Settling
from costshare.render.letters import addressing
from costshare.render.method_sheet import AMOUNTS_AS_TEXT_NOTE, TITLE, amount_format
from costshare.render.package import (
    reproducible_timestamp,
)
from costshare.render.settlement_workbook import (
    basis_words,
    build_settlement_workbook,
    iso_date_words,
    kind_words,
    note,
    settlement_reference,
)

SETTLEMENT_TEMPLATE = "settlement.typ.j2"
SETTLEMENT_OVERVIEW_FILE = "efterregulering.xlsx"
HEADINGS = (
    "Kode",
    "Betaler",
    "Opkrævet (kr.)",
    "Endelig (kr.)",
    "Efterregulering (kr.)",
    "Bemærkning",
)
HEADER_ROW = 5
SETTLEMENT_SHEET = "Efterregulering"

_BOLD = {"bold": True}
_HEADER = {"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "text_wrap": True, "valign": "top"}


@dataclass(frozen=True)
class SettlementSummary:
    """What a settlement run wrote."""

    out: Path
    letters: int
    warnings: tuple[str, ...]
    einvoices: tuple[dict[str, Any], ...] = ()
    """The manifest entries of the e-invoices and credit notes written."""
    einvoice_warnings: tuple[str, ...] = ()


def settlement_context(
    settlement: Settlement, row: SettlementRow, charged: ChargedPackage, provenance: Provenance
) -> dict[str, Any]:
    """Everything a settlement letter shows, formatted in Danish."""
    programme = settlement.final.programme
    decimals = programme.unit.shows_ore
    payer = row.payer
    payment = programme.payment
    due = payment.get("due")
    return {
        **addressing(programme, payer),
        "reference": settlement_reference(row),
        "subject": f"Efterregulering: {programme.short_title}",
        "decision": {
            "body": programme.decision_body,
            "date": format_date(programme.decision_date),
            "item": programme.decision_item,
        },
        "charged": {
            "amount": format_kr(row.charged_ore, decimals),
            "was_charged": row.charged,
            "basis": basis_words(charged.population_basis),
            "letter_date": iso_date_words(charged.letter_date),
        },
        "final": {
            "amount": format_kr(row.final_ore, decimals),
            "in_final": row.final,
            "basis": basis_words(provenance.population_basis),
        },
        "settlement": {
            "kind": row.kind,
            "heading": kind_words(row),
            "amount": format_kr(abs(row.amount_ore), decimals),
            "signed": format_kr(row.amount_ore, decimals),
        },
        "totals": {
            "charged": format_kr(settlement.charged_total_ore, decimals),
            "final": format_kr(settlement.final_total_ore, decimals),
            "settlement": format_kr(settlement.total_ore, decimals),
        },
        "payment": {
            "due": format_date(due) if isinstance(due, date) else "",
            **_texts(payment, ("how", "account")),
            "reference": settlement_reference(row),
        },
        "attachments": [
            f"Efterregulering for {payer.official_name or payer.name} (regneark {payer.stem}.xlsx)",
            f"Efterregulering for alle betalere ({SETTLEMENT_OVERVIEW_FILE})",
        ],
        "contact": _texts(programme.contact, ("name", "title", "email", "phone")),
        "what_if": list(provenance.what_if),
    }


def render_settlement_letter(environment: jinja2.Environment, context: dict[str, Any]) -> str:
    """The typst source of one settlement letter; :class:`TemplateError` if it fails."""
    try:
        return environment.get_template(SETTLEMENT_TEMPLATE).render(context)
    except jinja2.TemplateError as error:
        raise TemplateError(
            lazy(
                "{template}: {error}; check the template",
                template=SETTLEMENT_TEMPLATE,
                error=error,
            )
        ) from None


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
    from costshare.render.einvoice.writer import EinvoiceOutput, write_einvoices

    check_destination(out, force)
    stamp = reproducible_timestamp(settlement.final.programme, environ)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        from costshare.render.letters import Typesetter, make_environment, template_root
        from costshare.render.workbooks import workbook_bytes

        environment = make_environment(None)
        files: dict[str, tuple[str, SettlementRow | None]] = {}
        overview = build_settlement_overview(settlement, charged, provenance)
        (staging / SETTLEMENT_OVERVIEW_FILE).write_bytes(workbook_bytes(overview, stamp))
        files[SETTLEMENT_OVERVIEW_FILE] = ("overview", None)
        with template_root(None) as root:
            typesetter = Typesetter(root, stamp)
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


def build_settlement_overview(
    settlement: Settlement, charged: ChargedPackage, provenance: Provenance
) -> Book:
    """Payer × (charged, final, settlement) with totals that foot (SUM formulas with values)."""
    programme = settlement.final.programme
    money = {"num_format": amount_format(programme.unit)}
    columns = ((3, "charged_ore"), (4, "final_ore"), (5, "amount_ore"))
    totals = {field: sum(getattr(row, field) for row in settlement.rows) for _, field in columns}
    difference = totals["final_ore"] - totals["charged_ore"]
    every_amount = [getattr(row, field) for row in settlement.rows for _, field in columns]
    every_amount += [*totals.values(), difference]
    book = Book(live_formulas=all(fits_a_cell(kroner(amount)) for amount in every_amount))
    sheet = book.sheet(SETTLEMENT_SHEET)
    widths = [7.0, 30.0, 16.0, 16.0, 20.0, 56.0]
    if not book.live_formulas:  # amounts as text: the columns as wide as the longest
        longest = max(len(amount_text(kroner(amount))) for amount in every_amount) + 2
        widths[2:5] = [max(width, longest) for width in widths[2:5]]
    table_width = sum(widths)
    last_column = len(HEADINGS)

    book.text(sheet, 1, 1, f"Efterregulering: {programme.short_title}", **TITLE)
    lines = [
        (2, programme.title, _BOLD),
        (
            3,
            f"Opkrævet på {basis_words(charged.population_basis)}; endeligt på "
            f"{basis_words(provenance.population_basis)}. Sagsnr. {programme.case_number}",
            {},
        ),
    ]
    for row, text, style in lines:
        sheet.merge_range(row - 1, 0, row - 1, last_column - 1, "")
        book.text(sheet, row, 1, text, text_wrap=True, valign="top", **style)
        fit_row(sheet, row, [(text, table_width, bool(style))])
    for column, heading in enumerate(HEADINGS, start=1):
        align = "right" if 3 <= column <= 5 else "left"
        indent = {"indent": 1} if column == 6 else {}  # apart from the amount beside it
        book.text(sheet, HEADER_ROW, column, heading, align=align, **indent, **_HEADER)
    first = HEADER_ROW + 1
    for number, entry in enumerate(settlement.rows, start=first):
        book.text(sheet, number, 1, entry.payer.code)
        book.text(sheet, number, 2, entry.payer.official_name or entry.payer.name)
        for column, field in columns:
            book.number(sheet, number, column, kroner(getattr(entry, field)), **money)
        remark = note(entry)
        book.text(sheet, number, 6, remark, indent=1, text_wrap=True, valign="top")
        fit_row(sheet, number, [(remark, widths[5] - 2, False)])
    last = first + len(settlement.rows) - 1
    total = last + 1
    book.text(sheet, total, 2, "I alt", top=1, **_BOLD)
    for column in (1, 6):
        sheet.write_blank(total - 1, column - 1, None, book.style(top=1))
    for column, field in columns:
        letter = "ABCDEF"[column - 1]
        formula = f"=SUM({letter}{first}:{letter}{last})"
        value = Fraction(totals[field], ORE_PER_KRONE)
        book.formula(sheet, total, column, formula, value, top=1, **money, **_BOLD)
    book.text(sheet, total + 1, 2, "Kontrol: endelig i alt − opkrævet i alt")
    value = Fraction(difference, ORE_PER_KRONE)
    book.formula(sheet, total + 1, 5, f"=D{total}-C{total}", value, **money)
    notes = ["Positiv efterregulering: efteropkrævning; negativ: tilgodehavende."]
    if book.amounts_as_text:
        notes.append(AMOUNTS_AS_TEXT_NOTE)
    line = total + 2
    for text in notes:
        line += 1
        sheet.merge_range(line - 1, 0, line - 1, last_column - 1, "")
        book.text(sheet, line, 1, text, text_wrap=True, valign="top")
        fit_row(sheet, line, [(text, table_width, False)])
    set_widths(sheet, widths)
    sheet.freeze_panes(HEADER_ROW, 2)
    print_setup(
        sheet,
        programme.case_number,
        landscape=True,
        area=(1, 1, line, last_column),
        repeat_rows=(HEADER_ROW, HEADER_ROW),
    )
    return book


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


def _texts(section: dict[str, Any], keys: tuple[str, ...]) -> dict[str, str]:
    return {key: str(section.get(key, "")).strip() for key in keys}
