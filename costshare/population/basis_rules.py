"""Population bases named by rule: "1. januar i budgetåret" and the like (issue #21).

Decisions rarely name a quarter; they name a rule: "fordeles efter indbyggertal pr. 1.
januar i budgetåret", "efter folketallet 1. januar året før". A programme may write the
rule instead of the quarter, in Danish or English, and costshare resolves it against the
programme's year and the date of the decision:

=============================================  ============================================
Rule (any of the spellings, any case)          Resolves to
=============================================  ============================================
``1. januar i budgetåret``,                    ``{year}K1``
``1 January of the budget year``
``1. januar året før``,                        ``{year - 1}K1``
``1 January of the year before``
``senest offentliggjorte før beslutningen``,   the newest quarter Statistics Denmark had
``newest published before the decision``       published on the decision date
=============================================  ============================================

The last one follows the publication calendar (:mod:`costshare.population.releases`), not
the quarters a machine happens to have, so it means the same quarter everywhere; a quarter
that is neither packaged nor fetched is refused with the command that fetches it.

>>> from datetime import date
>>> resolve_rule("1. januar i budgetåret", 2025, date(2025, 2, 3)).quarter
'2025K1'
>>> resolve_rule("1 January of the year before", 2025, date(2025, 2, 3)).quarter
'2024K1'
>>> resolve_rule("senest offentliggjorte før beslutningen", 2025, date(2025, 2, 3)).quarter
'2024K4'
>>> resolve_rule("2025K1", 2025, date(2025, 2, 3)) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.packaged import Population, dataset_of, quarters
from costshare.population.regions import regions_inner
from costshare.population.releases import release

BUDGET_YEAR = "budget-year"
YEAR_BEFORE = "year-before"
NEWEST_BEFORE_DECISION = "newest-before-decision"
# Every spelling, folded (see _fold), and the rule it names.
_SPELLINGS = {
    "1. januar i budgetåret": BUDGET_YEAR,
    "1. januar i budgetaaret": BUDGET_YEAR,
    "1 january of the budget year": BUDGET_YEAR,
    "1. januar året før": YEAR_BEFORE,
    "1. januar året før budgetåret": YEAR_BEFORE,
    "1. januar aaret foer": YEAR_BEFORE,
    "1 january of the year before": YEAR_BEFORE,
    "1 january of the year before the budget year": YEAR_BEFORE,
    "senest offentliggjorte før beslutningen": NEWEST_BEFORE_DECISION,
    "seneste offentliggjorte før beslutningen": NEWEST_BEFORE_DECISION,
    "newest published before the decision": NEWEST_BEFORE_DECISION,
    "latest published before the decision": NEWEST_BEFORE_DECISION,
}
# How documents name each rule (always Danish, like every document).
WORDS = {
    BUDGET_YEAR: "1. januar i budgetåret",
    YEAR_BEFORE: "1. januar året før budgetåret",
    NEWEST_BEFORE_DECISION: "senest offentliggjorte før beslutningen",
}
# Text that is probably meant as a rule (and is no file): "1. januar 2025", "budgetår".
_RULE_LIKE = re.compile(
    r"\bjan\b|januar|january|budget|året|aaret|\bfør\b|before|beslutning|decision", re.IGNORECASE
)


@dataclass(frozen=True)
class RuledBasis:
    """A rule and the quarter it gives for one programme year and decision date."""

    rule: str
    quarter: str

    @property
    def words(self) -> str:
        """The rule in Danish, as documents print it: ``1. januar i budgetåret``."""
        return WORDS[self.rule]

    @property
    def names_a_date(self) -> bool:
        """Whether the rule names a day by the calendar (1 January of a year), so that the
        decision may name figures published after it; the newest-published rule cannot."""
        return self.rule != NEWEST_BEFORE_DECISION


def _fold(text: str) -> str:
    """Case and spacing folded, ``1 januar`` as ``1. januar`` and ``1. January`` as
    ``1 january``, so each rule is one key of :data:`_SPELLINGS`."""
    folded = re.sub(r"\s+", " ", text.strip().casefold()).removesuffix(".")
    folded = re.sub(r"^1\.? januar\b", "1. januar", folded)
    return re.sub(r"^1\.? january\b", "1 january", folded)


def rule_of(text: str) -> str | None:
    """The rule ``text`` names (``budget-year`` …), or None if it names none."""
    return _SPELLINGS.get(_fold(text))


def looks_like_rule(text: str) -> bool:
    """Whether ``text`` reads like a rule or a date in words rather than a quarter or a file."""
    return rule_of(text) is None and bool(_RULE_LIKE.search(text)) and "." not in text[-5:]


def unknown_rule(text: str) -> InputError:
    """The error for a basis written in words that is no rule costshare knows."""
    return InputError(
        lazy(
            "population {value} is not a rule costshare knows; write a quarter such as "
            '2025K1, or one of the rules "1. januar i budgetåret", "1. januar året før", '
            '"senest offentliggjorte før beslutningen" (or in English "1 January of the '
            'budget year", "1 January of the year before", "newest published before the '
            'decision")',
            value=repr(text.strip()),
        )
    )


def resolve_rule(text: str, year: int, decided: date) -> RuledBasis | None:
    """The quarter a rule gives for a programme ``year`` decided on ``decided``; None if
    ``text`` is not a rule.

    Raises :class:`InputError` when the newest quarter published before the decision is
    one costshare has neither packaged nor fetched.
    """
    rule = rule_of(text)
    if rule is None:
        return None
    if rule == BUDGET_YEAR:
        return RuledBasis(rule, f"{year}K1")
    if rule == YEAR_BEFORE:
        return RuledBasis(rule, f"{year - 1}K1")
    quarter = newest_published(decided)
    try:
        dataset_of(quarter)
    except InputError:
        raise InputError(
            lazy(
                "population {value}: the newest quarter published by {date} is {quarter}, "
                "which costshare does not have; fetch it with costshare data fetch "
                "--quarter {quarter}",
                value=repr(text.strip()),
                date=decided.isoformat(),
                quarter=quarter,
            )
        ) from None
    return RuledBasis(rule, quarter)


def published_on(quarter: str) -> date:
    """The day Statistics Denmark published ``quarter`` (exact, or by its release rule)."""
    return release(quarter).published.date()


def newest_published(day: date) -> str:
    """The newest FOLK1A quarter published on or before ``day``, by the release calendar.

    >>> newest_published(date(2025, 2, 3)), newest_published(date(2025, 2, 15))
    ('2024K4', '2025K1')
    """
    for year in range(day.year, day.year - 3, -1):
        for number in (4, 3, 2, 1):
            quarter = f"{year}K{number}"
            if published_on(quarter) <= day:
                return quarter
    raise AssertionError("a quarter is published every three months")  # pragma: no cover


def newest_available(day: date) -> str:
    """The newest quarter costshare has (packaged) that was published on or before ``day``;
    the oldest packaged quarter if none was (what ``costshare init`` proposes)."""
    published = [quarter for quarter in quarters() if published_on(quarter) <= day]
    return published[-1] if published else quarters()[0]


def with_rule(population: Population, rule: RuledBasis) -> Population:
    """The figures with the rule named in their source line, wherever it is printed:
    ``… 1. januar 2025 (1. januar i budgetåret: 2025K1; kontrolleret …)``."""
    basis = regions_inner(population.basis) or population.basis
    source = population.source.replace(f"({basis};", f"({rule.words}: {basis};", 1)
    return replace(population, source=source)
