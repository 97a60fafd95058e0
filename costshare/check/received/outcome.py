"""What ``verify`` compares a received document with, and what it found.

:class:`Expected` is a re-derivation: the run computed again from the programme and basis
the document carries (or the package beside it), with what each payer's documents should
say (amount, reference, e-invoice number and payable amount). It is made above this layer
(the e-invoice's number and VAT are the documents layer's) and handed down, so the
comparisons here only read and compare.

:class:`Checked` is one document's outcome: what it is and each :class:`Difference`
(what, expected, found). :class:`Verdict` is the whole answer for what was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from costshare.base.i18n import Text
from costshare.programme.model import ProgrammeResult


@dataclass(frozen=True)
class ExpectedPayer:
    """What one payer's documents should say, from the re-derivation."""

    code: str
    name: str
    addressed: str
    """The name its letter and workbook address (``Gentofte Kommune``)."""
    municipal: bool
    amount_ore: int
    """A charge: the amount; a settlement: the difference (final − charged)."""
    reference: str
    charged_ore: int | None = None
    final_ore: int | None = None
    invoice_number: str = ""
    """The number of its e-invoice or credit note ("" where it gets none)."""
    invoice_payable_ore: int | None = None
    """What its e-invoice asks to be paid (VAT included), positive also on a credit note."""
    invoice_credit: bool = False


@dataclass(frozen=True)
class Expected:
    """A run computed again, as every document of it should show it."""

    result: ProgrammeResult
    """The computed run (a settlement's: the final run)."""
    payers: tuple[ExpectedPayer, ...]
    inputs: tuple[tuple[str, str], ...]
    fingerprint: str
    basis: str
    """``2025K1``, or the name of the population file."""
    settlement: bool = False
    charged_total_ore: int = 0
    final_total_ore: int = 0

    def payer(self, code: str) -> ExpectedPayer | None:
        return next((payer for payer in self.payers if payer.code == code), None)

    @property
    def shows_ore(self) -> bool:
        return self.result.programme.unit.shows_ore


@dataclass(frozen=True)
class Difference:
    """Something a document shows or says that the re-derivation does not give.

    ``expected`` and ``found`` are formatted for reading ("" where the difference is not a
    value, e.g. a file that is missing)."""

    source: str
    what: Text | str
    expected: str = ""
    found: str = ""


@dataclass(frozen=True)
class Checked:
    """One document, checked: what it is, and what differs."""

    source: str
    kind: str
    """``letter``, ``settlement-letter``, ``annex``, ``workbook``, ``overview``,
    ``settlement-overview``, ``einvoice``, ``manifest`` or another file of a package."""
    payer: str = ""
    """The payer it is for (its addressed name), "" for a document for everyone."""
    code: str = ""
    """That payer's code."""
    detail: str = ""
    """E.g. an e-invoice's number and format."""
    differences: tuple[Difference, ...] = ()
    notes: tuple[Text | str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.differences


@dataclass(frozen=True)
class Verdict:
    """The answer for what was given: a document, a package folder or a zip of one."""

    source: str
    kind: str
    """The kind of the document given, or ``package`` (a folder) or ``zip``."""
    title: str
    short_title: str
    case_number: str
    programme_file: str
    basis: str
    fingerprint: str
    documents: tuple[Checked, ...] = field(default=())
    payer: str = ""
    """The payer of the document given, "" for the annex or a package."""
    settlement: bool = False
    amount_ore: int | None = None
    """What the document given asks its payer to pay (a settlement: the difference)."""
    reference: str = ""
    shows_ore: bool = False
    detail: str = ""
    what_if: tuple[str, ...] = ()
    """The what-if changes the run was computed with (a draft, not a claim); () for none."""

    @property
    def ok(self) -> bool:
        return all(document.ok for document in self.documents)

    @property
    def differences(self) -> tuple[Difference, ...]:
        return tuple(d for document in self.documents for d in document.differences)
