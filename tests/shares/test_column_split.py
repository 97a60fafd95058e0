"""The columnar split guards its own keys (issue #19, item 5).

:func:`~costshare.shares.column_split.split_column` must, for every key whoever passes it,
either give the CSV that :func:`~costshare.shares.splitting.split` gives (the same bytes,
or the same error) or decline with ``None``. Hypothesis builds keys with every field of
:class:`~costshare.shares.splitting.Key` and :class:`~costshare.shares.weights.Counting`
varied, on recipients the columnar reader could have read.
"""

from __future__ import annotations

import io
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.base.errors import InputError
from costshare.base.money import Unit
from costshare.documents.text.split_report import frame_csv, write_csv
from costshare.population.columnar_reader import ColumnarPopulation
from costshare.shares.column_split import split_column, takes
from costshare.shares.splitting import Key, split
from costshare.shares.weights import Counting

FIGURE = st.integers(0, 10**6).map(Fraction)
RATE = st.fractions(0, 1, max_denominator=100)
PART = st.sampled_from([Fraction(0), Fraction(1), Fraction(2, 5), Fraction(1, 3)])


@st.composite
def keys(draw: st.DrawFn) -> Key:
    """Any key: every field of Key and of its Counting drawn, each often left at its default."""
    equal = draw(PART)
    counting = Counting(
        cap=draw(st.none() | FIGURE),
        above_from=draw(st.none() | FIGURE),
        above_rate=draw(st.just(Fraction(1)) | RATE),
        discount_above=draw(st.none() | FIGURE),
        discount_rate=draw(st.just(Fraction(0)) | RATE),
    )
    fixed = draw(st.sampled_from([0, 0, 100, 300, 10_000_000]))
    return Key(equal, 1 - equal, fixed, counting=counting, factor=draw(st.booleans()))


@st.composite
def recipients(draw: st.DrawFn) -> ColumnarPopulation:
    """Recipients as the columnar reader gives them: unique codes, names, whole figures."""
    count = draw(st.integers(1, 12))
    codes = draw(st.lists(st.integers(1000, 10**9), min_size=count, max_size=count, unique=True))
    counts = draw(st.lists(st.integers(0, 10**6), min_size=count, max_size=count))
    if not any(counts):
        counts[0] = 1  # the reader leaves an all-zero file to load_file
    frame = pl.DataFrame(
        {"code": [str(c) for c in codes], "name": [f"n{c}" for c in codes], "population": counts},
        schema={"code": pl.String, "name": pl.String, "population": pl.Int64},
    )
    return ColumnarPopulation("recipients.csv", "recipients.csv, egen fil fra brugeren", frame)


AMOUNTS = st.sampled_from([0, 1, 100, 52_500_000, 98_765_432_175, -100_000, 10**20])
UNITS = st.sampled_from([Unit(), Unit.parse("0.01"), Unit.parse("100")])
METHODS = st.sampled_from(["largest-remainder", "largest-remainder", "webster"])


def general_csv(
    amount: int, population: ColumnarPopulation, unit: Unit, key: Key, method: str
) -> str:
    """The CSV the general path writes, or its error."""
    try:
        result = split(amount, population.to_population(), unit=unit, key=key, method=method)  # type: ignore[arg-type]
    except InputError as error:
        return f"error: {error}"
    out = io.StringIO()
    write_csv(result, out)
    return out.getvalue()


def columnar_csv(
    amount: int, population: ColumnarPopulation, unit: Unit, key: Key, method: str
) -> str | None:
    """The CSV the columnar path writes, its error, or ``None`` where it declines."""
    try:
        shares = split_column(amount, population, unit=unit, key=key, method=method)
    except InputError as error:
        return f"error: {error}"
    if shares is None:
        return None
    return frame_csv(population.frame.with_columns(share=shares), unit.shows_ore)


@settings(max_examples=300, deadline=None)
@given(keys(), recipients(), AMOUNTS, UNITS, METHODS)
def test_the_columnar_split_gives_the_general_bytes_or_declines(
    key: Key, population: ColumnarPopulation, amount: int, unit: Unit, method: str
) -> None:
    found = columnar_csv(amount, population, unit, key, method)
    if found is not None:
        assert found == general_csv(amount, population, unit, key, method)
    if takes(key, method) and 0 <= amount < 2**63:
        assert found is not None  # a key it implements is not declined


def test_a_cap_is_not_ignored() -> None:
    """The cap of 200 gave 800 / 39200 øre on the columnar path, 10100 / 20100 on the general."""
    frame = pl.DataFrame(
        {"code": ["5001", "5002"], "name": ["A", "B"], "population": [200, 9800]},
        schema={"code": pl.String, "name": pl.String, "population": pl.Int64},
    )
    population = ColumnarPopulation("recipients.csv", "recipients.csv", frame)
    key = Key(counting=Counting(cap=Fraction(200)), fixed_ore=100)
    general = split(30_200, population.to_population(), unit=Unit.parse("0.01"), key=key)
    assert list(general.shares_ore().values()) == [15_100, 15_100]
    assert split_column(30_200, population, unit=Unit.parse("0.01"), key=key) is None


@pytest.mark.parametrize(
    ("key", "method"),
    [
        (Key(factor=True), "largest-remainder"),  # the general path refuses: no factor column
        (
            Key(counting=Counting(discount_above=Fraction(10), discount_rate=Fraction(0))),
            "largest-remainder",
        ),
        (Key(Fraction(2, 5), Fraction(3, 5)), "largest-remainder"),
        (Key(), "webster"),
    ],
)
def test_keys_and_methods_the_columns_do_not_implement_are_declined(key: Key, method: str) -> None:
    frame = pl.DataFrame(
        {"code": ["5001", "5002"], "name": ["A", "B"], "population": [200, 9800]},
        schema={"code": pl.String, "name": pl.String, "population": pl.Int64},
    )
    population = ColumnarPopulation("recipients.csv", "recipients.csv", frame)
    assert not takes(key, method)
    assert split_column(100_000, population, unit=Unit(), key=key, method=method) is None
