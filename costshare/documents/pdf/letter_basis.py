"""The sentences of a letter that say how this payer's amount was found.

A municipality's letter explains the key exactly as it was applied: by population (its
population and share), equally, a mix (each part with its percentage and amount, then
the one rounding), or a fixed amount plus the rest. A co-financing party's letter (the
region) explains its own part only. No sentence names a rounding method or a
verification status: those belong in the workbooks' method sheet and the annex.

Each key part has one small function (:data:`_PART_SENTENCES`); a new kind of key adds
one function there and, if it is a new shape, one branch in :func:`municipal_basis`.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> from costshare.programme.payers import find_payer
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> for paragraph in basis_paragraphs(result, find_payer(result, "157")):
...     print(paragraph.text)
Den kommunale andel på 525.000 kr. fordeles mellem de 29 kommuner efter indbyggertal. Gentofte Kommunes indbyggertal er 75.076 af i alt 1.930.703, svarende til 3,889 %.
Andelene er afrundet til hele kroner, så de tilsammen giver præcis 525.000 kr.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from costshare.base.danish import (
    format_count,
    format_fraction,
    format_kr,
    format_rate,
    recipients_word,
)
from costshare.programme.key_basis import key_basis
from costshare.programme.key_wording import (
    Wording,
    rules_sentence,
    weight_item,
    weight_sentences,
)
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer
from costshare.programme.rule_wording import (
    charged_rounding,
    class_sentence,
    classes_line,
    parts_items,
    parts_line,
    rate_line,
    rate_sentence,
)
from costshare.shares.splitting import Split


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text, optionally followed by a list of items."""

    text: str
    items: tuple[str, ...] = field(default=())


def basis_paragraphs(result: ProgrammeResult, payer: Payer) -> list[Paragraph]:
    """How ``payer``'s amount follows from the decision, in Danish."""
    if not payer.municipal:
        return party_basis(result, payer)
    return municipal_basis(result, payer)


def party_basis(result: ProgrammeResult, payer: Payer) -> list[Paragraph]:
    """A co-financing party's own part: its share of the total, and nothing else."""
    programme = result.programme
    decimals = programme.unit.shows_ore
    party = next(p for p in programme.parties if p.code == payer.code)
    total_weight = sum(p.weight for p in programme.parties)
    share = _percent(party.weight / total_weight)
    total = format_kr(sum(result.party_parts_ore.values()), decimals)
    others = recipients_word(result.municipal.population.municipal, definite=True)
    return [
        Paragraph(
            f"{genitive(payer.official_name)} andel er {share} af den samlede udgift på "
            f"{_end(total)} Den øvrige del opkræves hos {others} efter den aftalte fordeling."
        )
    ]


def municipal_basis(result: ProgrammeResult, payer: Payer) -> list[Paragraph]:
    """A recipient of the municipal split: the key as it applies to this recipient."""
    split = result.municipal
    if split.charged or split.key.parts or split.key.classes is not None:
        return rule_basis(result, payer)
    key = split.key
    words = Wording.of(split)
    rest_ore = split.amount_ore - key.fixed_ore * len(split.population.codes)
    paragraphs = [Paragraph(municipal_basis_line(result))]
    parts = _parts(split)
    if len(parts) == 1 and not key.fixed_ore:
        name, _weight = parts[0]
        sentence = _PART_SENTENCES[name](split, payer, rest_ore, words)
        if sentence and split.counted:  # the key's rules, then this payer's own paragraph
            paragraphs.append(Paragraph(sentence))
        elif sentence:
            paragraphs[-1] = Paragraph(f"{paragraphs[-1].text} {sentence}")
    else:
        items = []
        if key.fixed_ore:
            decimals = result.programme.unit.shows_ore
            items.append(f"fast beløb: {format_kr(key.fixed_ore, decimals)}")
        for name, weight in parts:
            part_ore = rest_ore * weight
            if len(parts) > 1:
                head = f"{_percent(weight)} ({_kr_exact(part_ore)}) {_part_name(name, words)}: "
            else:
                head = f"resten {_part_name(name, words)}: "
            items.append(head + _PART_AMOUNTS[name](split, payer, part_ore, words))
        paragraphs.append(Paragraph(f"For {payer.official_name} giver det:", tuple(items)))
    paragraphs.append(Paragraph(_rounding(result, len(parts) > 1 or bool(key.fixed_ore))))
    return paragraphs


def municipal_basis_line(result: ProgrammeResult) -> str:
    """How the municipal part is split, for everyone: the key (and the fixed amount), and
    a cap, rate, factor or discount the key has."""
    split = result.municipal
    key = split.key
    words = Wording.of(split)
    if split.rate is not None:
        return rate_line(split, words)
    if key.classes is not None:
        return classes_line(split, words)
    if key.parts:
        return parts_line(split, words)
    decimals = result.programme.unit.shows_ore
    part = format_kr(split.amount_ore, decimals)
    count = len(split.population.codes)
    among = f"mellem de {format_count(count)} {words.plural}"
    rules = rules_sentence(split, words) if split.key.population else ""
    if key.fixed_ore:
        rest_ore = split.amount_ore - key.fixed_ore * count
        line = (
            f"Af den kommunale andel på {part} betaler hver af de {format_count(count)} "
            f"{words.plural} et fast beløb på {_end(format_kr(key.fixed_ore, decimals))} "
            f"Resten, {format_kr(rest_ore, decimals)}, fordeles {_how(split, among, words)}."
        )
    else:
        line = f"Den kommunale andel på {part} fordeles {_how(split, among, words)}."
    return f"{line} {rules}" if rules else line


def rule_basis(result: ProgrammeResult, payer: Payer) -> list[Paragraph]:
    """A payer under a rate, fees or weights by size class, or a key in parts (#21): the
    rule for everyone, what it gives this payer, and how the amounts were rounded."""
    split = result.municipal
    words = Wording.of(split)
    code, name = payer.code, payer.official_name
    line = municipal_basis_line(result)
    if split.rate is not None:
        own = rate_sentence(split, code, name, genitive(name), words)
        return [Paragraph(line), Paragraph(own), Paragraph(charged_rounding(split, code, words))]
    if split.key.classes is not None:
        own = class_sentence(split, code, name, genitive(name), words)
        last = charged_rounding(split, code, words) if split.charged else _rounding(result, False)
        return [Paragraph(line), Paragraph(own), Paragraph(last)]
    items = tuple(parts_items(split, code, name))
    return [
        Paragraph(line),
        Paragraph(f"For {name} giver det:", items),
        Paragraph(_rounding(result, True)),
    ]


def _how(split: Split, among: str, words: Wording) -> str:
    """``ligeligt mellem de 29 kommuner``, ``mellem de 29 kommuner efter indbyggertal``."""
    parts = _parts(split)
    if len(parts) > 1:
        return f"{among} med {_key_words(split, words)}"
    if parts[0][0] == "equal":
        return f"{_part_name('equal', words)} {among}"
    return f"{among} {_part_name(parts[0][0], words)}"


def _parts(split: Split) -> list[tuple[str, Fraction]]:
    """The key's non-zero parts: ``[("population", 1)]``, ``[("equal", 2/5), ("population", 3/5)]``."""
    key = split.key
    return [
        (name, weight)
        for name, weight in (("equal", key.equal), ("population", key.population))
        if weight
    ]


def _key_words(split: Split, words: Wording) -> str:
    parts = _parts(split)
    if len(parts) == 1:
        return _part_name(parts[0][0], words)
    return " og ".join(f"{_percent(weight)} {_part_name(name, words)}" for name, weight in parts)


def _part_name(name: str, words: Wording) -> str:
    """``ligeligt``, ``efter indbyggertal``, ``efter andel i fordelingsnøglen``…"""
    return "ligeligt" if name == "equal" else words.by


def _population_sentence(split: Split, payer: Payer, _rest_ore: int, words: Wording) -> str:
    basis = key_basis(split, payer.code)
    name = payer.official_name
    if basis.weight is not None:
        return weight_sentences(basis, name, genitive(name), words)
    return (
        f"{words.states(name, genitive(name), basis.figure)} af i alt {basis.figure_total}, "
        f"svarende til {basis.share}."
    )


def _equal_sentence(_split: Split, _payer: Payer, _rest_ore: int, _words: Wording) -> str:
    return ""  # "fordeles ligeligt mellem de 29 kommuner" says it all


def _population_amount(split: Split, payer: Payer, part_ore: Fraction, words: Wording) -> str:
    basis = key_basis(split, payer.code)
    if basis.weighing is not None:
        share = split.key_weights[payer.code] / split.key_weight_total
        return f"{weight_item(basis, words)}, dvs. {_kr_exact(part_ore * share)}"
    count = split.population.count_of(payer.code)
    return (
        f"{basis.figure} af {basis.figure_total} {words.counted} ({basis.share}), dvs. "
        f"{_kr_exact(part_ore * count / split.population.total)}"
    )


def _equal_amount(split: Split, _payer: Payer, part_ore: Fraction, words: Wording) -> str:
    return f"{_kr_exact(part_ore / len(split.population.codes))} pr. {words.each}"


_PART_SENTENCES: dict[str, Callable[[Split, Payer, int, Wording], str]] = {
    "population": _population_sentence,
    "equal": _equal_sentence,
}
_PART_AMOUNTS: dict[str, Callable[[Split, Payer, Fraction, Wording], str]] = {
    "population": _population_amount,
    "equal": _equal_amount,
}


def _rounding(result: ProgrammeResult, combined: bool) -> str:
    unit = result.programme.unit.ore
    whole = rounding_words(unit)
    total = format_kr(result.municipal.amount_ore, result.programme.unit.shows_ore)
    if combined:
        return (
            f"Delene er lagt sammen for hver kommune og derefter afrundet én gang til {whole}, "
            f"så andelene tilsammen giver præcis {_end(total)}"
        ).replace("kommune", Wording.of(result.municipal).each, 1)
    return f"Andelene er afrundet til {whole}, så de tilsammen giver præcis {_end(total)}"


def rounding_words(unit_ore: int) -> str:
    """What the amounts are rounded to: ``hele kroner``, ``hele øre``, ``hele enheder à
    100 kr.``."""
    if unit_ore == 100:
        return "hele kroner"
    if unit_ore == 1:
        return "hele øre"
    return f"hele enheder à {format_kr(unit_ore)}"


def _end(text: str) -> str:
    """A sentence's last words with one full stop (``kr.`` already has it)."""
    return text if text.endswith(".") else text + "."


def _kr_exact(amount_ore: Fraction | int) -> str:
    """An exact amount shown to the øre: ``9.697,45 kr.``."""
    text = format_fraction(Fraction(amount_ore) / 100, 2)
    return text.removesuffix(",00") + " kr."


def _percent(value: Fraction) -> str:
    return format_rate(value)


def genitive(name: str) -> str:
    """The Danish genitive of a name: ``Gentofte Kommunes``, ``Region Hovedstadens``.

    >>> genitive("Gentofte Kommune"), genitive("Vesthimmerlands")
    ('Gentofte Kommunes', "Vesthimmerlands'")
    """
    return name + "'" if name[-1:].lower() in ("s", "x", "z") else name + "s"
