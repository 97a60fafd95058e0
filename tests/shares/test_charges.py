"""Amounts that follow from a rate or a class fee, keys by size class and keys in parts
(issue #21, items 1–3), each against an independent :class:`~fractions.Fraction`
computation written from the documented rules, and by Hypothesis properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costshare.base.errors import InputError
from costshare.base.money import Unit
from costshare.population.packaged import Population, load_packaged
from costshare.shares.charges import fee_split, parse_rate, rate_split
from costshare.shares.classes import SizeClasses
from costshare.shares.rates import Frozen, Rate
from costshare.shares.splitting import Key, KeyPart, split
from costshare.shares.weights import Counting


def population(counts: list[int], codes: list[str] | None = None) -> Population:
    codes = codes or [str(101 + index) for index in range(len(counts))]
    return Population("test", tuple(codes), tuple(codes), tuple(counts), "test", municipal=False)


def half_up(value: Fraction) -> int:
    """Round half away from zero, written out: the documented rule for each charged amount."""
    whole, rest = divmod(abs(value.numerator), value.denominator)
    magnitude = whole + (2 * rest >= value.denominator)
    return magnitude if value >= 0 else -magnitude


@pytest.mark.parametrize(
    ("text", "ore", "per", "unit", "units", "shown"),
    [
        ("25 kr. pr. indbygger", 2500, 1, "indbygger", "indbyggere", "25 kr. pr. indbygger"),
        ("80,80 øre pr. indbygger", Fraction(404, 5), 1, "indbygger", "indbyggere", "80,80 øre pr. indbygger"),
        ("3.494,16 kr. pr. 100 indbyggere", 349416, 100, "indbygger", "indbyggere", "3.494,16 kr. pr. 100 indbyggere"),
        ("3709,41 kr per 100 inhabitants", 370941, 100, "indbygger", "indbyggere", "3.709,41 kr. pr. 100 indbyggere"),
        ("0,304 kr. per inhabitant", Fraction(152, 5), 1, "indbygger", "indbyggere", "0,304 kr. pr. indbygger"),
        ("115 DKK pr. borger", 11500, 1, "borger", "borgere", "115 kr. pr. borger"),
        ("12,50 kr. pr. 1.000 køreplantimer", 1250, 1000, "køreplantimer", "køreplantimer", "12,50 kr. pr. 1.000 køreplantimer"),
    ],
)  # fmt: skip
def test_a_rate_is_read_as_the_decision_writes_it(
    text: str, ore: Fraction, per: int, unit: str, units: str, shown: str
) -> None:
    rate = parse_rate(text)
    assert (rate.amount_ore, rate.per, rate.unit, rate.units) == (ore, per, unit, units)
    assert rate.describe() == shown


@pytest.mark.parametrize("text", ["25 kr.", "pr. indbygger", "25 kroner om året", "abc kr. pr. x"])
def test_a_rate_without_its_parts_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="is not a rate"):
        parse_rate(text)


def test_kombit_infrastructure_price_on_aarhus() -> None:
    """25 kr. per citizen, only 50 % for each citizen above 150.000 (KOMBIT)."""
    figures = load_packaged("2025K1")
    key = Key(counting=Counting(above_from=Fraction(150_000), above_rate=Fraction(1, 2)))
    result = rate_split(figures, parse_rate("25 kr. pr. borger"), key=key)
    aarhus = figures.count_of("751")
    exact = Fraction(2500) * (150_000 + Fraction(aarhus - 150_000, 2))
    assert result.share_ore("751") == 100 * half_up(exact / 100)
    assert result.exact_ore("751") == exact


rates = st.builds(
    Rate,
    amount_ore=st.fractions(min_value=0, max_value=10_000, max_denominator=1000),
    per=st.sampled_from([1, 100, 1000]),
)
counts = st.lists(st.integers(0, 900_000), min_size=1, max_size=12)
caps = st.none() | st.integers(0, 500_000)
aboves = st.none() | st.tuples(st.integers(0, 300_000), st.fractions(0, 1, max_denominator=20))
units = st.sampled_from([Unit(1), Unit(100), Unit(10_000)])


@given(rates, counts, caps, aboves, units)
def test_a_rate_is_rate_times_counted_units_rounded_for_each(
    rate: Rate,
    figures: list[int],
    cap: int | None,
    above: tuple[int, Fraction] | None,
    unit: Unit,
) -> None:
    counting = Counting(
        cap=None if cap is None else Fraction(cap),
        above_from=None if above is None else Fraction(above[0]),
        above_rate=Fraction(1) if above is None else above[1],
    )
    people = population(figures)
    result = rate_split(people, rate, unit=unit, key=Key(counting=counting))
    counted = []
    for code, figure in zip(people.codes, figures, strict=True):
        units_counted = Fraction(figure if cap is None else min(figure, cap))
        if above is not None and units_counted > above[0]:
            units_counted = above[0] + (units_counted - above[0]) * above[1]
        counted.append(units_counted)
        exact = rate.amount_ore * units_counted / rate.per
        assert result.exact_ore(code) == exact
        assert result.share_ore(code) == unit.ore * half_up(exact / unit.ore)
        assert abs(result.share_ore(code) - exact) <= Fraction(unit.ore, 2)
    # The total before rounding is the rate times all counted units, to the øre.
    exact_total = sum((result.exact_ore(code) for code in people.codes), Fraction(0))
    assert exact_total == rate.amount_ore * sum(counted, Fraction(0)) / rate.per
    assert result.amount_ore == sum(result.shares_ore().values())


@given(rates, st.lists(st.integers(1, 900_000), min_size=1, max_size=12), st.integers(1, 10**7))
def test_a_frozen_total_is_distributed_by_the_current_figures(
    rate: Rate, figures: list[int], frozen: int
) -> None:
    people = population(figures)
    result = rate_split(people, rate, unit=Unit(1), frozen=Frozen(Fraction(frozen), "x"))
    whole = rate.amount_ore * frozen / rate.per
    for code, figure in zip(people.codes, figures, strict=True):
        exact = whole * figure / sum(figures)
        assert result.share_ore(code) == half_up(exact)
    assert sum(result.exact_ore(code) for code in people.codes) == whole


bounds = st.lists(st.integers(1, 400_000), min_size=1, max_size=4, unique=True).map(sorted)


@given(bounds, st.data(), counts)
def test_a_class_fee_key_is_monotone_in_the_fees(
    limits: list[int], data: st.DataObject, figures: list[int]
) -> None:
    """Raising any class's fee never lowers any payer's amount; each pays its class's fee."""
    fees = data.draw(
        st.lists(st.integers(0, 10**8), min_size=len(limits) + 1, max_size=len(limits) + 1)
    )
    raised = [fee + data.draw(st.integers(0, 10**6)) for fee in fees]
    people = population(figures)
    bounds_ = tuple(Fraction(limit) for limit in limits)
    before = fee_split(
        people, Key(classes=SizeClasses(bounds_, fees_ore=tuple(fees))), unit=Unit(1)
    )
    after = fee_split(
        people, Key(classes=SizeClasses(bounds_, fees_ore=tuple(raised))), unit=Unit(1)
    )
    for code, figure in zip(people.codes, figures, strict=True):
        index = sum(1 for limit in limits if limit <= figure)  # a bound belongs to the class above
        assert before.share_ore(code) == fees[index]
        assert after.share_ore(code) >= before.share_ore(code)


def reference_largest_remainder(total: int, exact: dict[str, Fraction]) -> dict[str, int]:
    """Largest remainder on exact shares that add up to ``total``, ties to the lower code."""
    shares = {code: math.floor(value) for code, value in exact.items()}
    left = total - sum(shares.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - shares[c]), int(c)))
    for code in order[:left]:
        shares[code] += 1
    return shares


@given(
    bounds,
    st.data(),
    st.lists(st.integers(0, 900_000), min_size=2, max_size=12),
    st.integers(0, 10**9),
)
def test_a_class_weight_key_splits_by_the_classes_weights(
    limits: list[int], data: st.DataObject, figures: list[int], total: int
) -> None:
    weights = data.draw(
        st.lists(st.integers(1, 50), min_size=len(limits) + 1, max_size=len(limits) + 1)
    )
    people = population(figures)
    classes = SizeClasses(
        tuple(Fraction(x) for x in limits), weights=tuple(Fraction(w) for w in weights)
    )
    result = split(total * 100, people, key=Key(classes=classes))
    of = {
        code: weights[sum(1 for x in limits if x <= f)]
        for code, f in zip(people.codes, figures, strict=True)
    }
    exact = {code: Fraction(total * w, sum(of.values())) for code, w in of.items()}
    expected = reference_largest_remainder(total, exact)
    assert {code: ore // 100 for code, ore in result.shares_ore().items()} == expected


@given(
    st.lists(st.integers(0, 100_000), min_size=4, max_size=10),
    st.lists(st.integers(1, 5_000), min_size=1, max_size=4),
    st.integers(1, 99),
    st.integers(0, 10**9),
)
def test_parts_add_up_to_the_total_and_each_payer_to_its_parts(
    figures: list[int], hours: list[int], first_percent: int, total: int
) -> None:
    """A part by hours over some payers and a part by population over all: each payer's
    exact amount is the sum of its parts, the shares are rounded once and add up."""
    everyone = population([figure + 1 for figure in figures])
    some = population(hours, list(everyone.codes[: len(hours)]))
    first = Fraction(first_percent, 100)
    key = Key(
        parts=(
            KeyPart("timer", first, Key(), some),
            KeyPart("indbyggere", 1 - first, Key(), everyone),
        )
    )
    result = split(total * 100, everyone, key=key)
    exact: dict[str, Fraction] = {}
    for code in everyone.codes:
        part_one = total * first * some.count_of(code) / some.total if code in some.codes else 0
        part_two = total * (1 - first) * everyone.count_of(code) / everyone.total
        exact[code] = part_one + part_two
    assert sum(exact.values()) == total
    assert {code: ore // 100 for code, ore in result.shares_ore().items()} == (
        reference_largest_remainder(total, exact)
    )
    assert sum(result.shares_ore().values()) == total * 100
    for code in everyone.codes:
        assert result.exact_ore(code) == exact[code] * 100
