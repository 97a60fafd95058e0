"""The settlement package (``costshare settle``): a letter per payer, an overview, a manifest.

Letters are headed "Efterregulering" and say, per payer, what it was charged, its final
amount and the difference: an extra charge (efteropkrævning), a credit (tilgodehavende) or
no change. They are typeset with the :class:`~costshare.render.letters.Typesetter` and the
escaping environment of :mod:`costshare.render.letters`, from ``settlement.typ.j2``.

``manifest.json`` lists per payer ``charged``, ``final`` and ``amount`` (the settlement,
negative for a credit), and every file with its SHA-256. The package is written to a
temporary folder beside ``out`` and moved into place only when every file succeeded.

**E-invoices and credit notes.** Integration point for the e-invoice writer
(``render/einvoice``, issue #12, not on this branch): in :func:`_render`, after a payer's
letter, write an invoice for ``row.amount_ore > 0`` and a credit note for
``row.amount_ore < 0`` (for ``-row.amount_ore``) when the programme sets up invoicing, and
list it in ``files`` with kind ``"einvoice"``; nothing else here needs to change.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from costshare.base.danish import format_date, format_kr
from costshare.base.errors import TemplateError
from costshare.base.i18n import lazy, tr
from costshare.base.money import ORE_PER_KRONE, format_plain
from costshare.base.version import __version__
from costshare.check.package_manifest import ChargedPackage
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import CREDIT, EXTRA, Settlement, SettlementRow
from costshare.render.letters import genitive
from costshare.render.package import (
    MANIFEST_FILE,
    _check_destination,
    _install,
    _sha256_file,
    _umask,
    reproducible_timestamp,
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

_BOLD = Font(bold=True)
_RULE = Side(style="thin")


@dataclass(frozen=True)
class SettlementSummary:
    """What a settlement run wrote."""

    out: Path
    letters: int
    warnings: tuple[str, ...]


def note(row: SettlementRow) -> str:
    """The overview's remark for a payer in one run only (Danish), else ""."""
    if not row.final:
        return "ikke i den endelige fordeling: hele beløbet godskrives"
    if not row.charged:
        return "ikke opkrævet tidligere: hele beløbet opkræves"
    return ""


def settlement_context(
    settlement: Settlement, row: SettlementRow, charged: ChargedPackage, provenance: Provenance
) -> dict[str, Any]:
    """Everything a settlement letter shows, formatted in Danish."""
    programme = settlement.final.programme
    decimals = programme.unit.shows_ore
    payer = row.payer
    heading = {EXTRA: "Efteropkrævning", CREDIT: "Tilgodehavende"}.get(row.kind, "Ingen ændring")
    payment = programme.payment
    due = payment.get("due")
    return {
        "sender": _texts(
            programme.sender, ("name", "organisation", "address", "email", "signature")
        ),
        "recipient": {
            "code": payer.code,
            "name": payer.official_name or payer.name,
            "genitive": genitive(payer.official_name or payer.name),
            "address": payer.address,
            "municipal": payer.municipal,
        },
        "date": format_date(programme.letter_date),
        "subject": f"Efterregulering: {programme.short_title}",
        "programme": {
            "title": programme.title,
            "short_title": programme.short_title,
            "case_number": programme.case_number,
            "year": str(programme.year),
        },
        "decision": {
            "body": programme.decision_body,
            "date": format_date(programme.decision_date),
            "item": programme.decision_item,
        },
        "charged": {
            "amount": format_kr(row.charged_ore, decimals),
            "was_charged": row.charged,
            "basis": _basis(charged.population_basis),
            "letter_date": _iso_date(charged.letter_date),
        },
        "final": {
            "amount": format_kr(row.final_ore, decimals),
            "in_final": row.final,
            "basis": _basis(provenance.population_basis),
        },
        "settlement": {
            "kind": row.kind,
            "heading": heading,
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
            **_texts(payment, ("how", "account", "reference")),
        },
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
) -> SettlementSummary:
    """Write the settlement package into ``out`` atomically (see the module docstring)."""
    _check_destination(out, force)
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
                # Integration point: e-invoice / credit note per row (see module docstring).
        (staging / MANIFEST_FILE).write_bytes(
            _manifest(settlement, charged, provenance, staging, files)
        )
        staging.chmod(0o777 & ~_umask())
        _install(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SettlementSummary(out, len(settlement.rows), tuple(typesetter.warnings))


def build_settlement_overview(
    settlement: Settlement, charged: ChargedPackage, provenance: Provenance
) -> Workbook:
    """Payer × (charged, final, settlement) with totals that foot (live SUM formulas)."""
    from costshare.render.cells import keep_as_text

    programme = settlement.final.programme
    amount_format = "#,##0.00" if programme.unit.shows_ore else "#,##0"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Efterregulering"
    sheet.cell(1, 1, f"Efterregulering: {programme.short_title}").font = Font(bold=True, size=14)
    sheet.cell(2, 1, programme.title).font = _BOLD
    sheet.cell(
        3,
        1,
        f"Opkrævet på {_basis(charged.population_basis)}; endeligt på "
        f"{_basis(provenance.population_basis)}. Sagsnr. {programme.case_number}",
    )
    for column, heading in enumerate(HEADINGS, start=1):
        cell = sheet.cell(HEADER_ROW, column, heading)
        cell.font, cell.border = _BOLD, Border(bottom=_RULE)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
    first = HEADER_ROW + 1
    for number, row in enumerate(settlement.rows, start=first):
        sheet.cell(number, 1, row.payer.code)
        sheet.cell(number, 2, row.payer.official_name or row.payer.name)
        for column, amount in ((3, row.charged_ore), (4, row.final_ore), (5, row.amount_ore)):
            sheet.cell(number, column, _kroner(amount)).number_format = amount_format
        sheet.cell(number, 6, note(row))
    keep_as_text(cell for cells in sheet.iter_rows(min_row=first, max_col=2) for cell in cells)
    last = first + len(settlement.rows) - 1
    total = last + 1
    sheet.cell(total, 2, "I alt").font = _BOLD
    for column in (3, 4, 5):
        letter = get_column_letter(column)
        cell = sheet.cell(total, column, f"=SUM({letter}{first}:{letter}{last})")
        cell.number_format, cell.font, cell.border = amount_format, _BOLD, Border(top=_RULE)
    sheet.cell(total + 1, 2, "Kontrol: endelig i alt − opkrævet i alt")
    sheet.cell(total + 1, 5, f"=D{total}-C{total}").number_format = amount_format
    sheet.cell(total + 3, 1, "Positiv efterregulering: efteropkrævning; negativ: tilgodehavende.")
    for column, width in enumerate([7, 30, 16, 16, 20, 50], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(first, 3)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook


def _manifest(
    settlement: Settlement,
    charged: ChargedPackage,
    provenance: Provenance,
    folder: Path,
    files: dict[str, tuple[str, SettlementRow | None]],
) -> bytes:
    programme = settlement.final.programme
    unit = programme.unit
    listed = []
    for name in sorted(files):
        kind, row = files[name]
        entry: dict[str, Any] = {"path": name, "kind": kind, "sha256": _sha256_file(folder / name)}
        if row is not None:
            entry |= _amounts(row, unit)
        listed.append(entry)
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
                "manifest_sha256": _sha256_file(charged.folder / MANIFEST_FILE),
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
    }


def describe_settlement(summary: SettlementSummary, settlement: Settlement) -> str:
    """One line for the terminal, and a line per payer in one run only."""
    decimals = settlement.final.programme.unit.shows_ore
    extra = sum(1 for row in settlement.rows if row.kind == EXTRA)
    credit = sum(1 for row in settlement.rows if row.kind == CREDIT)
    lines = [
        tr(
            "Wrote {out}: {letters} settlement letters ({extra} extra charges, {credit} credits, {unchanged} unchanged), {overview} and {manifest}; charged {charged}, final {final}, settlement {total}",
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
    for row in settlement.only_charged + settlement.only_final:
        # note() is the letter's Danish sentence (English runs still show it in Danish).
        lines.append(tr("Note: {note}", note=f"{row.payer.code} {row.payer.name}: {note(row)}"))
    return "\n".join(lines)


def _basis(basis: str) -> str:
    """``2024K1`` → ``befolkningstal 2024K1``."""
    return f"befolkningstal {basis}" if basis else "det foreløbige grundlag"


def _iso_date(text: str) -> str:
    try:
        return format_date(date.fromisoformat(text))
    except ValueError:
        return ""


def _kroner(amount_ore: int) -> int | Decimal:
    kroner, ore = divmod(amount_ore, ORE_PER_KRONE)
    return kroner if ore == 0 else Decimal(amount_ore) / ORE_PER_KRONE


def _texts(section: dict[str, Any], keys: tuple[str, ...]) -> dict[str, str]:
    return {key: str(section.get(key, "")).strip() for key in keys}
