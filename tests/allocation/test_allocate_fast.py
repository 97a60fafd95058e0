"""The vectorised largest remainder (costshare.allocation.vectorised) equals the pure-Python reference.

The fast path is forced on small inputs by patching ``worth_vectorising``, so Hypothesis
can explore ties, zeros, negative totals and totals that trip the 64-bit guard.
"""

from __future__ import annotations

import importlib
import sys
from itertools import pairwise
from unittest.mock import patch

from hypothesis import example, given
from hypothesis import strategies as st

from costshare.allocation.vectorised import (
    MIN_ROWS_COLD,
    fits_int64,
    largest_remainder,
    worth_vectorising,
)
from costshare.base.keyed import Keyed

allocate_module = importlib.import_module("costshare.allocation.methods")

codes_strategy = st.lists(
    st.one_of(
        st.from_regex(r"[0-9]{1,4}", fullmatch=True),
        st.text(alphabet="abcK-", min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=40,
    unique=True,
)
# Small weights make many equal remainders (ties); huge ones make T·w overflow 64 bits.
weight_strategy = st.one_of(
    st.integers(0, 3), st.integers(0, 10**6), st.integers(0, 2**62), st.just(2**63 + 1)
)
total_strategy = st.one_of(
    st.integers(-1000, 1000), st.integers(-(10**15), 10**15), st.integers(-(2**70), 2**70)
)


def reference(total: int, weights: dict[str, int]) -> tuple[dict[str, int], tuple[str, ...]]:
    shares, ties = allocate_module._largest_remainder_exact(abs(total), weights)
    sign = -1 if total < 0 else 1
    return {code: sign * share for code, share in shares.items()}, ties


@st.composite
def cases(draw: st.DrawFn) -> tuple[int, dict[str, int]]:
    codes = draw(codes_strategy)
    weights = {code: draw(weight_strategy) for code in codes}
    if not any(weights.values()):
        weights[codes[0]] = 1
    return draw(total_strategy), weights


@given(cases())
@example((1, {"102": 1, "101": 1}))
@example((-5, {"b": 1, "a": 1, "c": 0, "10": 1, "9": 1}))
@example((2**62, {"a": 3, "b": 5}))
@example((7, {"01": 1, "1": 1, "001": 1, "a": 1}))
def test_forced_fast_path_equals_reference(case: tuple[int, dict[str, int]]) -> None:
    total, weights = case
    with patch("costshare.allocation.vectorised.worth_vectorising", lambda rows: True):
        result = allocate_module.allocate(total, weights)
    shares, ties = reference(total, weights)
    assert dict(result.shares) == shares
    assert list(result.shares) == list(weights)
    assert result.ties == ties
    assert sum(result.shares.values()) == total


@given(cases())
def test_fast_function_is_exact_or_declines(case: tuple[int, dict[str, int]]) -> None:
    total, weights = case
    codes, values = list(weights), list(weights.values())
    fast = largest_remainder(abs(total), codes, values)
    if not fits_int64(total, max(values), len(values)):
        assert fast is None
        return
    assert fast is not None
    shares, ties = reference(abs(total), weights)
    assert fast == (list(shares.values()), ties)


def test_guard_is_exact_at_the_boundary() -> None:
    assert fits_int64(2**62, 1, 2)
    assert not fits_int64(2**62, 2, 2)
    assert not fits_int64(-(2**62), 2, 2)
    assert not fits_int64(1, 2**62, 2)  # Σ w could overflow


def test_large_input_uses_keyed_shares_and_matches_reference() -> None:
    # Above the threshold without forcing anything; weights with many ties.
    size = MIN_ROWS_COLD
    codes = [str(n) for n in range(size, 0, -1)]
    weights = Keyed(codes, [n % 7 for n in range(size)])
    result = allocate_module.allocate(-123_456_789, weights)
    assert isinstance(result.shares, Keyed)
    shares, ties = reference(-123_456_789, dict(weights.items()))
    assert result.shares == shares
    assert result.ties == ties


def test_keyed_behaves_as_a_mapping() -> None:
    keyed = Keyed(("101", "147"), [3, 4])
    assert keyed == {"101": 3, "147": 4}
    assert {"101": 3, "147": 4} == keyed  # noqa: SIM300 (the reflected comparison)
    assert dict(keyed) == {"101": 3, "147": 4}
    assert list(keyed.items()) == [("101", 3), ("147", 4)]
    assert "147" in keyed and "999" not in keyed and 5 not in keyed
    assert keyed.get("999") is None
    assert len(keyed) == 2


def test_threshold_depends_on_whether_polars_is_loaded() -> None:
    with patch.dict("sys.modules", {"polars": None}):
        del sys.modules["polars"]
        assert not worth_vectorising(MIN_ROWS_COLD - 1)
        assert worth_vectorising(MIN_ROWS_COLD)
    import polars  # noqa: F401

    assert worth_vectorising(MIN_ROWS_COLD - 1)


def test_workings_share_one_ranking() -> None:
    weights = {str(code): (code * 7919) % 101 + 1 for code in range(101, 400)}
    allocation = allocate_module.allocate(1_234_567, weights)
    workings = [allocation.working(code) for code in weights]
    assert sorted(w.rank for w in workings) == list(range(1, len(weights) + 1))
    leftover = workings[0].leftover
    assert all(w.got_extra_unit == (w.rank <= leftover) for w in workings)
    remainder = {w.code: (1_234_567 * w.weight) % w.weight_total for w in workings}
    by_rank = sorted(workings, key=lambda w: w.rank)
    assert all(remainder[a.code] >= remainder[b.code] for a, b in pairwise(by_rank))
