"""The settlement run (efterregulering): what each payer was charged against its final amount.

A charge made on preliminary figures (an estimated cost, a preliminary population) is
settled later against the final split. Per payer::

    settlement = final amount − charged amount

positive: an extra charge; negative: a credit; zero: no change. Every payer of either run
is a row: one charged but not in the final split (say it left the programme) gets a credit
of everything it paid; one new in the final split gets an extra charge of its whole amount.
No payer is dropped, so the settlements add up to the final total minus the charged total
exactly, and charged + settlement = final for every payer (both are integer øre, and this
module only subtracts).

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> final = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> same = settle(final, {p.code: (p.name, p.amount_ore) for p in payers(final)})
>>> same.total_ore, {row.kind for row in same.rows}
(0, {'none'})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from costshare.base.codes import code_order
from costshare.population.names import municipality_names
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import official_name
from costshare.programme.payers import Payer, payers, reference


@dataclass(frozen=True)
class ChargedPayer:
    """One payer of an earlier package: code, name as the package gives it, amount in øre."""

    code: str
    name: str
    amount_ore: int


@dataclass(frozen=True)
class ChargedPackage:
    """An earlier package, checked: its programme, population basis and payers."""

    folder: Path
    programme_file: str
    title: str
    case_number: str
    letter_date: str
    population_basis: str
    what_if: tuple[str, ...]
    payers: tuple[ChargedPayer, ...]
    einvoice_numbers: tuple[tuple[str, str], ...] = ()
    """(payer code, number) of each e-invoice the package sent, where it wrote any."""
    manifest_sha256: str = ""
    """The SHA-256 of the package's manifest as it was read."""

    @property
    def total_ore(self) -> int:
        """What the package charged altogether."""
        return sum(payer.amount_ore for payer in self.payers)

    def amount_of(self, code: str) -> int | None:
        """The amount charged to ``code``, or None if the package did not charge it."""
        return next((payer.amount_ore for payer in self.payers if payer.code == code), None)


EXTRA = "extra"
CREDIT = "credit"
NO_CHANGE = "none"


@dataclass(frozen=True)
class SettlementRow:
    """One payer's settlement: what it was charged, its final amount and the difference."""

    payer: Payer
    charged_ore: int
    final_ore: int
    charged: bool
    """Whether the earlier package charged this payer (False: new in the final split)."""
    final: bool
    """Whether the final split has this payer (False: it was charged but no longer pays)."""

    @property
    def amount_ore(self) -> int:
        """The settlement: final − charged (negative is a credit)."""
        return self.final_ore - self.charged_ore

    @property
    def kind(self) -> str:
        """``extra`` (an extra charge), ``credit`` or ``none`` (no change)."""
        if self.amount_ore > 0:
            return EXTRA
        return CREDIT if self.amount_ore < 0 else NO_CHANGE


@dataclass(frozen=True)
class Settlement:
    """The final programme's result and a row per payer of either run."""

    final: ProgrammeResult
    rows: tuple[SettlementRow, ...]

    @property
    def charged_total_ore(self) -> int:
        return sum(row.charged_ore for row in self.rows)

    @property
    def final_total_ore(self) -> int:
        return sum(row.final_ore for row in self.rows)

    @property
    def total_ore(self) -> int:
        """The settlements together: exactly final total − charged total."""
        return sum(row.amount_ore for row in self.rows)

    @property
    def only_charged(self) -> list[SettlementRow]:
        """Payers the earlier package charged that the final split does not have."""
        return [row for row in self.rows if not row.final]

    @property
    def only_final(self) -> list[SettlementRow]:
        """Payers of the final split the earlier package did not charge."""
        return [row for row in self.rows if not row.charged]


def settle(
    final: ProgrammeResult,
    charged: Mapping[str, tuple[str, int]],
    final_payers: Sequence[Payer] | None = None,
) -> Settlement:
    """Settle ``charged`` (code → (name, amount in øre)) against the ``final`` result.

    Rows follow the final split's payer order; payers only in the charge come last, by code.
    ``final_payers`` are the final result's payers where the caller has listed them already.
    """
    everyone = payers(final) if final_payers is None else final_payers
    rows = []
    final_codes = set()
    for payer in everyone:
        final_codes.add(payer.code)
        earlier = charged.get(payer.code)
        rows.append(
            SettlementRow(
                payer,
                earlier[1] if earlier else 0,
                payer.amount_ore,
                charged=earlier is not None,
                final=True,
            )
        )
    for code in sorted(set(charged) - final_codes, key=code_order):
        name, amount_ore = charged[code]
        former = _former_payer(code, name, reference(final, code, len(rows) + 1))
        rows.append(SettlementRow(former, amount_ore, 0, True, False))
    total = sum(row.amount_ore for row in rows)
    expected = sum(p.amount_ore for p in everyone) - sum(a for _, a in charged.values())
    assert total == expected, "a settlement must add up to final − charged"
    return Settlement(final, tuple(rows))


def _former_payer(code: str, name: str, own_reference: str) -> Payer:
    """A payer the final split does not have, rebuilt from the charge's code and name.

    Its reference follows the programme's pattern, numbered after the final payers, so
    it is as unique as theirs (its settlement reference is made from it).
    """
    municipal = code in municipality_names()
    named = official_name(code, name) if municipal else name
    return Payer(code, name, municipal, 0, named, reference=own_reference)
