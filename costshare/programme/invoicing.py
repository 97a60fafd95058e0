"""The programme's e-invoicing settings (``[invoicing]``), and who gets an e-invoice.

::

    [invoicing]
    formats = ["oioubl", "peppol"]   # which e-invoices to write, one per payer and format
    seller_cvr = "12345678"          # the sender's CVR number
    seller_ean = "5798000000001"     # optional: the sender's EAN (then its endpoint)
    vat = "outside-scope"            # or "zero-rated" or "standard" (25 % on top)
    number = "{case_number}-{code}"  # the document number; {code} keeps it unique per payer

E-invoices also need ``[payment]``'s due date and bank account
(:mod:`costshare.programme.payment`). Each mistake is refused with one line naming the key
and what to write instead.

Which payers get an e-invoice, and its number, is :mod:`costshare.programme.einvoiced`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy
from costshare.base.identifiers import cvr_ok, gln_ok
from costshare.base.patterns import fill_pattern, pattern_fields
from costshare.programme.payment import PaymentTerms

FORMATS = ("oioubl", "peppol")
VAT_RATE_PERCENT = {"outside-scope": 0, "zero-rated": 0, "standard": 25}
"""Each VAT treatment's rate in percent: the Danish standard rate is 25 % (momsloven § 33).
The charge's VAT amount and the rate every e-invoice states are read from here."""
VAT_CATEGORIES = tuple(VAT_RATE_PERCENT)
NUMBER_FIELDS = ("case_number", "code", "year")


def vat_ore(net_ore: int, vat: str) -> int:
    """The VAT on ``net_ore`` under the treatment ``vat``, rounded half up to the øre."""
    return (net_ore * VAT_RATE_PERCENT[vat] + 50) // 100


@dataclass(frozen=True)
class Invoicing:
    """Validated ``[invoicing]`` settings with the payment terms from ``[payment]``."""

    formats: tuple[str, ...]
    seller_cvr: str
    seller_ean: str
    vat: str
    number: str

    def document_number(self, case_number: str, code: str, year: int) -> str:
        """The document number for one payer, from the ``number`` pattern."""
        return fill_pattern(self.number, {"case_number": case_number, "code": code, "year": year})


def read_invoicing(path: Path, document: dict[str, Any], payment: PaymentTerms) -> Invoicing | None:
    """The settings, or None when the programme has no ``[invoicing]`` table.

    Raises :class:`InputError` naming the key for anything missing or malformed, and for
    ``payment`` terms without the due date or the account an e-invoice states.
    """
    section = document.get("invoicing")
    if section is None:
        return None

    def fail(key: str, problem: Text) -> InputError:
        return InputError(problem, source=str(path), key=key)

    formats = tuple(section.get("formats", FORMATS))
    for name in formats:
        if name not in FORMATS:
            raise fail(
                "invoicing.formats",
                lazy('unknown format {name}; use "oioubl" and/or "peppol"', name=repr(name)),
            )
    if not formats or len(set(formats)) != len(formats):
        raise fail(
            "invoicing.formats", lazy('list each format once, e.g. formats = ["oioubl", "peppol"]')
        )
    cvr = section.get("seller_cvr", "").strip().removeprefix("DK").replace(" ", "")
    if not cvr:
        raise fail(
            "invoicing.seller_cvr",
            lazy('is missing; give the sender\'s CVR number, e.g. seller_cvr = "12345678"'),
        )
    if not cvr_ok(cvr):
        raise fail(
            "invoicing.seller_cvr",
            lazy(
                "{cvr} is not a CVR number; write its 8 digits",
                cvr=repr(section["seller_cvr"]),
            ),
        )
    ean = section.get("seller_ean", "").strip().replace(" ", "")
    if ean and not gln_ok(ean):
        raise fail(
            "invoicing.seller_ean",
            lazy(
                "{ean} is not an EAN number (13 digits with a valid check digit); check it or leave it out",
                ean=repr(ean),
            ),
        )
    vat = section.get("vat")
    if vat is None:
        raise fail(
            "invoicing.vat",
            lazy('is missing; write vat = "outside-scope", "zero-rated" or "standard"'),
        )
    if vat not in VAT_CATEGORIES:
        raise fail(
            "invoicing.vat",
            lazy(
                'unknown VAT treatment {vat}; use "outside-scope", "zero-rated" or "standard"',
                vat=repr(vat),
            ),
        )
    number = section.get("number", "{case_number}-{code}")
    _check_number(path, number, fail)
    if payment.due is None:
        raise fail(
            "payment.due", lazy("is missing; e-invoices need a due date, e.g. due = 2025-04-01")
        )
    if payment.account is None:
        raise fail(
            "payment.account",
            lazy(
                "is missing; e-invoices need the bank account: give account (or reg_no and "
                "account_no, or iban and bic) under [payment]"
            ),
        )
    return Invoicing(formats, cvr, ean, vat, number)


def _check_number(path: Path, pattern: str, fail: Any) -> None:
    try:
        fields = pattern_fields(pattern, NUMBER_FIELDS)
    except InputError as error:
        raise error.within(source=str(path), key="invoicing.number") from None
    if "code" not in fields:
        raise fail(
            "invoicing.number", lazy("must contain {code} so that each payer's number differs")
        )
