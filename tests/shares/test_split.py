"""Keys and multi-level splits: hand-checked examples and conservation."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.base.errors import InputError
from costshare.base.money import Unit
from costshare.population.packaged import Population, load_packaged
from costshare.programme.key_wording import describe_key
from costshare.shares.splitting import Key, cofinance, split

FOUR = Population(
    "test",
    ("1", "2", "3", "4"),
    ("A", "B", "C", "D"),
    (10, 20, 30, 40),
    "testdata",
    municipal=False,
)


def test_equal_key_splits_evenly_with_the_odd_unit_to_the_lowest_codes() -> None:
    result = split(1_000, FOUR, key=Key(equal=Fraction(1), population=Fraction(0)))  # 10 kr. / 4
    assert result.shares_ore() == {"1": 300, "2": 300, "3": 200, "4": 200}
    assert result.allocation.ties == ("1", "2", "3", "4")


def test_mixed_key_rounds_once() -> None:
    # 40 % equal + 60 % population of 1.000 kr.: exact shares 100+60, 100+120, 100+180, 100+240.
    key = Key(equal=Fraction(2, 5), population=Fraction(3, 5))
    result = split(100_000, FOUR, key=key)
    assert result.shares_ore() == {"1": 16_000, "2": 22_000, "3": 28_000, "4": 34_000}
    assert describe_key(result) == "40 % ligeligt og 60 % efter indbyggertal"


def test_fixed_amount_then_population() -> None:
    key = Key(fixed_ore=10_000)  # 100 kr. each, the remaining 600 kr. by population
    result = split(100_000, FOUR, key=key)
    assert result.shares_ore() == {"1": 16_000, "2": 22_000, "3": 28_000, "4": 34_000}
    assert (
        describe_key(result) == "et fast beløb på 100 kr. pr. modtager, resten efter indbyggertal"
    )


def test_fixed_amounts_above_the_total_are_refused() -> None:
    with pytest.raises(
        InputError,
        match=r"the fixed amounts \(4.000 kr.\) exceed the amount to split \(1.000 kr.\)",
    ):
        split(100_000, FOUR, key=Key(fixed_ore=100_000))


def test_key_parts_must_add_to_100_percent() -> None:
    with pytest.raises(InputError, match="must be non-negative and add up to 100 %"):
        Key(equal=Fraction(1, 2), population=Fraction(1, 3))


def test_telehjerte_two_levels() -> None:
    parts = cofinance(105_000_000, {"084": 1, "kommuner": 1})
    assert parts == {"084": 52_500_000, "kommuner": 52_500_000}
    result = split(parts["kommuner"], load_packaged("2025K1").select_region("Hovedstaden"))
    assert sum(result.shares_ore().values()) == 52_500_000
    assert result.share_ore("157") == 2_041_500


def test_cofinance_odd_unit_goes_to_lower_code() -> None:
    assert cofinance(100_100, {"kommuner": 1, "084": 1}) == {"kommuner": 50_000, "084": 50_100}


@given(
    total=st.integers(-(10**12), 10**12),
    region=st.integers(0, 100),
    municipal=st.integers(0, 100),
    unit=st.sampled_from([1, 100, 10_000]),
)
def test_two_level_split_conserves_the_grand_total(
    total: int, region: int, municipal: int, unit: int
) -> None:
    if region + municipal == 0:
        return
    rounding = Unit(unit)
    amount_ore = total * unit
    parts = cofinance(amount_ore, {"084": region, "kommuner": municipal}, unit=rounding)
    result = split(
        parts["kommuner"], load_packaged("2025K1").select_region("Hovedstaden"), unit=rounding
    )
    assert parts["084"] + sum(result.shares_ore().values()) == amount_ore
    assert all(share % unit == 0 for share in result.shares_ore().values())
