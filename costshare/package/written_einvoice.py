"""The e-invoice costshare writes for a payer of a re-derived run, for ``verify`` to compare
a received one with, field by field (issue #20: a receiver checks every file it gets).

A received e-invoice carries its letter (or sits in its package), whose run ``verify``
computes again (:mod:`costshare.package.received`). From that run this module makes the
document the e-invoice writer makes for the same payer and format
(:func:`~costshare.documents.einvoice.charge.charge_for`, the format's writer), without
the files it carries (they are checked as documents of their own), and gives its fields
(:func:`~costshare.check.received.einvoice_file.einvoice_fields`): so a VAT amount, a
taxable amount, an account or a due date that is not what the programme gives is named,
not only a payable amount.

A settlement's e-invoice names the charge's e-invoice where the charge sent one; whether
it did is not in the runs (a charge may be run with ``--no-einvoices``), so both
documents costshare could have written are made, and the received one is compared with
the one it is closer to: every amount, party and date is the same in both.
"""

from __future__ import annotations

from dataclasses import replace

from costshare.check.einvoice.untrusted import parse_untrusted
from costshare.check.received.compare_received import einvoice_payer
from costshare.check.received.einvoice_file import Einvoice, einvoice_fields
from costshare.check.received.outcome import Expected, ExpectedPayer
from costshare.documents.einvoice.charge import Settling, charge_for
from costshare.documents.einvoice.formats import WRITERS
from costshare.package.preparation import Prepared
from costshare.programme.einvoiced import einvoice_for
from costshare.programme.payers import Payer

Fields = tuple[tuple[str, str], ...]


def written_fields(
    invoice: Einvoice, expected: Expected, final: Prepared | None, charged: Prepared | None
) -> Fields | None:
    """The fields of the e-invoice costshare writes for the payer ``invoice`` is for, in
    its format, from the re-derived run ``final`` (and, for a settlement, its ``charged``
    run), whose documents should say ``expected``; None where the run gives that payer no
    e-invoice to compare with."""
    payer = einvoice_payer(invoice, expected)
    if final is None or payer is None or invoice.format not in WRITERS:
        return None
    if final.result.programme.invoicing is None or not payer.invoice_number:
        return None
    write = WRITERS[invoice.format]
    candidates: list[Fields] = []
    for invoiced, settling in _documents(final, charged, payer):
        charge = charge_for(final.result, invoiced, settling)
        if charge is not None:
            candidates.append(einvoice_fields(parse_untrusted(write(charge)).getroot()))
    if not candidates:
        return None
    received = dict(invoice.fields)
    return min(candidates, key=lambda fields: sum(received.get(k) != v for k, v in fields))


def _documents(
    final: Prepared, charged: Prepared | None, expected: ExpectedPayer
) -> list[tuple[Payer, Settling | None]]:
    """The payer (its amount and reference as its e-invoice states them: for a settlement
    the difference and the settlement reference ``expected`` already holds) and the
    settlement's terms, for each document costshare could have written. A payer only in
    the charge has no EAN in the final run, so no e-invoice: it is not looked for there."""
    found = [payer for payer in final.payers if payer.code == expected.code]
    if charged is None or not found:
        return [(payer, None) for payer in found]
    payer = replace(found[0], amount_ore=expected.amount_ore, reference=expected.reference)
    programme = charged.result.programme
    numbers = {
        earlier.code: sent.number
        for earlier in charged.payers
        if (sent := einvoice_for(programme, earlier)) is not None
    }
    date = programme.letter_date
    return [(payer, Settling(numbers, date)), (payer, Settling({}, date))]
