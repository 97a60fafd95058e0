"""A letter's sentences for the published rules of issue #21: a rate, fees or weights by
size class, and a key in parts.

:mod:`costshare.programme.key_wording` owns how a key is worded (its figures' words,
:func:`~costshare.programme.key_wording.describe_key`, the size classes' labels); this
module builds on it the sentences a letter, the annex and the review print for these
forms, with the numbers of the working (:mod:`costshare.programme.rule_working`):
"Bidraget er 25 kr. pr. borger …", "25 kr. pr. borger × 258.547,5 borgere = 6.463.687,50
kr.", "… så kommunen er i klassen 60.000 til under 120.000 indbyggere og betaler …", and
each part's amount for a payer.
"""

from __future__ import annotations

from fractions import Fraction

from costshare.base.danish import NO_BREAK, format_fraction, format_kr
from costshare.programme.key_basis import key_basis
from costshare.programme.key_wording import (
    Wording,
    class_labels,
    class_units,
    class_values,
    number_text,
    percent_text,
    rules_sentence,
    sentence_of,
    weight_clauses,
)
from costshare.programme.steps import exact_kr
from costshare.shares.parts import part_shares
from costshare.shares.splitting import Split


def rate_line(split: Split, words: Wording) -> str:
    """The rate as it applies to everyone: ``Bidraget er 25 kr. pr. borger for hver af de
    98 kommuner. Indbyggere over 150.000 tælles med 50 %.``, or for a frozen total
    ``Bidraget er 3.709,41 kr. pr. 100 indbyggere af landets indbyggertal …``."""
    rate = split.rate
    assert rate is not None
    count = len(split.population.codes)
    if split.frozen is not None:
        frozen = split.frozen
        whole = exact_kr(rate.exact_ore(frozen.count))
        return (
            f"Bidraget er {_no_break(rate.describe())} af {frozen.words}, "
            f"{number_text(frozen.count)} {rate.units}, i alt {whole}, som fordeles mellem de "
            f"{count} {words.plural} {words.by}."
        )
    rules = rules_sentence(split, words)
    line = f"Bidraget er {_no_break(rate.describe())} for hver af de {count} {words.plural}."
    return f"{line} {rules}" if rules else line


def rate_sentence(split: Split, code: str, name: str, genitive_name: str, words: Wording) -> str:
    """One payer's figure, what the key counted, and ``rate × counted units = amount``."""
    rate = split.rate
    assert rate is not None
    population = split.population
    figure = population.figure_text(population.count_of(code))
    exact = exact_kr(split.exact_ore(code))
    states = words.states(name, genitive_name, figure)
    if split.frozen is not None:
        frozen_whole = exact_kr(rate.exact_ore(split.frozen.count))
        total = population.figure_text(population.total)
        share = format_fraction(Fraction(100 * population.count_of(code), population.total), 3)
        return (
            f"{states} af i alt {total}, svarende til {share}{NO_BREAK}%: "
            f"{frozen_whole} × {figure} / {total} = {exact}"
        )
    units = split.key_weights[code]
    per = rate.unit if rate.per == 1 else f"{rate.per} {rate.units}"
    product = f"{rate.amount_text()} pr. {per} × {number_text(units)} {rate.units} = {exact}"
    basis = key_basis(split, code)
    clauses = weight_clauses(basis, words) if basis.weighing is not None else []
    if clauses:
        return f"{states}. {sentence_of(clauses)} {_no_break(product)}"
    return f"{states}: {_no_break(product)}"


def charged_rounding(split: Split, code: str, words: Wording) -> str:
    """How a charged amount was rounded, and what all payers' amounts add up to."""
    decimals = split.unit.shows_ore
    total = format_kr(split.amount_ore, decimals)
    together = f"Alle {words.all_of} beløb udgør tilsammen {total}"
    if split.exact_ore(code) == split.share_ore(code):
        return together.removesuffix(".") + "."
    whole = {100: "hele krone", 1: "hele øre"}.get(split.unit.ore, "hele enhed")
    half = {100: "halve kroner", 1: "halve øre"}.get(split.unit.ore, "halve enheder")
    return (
        f"Beløbet er afrundet til nærmeste {whole} ({half} op); hver {words.each}s beløb "
        f"afrundes for sig. {together.removesuffix('.')}."
    )


def classes_line(split: Split, words: Wording) -> str:
    """The classes for everyone: ``… efter størrelsesklasse: under 25.000 indbyggere
    10.000 kr.; …``."""
    classes = split.key.classes
    assert classes is not None
    units = class_units(words)
    pairs = "; ".join(
        f"{label} {value}"
        for label, value in zip(
            class_labels(classes, units), class_values(classes, split.unit.shows_ore), strict=True
        )
    )
    if classes.fees:
        return _ended(
            f"Beløbet afhænger af {words.its} størrelse efter {words.noun}: {_no_break(pairs)}"
        )
    count = len(split.population.codes)
    part = format_kr(split.amount_ore, split.unit.shows_ore)
    return _ended(
        f"Den kommunale andel på {part} fordeles mellem de {count} {words.plural} efter "
        f"størrelsesklasse: {_no_break(pairs)}"
    )


def class_sentence(split: Split, code: str, name: str, genitive_name: str, words: Wording) -> str:
    """The payer's class: ``Gentofte Kommunes indbyggertal er 75.076, så kommunen er i
    klassen 60.000 til under 120.000 indbyggere og betaler 30.000 kr.`` (or, with weights,
    its weight and share of the weights)."""
    classes = split.key.classes
    assert classes is not None
    population = split.population
    figure = population.figures()[population.position(code)]
    index = classes.index(figure)
    units = class_units(words)
    label = class_labels(classes, units)[index]
    states = words.states(name, genitive_name, population.figure_text(population.count_of(code)))
    if classes.fees:
        fee = format_kr(classes.fees_ore[index], split.unit.shows_ore)
        return _ended(
            f"{states}, så {words.definite} er i klassen {_no_break(label)} og betaler {fee}"
        )
    weights = [classes.weight_of(value) for value in population.figures()]
    total = sum(weights, Fraction(0))
    weight = classes.weights[index]
    share = format_fraction(100 * weight / total, 3) if total else "0,000"
    return (
        f"{states}, så {words.definite} er i klassen {_no_break(label)} med vægt {number_text(weight)}. "
        f"{words.its.capitalize()} vægt er {number_text(weight)} af i alt {number_text(total)}, "
        f"svarende til {share}{NO_BREAK}%."
    )


def parts_line(split: Split, words: Wording) -> str:
    """The parts for everyone: ``Den kommunale andel på 500.000 kr. fordeles i 2 dele:
    Køreplantimer, 80 % (400.000 kr.), efter køreplantimer mellem 3 kommuner; …``."""
    decimals = split.unit.shows_ore
    part_total = format_kr(split.amount_ore, decimals)
    described = []
    for share in part_shares(split, split.population.codes[0]):
        part = share.part
        part_words = Wording.of_population(part.population)
        how = "ligeligt" if part.key.equal == 1 else part_words.by
        if part.key.classes is not None:
            how = "efter størrelsesklasse"
        elif 0 < part.key.equal < 1:
            how = f"{percent_text(part.key.equal)} ligeligt og {percent_text(part.key.population)} {part_words.by}"
        count = len(part.population.codes)
        described.append(
            f"{part.name}, {percent_text(part.weight)} ({exact_kr(share.amount_ore)}), {how} mellem "
            f"{count} {part_words.plural if count > 1 else part_words.each}"
        )
    return f"Den kommunale andel på {part_total} fordeles i {len(described)} dele: {'; '.join(described)}."


def parts_items(split: Split, code: str, name: str) -> list[str]:
    """What each part gives the payer: ``Køreplantimer: 1.234 af 2.500 køreplantimer
    (49,360 %), dvs. 197.440 kr.``."""
    items = []
    for share in part_shares(split, code):
        part = share.part
        if not share.member:
            items.append(f"{part.name}: {name} er ikke med i denne del, dvs. 0 kr.")
            continue
        part_words = Wording.of_population(part.population)
        percent = format_fraction(100 * share.share, 3) + NO_BREAK + "%"
        if part.key.equal == 1:
            what = f"ligeligt, 1 af {len(part.population.codes)} ({percent})"
        elif part.key.classes is not None:
            label = class_labels(part.key.classes, part_words.counted)[
                part.key.classes.index(share.figure)
            ]
            what = f"{number_text(share.figure)} {part_words.counted}, klassen {label}, vægt {number_text(share.weight)} af {number_text(share.weight_total)} ({percent})"  # fmt: skip
        elif part.key.equal:
            what = f"{number_text(share.figure)} {part_words.counted}, {percent} af delen"
        elif share.weight != share.figure:
            what = f"{number_text(share.figure)} {part_words.counted}, talt med {number_text(share.weight)} af {number_text(share.weight_total)} ({percent})"  # fmt: skip
        else:
            what = f"{number_text(share.figure)} af {number_text(share.weight_total)} {part_words.counted} ({percent})"  # fmt: skip
        items.append(f"{part.name}: {what}, dvs. {exact_kr(share.exact_ore)}")
    return items


def _ended(text: str) -> str:
    """A sentence with one full stop (``kr.`` already has it)."""
    return text if text.endswith(".") else text + "."


def _no_break(text: str) -> str:
    """A rate or a class with no-break spaces inside its numbers' units (``25 kr.``)."""
    return (
        text.replace(" kr.", NO_BREAK + "kr.")
        .replace(" øre", NO_BREAK + "øre")
        .replace(" %", NO_BREAK + "%")
    )
