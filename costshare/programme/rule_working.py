"""The working behind a payer's amount under the published rules of issue #21.

:func:`costshare.programme.working.municipal_working` hands over to these for a split
whose amounts follow from a rate (:func:`rate_working`) or class fees
(:func:`fee_working`), for a key by size class (:func:`class_step`) and for a key in parts
(:func:`parts_working`). Each returns the same :class:`Step` lines ``costshare explain``
prints and each payer's workbook carries, so the two cannot disagree, and every number
in them is exact (fractions shown to the øre or as decimals).

>>> from costshare.population.packaged import load_packaged
>>> from costshare.shares.charges import parse_rate, rate_split
>>> result = rate_split(load_packaged("2025K1").select_region("H"), parse_rate("80,80 øre pr. indbygger"))
>>> for step in rate_working(result, "157"):
...     print(f"{step.label}: {step.value}")
Sats: 80,80 øre pr. indbygger
Befolkning (Danmarks Statistik, FOLK1A, 1. januar 2025 (2025K1; kontrolleret mod offentliggjorte tal)): Gentofte 75.076 (29 kommuner)
Beløb før afrunding: 80,80 øre pr. indbygger × 75.076 indbyggere = 60.661,408 kr.
Afrunding: hvert beløb for sig til nærmeste hele krone (halve op)
Beløb: 60.661 kr.
"""

from __future__ import annotations

from fractions import Fraction

from costshare.base.danish import (
    format_fraction,
    format_kr,
    format_rate,
    recipients_word,
)
from costshare.population.packaged import decimal_text
from costshare.programme.key_wording import (
    class_labels,
    class_of,
    class_values,
    counting_phrases,
    describe,
    describe_key,
)
from costshare.programme.steps import Step, exact_kr, rounding_rule, weight_steps
from costshare.shares.parts import PartShare, part_shares
from costshare.shares.splitting import Split


def counted_units(split: Split, code: str) -> Fraction:
    """The payer's counted units: its figure after cap, rate above, factor and discount."""
    return split.key_weights[code]


def rate_working(split: Split, code: str) -> list[Step]:
    """A rate: the rate, the figure, what the key counted, rate × counted units, rounding."""
    rate = split.rate
    assert rate is not None
    population = split.population
    decimals = split.unit.shows_ore
    who = recipients_word(population.municipal)
    name = population.name_of(code)
    steps = [Step("Sats", rate.describe() + _rules(split, rate.units))]
    label = "Befolkning" if rate.inhabitants else population.measure.capitalize()
    count = population.figure_text(population.count_of(code))
    if split.frozen is not None:
        return steps + _frozen_working(split, code, label)
    steps.append(
        Step(f"{label} ({population.source})", f"{name} {count} ({len(population.codes)} {who})")
    )
    units = counted_units(split, code)
    if split.counted:
        steps += weight_steps(split, code)[:-1]  # the cap, rate and discount; not "Vægt"
    per = rate.unit if rate.per == 1 else f"{rate.per} {rate.units}"
    product = f"{rate.amount_text()} pr. {per} × {decimal_text(units)} {rate.units}"
    steps += [
        Step("Beløb før afrunding", f"{product} = {exact_kr(split.exact_ore(code))}"),
        Step("Afrunding", rounding_rule(split)),
        Step("Beløb", format_kr(split.share_ore(code), decimals)),
    ]
    return steps


def _rules(split: Split, units: str) -> str:
    extra = counting_phrases(split.key.counting, units)
    return f" ({'; '.join(extra)})" if extra else ""


def _frozen_working(split: Split, code: str, label: str) -> list[Step]:
    """KL's rule: the rate on a frozen total, distributed by the current figures."""
    rate, frozen = split.rate, split.frozen
    assert rate is not None and frozen is not None
    population = split.population
    whole = rate.exact_ore(frozen.count)
    count, total = population.count_of(code), population.total
    figure = population.figure_text
    per = rate.unit if rate.per == 1 else f"{rate.per} {rate.units}"
    return [
        Step("Fastfrosset grundlag", f"{frozen.words}: {decimal_text(frozen.count)} {rate.units}"),
        Step("Samlet efter satsen", f"{rate.amount_text()} pr. {per} × {decimal_text(frozen.count)} {rate.units} = {exact_kr(whole)}"),
        Step(f"{label} ({population.source})", f"{population.name_of(code)} {figure(count)} af {figure(total)} ({len(population.codes)} {recipients_word(population.municipal)})"),
        Step("Andel", f"{figure(count)} / {figure(total)} = {format_fraction(Fraction(100 * count, total), 6)} %"),
        Step("Beløb før afrunding", f"{exact_kr(whole)} × {figure(count)} / {figure(total)} = {exact_kr(split.exact_ore(code))}"),
        Step("Afrunding", rounding_rule(split)),
        Step("Beløb", format_kr(split.share_ore(code), split.unit.shows_ore)),
    ]  # fmt: skip


def class_step(split: Split, code: str) -> Step:
    """``Størrelsesklasse: 60.000 til under 120.000 indbyggere, vægt 3``."""
    label, value = class_of(split, code)
    return Step("Størrelsesklasse", f"{label}, {value}")


def fee_working(split: Split, code: str) -> list[Step]:
    """Fees by size class: the figure, the class, the fee (the amount)."""
    population = split.population
    who = recipients_word(population.municipal)
    count = population.figure_text(population.count_of(code))
    label, fee = class_of(split, code)
    steps = [
        Step("Fordelingsnøgle", describe_key(split)),
        Step(
            f"{'Befolkning' if population.measure == 'indbyggertal' else population.measure.capitalize()} ({population.source})",
            f"{population.name_of(code)} {count} ({len(population.codes)} {who})",
        ),
        Step("Størrelsesklasse", f"{label}: {fee}"),
    ]
    if split.exact_ore(code) != split.share_ore(code):
        steps.append(Step("Afrunding", rounding_rule(split)))
    steps.append(Step("Beløb", format_kr(split.share_ore(code), split.unit.shows_ore)))
    return steps


def parts_working(split: Split, code: str) -> list[Step]:
    """A key in parts: each part's amount and what it gives this payer, then their sum."""
    name = split.population.name_of(code)
    steps = []
    terms = []
    for share in part_shares(split, code):
        part = share.part
        head = f"Del {share.index}: {part.name} ({format_rate(part.weight)})"
        if not share.member:
            steps.append(
                Step(head, f"{exact_kr(share.amount_ore)}; {name} er ikke med i denne del: 0 kr.")
            )
            continue
        steps.append(Step(head, f"{exact_kr(share.amount_ore)}; {_part_figure(share, name)} → {exact_kr(share.exact_ore)}"))  # fmt: skip
        terms.append(exact_kr(share.exact_ore))
    exact = exact_kr(split.exact_ore(code))
    steps.append(Step("Præcis andel (delene lagt sammen)", f"{' + '.join(terms)} = {exact}" if len(terms) > 1 else exact))  # fmt: skip
    return steps


def _part_figure(share: PartShare, name: str) -> str:
    """``Køge 1.234 af 2.500 køreplantimer (movia.csv) = 49,36 %``; an equal part
    ``ligeligt, 1 af 3``; a class ``60.000 til under 120.000 indbyggere, vægt 3 af 10``."""
    part = share.part
    key, population = part.key, part.population
    percent = format_fraction(100 * share.share, 3) + " %"
    if key.equal == 1:
        return f"ligeligt, 1 af {len(population.codes)} = {percent}"
    measure = "indbyggere" if population.measure == "indbyggertal" else population.measure
    if key.classes is not None:
        index = key.classes.index(share.figure)
        label = class_labels(key.classes, measure)[index]
        return f"{name} {decimal_text(share.figure)} ({label}), {class_values(key.classes)[index]} af i alt vægt {decimal_text(share.weight_total)} = {percent}"  # fmt: skip
    if key.equal:  # a mix: the payer's figure, and its share of the mixed part
        mix = describe(key, population)
        return f"{name} {decimal_text(share.figure)} {measure} ({population.source}); andel af delen ({mix}) = {percent}"  # fmt: skip
    weight = decimal_text(share.weight)
    if share.weight != share.figure:
        weight = f"{decimal_text(share.figure)} talt som {weight}"
    return f"{name} {weight} af {decimal_text(share.weight_total)} {measure} ({population.source}) = {percent}"
