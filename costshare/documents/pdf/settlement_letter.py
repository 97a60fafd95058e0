"""A settlement letter (efterregulering): what one payer was charged, its final amount and
the difference, from ``settlement.typ.j2``.

:func:`settlement_context` gives everything the letter shows, formatted in Danish: the
same addressing block as a charge letter (:func:`~costshare.documents.pdf.letters.addressing`),
the charged and final amounts with their bases, and the settlement as an extra charge
(efteropkrævning), a credit (tilgodehavende) or no change, under the payer's settlement
reference (its reference with ``-EFT``). When the difference goes to the payer as an
e-invoice or a credit note, the letter names that document (its number and EAN) as the
one that carries the difference, and asks for no payment of its own.
"""

from __future__ import annotations

from typing import Any

import jinja2

from costshare.base.danish import format_date, format_kr
from costshare.base.errors import TemplateError
from costshare.base.i18n import lazy
from costshare.documents.payment_words import einvoice_context, payment_context
from costshare.documents.pdf.letters import addressing, verification_line
from costshare.documents.xlsx.settlement_workbook import (
    basis_words,
    iso_date_words,
    kind_words,
    settlement_reference,
)
from costshare.programme.einvoiced import PayerEinvoice
from costshare.programme.naming import SETTLEMENT_OVERVIEW_FILE
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import ChargedPackage, Settlement, SettlementRow

SETTLEMENT_TEMPLATE = "settlement.typ.j2"


def settlement_context(
    settlement: Settlement,
    row: SettlementRow,
    charged: ChargedPackage,
    provenance: Provenance,
    einvoice: PayerEinvoice | None = None,
) -> dict[str, Any]:
    """Everything a settlement letter shows, formatted in Danish; ``einvoice`` is the
    invoice or credit note that carries the difference, if one goes to the payer."""
    programme = settlement.final.programme
    decimals = programme.unit.shows_ore
    payer = row.payer
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
        "payment": payment_context(programme.payment.instruction(settlement_reference(row))),
        "einvoice": einvoice_context(einvoice),
        "attachments": [
            f"Efterregulering for {payer.official_name or payer.name} (regneark {payer.stem}.xlsx)",
            f"Efterregulering for alle betalere ({SETTLEMENT_OVERVIEW_FILE})",
        ],
        "contact": _texts(programme.contact, ("name", "title", "email", "phone")),
        "what_if": list(provenance.what_if),
        "verification": verification_line(payer, provenance),
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


def _texts(section: dict[str, Any], keys: tuple[str, ...]) -> dict[str, str]:
    return {key: str(section.get(key, "")).strip() for key in keys}
