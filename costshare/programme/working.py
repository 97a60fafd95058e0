"""The working behind one payer's amount, step by step, in Danish.

``costshare explain`` prints it and each payer's workbook carries it, so a finance
officer can redo the sum by hand: the total, each level of the split, the population
basis, the exact share, the floor, and whether the rounding rule gave one more unit.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> for step in party_working(result, "157"):
...     print(f"{step.label}: {step.value}")
Samlet udgift: 1.050.000 kr.
Kommunerne i KKR Hovedstaden (50 %): 525.000 kr.
Fordelingsnøgle: efter indbyggertal
Befolkning (Danmarks Statistik, FOLK1A, 1. januar 2025 (2025K1; kontrolleret mod offentliggjorte tal)): Gentofte 75.076 af 1.930.703 (29 kommuner)
Andel: 75.076 / 1.930.703 = 3,888532 %
Præcis andel: 525.000 kr. × 75.076 / 1.930.703 = 20.414,792 kr.
Rundet ned: 20.414 kr.
Afrunding: 14 enheder à 1 kr. gives til de 14 kommuner med største brøkdel; Gentofte er nr. 4 af 29 og får 1 enhed mere
Beløb: 20.415 kr.
"""

from __future__ import annotations

from fractions import Fraction

from costshare.base.danish import (
    format_count,
    format_fraction,
    format_kr,
    format_trimmed,
    recipients_word,
)
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.packaged import decimal_text
from costshare.programme.key_wording import Wording, describe_key
from costshare.programme.model import ProgrammeResult
from costshare.programme.rule_working import class_step, fee_working, parts_working, rate_working
from costshare.programme.steps import Step as Step  # re-exported
from costshare.programme.steps import weight_steps as weight_steps  # re-exported
from costshare.shares.splitting import Split


def party_working(result: ProgrammeResult, code: str) -> list[Step]:
    """The working for the payer with this code (a municipality, or a party such as ``084``).

    Raises :class:`InputError` if no payer has the code.
    """
    programme = result.programme
    decimals = programme.unit.shows_ore
    total = format_kr(result.total_ore, decimals)
    if result.municipal.charged:  # the amounts follow from a rate or fees: their sum
        steps = [Step("I alt for alle betalere (summen af de afrundede beløb)", total)]
    else:
        steps = [Step("Samlet udgift", total)]
    weight_total = sum(party.weight for party in programme.parties)
    for party in programme.parties:
        if len(programme.parties) > 1 and (party.municipal or party.code == code):
            percent = format_trimmed(party.weight / weight_total * 100, 4)
            steps.append(
                Step(
                    f"{party.name} ({percent} %)",
                    format_kr(result.party_parts_ore[party.code], decimals),
                )
            )
    if code in result.party_parts_ore and code != "kommuner":
        return steps
    if code not in result.municipal.population.codes:
        raise InputError(lazy("no payer has the code {code}", code=repr(code)))
    return steps + municipal_working(result.municipal, code)


def municipal_working(split: Split, code: str) -> list[Step]:
    """The working for one recipient of a split (the second level of a programme).

    A rate, fees by size class and a key in parts have their own steps
    (:mod:`costshare.programme.rule_working`); every split ends with its rounding.
    """
    if split.rate is not None:
        return rate_working(split, code)
    if split.charged:
        return fee_working(split, code)
    if split.key.parts:
        head = [Step("Fordelingsnøgle", describe_key(split))]
        return head + parts_working(split, code) + _rounding_steps(split, code, exact=False)
    return _share_steps(split, code) + _rounding_steps(split, code, exact=True)


def _share_steps(split: Split, code: str) -> list[Step]:
    """The key, the recipient's figure, what the key made of it, and its share."""
    population = split.population
    name = population.name_of(code)
    who = recipients_word(population.municipal)
    count = population.count_of(code)
    figure = population.figure_text
    steps = [
        Step("Fordelingsnøgle", describe_key(split)),
        Step(
            f"{Wording.of(split).label('step')} ({population.source})",
            f"{name} {figure(count)} af {figure(population.total)} ({len(population.codes)} {who})",
        ),
    ]
    classes = split.key.classes
    if classes is not None:
        steps.append(class_step(split, code))
        weights = [classes.weight_of(value) for value in population.figures()]
        weight = classes.weight_of(population.figures()[population.position(code)])
        weight_total = sum(weights, Fraction(0))
        steps.append(Step("Vægt", f"{decimal_text(weight)} af {decimal_text(weight_total)}"))
        ratio = f"{decimal_text(weight)} / {decimal_text(weight_total)}"
        share = weight / weight_total if weight_total else Fraction(0)
    elif split.counted:
        steps += weight_steps(split, code)
        weight, weight_total = split.key_weights[code], split.key_weight_total
        ratio = f"{decimal_text(weight)} / {decimal_text(weight_total)}"
        share = weight / weight_total if weight_total else Fraction(0)
    else:
        ratio = f"{figure(count)} / {figure(population.total)}"
        share = Fraction(count, population.total)
    steps.append(Step("Andel", f"{ratio} = {format_fraction(100 * share, 6)} %"))
    if split.fixed_ore:
        steps.append(Step("Fast beløb", format_kr(split.fixed_ore, split.unit.shows_ore)))
    return steps


def _rounding_steps(split: Split, code: str, *, exact: bool) -> list[Step]:
    """The exact share (when ``exact``: the parts show their own), the floor, the rounding
    rule's unit for this recipient, ties, and the amount."""
    population = split.population
    allocation = split.allocation
    working = allocation.working(code)
    decimals = split.unit.shows_ore
    steps = []
    if exact:
        if split.key.equal:
            steps.append(
                Step(
                    "Vægt i nøglen",
                    f"{format_count(working.weight)} af {format_count(working.weight_total)}",
                )
            )
            factor = f"{format_count(working.weight)} / {format_count(working.weight_total)}"
        else:
            factor = steps_ratio(split, code)
        allocated_ore = split.unit.to_ore(allocation.total)
        exact_ore = working.exact * split.unit.ore
        steps.append(
            Step(
                "Præcis andel",
                f"{format_kr(allocated_ore, decimals)} × {factor} = {format_fraction(exact_ore / 100, 3)} kr.",
            )
        )
    rounding = _rounding_text(
        working.leftover,
        working.rank,
        working.got_extra_unit,
        population.name_of(code),
        len(population.codes),
        format_kr(split.unit.ore, decimals),
        recipients_word(population.municipal),
    )
    steps += [
        Step("Rundet ned", format_kr(split.unit.to_ore(working.floor), decimals)),
        Step("Afrunding", rounding),
    ]
    if code in allocation.ties:
        steps.append(
            Step("Lige store brøkdele", "afgjort efter laveste kode: " + ", ".join(allocation.ties))
        )
    steps.append(Step("Beløb", format_kr(split.share_ore(code), decimals)))
    return steps


def steps_ratio(split: Split, code: str) -> str:
    """The recipient's share of the key as the working writes it: ``75.076 / 1.930.703``."""
    population = split.population
    classes = split.key.classes
    if classes is not None:
        weights = [classes.weight_of(value) for value in population.figures()]
        weight = classes.weight_of(population.figures()[population.position(code)])
        return f"{decimal_text(weight)} / {decimal_text(sum(weights, Fraction(0)))}"
    if split.counted:
        return f"{decimal_text(split.key_weights[code])} / {decimal_text(split.key_weight_total)}"
    figure = population.figure_text
    return f"{figure(population.count_of(code))} / {figure(population.total)}"


def _rounding_text(
    leftover: int, rank: int, extra: bool, name: str, count: int, unit: str, who: str
) -> str:
    if leftover == 0:
        return "alle andele gik op; ingen enheder at fordele"
    outcome = "får 1 enhed mere" if extra else "får ingen ekstra enhed"
    return (
        f"{leftover} enheder à {unit} gives til de {leftover} {who} med største brøkdel; "
        f"{name} er nr. {rank} af {count} og {outcome}"
    )
