"""Population bases named by rule (issue #21, item 4): every spelling, the publication
calendar, and the property that the newest-published rule never names later figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.base.errors import InputError
from costshare.population.basis_rules import (
    looks_like_rule,
    newest_available,
    newest_published,
    published_on,
    resolve_rule,
    rule_of,
)
from costshare.population.packaged import load_packaged, quarters
from costshare.population.releases import release

DECIDED = date(2025, 2, 3)  # the seed case's meeting


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("1. januar i budgetåret", "2025K1"),
        ("1 januar i budgetåret", "2025K1"),
        ("1. Januar i Budgetåret.", "2025K1"),
        ("1 January of the budget year", "2025K1"),
        ("1. January of the budget year", "2025K1"),
        ("1. januar året før", "2024K1"),
        ("1. januar året før budgetåret", "2024K1"),
        ("1 January of the year before", "2024K1"),
        ("1 january  of the year before the budget year", "2024K1"),
        ("senest offentliggjorte før beslutningen", "2024K4"),
        ("newest published before the decision", "2024K4"),
        ("latest published before the decision", "2024K4"),
    ],
)
def test_every_spelling_resolves(text: str, quarter: str) -> None:
    ruled = resolve_rule(text, 2025, DECIDED)
    assert ruled is not None and ruled.quarter == quarter


def test_a_quarter_or_a_file_is_no_rule() -> None:
    for text in ("2025K1", "befolkning.csv", "2022K1:65-"):
        assert resolve_rule(text, 2025, DECIDED) is None
        assert not looks_like_rule(text)
    assert looks_like_rule("1. jan i budgetåret") and rule_of("1. jan i budgetåret") is None


def test_the_publication_calendar_of_the_seed_case() -> None:
    # 2025K1 came out about mid-February 2025: after the meeting of 3 February.
    assert published_on("2025K1") == date(2025, 2, 15)
    assert newest_published(DECIDED) == "2024K4"
    assert newest_published(date(2025, 2, 15)) == "2025K1"
    # 2025K3 has an exact timestamp (11 August 2025), not the rule's 15th.
    assert newest_published(date(2025, 8, 11)) == "2025K3"
    assert newest_published(date(2025, 8, 10)) == "2025K2"


def test_init_proposes_the_newest_quarter_published_by_the_decision() -> None:
    """The bug of issue #21: a decision of 3 February 2025 was proposed 2026K1."""
    assert newest_available(DECIDED) == "2024K4"
    assert load_packaged(newest_available(DECIDED)).select_region("H").count_of("157") == 75_086


def test_a_rule_beyond_the_data_names_the_fetch() -> None:
    with pytest.raises(InputError, match=r"2027K4.*costshare data fetch --quarter 2027K4"):
        resolve_rule("senest offentliggjorte før beslutningen", 2028, date(2028, 1, 10))


@settings(max_examples=300)
@given(st.dates(min_value=date(2016, 3, 1), max_value=date(2030, 12, 31)))
def test_the_newest_published_is_published_by_the_decision_and_is_the_newest(day: date) -> None:
    """The rule-named basis "newest published before the decision" is a quarter published
    on or before the decision, and the quarter after it was not yet published."""
    quarter = newest_published(day)
    assert release(quarter).published.date() <= day
    year, number = int(quarter[:4]), int(quarter[5])
    following = f"{year + number // 4}K{number % 4 + 1}"
    assert release(following).published.date() > day


@settings(max_examples=100)
@given(st.dates(min_value=date(2016, 3, 1), max_value=date(2027, 12, 31)))
def test_init_never_proposes_figures_published_after_the_decision(day: date) -> None:
    quarter = newest_available(day)
    assert published_on(quarter) <= day
    later = [q for q in quarters() if quarters().index(q) > quarters().index(quarter)]
    assert all(published_on(q) > day for q in later)


def test_the_rule_is_named_in_the_source_line() -> None:
    from costshare.population.basis_rules import with_rule

    ruled = resolve_rule("1. januar i budgetåret", 2025, DECIDED)
    assert ruled is not None
    source = with_rule(load_packaged(ruled.quarter), ruled).source
    assert source.endswith(
        "1. januar 2025 (1. januar i budgetåret: 2025K1; kontrolleret mod offentliggjorte tal)"
    )
    assert timedelta(0) < published_on("2025K1") - DECIDED
