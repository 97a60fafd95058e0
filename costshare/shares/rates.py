"""Amounts that follow from a rate: kroner or øre per inhabitant, per 100, per unit (issue #21).

Many fees are decided as a rate, not a total: KL's membership fee is a rate per 100
inhabitants, KFPLC 80,80 øre per inhabitant (at most 100.000 counted), KOMBIT 25 kr. per
citizen with only 50 % for each citizen above 150.000, Copydan 0,304 kr. per inhabitant
of a region. A :class:`Rate` is read from the words the decision uses
(:func:`parse_rate`), and :func:`rate_split` gives each payer

    exact amount = rate × counted units / per

exactly (a :class:`~fractions.Fraction` of øre; :func:`costshare.shares.charges.rate_split`), where the counted units are the payer's
figure after the key's cap, reduced rate above a threshold, factor and discount
(:class:`~costshare.shares.weights.Counting`). Each exact amount is then rounded **for
itself** to the nearest rounding unit, halves up (:func:`costshare.allocation.methods.round_each`):
a municipality can redo its own amount from the rate and its figure, and no amount moves
because of another's. The total is the sum of the rounded amounts; it differs from the
exact total (rate × all counted units) by at most half a unit per payer.

With a frozen national total (KL: the population of 1 January 2014, distributed by the
current year's figures) the payers share ``rate × frozen total / per`` by their counted
figures: each exact amount is that times the payer's share of the counted figures.

>>> rate = parse_rate("3.494,16 kr. pr. 100 indbyggere")
>>> rate.amount_ore, rate.per, rate.describe()
(Fraction(349416, 1), 100, '3.494,16 kr. pr. 100 indbyggere')
>>> parse_rate("80,80 øre pr. indbygger").exact_ore(Fraction(100_000))
Fraction(8080000, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from costshare.base.danish import format_count, format_fraction
from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy, mark
from costshare.base.money import ORE_PER_KRONE, parse_decimal
from costshare.population.packaged import decimal_text

RATE = mark("rate")
RATE_EXAMPLE = mark('"25 kr. pr. indbygger" or "3.494,16 kr. pr. 100 indbyggere"')
_RATE = re.compile(
    r"^(?P<amount>[0-9][0-9., \u00a0]*?)\s*(?P<currency>kr\.?|kroner|dkk|øre)\s+"
    r"(?P<per>pr\.?|per|/)\s*(?P<count>[0-9][0-9.]*\s+)?(?P<unit>\S.*?)\s*$",
    re.IGNORECASE,
)
# Words for inhabitants, as the documents (always Danish) say them: singular, plural.
_INHABITANTS = {
    "indbygger": ("indbygger", "indbyggere"),
    "indbyggere": ("indbygger", "indbyggere"),
    "borger": ("borger", "borgere"),
    "borgere": ("borger", "borgere"),
    "person": ("person", "personer"),
    "personer": ("person", "personer"),
    "inhabitant": ("indbygger", "indbyggere"),
    "inhabitants": ("indbygger", "indbyggere"),
    "citizen": ("borger", "borgere"),
    "citizens": ("borger", "borgere"),
    "persons": ("person", "personer"),
}


@dataclass(frozen=True)
class Rate:
    """An amount per ``per`` units: ``amount_ore`` øre (exact) per ``per`` inhabitants or
    units of a key column. ``ore`` says whether the decision wrote it in øre."""

    amount_ore: Fraction
    per: int = 1
    unit: str = "indbygger"
    units: str = "indbyggere"
    ore: bool = False
    inhabitants: bool = True
    """Whether the rate is per inhabitant (else per unit of the figures, e.g. hours)."""

    def exact_ore(self, counted: Fraction) -> Fraction:
        """The exact amount for ``counted`` units, in øre."""
        return self.amount_ore * counted / self.per

    def amount_text(self) -> str:
        """``25 kr.``, ``3.494,16 kr.``, ``0,304 kr.``, ``80,80 øre``: as a decision writes it."""
        if self.ore:
            return f"{_money(self.amount_ore)} øre"
        return f"{_money(self.amount_ore / ORE_PER_KRONE)} kr."

    def describe(self) -> str:
        """``25 kr. pr. indbygger``, ``3.494,16 kr. pr. 100 indbyggere``."""
        if self.per == 1:
            return f"{self.amount_text()} pr. {self.unit}"
        return f"{self.amount_text()} pr. {format_count(self.per)} {self.units}"

    def with_units(self, units: str) -> Rate:
        """The rate with the plural its figures go by (a column's header, ``køreplantimer``)."""
        from dataclasses import replace

        return replace(self, units=units) if not self.inhabitants else self


@dataclass(frozen=True)
class Frozen:
    """A frozen total of units (KL: the population of 1 January 2014), with its source."""

    count: Fraction
    words: str
    """Where the figure comes from, in Danish: ``landets indbyggertal 1. januar 2014``."""


def parse_rate(text: str) -> Rate:
    """A rate as a decision writes it, in Danish or English.

    ``25 kr. pr. indbygger``, ``80,80 øre pr. indbygger``, ``3.494,16 kr. pr. 100
    indbyggere``, ``0,304 kr. per inhabitant``, ``12,50 kr. pr. køreplantime``. Raises
    :class:`InputError` for anything else.
    """
    match = _RATE.match(text.strip())
    if not match:
        raise InputError(
            lazy(
                "{what} {value} is not a rate; write an amount, kr. or øre, pr. and what it "
                "is per, e.g. {example}",
                what=lazy(RATE),
                value=shown(text),
                example=lazy(RATE_EXAMPLE),
            )
        )
    number = Fraction(parse_decimal(match["amount"], RATE, RATE_EXAMPLE))
    ore = match["currency"].casefold() == "øre"
    per = 1
    if match["count"]:
        per = int(parse_decimal(match["count"].strip(), RATE, RATE_EXAMPLE, money=True))
        if per <= 0:
            raise InputError(lazy("{what} {value}: what it is per must be above 0", what=lazy(RATE), value=shown(text)))  # fmt: skip
    word = match["unit"].strip()
    known = _INHABITANTS.get(word.casefold())
    singular, plural = known if known else (word, word)
    return Rate(
        amount_ore=number if ore else number * ORE_PER_KRONE,
        per=per,
        unit=singular,
        units=plural,
        ore=ore,
        inhabitants=known is not None,
    )


def _money(value: Fraction) -> str:
    """A rate's number: whole without decimals, else with two or as many as it has."""
    if value.denominator == 1:
        return format_count(int(value))
    text = decimal_text(value)
    decimals = len(text.partition(",")[2])
    return text if decimals >= 2 else format_fraction(value, 2)
