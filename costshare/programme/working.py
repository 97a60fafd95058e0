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

from dataclasses import dataclass
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
from costshare.shares.splitting import Split


@dataclass(frozen=True)
class Step:
    """One line of the working: a Danish label and its value."""

    label: str
    value: str


def party_working(result: ProgrammeResult, code: str) -> list[Step]:
    """The working for the payer with this code (a municipality, or a party such as ``084``).

    Raises :class:`InputError` if no payer has the code.
    """
    programme = result.programme
    decimals = programme.unit.shows_ore
    steps = [Step("Samlet udgift", format_kr(result.total_ore, decimals))]
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
    """The working for one recipient of a split (the second level of a programme)."""
    population = split.population
    allocation = split.allocation
    working = allocation.working(code)
    decimals = split.unit.shows_ore
    unit_text = format_kr(split.unit.ore, decimals)
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
    if split.counted:
        steps += weight_steps(split, code)
        weight, weight_total = split.key_weights[code], split.key_weight_total
        ratio = f"{decimal_text(weight)} / {decimal_text(weight_total)}"
        share = weight / weight_total if weight_total else Fraction(0)
    else:
        ratio = f"{figure(count)} / {figure(population.total)}"
        share = Fraction(count, population.total)
    steps.append(Step("Andel", f"{ratio} = {format_fraction(100 * share, 6)} %"))
    allocated_ore = split.unit.to_ore(allocation.total)
    if split.fixed_ore:
        steps.append(Step("Fast beløb", format_kr(split.fixed_ore, decimals)))
    if split.key.equal:
        steps.append(
            Step(
                "Vægt i nøglen",
                f"{format_count(working.weight)} af {format_count(working.weight_total)}",
            )
        )
        factor = f"{format_count(working.weight)} / {format_count(working.weight_total)}"
    else:
        factor = ratio
    exact_ore = working.exact * split.unit.ore
    steps += [
        Step(
            "Præcis andel",
            f"{format_kr(allocated_ore, decimals)} × {factor} = {format_fraction(exact_ore / 100, 3)} kr.",
        ),
        Step("Rundet ned", format_kr(split.unit.to_ore(working.floor), decimals)),
        Step(
            "Afrunding",
            _rounding_text(
                working.leftover,
                working.rank,
                working.got_extra_unit,
                name,
                len(population.codes),
                unit_text,
                who,
            ),
        ),
    ]
    if code in allocation.ties:
        steps.append(
            Step("Lige store brøkdele", "afgjort efter laveste kode: " + ", ".join(allocation.ties))
        )
    steps.append(Step("Beløb", format_kr(split.share_ore(code), decimals)))
    return steps


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
