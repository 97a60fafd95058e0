"""Exact proportional allocation in whole units.

Splits an integer total (of rounding units: kroner, øre, hundreds) among recipients in
proportion to non-negative integer weights (population), so that the shares add up to
the total exactly. Only integer arithmetic is used; no float touches a share.

Largest remainder (Hamilton, Hare-Niemeyer) is the default. Each recipient first gets
the floor of its exact share ``T·w/W``. The ``r = T − Σ floor`` units left over go, one
each, to the ``r`` recipients with the largest exact remainder ``(T·w) mod W``. A tie in
that remainder is broken by the recipient's code in ascending order (numerically when
both codes are digits, so ``101`` comes before ``1000``), never by input order; the
result reports which recipients were in a tie that decided a unit.

Every share is then within quota: ``floor(T·w/W) ≤ share ≤ ceil(T·w/W)``. Largest
remainder is not house-monotone (the Alabama paradox): with weights 1, 3, 3 a total of
3 gives 1, 1, 1 but a total of 4 gives 0, 2, 2. ``method="webster"`` (Sainte-Laguë, a
divisor method) never does that: a larger total never lowers a share, and nor does a
larger weight. Its price is that it may, rarely, leave quota (a share more than one unit
from the exact share). It is computed from the rounded exact shares with a
heap-driven correction of at most ``n/2`` steps, not one step per unit.

A negative total is split as its absolute value and negated, so ``A(−T) = −A(T)``.

For many recipients largest remainder runs vectorised on 64-bit integers
(:mod:`costshare.allocation.vectorised`), with the same shares and ties as the code here, which
stays the reference; the shares then come as a :class:`~costshare.base.keyed.Keyed` mapping.

Sources: M. L. Balinski and H. P. Young, *Fair Representation*, 2nd ed. (2001);
F. Pukelsheim, *Proportional Representation*, 2nd ed. (2017), ch. 3 and 4.

>>> allocate(525000, {"101": 667099, "147": 105840, "157": 75076}).shares
{'101': 412996, '147': 65525, '157': 46479}
>>> allocate(4, {"a": 1, "b": 3, "c": 3}).shares
{'a': 0, 'b': 2, 'c': 2}
>>> allocate(4, {"a": 1, "b": 3, "c": 3}, method="webster").shares
{'a': 1, 'b': 2, 'c': 1}
>>> allocate(1, {"102": 1, "101": 1}).ties
('101', '102')
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from costshare.base.codes import code_order
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.keyed import Keyed

Method = Literal["largest-remainder", "webster", "nearest"]
# The methods a programme or --method may choose; "nearest" is how a rate programme's
# amounts are rounded (:func:`round_each`), not a way to split a total.
METHODS: dict[str, str] = {
    "largest-remainder": "largest remainder (Hamilton/Hare-Niemeyer)",
    "webster": "Webster/Sainte-Laguë (divisor method, house-monotone)",
}
# The Danish names every document uses: the full name (method sheets, letters) and the short
# one (the terminal table's "Afrunding:" line). One table, so no two outputs name a method
# differently.
METHOD_NAMES_DA: dict[str, tuple[str, str]] = {
    "largest-remainder": ("største brøkdel (Hamilton/Hare-Niemeyer)", "største brøkdel (Hamilton)"),
    "webster": ("Sainte-Laguë (Webster, divisormetode)", "Sainte-Laguë (Webster)"),
    "nearest": (
        "hvert beløb for sig til nærmeste hele enhed (halve enheder op)",
        "hvert beløb for sig, halve op",
    ),
}


@dataclass(frozen=True)
class Allocation:
    """The result of one split: the shares, in input order, and how they were reached."""

    total: int
    weights: Mapping[str, int]
    shares: Mapping[str, int]
    method: Method
    ties: tuple[str, ...] = ()
    """Recipients in a tie (equal remainder or priority) that the code order decided."""
    exact_shares: Mapping[str, Fraction] | None = None
    """Each recipient's exact share in units, where it was rounded for itself
    (:func:`round_each`); None where the shares come from splitting ``total``."""

    @property
    def weight_total(self) -> int:
        """The sum of all weights, ``W``."""
        return sum(self.weights.values())

    def working(self, code: str) -> Working:
        """The largest-remainder working for one recipient (see :class:`Working`)."""
        if code not in self.weights:
            raise KeyError(code)
        if self.exact_shares is not None:
            exact = self.exact_shares[code]
            floor = math.floor(exact) if exact >= 0 else math.ceil(exact)
            weight = self.weights[code]
            return Working(code, weight, self.weight_total, exact, floor, 0, 0, self.shares[code])
        return _working(self, code)

    @functools.cached_property
    def _ranking(self) -> tuple[dict[str, int], int]:
        """Each code's place (1 = largest) in the order of remainders, and Σ floors.

        Computed once per allocation, not once per recipient's working (one per letter
        or workbook), which would make n workings cost n sorts (issue #6).
        """
        weights = self.weights
        weight_total = self.weight_total
        magnitude = abs(self.total)
        remainder = {c: (magnitude * w) % weight_total for c, w in weights.items()}
        ranked = sorted(remainder, key=lambda c: (-remainder[c], code_order(c)))
        floors = sum((magnitude * w) // weight_total for w in weights.values())
        return {c: place for place, c in enumerate(ranked, start=1)}, floors


@dataclass(frozen=True)
class Working:
    """How one recipient's share came about, for explaining it to a person.

    ``exact`` is ``T·w/W`` as a fraction; ``floor`` its integer part (towards zero for a
    negative total); ``leftover`` the units handed out by remainder; ``rank`` this
    recipient's place (1 = largest) in the order of remainders, ties by code.
    """

    code: str
    weight: int
    weight_total: int
    exact: Fraction
    floor: int
    leftover: int
    rank: int
    share: int

    @property
    def got_extra_unit(self) -> bool:
        """Whether the rounding rule gave this recipient one unit above its floor."""
        return self.share != self.floor


def allocate(
    total: int, weights: Mapping[str, int], method: Method = "largest-remainder"
) -> Allocation:
    """Split ``total`` units in proportion to ``weights``; the shares sum to ``total``.

    Raises :class:`InputError` if there are no recipients, a weight is negative or not
    an integer, or all weights are zero, or the method is unknown.
    """
    _check(total, weights)
    if method not in METHODS:
        raise InputError(
            lazy(
                "unknown method {method}; use one of: {methods}",
                method=repr(method),
                methods=", ".join(METHODS),
            )
        )
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    shares: Mapping[str, int]
    if method == "webster":
        shares, ties = _webster(magnitude, weights)
    else:
        shares, ties = _largest_remainder(magnitude, weights)
    if sign < 0:
        shares = _negated(shares)
    return Allocation(total, weights, shares, method, ties)


def _check(total: int, weights: Mapping[str, int]) -> None:
    if isinstance(total, bool) or not isinstance(total, int):
        raise InputError(
            lazy("the total must be a whole number of units, got {total}", total=repr(total))
        )
    if not weights:
        raise InputError(
            lazy("there is nobody to split the amount between; give at least one recipient")
        )
    values = weights.values()
    # One pass over a million weights is quick when they are all plain ints; only look
    # for the offending recipient, to name it, when they are not.
    if set(map(type, values)) != {int} or min(values) < 0:
        _name_bad_weight(weights)
    if not any(values):
        raise InputError(
            lazy("all weights are zero, so there is no basis to split by; check the figures")
        )


def _name_bad_weight(weights: Mapping[str, int]) -> None:
    for code, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise InputError(
                lazy(
                    "recipient {code}: weight must be a whole number, got {weight}",
                    code=code,
                    weight=repr(weight),
                )
            )
        if weight < 0:
            raise InputError(
                lazy(
                    "recipient {code}: weight must not be negative, got {weight}",
                    code=code,
                    weight=weight,
                )
            )


def _negated(shares: Mapping[str, int]) -> Mapping[str, int]:
    if isinstance(shares, Keyed):
        return Keyed(shares.codes, [-share for share in shares.column])
    return {code: -share for code, share in shares.items()}


def _largest_remainder(
    total: int, weights: Mapping[str, int]
) -> tuple[Mapping[str, int], tuple[str, ...]]:
    from costshare.allocation.vectorised import largest_remainder, worth_vectorising

    if worth_vectorising(len(weights)):
        if isinstance(weights, Keyed):
            codes, values = weights.codes, weights.column
        else:
            codes, values = list(weights), list(weights.values())
        fast = largest_remainder(total, codes, values)
        if fast is not None:
            shares, ties = fast
            return Keyed(codes, shares), ties
    return _largest_remainder_exact(total, weights)


def _largest_remainder_exact(
    total: int, weights: Mapping[str, int]
) -> tuple[dict[str, int], tuple[str, ...]]:
    """The reference: Python integers, so no size can overflow."""
    weight_total = sum(weights.values())
    shares: dict[str, int] = {}
    remainders: dict[str, int] = {}
    for code, weight in weights.items():
        shares[code], remainders[code] = divmod(total * weight, weight_total)
    leftover = total - sum(shares.values())
    if not leftover:
        return shares, ()
    ranked = sorted(remainders, key=lambda code: (-remainders[code], code_order(code)))
    for code in ranked[:leftover]:
        shares[code] += 1
    return shares, _decisive_tie(ranked, leftover, remainders.__getitem__)


def _decisive_tie(ranked: list[str], handed_out: int, get: Callable[[str], int]) -> tuple[str, ...]:
    """The recipients sharing the boundary value, if the boundary split them."""
    if handed_out >= len(ranked):
        return ()
    boundary = get(ranked[handed_out - 1])
    if get(ranked[handed_out]) != boundary:
        return ()
    tied = [code for code in ranked if get(code) == boundary]
    return tuple(sorted(tied, key=code_order))


def _webster(total: int, weights: Mapping[str, int]) -> tuple[dict[str, int], tuple[str, ...]]:
    weight_total = sum(weights.values())
    # Start from each exact share rounded half up: that is Webster's allocation for the
    # divisor W/T, of some house size near T. Then move seats one at a time, each time
    # taking the seat with the weakest claim (or giving the one with the strongest), as
    # a divisor method would; at most about n/2 moves are needed.
    shares = {
        code: (2 * total * weight + weight_total) // (2 * weight_total)
        for code, weight in weights.items()
    }
    surplus = sum(shares.values()) - total
    if surplus > 0:
        return _webster_move(shares, weights, surplus, remove=True)
    if surplus < 0:
        return _webster_move(shares, weights, -surplus, remove=False)
    return shares, ()


def _webster_move(
    shares: dict[str, int], weights: Mapping[str, int], moves: int, remove: bool
) -> tuple[dict[str, int], tuple[str, ...]]:
    def priority(code: str) -> Fraction:
        # The claim of a recipient to its next seat is w / (s + 1/2); to keep its last
        # seat, w / (s − 1/2). Remove the weakest kept seat, or add the strongest claim.
        seats = shares[code]
        return Fraction(2 * weights[code], 2 * seats - 1 if remove else 2 * seats + 1)

    eligible = [code for code in shares if weights[code] > 0 and (shares[code] > 0 or not remove)]
    sign = 1 if remove else -1
    # Among equal claims the oracle hands a unit to the earliest code first, so a removal
    # must take back the seat of the latest code first.
    rank = {code: place for place, code in enumerate(sorted(shares, key=code_order))}
    heap = [(sign * priority(code), -sign * rank[code], code) for code in eligible]
    heapq.heapify(heap)
    moved: list[tuple[Fraction, str]] = []
    for _ in range(moves):
        value, _rank, code = heapq.heappop(heap)
        moved.append((value, code))
        shares[code] += -1 if remove else 1
        if shares[code] > 0 or not remove:
            heapq.heappush(heap, (sign * priority(code), -sign * rank[code], code))
    last_value = moved[-1][0]
    if not heap or heap[0][0] != last_value:
        return shares, ()
    tied = {code for value, code in moved if value == last_value}
    tied |= {code for value, _rank, code in heap if value == last_value}
    return shares, tuple(sorted(tied, key=code_order))


def round_each(exact: Mapping[str, Fraction]) -> Allocation:
    """Each exact share rounded for itself to the nearest whole unit, halves away from
    zero (``2,5`` → 3, ``-2,5`` → -3): how an amount that follows from a rate is rounded.

    The total is the sum of the rounded shares, so it may differ from the exact total by
    up to half a unit per recipient; no share moves because of another. The weights are
    the exact shares scaled to integers, for a working's "weight of the total".

    >>> round_each({"a": Fraction(5, 2), "b": Fraction(12, 5)}).shares
    {'a': 3, 'b': 2}
    """
    if not exact:
        raise InputError(
            lazy("there is nobody to split the amount between; give at least one recipient")
        )
    shares = {code: _half_away(value) for code, value in exact.items()}
    common = math.lcm(*(value.denominator for value in exact.values()))
    weights = {code: abs(int(value * common)) for code, value in exact.items()}
    return Allocation(sum(shares.values()), weights, shares, "nearest", (), dict(exact))


def _half_away(value: Fraction) -> int:
    magnitude = int(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def equal_weights(codes: Iterable[str]) -> dict[str, int]:
    """Weights that split equally: one per recipient."""
    return dict.fromkeys(codes, 1)


def mix_weights(parts: Iterable[tuple[Fraction, Mapping[str, int]]]) -> dict[str, int]:
    """Combine keys, such as 40 % equal and 60 % population, into one integer key.

    Each key is normalised to sum to its fraction; the combined exact weights are scaled
    to the smallest integers with the same ratios, so one allocation rounds once.

    >>> mix_weights([(Fraction(2, 5), {"a": 1, "b": 1}), (Fraction(3, 5), {"a": 1, "b": 3})])
    {'a': 7, 'b': 13}
    """
    combined: dict[str, Fraction] = {}
    for fraction, weights in parts:
        weight_total = sum(weights.values())
        if fraction < 0:
            raise InputError(
                lazy("a key's part must not be negative, got {fraction}", fraction=fraction)
            )
        if weight_total <= 0:
            raise InputError(lazy("a key in the mix has no positive weight; check its figures"))
        for code, weight in weights.items():
            combined[code] = combined.get(code, Fraction(0)) + fraction * Fraction(
                weight, weight_total
            )
    if not combined:
        raise InputError(lazy("the mix of keys is empty; give at least one key"))
    common = math.lcm(*(value.denominator for value in combined.values()))
    scaled = {code: int(value * common) for code, value in combined.items()}
    divisor = math.gcd(*scaled.values())
    return {code: value // divisor for code, value in scaled.items()} if divisor else scaled


def _working(allocation: Allocation, code: str) -> Working:
    weights = allocation.weights
    weight_total = allocation.weight_total
    magnitude = abs(allocation.total)
    sign = -1 if allocation.total < 0 else 1
    ranks, floors = allocation._ranking
    return Working(
        code=code,
        weight=weights[code],
        weight_total=weight_total,
        exact=Fraction(allocation.total * weights[code], weight_total),
        floor=sign * ((magnitude * weights[code]) // weight_total),
        leftover=magnitude - floors,
        rank=ranks[code],
        share=allocation.shares[code],
    )
