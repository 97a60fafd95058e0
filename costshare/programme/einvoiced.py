"""Who gets an e-invoice, and which: decided once, for the letters and the e-invoices.

A payer gets an e-invoice (or a credit note, for a negative amount) when the programme
has ``[invoicing]``, its amount is not zero, and the payer register gives it an EAN and
a person reference (att.). Its number is the ``[invoicing] number`` pattern
(:meth:`~costshare.programme.invoicing.Invoicing.document_number`), a settlement's with
:data:`SETTLEMENT_SUFFIX`. The e-invoice writer (:mod:`costshare.package.einvoices`) and
the letters that say "paid once, through e-invoice no. …" both ask these functions, so a
letter names exactly the document that is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from costshare.base.i18n import mark
from costshare.programme.model import Programme
from costshare.programme.payers import Payer

SETTLEMENT_SUFFIX = "-EFT"
"""Appended to a settlement document's number: it must not repeat the charge's number."""
# What a payer lacks to get an e-invoice (the register's EAN or att. column).
AN_EAN = mark("an EAN")
AN_ATTENTION = mark("a person reference (attention)")


def lacks_for_einvoice(payer: Payer) -> str:
    """What the payer register lacks for this payer to get an e-invoice ("" for nothing)."""
    if not payer.ean.strip():
        return AN_EAN
    if not payer.attention.strip():
        return AN_ATTENTION
    return ""


def invoiced_payers(everyone: Sequence[Payer]) -> tuple[list[Payer], dict[str, list[Payer]]]:
    """The payers who get e-invoices, and those left out by what they lack. A zero amount
    gets no document and is in neither."""
    missing: dict[str, list[Payer]] = {AN_EAN: [], AN_ATTENTION: []}
    chosen = []
    for payer in everyone:
        if payer.amount_ore == 0:
            continue
        if lacking := lacks_for_einvoice(payer):
            missing[lacking].append(payer)
        else:
            chosen.append(payer)
    return chosen, missing


def einvoice_number(programme: Programme, code: str, *, settlement: bool = False) -> str:
    """The number of the payer's e-invoice: the ``number`` pattern (a settlement's with
    :data:`SETTLEMENT_SUFFIX`). The programme must have ``[invoicing]``."""
    assert programme.invoicing is not None
    number = programme.invoicing.document_number(programme.case_number, code, programme.year)
    number = " ".join(number.split())  # as the documents write it: one space between words
    return number + SETTLEMENT_SUFFIX if settlement else number


@dataclass(frozen=True)
class PayerEinvoice:
    """The e-invoice (or credit note) a payer gets: what its letter says about it."""

    number: str
    ean: str
    """The payer's EAN: where the document is delivered."""
    credit: bool
    """A credit note (a negative amount), not an invoice."""


def einvoice_for(
    programme: Programme, payer: Payer, *, settlement: bool = False
) -> PayerEinvoice | None:
    """The e-invoice ``payer`` gets (its amount: the share, or a settlement's difference),
    or None: no ``[invoicing]``, a zero amount, or no EAN or att. in the payer register."""
    if programme.invoicing is None or payer.amount_ore == 0 or lacks_for_einvoice(payer):
        return None
    return PayerEinvoice(
        einvoice_number(programme, payer.code, settlement=settlement),
        payer.ean.strip(),
        payer.amount_ore < 0,
    )
