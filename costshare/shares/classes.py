"""Size classes: a weight or a fixed fee per class of a figure (issue #21).

OS2 charges its members a fee by size class, by the number of citizens on 1 January of
the year before: under 25.000, 25.000–60.000, 60.000–120.000, over 120.000. A
:class:`SizeClasses` holds the bounds and, per class, either a **weight** (the amount is
split by the weights of the payers' classes, rounded once so the total holds) or a
**fee** (each payer pays its class's fee; the total is the sum of the fees). Documents
name the classes through :mod:`costshare.programme.key_wording`.

Classes are given by their bounds, in ascending order; a bound belongs to the class
**above** it, as "under 25.000" and "25.000–60.000" read: with bounds 25.000 and
60.000 a municipality of exactly 25.000 is in the second class. A payer is classed by
its figure as the source gives it (the population, or a figure column), before any cap.

>>> classes = SizeClasses((Fraction(25_000), Fraction(60_000)), weights=(Fraction(1), Fraction(2), Fraction(4)))
>>> [classes.index(Fraction(n)) for n in (24_999, 25_000, 59_999, 60_000)]
[0, 1, 1, 2]
>>> classes.weight_of(Fraction(60_000))
Fraction(4, 1)
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from fractions import Fraction

from costshare.base.errors import InputError
from costshare.base.i18n import lazy


@dataclass(frozen=True)
class SizeClasses:
    """Bounds (ascending) and one weight or one fee (øre) per class: ``len(bounds) + 1``."""

    bounds: tuple[Fraction, ...]
    weights: tuple[Fraction, ...] = ()
    fees_ore: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        values = self.fees_ore or self.weights
        if bool(self.weights) == bool(self.fees_ore):
            raise InputError(lazy("give the classes either weights or fees, not both or neither"))
        if len(values) != len(self.bounds) + 1:
            raise InputError(
                lazy(
                    "{count} bounds make {classes} classes, but {given} weights or fees are given; "
                    "give one per class",
                    count=len(self.bounds),
                    classes=len(self.bounds) + 1,
                    given=len(values),
                )
            )
        if any(b <= a for a, b in itertools.pairwise(self.bounds)):
            raise InputError(lazy("the bounds of the classes must rise from one to the next"))
        if any(value < 0 for value in values) or any(bound < 0 for bound in self.bounds):
            raise InputError(lazy("a class's bound, weight or fee must not be negative"))

    @property
    def fees(self) -> bool:
        """Whether each class has a fixed fee (else a weight)."""
        return bool(self.fees_ore)

    def index(self, figure: Fraction) -> int:
        """The class of ``figure``, counted from 0 (a bound belongs to the class above it)."""
        return bisect.bisect_right(self.bounds, figure)

    def weight_of(self, figure: Fraction) -> Fraction:
        """The weight of ``figure``'s class."""
        return self.weights[self.index(figure)]

    def fee_of(self, figure: Fraction) -> int:
        """The fee of ``figure``'s class, in øre."""
        return self.fees_ore[self.index(figure)]
