"""Every wording of a split's key: what each document calls its figures, and the key itself.

One owner for letters, the annex, the workbooks, ``costshare explain``, ``costshare split``
and the e-invoices (issue #19): :meth:`Wording.of` decides what a split's figures are
(inhabitants on 1 January or on another day, an age group, a decimal key such as the
block-grant key, other recipients' figures) and every wording below is built from it.

* :func:`describe_key`: the key in full, plain text (``explain``, the method sheet, the
  split table, a letter template's ``key``);
* :func:`charge_words`: the short form an e-invoice line names;
* :func:`rules_sentence`, :func:`weight_sentences`, :func:`weight_item`: a letter's
  sentences, which say exactly which figure was used and, for this payer, which of the
  settings (cap, rate, factor, discount) changed it, with the numbers of
  :func:`costshare.programme.key_basis.key_basis`;
* :meth:`Wording.label`: what a heading or a source line calls the figures.
* :func:`describe` (any key and figures: a key in parts, size classes), :func:`describe_part`,
  :func:`class_labels`, :func:`class_values`, :func:`class_of`: the forms of issue #21;
  their letter sentences are in :mod:`costshare.programme.rule_wording`.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> from costshare.programme.key_basis import key_basis
>>> result = compute(load_programme(Path("examples/kontingent-loft-rabat.toml")))
>>> words = Wording.of(result.municipal)
>>> print(describe_key(result.municipal))
efter indbyggertal (højst 200.000 indbyggere talt med; indbyggere over 100.000 talt med 50 %; 10 % rabat på vægten ved over 150.000 indbyggere)
>>> print(rules_sentence(result.municipal, words).replace(NO_BREAK, " "))
Indbyggertallet tælles højst med 200.000 for hver kommune; indbyggere over 100.000 tælles med 50 %; vægten nedsættes med 10 % for en kommune med over 150.000 indbyggere.
>>> basis = key_basis(result.municipal, "101")
>>> text = weight_sentences(basis, "Københavns Kommune", "Københavns Kommunes", words)
>>> print(text.replace(NO_BREAK, " "))
Københavns Kommunes indbyggertal er 667.099. Indbyggertallet tælles højst med 200.000; indbyggere over 100.000 tælles med 50 %, i alt 150.000; vægten nedsættes med 10 % til 135.000. Kommunens vægt er 135.000 af i alt 1.395.684, svarende til 9,673 %.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from costshare.base.danish import (
    NO_BREAK,
    format_date,
    format_kr,
    format_rate,
    recipients_word,
)
from costshare.population.datasets import FETCHED_PREFIX, basis_ages
from costshare.population.packaged import Population, decimal_text
from costshare.population.regions import regions_inner
from costshare.programme.key_basis import KeyBasis
from costshare.shares.classes import SizeClasses
from costshare.shares.splitting import Key, KeyPart, Split
from costshare.shares.weights import Counting

# Between a number and its "%" (and "1." and its month) typst must not break the line:
# "50" at the end of one line and "%" alone on the next reads badly in a letter. (Every
# value a letter shows gets this between a number and its unit: unbreakable_amounts.)


# What a document calls the figures: (inhabitants, a decimal key's shares).
_LABELS = {
    "source": ("Befolkningstal", "Fordelingsnøgle"),  # letters' and the annex's basis line
    "column": ("Indbyggertal", "Andel i nøglen"),  # the annex's figure column
    "note": ("Befolkning", "Fordelingsnøgle"),  # the overview workbook's source note
    "step": ("Befolkning", "Andel i nøglen"),  # explain's and the working's figure step
    "table": ("Indbyggere", "Nøgle"),  # the split table's figure column
}
LabelUse = Literal["source", "column", "note", "step", "table"]


def is_decimal_key(population: Population) -> bool:
    """Whether the figures are a decimal key's shares (the block-grant key), not inhabitants."""
    return population.weight_scale != 1 or population.measure != "indbyggertal"


@dataclass(frozen=True)
class Wording:
    """The words documents use for a split's recipients and figures.

    ``by`` ends "fordeles … efter …"; ``noun`` is the figure in "Gentofte Kommunes
    indbyggertal er …"; ``counted`` follows "75.076 af 1.930.703 …" in a mixed key's
    list; ``it`` is the figure as the subject of a rule ("indbyggertallet tælles højst
    med …"); ``units`` names what lies above a threshold ("indbyggere over 100.000");
    ``over`` is a recipient above a discount's threshold (``over {n} indbyggere``);
    ``ages`` is an age group (``65 år og derover``), whose letters say "Gentofte
    Kommune har 17.853 indbyggere på 65 år og derover"; ``decimal`` is set for a
    decimal key.
    """

    plural: str
    each: str
    by: str
    noun: str
    counted: str
    it: str
    units: str
    over: str
    ages: str | None = None
    decimal: bool = False

    @staticmethod
    def of(split: Split) -> Wording:
        """The words for ``split``'s recipients and figures (the one place that decides)."""
        return Wording.of_population(split.population)

    @staticmethod
    def of_population(population: Population) -> Wording:
        """The words for these recipients and figures: a split's, or a part's of a key."""
        municipal = population.municipal
        plural, each = recipients_word(municipal), recipients_word(municipal, singular=True)
        if population.measure not in ("indbyggertal", "andel i fordelingsnøglen"):
            measure = population.measure  # a figure column: køreplantimer (issue #21)
            return Wording(
                plural, each, f"efter {measure}", measure, measure, "tallet", measure,
                f"over {{n}} {measure}", decimal=True,
            )  # fmt: skip
        if is_decimal_key(population):
            return Wording(
                plural, each, "efter andel i fordelingsnøglen", "andel i nøglen", "i nøglen",
                "andelen", "den del af andelen", "en andel over {n}", decimal=True,
            )  # fmt: skip
        if regions_inner(population.basis) is not None:  # the regions (issue #21)
            return Wording(
                "regioner", "region", "efter indbyggertal", "indbyggertal", "indbyggere",
                "indbyggertallet", "indbyggere", "over {n} indbyggere",
            )  # fmt: skip
        if not municipal:
            return Wording(
                plural, each, "efter indbyggertal", "tal i fordelingsgrundlaget",
                "i fordelingsgrundlaget", "tallet", "den del af tallet", "et tal over {n}",
            )  # fmt: skip
        when = population.as_of
        # 1 January is the usual date and the letters of issue #10 do not name it; any
        # other day (a month, another quarter) is named where the figure is.
        day = format_date(when).replace(" ", NO_BREAK, 1) if when else ""  # "1. december"
        dated = f" pr. {day}" if when and (when.month, when.day) != (1, 1) else ""
        ages = basis_ages(population.basis.removeprefix(FETCHED_PREFIX))
        if ages:
            group = f"indbyggere på {ages}{dated}"
            return Wording(
                plural, each, f"efter antallet af {group}", f"antal {group}", group,
                "antallet", "indbyggere", f"over {{n}} {group}", ages,
            )  # fmt: skip
        return Wording(
            plural, each, f"efter indbyggertal{dated}", f"indbyggertal{dated}",
            f"indbyggere{dated}", "indbyggertallet", "indbyggere", "over {n} indbyggere",
        )  # fmt: skip

    def label(self, use: LabelUse) -> str:
        """What a heading or source line calls the figures (``Befolkningstal`` or, for a
        decimal key, ``Fordelingsnøgle``), in the form ``use`` names (see ``_LABELS``)."""
        return _LABELS[use][self.decimal]

    @property
    def definite(self) -> str:
        """``kommunen``, ``regionen``, ``modtageren``."""
        return f"{self.each}n" if self.each.endswith("e") else f"{self.each}en"

    @property
    def all_of(self) -> str:
        """``kommunernes``, ``regionernes``, ``modtagernes``."""
        return f"{self.plural.removesuffix('e')}nes"

    @property
    def its(self) -> str:
        """``kommunens``, ``modtagerens``."""
        return f"{self.each}ns" if self.each.endswith("e") else f"{self.each}ens"

    def states(self, name: str, genitive_name: str, figure: str) -> str:
        """``Gentofte Kommunes indbyggertal er 75.076`` (no full stop)."""
        if self.ages:
            return f"{name} har {figure} {self.counted}"
        return f"{genitive_name} {self.noun} er {figure}"


def describe_key(split: Split) -> str:
    """The key in full, as plain text: ``efter indbyggertal``, ``ligeligt``, ``40 % ligeligt
    og 60 % efter indbyggertal (højst 60.000 indbyggere talt med)``, ``et fast beløb på
    10.000 kr. pr. modtager, resten efter indbyggertal``. What ``explain``, the method
    sheet, the split table and a letter template's ``key`` show."""
    return describe(split.key, split.population)


def describe(key: Key, population: Population) -> str:
    """:func:`describe_key` of any key and figures (a split's, or a part's), with a key in
    parts (``i 2 dele: 80 % Køreplantimer (…) og 20 % …``) and size classes (issue #21)."""
    if key.parts:
        parts = [f"{format_rate(part.weight)} {describe_part(part)}" for part in key.parts]
        return f"i {len(parts)} dele: " + " og ".join(parts)
    words = Wording.of_population(population)
    if key.classes is not None:
        by = describe_classes(key.classes, class_units(words))
    else:
        by = words.by + (" × faktor" if key.factor else "")
    settings = counting_phrases(key.counting, "i andel" if words.decimal else "indbyggere")
    if settings:
        by += f" ({'; '.join(settings)})"
    if key.population == 1:
        text = by
    elif key.equal == 1:
        text = "ligeligt"
    else:
        text = f"{format_rate(key.equal)} ligeligt og {format_rate(key.population)} {by}"
    if key.fixed_ore:
        text = f"et fast beløb på {format_kr(key.fixed_ore)} pr. modtager, resten {text}"
    return text.replace(NO_BREAK, " ")


def describe_part(part: KeyPart) -> str:
    """``Køreplantimer (efter køreplantimer, 3 kommuner)``: name, key and how many pay."""
    words = Wording.of_population(part.population)
    count = len(part.population.codes)
    return f"{part.name} ({describe(part.key, part.population)}, {count} {words.plural})"


def class_labels(classes: SizeClasses, units: str) -> list[str]:
    """Each class in Danish: ``under 25.000 indbyggere``, ``25.000 til under 60.000
    indbyggere``, ``120.000 indbyggere og derover`` (a bound belongs to the class above)."""
    text = [decimal_text(bound) for bound in classes.bounds]
    if not text:
        return [f"alle {units}".strip()]
    labels = [f"under {text[0]} {units}".rstrip()]
    labels += [f"{low} til under {high} {units}".rstrip() for low, high in itertools.pairwise(text)]  # fmt: skip
    labels.append(f"{text[-1]} {units} og derover".replace("  ", " "))
    return labels


def class_values(classes: SizeClasses, decimals: bool = False) -> list[str]:
    """Each class's weight (``vægt 2``) or fee (``20.000 kr.``), in Danish."""
    if classes.fees:
        return [format_kr(fee, decimals) for fee in classes.fees_ore]
    return [f"vægt {decimal_text(weight)}" for weight in classes.weights]


def describe_classes(classes: SizeClasses, units: str, decimals: bool = False) -> str:
    """``efter størrelsesklasse (under 25.000 indbyggere: vægt 1; …)``."""
    pairs = [
        f"{label}: {value}"
        for label, value in zip(
            class_labels(classes, units), class_values(classes, decimals), strict=True
        )
    ]
    return f"efter størrelsesklasse ({'; '.join(pairs)})"


def class_of(split: Split, code: str) -> tuple[str, str]:
    """The payer's size class in words and its weight or fee: ``("60.000 til under
    120.000 indbyggere", "45.000 kr.")``."""
    classes = split.key.classes
    assert classes is not None
    population = split.population
    units = class_units(Wording.of(split))
    index = classes.index(population.figures()[population.position(code)])
    return class_labels(classes, units)[index], class_values(classes, split.unit.shows_ore)[index]


def class_units(words: Wording) -> str:
    """What a class counts: ``indbyggere``, a figure column's name, nothing for a decimal key."""
    return "" if words.counted == "i nøglen" else words.counted.split(" pr. ")[0]


def charge_words(split: Split) -> str:
    """What a recipient's e-invoice line says it pays, short: ``andel efter indbyggertal``,
    ``lige store andele``, ``andel efter fordelingsnøgle`` (a mixed key), ``andel efter
    fordelingsnøglen`` (a decimal key), ``andel efter antallet af indbyggere på 65 år og
    derover``. The settings (cap, factor…) are in the letter and the workbook, not here."""
    key = split.key
    if split.rate is not None:  # the published rules of issue #21
        return "bidrag efter sats"
    if key.parts:
        return "andel efter fordelingsnøgle i dele"
    if key.classes is not None:
        return "bidrag efter størrelsesklasse"
    if not key.population:
        return "lige store andele"
    if key.equal:
        return "andel efter fordelingsnøgle"
    words = Wording.of(split)
    if words.decimal:  # "andel efter andel i fordelingsnøglen" would say "andel" twice
        return "andel efter fordelingsnøglen"
    return f"andel {words.by}".replace(NO_BREAK, " ")


def counting_phrases(counting: Counting, unit: str = "indbyggere") -> list[str]:
    """A key's cap, rate and discount in plain text, one phrase each, in the order they
    apply: ``højst 200.000 indbyggere talt med``, ``10 % rabat på vægten ved over …``."""
    phrases = []
    if counting.cap is not None:
        phrases.append(f"højst {number_text(counting.cap)} {unit} talt med")
    if counting.above_from is not None:
        phrases.append(
            f"{unit} over {number_text(counting.above_from)} talt med "
            f"{format_rate(counting.above_rate)}"
        )
    if counting.discount_above is not None:
        phrases.append(
            f"{format_rate(counting.discount_rate)} rabat på vægten ved over "
            f"{number_text(counting.discount_above)} {unit}"
        )
    return phrases


def rules_sentence(split: Split, words: Wording) -> str:
    """The key's cap, rate, factor and discount as they apply to everyone, in the order
    they are applied; ``""`` for a key that counts every figure once."""
    counting = split.key.counting
    rules = []
    if counting.cap is not None:
        rules.append(
            f"{words.it} tælles højst med {number_text(counting.cap)} for hver {words.each}"
        )
    if counting.above_from is not None:
        rules.append(
            f"{words.units} over {number_text(counting.above_from)} tælles med "
            f"{percent_text(counting.above_rate)}"
        )
    if split.key.factor:
        what = "resultatet" if rules else words.it
        rules.append(f"{what} ganges med {words.its} faktor")
    if counting.discount_above is not None:
        rules.append(
            f"vægten nedsættes med {percent_text(counting.discount_rate)} for en {words.each} "
            f"med {_over(counting.discount_above, words)}"
        )
    return sentence_of(rules)


def weight_clauses(basis: KeyBasis, words: Wording) -> list[str]:
    """What the key did to this recipient's figure: only the settings that changed it,
    and the factor (which always applies). Empty when the figure counts in full."""
    step = basis.weighing
    if step is None:
        return []
    counting = basis.counting
    clauses = []
    if counting.cap is not None and step.capped < step.figure:
        clauses.append(f"{words.it} tælles højst med {number_text(counting.cap)}")
    if counting.above_from is not None and step.counted < step.capped:
        clauses.append(
            f"{words.units} over {number_text(counting.above_from)} tælles med "
            f"{percent_text(counting.above_rate)}, i alt {number_text(step.counted)}"
        )
    if basis.factor:
        product = step.counted * step.factor
        clauses.append(
            f"ganget med {words.its} faktor giver det {number_text(step.counted)} × faktor "
            f"{number_text(step.factor)} = {number_text(product)}"
        )
    if step.discounted:
        clauses.append(
            f"vægten nedsættes med {percent_text(counting.discount_rate)} til {number_text(step.weight)}"
        )
    return clauses


def weight_sentences(basis: KeyBasis, name: str, genitive_name: str, words: Wording) -> str:
    """A counted key's sentences for one recipient: its figure, what the key did to it,
    and its weight and share of the weights."""
    states = words.states(name, genitive_name, basis.figure)
    clauses = weight_clauses(basis, words)
    if clauses:
        opening = f"{states}. {sentence_of(clauses)}"
    else:
        opening = (
            f"{states}, som alle tælles med." if words.ages else f"{states} og tælles fuldt med."
        )
    return (
        f"{opening} {words.its.capitalize()} vægt er {basis.weight} af i alt {basis.weight_total}, "
        f"svarende til {_share(basis)}."
    )


def weight_item(basis: KeyBasis, words: Wording) -> str:
    """A counted key's part in a mixed key's list: ``indbyggertal 667.099; tælles højst
    med 200.000; …; vægt 135.000 af 1.395.684 (9,673 %)``."""
    clauses = weight_clauses(basis, words) or ["tælles fuldt med"]
    figure = f"{basis.figure} {words.counted}" if words.ages else f"{words.noun} {basis.figure}"
    return "; ".join(
        [figure, *clauses, f"vægt {basis.weight} af {basis.weight_total} ({_share(basis)})"]
    )


def _over(threshold: Fraction, words: Wording) -> str:
    """``over 150.000 indbyggere``, ``en andel over 0,05``."""
    return words.over.format(n=number_text(threshold))


def sentence_of(clauses: list[str]) -> str:
    if not clauses:
        return ""
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def number_text(value: Fraction) -> str:
    return decimal_text(value)


def percent_text(value: Fraction) -> str:
    return format_rate(value, NO_BREAK)


def _share(basis: KeyBasis) -> str:
    return basis.share.replace(" %", NO_BREAK + "%")
