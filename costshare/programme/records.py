"""The records of a programme: its parties, the validated file and the computed shares.

:mod:`costshare.programme.reading` builds a :class:`Programme` from a programme file's
TOML table; :func:`costshare.programme.model.compute` turns it into a
:class:`ProgrammeResult`. Both are re-exported by :mod:`costshare.programme.model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

from costshare.allocation.methods import Method
from costshare.base.i18n import Text
from costshare.base.money import Unit
from costshare.population.basis_rules import RuledBasis
from costshare.population.crosscheck import CrossCheck
from costshare.population.releases import publication_warnings, released_with
from costshare.programme.indexing import Indexation
from costshare.programme.invoicing import Invoicing
from costshare.programme.parts_reading import PartSpec
from costshare.programme.payment import PaymentTerms
from costshare.programme.register import RegisterEntry
from costshare.shares.rates import Frozen, Rate
from costshare.shares.splitting import Key, Split

MUNICIPAL_PARTY = "kommuner"
# A payer's reference: ``payment.reference`` with these fields filled in (see README).
DEFAULT_REFERENCE = "{case_number}-{code}"
REFERENCE_FIELDS = ("case_number", "code", "year", "number")
ANNEX_ORDERS = ("code", "name")


@dataclass(frozen=True)
class Party:
    """A co-financing party: the region, or the municipalities together."""

    code: str
    name: str
    weight: Fraction
    municipal: bool
    address: str = ""


@dataclass(frozen=True)
class Programme:
    """A validated programme file. Dictionaries hold the optional free-text sections."""

    path: Path
    sha256: str
    title: str
    short_title: str
    case_number: str
    year: int
    amount_ore: int
    unit: Unit
    method: Method
    decision_body: str
    decision_date: date
    decision_item: str
    letter_date: date
    parties: tuple[Party, ...]
    population_basis: str
    region: str | None
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    key: Key
    sender: dict[str, str]
    payment: PaymentTerms
    """``[payment]``: the account, due date and words every payer's instruction shares."""
    contact: dict[str, str]
    indexation: Indexation | None = None
    """How the amount was moved from its price level to the year (issue #14), if it was."""
    invoicing: Invoicing | None = None
    """The e-invoicing settings, or None when the programme writes no e-invoices."""
    register: Path | None = None
    """The payer register file (address, CVR, EAN, att.), resolved against the programme."""
    reference: str = DEFAULT_REFERENCE
    """The pattern of each payer's own reference, e.g. ``{case_number}-{code}``."""
    annex_order: str = "code"
    """How the annex lists the municipalities: by ``code`` or by official ``name``."""
    population_rule: RuledBasis | None = None
    """The rule the basis was named by (``1. januar i budgetåret``), if it was (issue #21)."""
    rate: Rate | None = None
    """The rate the amounts follow from (then ``amount_ore`` is 0), if any (issue #21)."""
    frozen: Frozen | None = None
    """A frozen total the rate is charged on, distributed by the figures (KL)."""
    column: str | None = None
    """The figure column of the population file to split by (``køreplantimer``)."""
    parts: tuple[PartSpec, ...] = ()
    """The key's named parts, each with its weight, key, figures and payers."""

    @property
    def charged(self) -> bool:
        """Whether the amounts follow from a rate or fees by size class, not an amount."""
        classes = self.key.classes
        return self.rate is not None or (classes is not None and classes.fees)


@dataclass(frozen=True)
class ProgrammeResult:
    """A programme's computed shares: each party's part and the municipalities' split."""

    programme: Programme
    party_parts_ore: dict[str, int]
    municipal: Split
    register: dict[str, RegisterEntry] = field(default_factory=dict)
    """The payer register's rows by payer code (empty without a register)."""
    cross_check: CrossCheck | None = None
    """A user's population file compared with Statistics Denmark's figures (issue #21)."""

    @property
    def figure_differences(self) -> CrossCheck | None:
        """The cross-check, if it found rows that differ from the official figures."""
        check = self.cross_check
        return check if check is not None and check.differences else None

    def figure_warnings(self, strict: bool, *, final: bool = False) -> list[Text | str]:
        """What a run says of its figures, asked before anything is written: a population
        file's rows that differ from FOLK1A (issue #21; under ``strict`` the
        :class:`InputError` instead), and figures published after the letter date or the
        decision. One owner, so a run, each year of a run over several years and a
        settlement say the same of the same figures. A settlement's ``final`` figures
        come after the decision by design: only their letter date is checked."""
        differences = self.figure_differences
        if strict and differences is not None:
            raise differences.error()
        warnings: list[Text | str] = [differences.problem()] if differences is not None else []
        quarter = released_with(self.municipal.population.basis)  # a month or a file: unknown
        if quarter is not None:
            programme = self.programme
            decided = None if final else programme.decision_date
            warnings += publication_warnings(quarter, programme.letter_date, decided)
        return warnings

    @property
    def total_ore(self) -> int:
        """The programme's total: every party's part added up (the amount, to the øre)."""
        return sum(self.party_parts_ore.values())

    @property
    def municipal_part_ore(self) -> int:
        """The amount the municipalities pay together."""
        return self.party_parts_ore[MUNICIPAL_PARTY]

    @property
    def other_parties(self) -> list[Party]:
        """The co-financing parties other than the municipalities (e.g. the region)."""
        return [party for party in self.programme.parties if not party.municipal]
