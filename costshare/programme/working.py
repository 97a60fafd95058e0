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

from costshare.base.danish import format_count, format_fraction, format_kr, recipients_word
from costshare.base.errors import InputError
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
            percent = format_fraction(party.weight / weight_total * 100, 4).rstrip("0").rstrip(",")
            steps.append(
                Step(
                    f"{party.name} ({percent} %)",
                    format_kr(result.party_parts_ore[party.code], decimals),
                )
            )
    if code in result.party_parts_ore and code != "kommuner":
        return steps
    if code not in result.municipal.population.codes:
        raise InputError(f"no payer has the code {code!r}")
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
    steps = [
        Step("Fordelingsnøgle", split.key.describe()),
        Step(
            f"Befolkning ({population.source})",
            f"{name} {format_count(count)} af {format_count(population.total)} "
            f"({len(population.codes)} {who})",
        ),
        Step(
            "Andel",
            f"{format_count(count)} / {format_count(population.total)} = "
            f"{format_fraction(Fraction(100 * count, population.total), 6)} %",
        ),
    ]
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
        factor = f"{format_count(count)} / {format_count(population.total)}"
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
