"""Largest remainder for many recipients, vectorised with exact 64-bit integers.

The same rule as :func:`costshare.allocation.methods.allocate` (floor ``T·w/W``, one more unit to
the ``r`` largest remainders ``(T·w) mod W``, ties to the ascending code order), computed
with polars ``Int64`` columns instead of a Python loop. It is exact, not approximate: no
float is involved, and the columns are used only when every intermediate value provably
fits in 64 bits (``T·max(w) < 2**63`` and ``n·max(w) < 2**63``, checked with Python
integers first). Otherwise :func:`largest_remainder` returns ``None`` and the caller uses
the pure-Python reference, whose integers cannot overflow.

Instead of sorting all ``n`` remainders, the ``r``-th largest is found by a partial
sort (``top_k``); everything above it gets a unit, and only the recipients whose remainder
equals that boundary are ordered, by :func:`~costshare.base.codes.code_order` in Python.
This yields exactly the reference's shares and its ``ties`` (tests/allocation/test_allocate_fast.py
checks that with Hypothesis).

>>> largest_remainder(4, ["a", "b", "c"], [1, 3, 3])
([0, 2, 2], ())
>>> largest_remainder(1, ["102", "101"], [1, 1])
([0, 1], ('101', '102'))
>>> largest_remainder(2**62, ["a", "b"], [3, 5]) is None
True
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from costshare.base.codes import code_order

if TYPE_CHECKING:
    import polars as pl

INT64_LIMIT = 2**63
# Vectorising pays from about 1 000 rows once polars is loaded (as on every user-file
# path), but from about 50 000 when polars must first be imported (~0.1 s). Measured
# with ``python bench/bench.py --crossover`` (issue #6). Both paths give the same result.
MIN_ROWS_WARM = 1_000
MIN_ROWS_COLD = 50_000


def worth_vectorising(rows: int) -> bool:
    """Whether ``rows`` rows are many enough for the polars path to be the quicker one."""
    return rows >= MIN_ROWS_COLD or (rows >= MIN_ROWS_WARM and "polars" in sys.modules)


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
    import polars as pl

    if total < 0 or not fits_int64(total, max(weights), len(weights)):
        return None
    found = largest_remainder_column(total, codes, pl.Series(values=list(weights), dtype=pl.Int64))
    if found is None:
        return None
    shares, ties = found
    return shares.to_list(), ties


def largest_remainder_column(
    total: int, codes: Sequence[str] | pl.Series, weight: pl.Series
) -> tuple[pl.Series, tuple[str, ...]] | None:
    """:func:`largest_remainder` on an ``Int64`` column: the shares as a column (issue #15).

    The columnar path from file to output keeps a million shares out of Python objects;
    only the recipients tied at the boundary remainder are looked at one by one.
    """
    import polars as pl

    if total < 0 or weight.is_empty() or not fits_int64(total, _int(weight.max()), len(weight)):
        return None
    weight_total = int(weight.sum())
    product = weight * total
    floors = product // weight_total
    leftover = total - int(floors.sum())
    if leftover == 0:
        return floors, ()
    remainder = product % weight_total
    # The leftover-th largest remainder is the boundary: all above it get a unit; among
    # those equal to it the code order decides (leftover < count always holds).
    boundary = remainder.top_k(leftover).min()
    above = remainder > boundary
    shares = floors + above.cast(pl.Int64)
    still = leftover - int(above.sum())
    at_boundary: list[int] = (remainder == boundary).arg_true().to_list()
    ties: tuple[str, ...] = ()
    if len(at_boundary) == still:
        ranked = at_boundary
    else:
        tied = (
            codes.gather(at_boundary).to_list()
            if isinstance(codes, pl.Series)
            else [codes[i] for i in at_boundary]
        )
        order = sorted(range(len(tied)), key=lambda j: code_order(tied[j]))
        ranked = [at_boundary[j] for j in order]
        ties = tuple(tied[j] for j in order)
    if still:
        extra = pl.zeros(len(shares), dtype=pl.Int64, eager=True).scatter(ranked[:still], 1)
        shares = shares + extra
    return shares, ties


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer column, got {value!r}")
    return value
