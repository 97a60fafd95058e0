"""What a payer's workbook says about the payer and how it pays: the rows under its name.

The charge's workbook (:mod:`costshare.documents.xlsx.workbooks`) and the settlement's
(:mod:`costshare.documents.xlsx.settlement_workbook`) show them alike; the words on how
to pay are the letter's (:mod:`costshare.documents.payment_words`).
"""

from __future__ import annotations

from costshare.base.danish import format_date
from costshare.check.received.labels import REFERENCE_LABEL
from costshare.documents.payment_words import PAY_ONCE, einvoice_words
from costshare.programme.einvoiced import PayerEinvoice
from costshare.programme.payers import Payer
from costshare.programme.payment import PaymentInstruction


def payment_rows(
    instruction: PaymentInstruction, einvoice: PayerEinvoice | None = None
) -> list[tuple[str, str]]:
    """The due date, the words on how to pay and the account, as the payer's letter and
    e-invoice give them (the reference is among :func:`identifiers`). With the ``einvoice``
    that goes to the payer, the words are the letter's: the amount comes by that
    document, paid once, via it (or, a credit note, nothing to pay)."""
    if einvoice is not None and einvoice.credit:
        return [("Betaling", einvoice_words(einvoice))]
    rows = []
    if instruction.due is not None:
        rows.append(("Betales senest", format_date(instruction.due)))
    if einvoice is not None:
        rows.append(("Betaling", f"{einvoice_words(einvoice)} {PAY_ONCE}."))
    elif instruction.how:
        rows.append(("Betaling", instruction.how))
    if instruction.account is not None:
        rows.append(("Konto", instruction.account.words()))
    return rows


def identifiers(payer: Payer) -> list[tuple[str, str]]:
    """The payer's own reference and the identifiers an invoice needs, where known."""
    return [
        (REFERENCE_LABEL, payer.reference),
        ("CVR", payer.cvr),
        ("EAN", payer.ean),
        ("Att.", payer.attention),
        ("Rekvisitionsnummer", payer.order_reference),
    ]
