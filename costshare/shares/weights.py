"""From a recipient's figure to its weight in the key: cap, rate above a threshold, factor, discount.

Real programmes do not always count every inhabitant once. A :class:`Counting` says how
a figure (the population, or a decimal key such as the block-grant key) becomes a weight,
in this order, each step exact (:class:`~fractions.Fraction`, never float):

1. **cap** – count at most ``cap`` (``cap = 100000``: a municipality of 120,000 counts
   100,000);
2. **above** – each unit above ``above.from`` counts at ``above.rate`` (``from = 150000,
   rate = "50 %"``: 200,000 counts 150,000 + 50,000 × 50 % = 175,000). The cap applies
   first, so with both the rate works on the capped figure;
3. **factor** – the counted figure times the recipient's factor (a ``faktor`` column);
4. **discount** – a recipient whose *figure* (before cap and rate) is above
   ``discount.above`` has its weight reduced by ``discount.rate`` (``above = 200000,
   rate = "10 %"``: its weight × 90 %), so the others carry the difference.

The weights are then scaled to integers by their common denominator, so the split is
exactly the split by the fractional weights, rounded once (:func:`integer_weights`).

>>> counting = Counting(cap=Fraction(100_000))
>>> counting.steps(Fraction(120_000), Fraction(1)).weight
Fraction(100000, 1)
>>> counting = Counting(above_from=Fraction(150_000), above_rate=Fraction(1, 2))
>>> counting.steps(Fraction(200_000), Fraction(1)).counted
Fraction(175000, 1)
>>> integer_weights({"a": Fraction(1, 3), "b": Fraction(1, 2)})
{'a': 2, 'b': 3}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark


@dataclass(frozen=True)
class WeightSteps:
    """One recipient's figure on its way to a weight (see the module docstring)."""

    figure: Fraction
    capped: Fraction
    counted: Fraction
    factor: Fraction
    discounted: bool
    weight: Fraction


@dataclass(frozen=True)
class Counting:
    """Cap, rate above a threshold and discount; all ``None`` counts every unit once."""

    cap: Fraction | None = None
    above_from: Fraction | None = None
    above_rate: Fraction = Fraction(1)
    discount_above: Fraction | None = None
    discount_rate: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        for value, what in (
            (self.cap, mark("the cap")),
            (self.above_from, mark("the threshold of 'above'")),
            (self.discount_above, mark("the threshold of 'discount'")),
        ):
            if value is not None and value < 0:
                raise InputError(
                    lazy("{what} must not be negative, got {value}", what=lazy(what), value=value)
                )
        if not 0 <= self.above_rate <= 1:
            raise InputError(lazy("the rate above the threshold must be between 0 % and 100 %"))
        if not 0 <= self.discount_rate <= 1:
            raise InputError(lazy("the discount must be between 0 % and 100 %"))

    @property
    def is_plain(self) -> bool:
        """Whether every unit counts once (no cap, rate or discount)."""
        return self.cap is None and self.above_from is None and self.discount_above is None

    def steps(self, figure: Fraction, factor: Fraction) -> WeightSteps:
        """The steps from ``figure`` to the weight, for one recipient."""
        capped = figure if self.cap is None else min(figure, self.cap)
        counted = capped
        if self.above_from is not None and capped > self.above_from:
            counted = self.above_from + (capped - self.above_from) * self.above_rate
        weight = counted * factor
        discounted = self.discount_above is not None and figure > self.discount_above
        if discounted:
            weight *= 1 - self.discount_rate
        return WeightSteps(figure, capped, counted, factor, discounted, weight)


def counted_weights(
    codes: Sequence[str],
    figures: Sequence[Fraction],
    factors: Sequence[Fraction] | None,
    counting: Counting,
) -> dict[str, int]:
    """The integer weights of a key with a :class:`Counting` and optional factors."""
    ones = [Fraction(1)] * len(codes)
    exact = {
        code: counting.steps(figure, factor).weight
        for code, figure, factor in zip(codes, figures, factors or ones, strict=True)
    }
    return integer_weights(exact)


def integer_weights(exact: Mapping[str, Fraction]) -> dict[str, int]:
    """Fractional weights as the smallest integers with the same ratios (exact)."""
    if not exact:
        return {}
    common = math.lcm(*(value.denominator for value in exact.values()))
    scaled = {code: int(value * common) for code, value in exact.items()}
    divisor = math.gcd(*scaled.values())
    return {code: value // divisor for code, value in scaled.items()} if divisor else scaled
