"""Amounts are read the way people write them (issue #11), and never guessed.

Money has at most two decimals, so a single separator followed by exactly three digits
(``525.000``, ``1,050``) can only be a thousands separator. Where three decimals are
possible (percentages, weights), the same text is still refused with both readings.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.money import Unit, parse_amount, parse_decimal, parse_percent
from costshare.cli import cli

SEPARATORS = st.sampled_from([".", ","])
SUFFIXES = st.sampled_from(["", " kr.", " kr", " DKK", "kr."])


@given(st.integers(1, 999), st.integers(0, 999), SEPARATORS, SUFFIXES)
def test_one_separator_before_three_digits_is_a_thousands_separator(
    thousands: int, rest: int, separator: str, suffix: str
) -> None:
    text = f"{thousands}{separator}{rest:03d}{suffix}"
    assert parse_amount(text) == (thousands * 1000 + rest) * 100


@given(st.integers(0, 10**9), st.integers(0, 99), SEPARATORS)
def test_one_or_two_decimals_stay_decimals(kroner: int, ore: int, separator: str) -> None:
    assert parse_amount(f"{kroner}{separator}{ore:02d}") == kroner * 100 + ore
    assert parse_amount(f"{kroner}{separator}{ore // 10}") == kroner * 100 + ore // 10 * 10


@given(st.integers(0, 10**15))
def test_whole_kroner_in_danish_form_read_back(kroner: int) -> None:
    """What costshare prints (``1.050.000 kr.``, ``525.000 kr.``) is accepted as input."""
    assert parse_amount(format_kr(kroner * 100)) == kroner * 100


@given(st.integers(1000, 999_999), SEPARATORS)
def test_a_unit_reads_thousands_too(kroner: int, separator: str) -> None:
    text = f"{kroner // 1000}{separator}{kroner % 1000:03d}"
    assert Unit.parse(text).ore == kroner * 100


@given(st.integers(1, 99), st.integers(0, 999), SEPARATORS)
def test_three_decimals_stay_ambiguous_where_they_are_possible(
    whole: int, rest: int, separator: str
) -> None:
    text = f"{whole}{separator}{rest:03d}"
    with pytest.raises(InputError, match="is ambiguous"):
        parse_decimal(text, "weight")
    with pytest.raises(InputError, match="is ambiguous"):
        parse_percent(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1234.567", "has fractions of an øre"),  # not a thousands group, so decimals
        ("0,001", "has fractions of an øre"),  # a leading 0 is never a thousands group
        ("12.34.567", "misplaced thousands separators"),
        ("1.050,000.00", "no single reading"),
    ],
)
def test_what_has_no_money_reading_is_refused(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_amount(text)


@pytest.mark.parametrize(
    ("written", "header"),
    [
        ("525.000 kr.", "Fordeling af 525.000 kr. efter indbyggertal, 29 kommuner"),
        ("1,050", "Fordeling af 1.050 kr. efter indbyggertal, 29 kommuner"),
        ("525,00", "Fordeling af 525 kr. efter indbyggertal, 29 kommuner"),
    ],
)
def test_the_split_header_echoes_the_amount_as_read(written: str, header: str) -> None:
    args = ["split", "--amount", written, "--region", "Hovedstaden", "--population", "2025K1"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == header


def test_the_issue_s_command_splits_525000() -> None:
    """Issue #11, done when: `split --amount "525.000 kr." --region Hovedstaden
    --population 2025K1` splits 525000."""
    args = ["split", "--amount", "525.000 kr.", "--region", "Hovedstaden"]
    result = CliRunner().invoke(cli, [*args, "--population", "2025K1", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    shares = [int(row.rsplit(",", 1)[1]) for row in result.stdout.splitlines()[1:]]
    assert len(shares) == 29 and sum(shares) == 525_000
