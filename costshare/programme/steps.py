"""One line of a payer's working, and the steps from a figure to its weight in the key.

:class:`Step` is what ``costshare explain`` prints and each payer's workbook carries;
:mod:`costshare.programme.working` and :mod:`costshare.programme.rule_working` make them,
and the letters' wording shows exact amounts the same way (:func:`exact_kr`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from costshare.base.danish import format_count, format_fraction, format_kr, format_trimmed
from costshare.population.packaged import decimal_text
from costshare.shares.splitting import Split


@dataclass(frozen=True)
class Step:
    """One line of the working: a Danish label and its value."""

    label: str
    value: str


def weight_steps(split: Split, code: str) -> list[Step]:
    """The steps from a recipient's figure to its weight: what the cap, the rate above a
    threshold, the factor and the discount did (only those the key has)."""
    key, population = split.key, split.population
    counting = key.counting
    step = key.steps(population, code)
    text = decimal_text
    steps = []
    if counting.cap is not None:
        steps.append(Step(f"Loft ({text(counting.cap)})", f"talt med {text(step.capped)}"))
    if counting.above_from is not None:
        rate = format_trimmed(counting.above_rate * 100, 4)
        if step.capped > counting.above_from:
            above = step.capped - counting.above_from
            value = f"{text(counting.above_from)} + {text(above)} × {rate} % = {text(step.counted)}"
        else:
            value = f"{text(step.counted)} (ikke over {text(counting.above_from)})"
        steps.append(Step(f"Over {text(counting.above_from)} talt med {rate} %", value))
    if key.factor:
        steps.append(
            Step(
                "Faktor",
                f"{text(step.counted)} × {text(step.factor)} = {text(step.counted * step.factor)}",
            )
        )
    if counting.discount_above is not None:
        rate = format_trimmed(counting.discount_rate * 100, 4)
        if step.discounted:
            before = step.counted * step.factor
            value = f"{text(before)} × (100 % − {rate} %) = {text(step.weight)}"
        else:
            value = f"ingen (ikke over {text(counting.discount_above)})"
        steps.append(Step(f"Rabat {rate} % over {text(counting.discount_above)}", value))
    total = split.key_weight_total
    steps.append(Step("Vægt", f"{text(step.weight)} af {text(total)}"))
    return steps


def exact_kr(amount_ore: Fraction) -> str:
    """An exact amount in kroner as the working shows it: whole kroner without decimals,
    to the øre, to the four places a rate per 100 gives, else to three places as every
    exact share is shown: ``1.876.900 kr.``, ``6.463.687,50 kr.``, ``60.661,408 kr.``."""
    kroner = Fraction(amount_ore) / 100
    if kroner.denominator == 1:
        return f"{format_count(int(kroner))} kr."
    places = next((n for n in (2, 3, 4) if (kroner * 10**n).denominator == 1), 3)
    return f"{format_fraction(kroner, places)} kr."


def rounding_rule(split: Split) -> str:
    """How a charged amount is rounded: ``hvert beløb for sig til nærmeste hele krone (halve op)``."""
    unit = split.unit.ore
    whole = {100: "hele krone", 1: "hele øre"}.get(unit, f"hele enhed à {format_kr(unit)}")
    half = {100: "halve kroner op", 1: "halve øre op"}.get(unit, "halve enheder op")
    return f"hvert beløb for sig til nærmeste {whole} ({half.split()[0]} op)"
