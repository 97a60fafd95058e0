"""When Statistics Denmark published a packaged FOLK1A quarter.

``folk1a_release_dates.csv`` holds the timestamps that were found; its sidecar classifies
each row (``exact``, ``scheduled``, ``bound``, ``rule``). A quarter with an exact
timestamp carries it; every other quarter carries the date Statistics Denmark's own rule
gives ("midt i februar, maj, august og november", kl. 08:00): the 15th of the month after
the quarter's first month, marked as not exact. Runs warn when a letter or a decision is
dated before its basis was published (:func:`release`).

>>> release("2025K3").published.isoformat(), release("2025K3").exact
('2025-08-11T08:00:00+02:00', True)
>>> release("2025K1").published.date().isoformat(), release("2025K1").exact
('2025-02-15', False)
>>> release("2025K1").described
'midt i februar 2025 (Danmarks Statistiks udgivelsesplan)'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from costshare.base.danish import MONTHS, format_date
from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy, tr
from costshare.population.datasets import packaged_file, packaged_sidecar
from costshare.population.packaged import MONTHS_EN

RELEASES = "folk1a_release_dates"
_QUARTER = re.compile(r"^(\d{4})K([1-4])$")
# The rule's day: "midt i" the month. The exact dates found (10-12 August) are close to it.
_RULE_DAY = 15
_DANISH_WINTER = timezone(timedelta(hours=1))
_DANISH_SUMMER = timezone(timedelta(hours=2))


@dataclass(frozen=True)
class Release:
    """When a quarter was (or, by the rule, would have been) published."""

    quarter: str
    published: datetime
    exact: bool

    @property
    def described(self) -> str:
        """The publication in Danish: the exact date, or the rule's month."""
        if self.exact:
            return f"{format_date(self.published.date())} kl. 08.00"
        month = MONTHS[self.published.month - 1]
        return f"midt i {month} {self.published.year} (Danmarks Statistiks udgivelsesplan)"


def released_with(basis: str) -> str | None:
    """The FOLK1A quarter whose publication brought ``basis``'s figures: the quarter
    itself, or an age group's quarter (``2022K1:65-`` → ``2022K1``; a fetched
    ``statbank:`` set likewise); None for a month (FOLK1AM keeps another schedule) or a file.

    >>> released_with("2022K1:65-"), released_with("statbank:2024K4"), released_with("2024M12")
    ('2022K1', '2024K4', None)
    """
    period = basis.strip().upper().removeprefix("STATBANK:").split(":")[0]
    return period if _QUARTER.match(period) else None


def release(quarter: str) -> Release:
    """The publication of ``quarter`` (``2025K1``): exact where found, else by the rule.

    Raises :class:`InputError` for text that is not a quarter.
    """
    quarter = quarter.strip().upper()
    match = _QUARTER.match(quarter)
    if not match:
        raise InputError(lazy("{quarter} is not a quarter such as 2025K1", quarter=repr(quarter)))
    if quarter in _exact():
        return Release(quarter, _exact()[quarter], True)
    year, number = int(match[1]), int(match[2])
    month = 3 * number - 1  # K1 -> February, K2 -> May, K3 -> August, K4 -> November
    # Summer time runs from late March to late October: May and August are summer.
    zone = _DANISH_SUMMER if month in (5, 8) else _DANISH_WINTER
    return Release(quarter, datetime(year, month, _RULE_DAY, 8, 0, tzinfo=zone), False)


def releases_source() -> dict[str, Any]:
    """The sidecar of ``folk1a_release_dates.csv``."""
    return packaged_sidecar(RELEASES)


@functools.cache
def _exact() -> dict[str, datetime]:
    _raw, info = packaged_file(RELEASES)
    return {
        row["period"]: row["published"]
        for row in info["rows"]
        if row["table"] == "FOLK1A" and row["kind"] == "exact" and _QUARTER.match(row["period"])
    }


def published_words(quarter: str) -> Text:
    """When ``quarter`` was published, for a message: ``on 2025-08-11`` or ``around
    mid-February 2025 (its release rule)``."""
    published = release(quarter)
    moment = published.published
    if published.exact:
        return lazy("on {date}", date=f"{moment:%Y-%m-%d}")
    return lazy(
        "around mid-{month} {year} (its release rule)",
        month=lazy(MONTHS_EN[moment.month - 1]),
        year=moment.year,
    )


def publication_warnings(quarter: str, letter_date: date, decision_date: date | None) -> list[str]:
    """Warnings when ``quarter`` was published after the letter date or the decision
    (``None``: figures meant to come after the decision, as a settlement's final ones).

    Informational: figures published after a meeting are figures the meeting could not
    have seen; a letter dated before them quotes figures that were not yet public.

    >>> publication_warnings("2025K1", date(2025, 1, 20), date(2025, 1, 10))[0]  # doctest: +ELLIPSIS
    'population 2025K1 was published by Statistics Denmark around mid-February 2025 (its release rule), after the letter date 2025-01-20; ...'
    >>> publication_warnings("2025K1", date(2025, 3, 1), date(2025, 3, 1))
    []
    """
    published = release(quarter)
    moment = published.published
    if published.exact:
        head = tr(
            "population {quarter} was published by Statistics Denmark on {date}",
            quarter=published.quarter,
            date=f"{moment:%Y-%m-%d}",
        )
    else:
        head = tr(
            "population {quarter} was published by Statistics Denmark around mid-{month} {year} "
            "(its release rule)",
            quarter=published.quarter,
            month=tr(MONTHS_EN[moment.month - 1]),
            year=moment.year,
        )
    day = moment.date()
    warnings = []
    if letter_date < day:
        warnings.append(
            tr(
                "{head}, after the letter date {date}; "
                "the letters quote figures that were not yet public on their date",
                head=head,
                date=letter_date.isoformat(),
            )
        )
    if decision_date is not None and decision_date < day:
        warnings.append(
            tr(
                "{head}, after the decision date {date}; "
                "the meeting could not have seen these figures (informational)",
                head=head,
                date=decision_date.isoformat(),
            )
        )
    return warnings
