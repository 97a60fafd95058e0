"""Largest remainder for many recipients, vectorised with exact 64-bit integers.

The same rule as :func:`costshare.allocate.allocate` (floor ``T·w/W``, one more unit to
the ``r`` largest remainders ``(T·w) mod W``, ties to the ascending code order), computed
with numpy ``int64`` arrays instead of a Python loop. It is exact, not approximate: no
float is involved, and the arrays are used only when every intermediate value provably
fits in 64 bits (``T·max(w) < 2**63`` and ``n·max(w) < 2**63``, checked with Python
integers first). Otherwise :func:`largest_remainder` returns ``None`` and the caller uses
the pure-Python reference, whose integers cannot overflow.

Instead of sorting all ``n`` remainders, the ``r``-th largest is found by partition
(linear time); everything above it gets a unit, and only the recipients whose remainder
equals that boundary are ordered, by :func:`~costshare.allocate.code_order` in Python.
This yields exactly the reference's shares and its ``ties`` (tests/test_allocate_fast.py
checks that with Hypothesis).

>>> largest_remainder(4, ["a", "b", "c"], [1, 3, 3])
([0, 2, 2], ())
>>> largest_remainder(1, ["102", "101"], [1, 1])
([0, 1], ('101', '102'))
>>> largest_remainder(2**62, ["a", "b"], [3, 5]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence

from .allocate import code_order

INT64_LIMIT = 2**63


def fits_int64(total: int, max_weight: int, count: int) -> bool:
    """Whether ``total·w`` and ``Σ w`` stay below 2**63 for every weight up to ``max_weight``."""
    return abs(total) * max_weight < INT64_LIMIT and count * max_weight < INT64_LIMIT


def largest_remainder(
    total: int, codes: Sequence[str], weights: Sequence[int]
) -> tuple[list[int], tuple[str, ...]] | None:
    """Shares of a non-negative ``total`` in input order, and the decisive tie.

    ``weights`` must already be validated (non-negative ints, not all zero). Returns
    ``None`` when 64-bit arithmetic could overflow; the caller then computes exactly with
    Python integers.
    """
    import numpy as np

    count = len(weights)
    if total < 0 or not fits_int64(total, max(weights), count):
        return None
    weight = np.array(weights, dtype=np.int64)
    weight_total = int(weight.sum())
    product = weight * np.int64(total)
    shares = product // weight_total
    leftover = total - int(shares.sum())
    if leftover == 0:
        return shares.tolist(), ()
    remainder = product % weight_total
    # The leftover-th largest remainder is the boundary: all above it get a unit; among
    # those equal to it the code order decides (leftover < count always holds).
    boundary = np.partition(remainder, count - leftover)[count - leftover]
    above = remainder > boundary
    shares[above] += 1
    still = leftover - int(above.sum())
    at_boundary = np.flatnonzero(remainder == boundary).tolist()
    if len(at_boundary) == still:
        shares[at_boundary] += 1
        return shares.tolist(), ()
    ranked = sorted(at_boundary, key=lambda i: code_order(codes[i]))
    shares[ranked[:still]] += 1
    return shares.tolist(), tuple(codes[i] for i in ranked)
