"""How the payers pay: one payment instruction, read once from ``[payment]``.

::

    [payment]
    due = 2025-04-01                      # the due date
    how = "Beløbet indbetales til KL ved bankoverførsel."
    account = "Reg.nr. 1234, kontonr. 1234567890"   # the account as text ...
    # reg_no = "1234"                     # ... or as fields
    # account_no = "1234567890"
    # iban = "DK5000400440116243"         # ... or an IBAN with its BIC
    # bic = "DABADKKK"
    reference = "{case_number}-{code}"    # each payer's own reference (see model.py)

The account is kept as fields (:class:`BankAccount`): a Danish registration number (4
digits) and account number (up to 10), or an IBAN (check digits verified) with its BIC.
``account`` as text is read into those fields: a text whose digits are a 4-digit and an
up-to-10-digit number (``Reg.nr. 1234, kontonr. 1234567890``, ``1234-1234567890``) is that
Danish account, one holding an IBAN (``IBAN DK50 0040 0440 1162 43, BIC DABADKKK``) is
that IBAN; any other text is refused, so a mistyped account never reaches a letter. Given
both as text and as fields, the two must name the same account; two that differ are
refused with one line naming both keys.

A payer's :class:`PaymentInstruction` is these terms with its own reference: the letter,
the payer's workbook and the e-invoice's PaymentMeans all print it from there, so they
name the same account, due date and reference.

>>> from pathlib import Path
>>> terms = read_payment(Path("p.toml"), {"account": "Reg.nr. 0400, kontonr. 4401162"})
>>> terms.account
BankAccount(reg_no='0400', account_no='4401162', iban='', bic='')
>>> read_payment(Path("p.toml"), {"account": "1234-56", "reg_no": "1234", "account_no": "57"})
Traceback (most recent call last):
...
costshare.base.errors.InputError: p.toml: key 'payment.account': '1234-56' is not the account in 'payment.reg_no'/'payment.account_no' (Reg.nr. 1234, kontonr. 57); give the account once: delete one of the two spellings
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy
from costshare.base.identifiers import bic_ok, iban_ok

ACCOUNT_KEYS = ("account", "reg_no", "account_no", "iban", "bic")
"""The ``[payment]`` keys that name the account: a year that gives one replaces them all."""

# An IBAN as people write it: in groups of four or in one run, after a word boundary.
_IBAN_IN_TEXT = re.compile(r"\b([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b")
_BIC_IN_TEXT = re.compile(r"\b(?:BIC|SWIFT)\W*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: other digits are text

Fail = Callable[[str, Text], InputError]


@dataclass(frozen=True)
class BankAccount:
    """Where the payers transfer the money: a Danish account or an IBAN with its BIC."""

    reg_no: str = ""
    account_no: str = ""
    iban: str = ""
    bic: str = ""

    @property
    def is_iban(self) -> bool:
        return bool(self.iban)

    def words(self) -> str:
        """The account as every document prints it.

        >>> BankAccount("1234", "1234567890").words()
        'Reg.nr. 1234, kontonr. 1234567890'
        >>> BankAccount(iban="DK5000400440116243", bic="DABADKKK").words()
        'IBAN DK50 0040 0440 1162 43, BIC DABADKKK'
        """
        if self.is_iban:
            groups = " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))
            return f"IBAN {groups}, BIC {self.bic}" if self.bic else f"IBAN {groups}"
        return f"Reg.nr. {self.reg_no}, kontonr. {self.account_no}"

    def same_as(self, other: BankAccount) -> bool:
        """Whether both name one account (an account number's leading zeros aside; a BIC
        that only one of them gives aside)."""
        if self.is_iban or other.is_iban:
            bics = {self.bic, other.bic} - {""}
            return self.iban == other.iban and len(bics) <= 1
        return self.reg_no == other.reg_no and (
            self.account_no.lstrip("0") == other.account_no.lstrip("0")
        )


@dataclass(frozen=True)
class PaymentInstruction:
    """How one payer pays: the account, the due date, its reference and the free words."""

    reference: str
    due: date | None
    account: BankAccount | None
    how: str = ""


@dataclass(frozen=True)
class PaymentTerms:
    """``[payment]`` as read: what every payer's instruction shares."""

    due: date | None = None
    account: BankAccount | None = None
    how: str = ""

    def instruction(self, reference: str) -> PaymentInstruction:
        """The instruction for a payer whose own reference is ``reference``."""
        return PaymentInstruction(reference, self.due, self.account, self.how)


def read_payment(path: Path, section: Mapping[str, Any]) -> PaymentTerms:
    """The payment terms of ``[payment]`` (already checked against the schema).

    Raises :class:`InputError` naming the key for an account that cannot be read, is not
    valid, or is given twice as two different accounts.
    """

    def fail(key: str, problem: Text) -> InputError:
        return InputError(problem, source=str(path), key=f"payment.{key}")

    due = section.get("due")
    fields = _account_fields(section, fail)
    text = str(section.get("account", "")).strip()
    written = _account_text(text, fail) if text else None
    if written is not None and fields is not None and not written.same_as(fields):
        keys = ("iban", "bic") if fields.is_iban else ("reg_no", "account_no")
        raise fail(
            "account",
            lazy(
                "{text} is not the account in {keys} ({fields}); give the account once: "
                "delete one of the two spellings",
                text=repr(text),
                keys="/".join(f"'payment.{key}'" for key in keys),
                fields=fields.words(),
            ),
        )
    account = fields or written
    if account is not None and account.is_iban and not account.bic:
        raise fail("bic", lazy('is missing; an IBAN needs its BIC, e.g. bic = "DABADKKK"'))
    return PaymentTerms(
        due if isinstance(due, date) else None, account, str(section.get("how", "")).strip()
    )


def _account_fields(section: Mapping[str, Any], fail: Fail) -> BankAccount | None:
    """The account of ``reg_no`` and ``account_no``, or ``iban`` and ``bic``; None if neither."""
    reg_no = str(section.get("reg_no", "")).strip()
    account_no = str(section.get("account_no", "")).strip()
    iban = str(section.get("iban", "")).replace(" ", "").upper()
    bic = str(section.get("bic", "")).replace(" ", "").upper()
    if iban or bic:
        if reg_no or account_no:
            raise fail("iban", lazy("give either reg_no and account_no or iban and bic, not both"))
        _check_iban(iban, repr(section.get("iban", "")), "iban", fail)
        if not bic_ok(bic):
            raise fail(
                "bic",
                lazy(
                    '{bic} is not a BIC; write its 8 or 11 characters, e.g. bic = "DABADKKK"',
                    bic=repr(section.get("bic", "")),
                ),
            )
        return BankAccount(iban=iban, bic=bic)
    if not reg_no and not account_no:
        return None
    if not reg_no or not account_no:
        missing = "reg_no" if not reg_no else "account_no"
        raise fail(
            missing,
            lazy("is missing; give reg_no and account_no together (or the account as text)"),
        )
    if not re.fullmatch(r"[0-9]{4}", reg_no):
        raise fail(
            "reg_no",
            lazy("{reg_no} is not a registration number; write its 4 digits", reg_no=repr(reg_no)),
        )
    if not re.fullmatch(r"[0-9]{1,10}", account_no):
        raise fail(
            "account_no",
            lazy(
                "{account_no} is not an account number; write up to 10 digits",
                account_no=repr(account_no),
            ),
        )
    return BankAccount(reg_no=reg_no, account_no=account_no)


def _account_text(text: str, fail: Fail) -> BankAccount:
    """The account ``account = "…"`` names: an IBAN (with the BIC it gives, if any), or a
    4-digit registration number followed by an account number of up to 10 digits."""
    upper = text.upper()
    if found := _IBAN_IN_TEXT.search(upper):
        iban = found[1].replace(" ", "")
        _check_iban(iban, repr(text), "account", fail)
        bic = found_bic[1] if (found_bic := _BIC_IN_TEXT.search(upper)) else ""
        return BankAccount(iban=iban, bic=bic)
    runs = _DIGITS.findall(text)
    if len(runs) == 2 and len(runs[0]) == 4 and len(runs[1]) <= 10:
        return BankAccount(reg_no=runs[0], account_no=runs[1])
    raise fail(
        "account",
        lazy(
            "{text} cannot be read as a bank account; write the registration number (4 digits) "
            'and the account number (up to 10), e.g. account = "Reg.nr. 1234, kontonr. '
            '1234567890", or an IBAN with its BIC; other words go in how',
            text=repr(text),
        ),
    )


def _check_iban(iban: str, given: str, key: str, fail: Fail) -> None:
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", iban):
        raise fail(
            key, lazy('{iban} is not an IBAN; write e.g. iban = "DK5000400440116243"', iban=given)
        )
    if not iban_ok(iban):
        raise fail(
            key,
            lazy(
                "{iban} is not an IBAN: its check digits or its length do not match; "
                "copy it again from the bank's statement",
                iban=given,
            ),
        )
