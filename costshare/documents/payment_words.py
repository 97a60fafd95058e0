"""How a letter and a workbook say how the payer pays: its payment instruction and its
e-invoice. Shared by the PDF and the workbook writers, so it stands beside their folders.

Both letters (the charge and the settlement) show the same
:class:`~costshare.programme.payment.PaymentInstruction` the payer's workbook and its
e-invoice's PaymentMeans carry, and, when an e-invoice goes to the payer, its number and
the EAN it is delivered to, as :func:`~costshare.programme.einvoiced.einvoice_for`
decides (the e-invoice writer asks the same function). A letter with an e-invoice does
not ask for a payment of its own: the templates say "betal kun én gang" instead.
"""

from __future__ import annotations

from costshare.base.danish import format_date
from costshare.programme.einvoiced import PayerEinvoice
from costshare.programme.payment import PaymentInstruction

INVOICE_WORD = "e-faktura"
CREDIT_NOTE_WORD = "elektronisk kreditnota"
PAY_ONCE = "Betal kun én gang, via e-fakturaen"
"""What a letter or workbook with an e-invoice says instead of asking for a payment."""


def einvoice_words(einvoice: PayerEinvoice) -> str:
    """How the amount reaches the payer when an e-invoice goes to it, as the letter and the
    payer's workbook both say it: by which document, its number and the EAN it goes to."""
    if einvoice.credit:
        return (
            f"Beløbet godskrives med {CREDIT_NOTE_WORD} nr. {einvoice.number}, som sendes til "
            f"EAN-nr. {einvoice.ean}. Der skal ikke betales noget."
        )
    return (
        f"Beløbet opkræves med {INVOICE_WORD} nr. {einvoice.number}, som sendes til EAN-nr. "
        f"{einvoice.ean}."
    )


def payment_context(instruction: PaymentInstruction) -> dict[str, str]:
    """``payment.due``, ``.how``, ``.account`` and ``.reference`` ("" where not given)."""
    return {
        "due": format_date(instruction.due) if instruction.due is not None else "",
        "how": instruction.how,
        "account": instruction.account.words() if instruction.account is not None else "",
        "reference": instruction.reference,
    }


def einvoice_context(einvoice: PayerEinvoice | None) -> dict[str, object] | None:
    """``einvoice.number``, ``.ean``, ``.document`` (``e-faktura`` or ``elektronisk
    kreditnota``), ``.credit``, ``.words`` (:func:`einvoice_words`) and ``.pay_once``
    (:data:`PAY_ONCE`); None when no e-invoice goes to the payer."""
    if einvoice is None:
        return None
    return {
        "number": einvoice.number,
        "ean": einvoice.ean,
        "document": CREDIT_NOTE_WORD if einvoice.credit else INVOICE_WORD,
        "credit": einvoice.credit,
        "words": einvoice_words(einvoice),
        "pay_once": PAY_ONCE,
    }
