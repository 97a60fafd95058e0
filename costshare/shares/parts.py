"""What each part of a key gives one payer, exactly (issue #21).

A key in parts (:class:`~costshare.shares.splitting.KeyPart`) gives each payer

    exact amount = Σ over the parts of  part amount × the payer's weight in the part
                                                    / the part's total weight

where the part amount is the amount to split times the part's share (no rounding), and a
payer outside a part has weight 0 in it. The split rounds the sum once; :func:`part_shares`
shows the terms, so explain, letters and workbooks can show every part, and their sum is
the split's exact amount to the øre fraction.

>>> from fractions import Fraction
>>> from costshare.population.packaged import load_packaged
>>> from costshare.shares.splitting import Key, KeyPart, split
>>> everyone = load_packaged("2025K1").select_region("Sjælland")
>>> some = everyone.select_codes(["259", "336"])
>>> key = Key(parts=(KeyPart("a", Fraction(4, 5), Key(equal=Fraction(1), population=Fraction(0)), some),
...                  KeyPart("b", Fraction(1, 5), Key(), everyone)))
>>> result = split(100_000_00, everyone, key=key)
>>> shares = part_shares(result, "259")
>>> [share.exact_ore for share in shares][0], sum(s.exact_ore for s in shares) == result.exact_ore("259")
(Fraction(4000000, 1), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from costshare.shares.splitting import KeyPart, Split


@dataclass(frozen=True)
class PartShare:
    """One part's term in one payer's amount.

    ``weight``/``weight_total`` are the payer's weight in the part and the part's total
    (the figure after cap, rate and factor; 1 each for an equal part; the class weight
    for classes); ``figure`` is the payer's figure as the source gives it.
    """

    index: int
    part: KeyPart
    member: bool
    figure: Fraction
    weight: Fraction
    weight_total: Fraction
    amount_ore: Fraction
    """The part's amount (the amount to split × the part's share), exact."""
    exact_ore: Fraction
    """What the part gives this payer, exact."""

    @property
    def share(self) -> Fraction:
        """The payer's share of the part."""
        return self.weight / self.weight_total if self.member and self.weight_total else Fraction(0)


def part_shares(split: Split, code: str) -> list[PartShare]:
    """Every part's term in the amount of the payer with ``code`` (see the module docstring)."""
    to_split = Fraction(split.amount_ore - split.fixed_ore * len(split.population.codes))
    shares = []
    for index, part in enumerate(split.key.parts, start=1):
        amount = to_split * part.weight
        weights = part_weights(part)
        total = sum(weights.values(), Fraction(0))
        member = code in weights
        weight = weights.get(code, Fraction(0))
        figure = (
            part.population.figures()[part.population.position(code)] if member else Fraction(0)
        )
        exact = amount * weight / total if member and total else Fraction(0)
        shares.append(PartShare(index, part, member, figure, weight, total, amount, exact))
    return shares


def part_weights(part: KeyPart) -> dict[str, Fraction]:
    """A part's exact weights in the units of its figures: the figure after cap, rate and
    factor, 1 for each payer of an equal part, the class weight for classes; a mix of
    equal and population as its exact combination (the integer weights' ratios)."""
    key, population = part.key, part.population
    if key.equal == 0 and key.classes is None:
        ones = [Fraction(1)] * len(population.codes)
        factors = population.factors if key.factor else ones
        return {
            code: key.counting.steps(figure, factor).weight
            for code, figure, factor in zip(
                population.codes, population.figures(), factors, strict=True
            )
        }
    if key.classes is not None:
        classes = key.classes
        return {code: classes.weight_of(figure) for code, figure in zip(population.codes, population.figures(), strict=True)}  # fmt: skip
    return {code: Fraction(weight) for code, weight in key.weights(population).items()}
