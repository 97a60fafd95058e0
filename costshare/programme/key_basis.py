"""The numbers behind one recipient's share under any key: figure, weight and share.

A letter and the annex say how a payer's amount follows from the key (issue #13): the
figure as its source gives it (``75.076`` of ``1.930.703`` inhabitants, or ``0,01215219``
of ``0,32414394`` for a decimal key), the weight when the key counts figures otherwise
than once (cap, rate above a threshold, factor, discount), and the share of the key.
:mod:`costshare.programme.key_wording` puts them into words; ``costshare explain`` and the
workbooks' working show the same numbers step by step.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> result = compute(load_programme(Path("examples/kontingent-loft-rabat.toml")))
>>> basis = key_basis(result.municipal, "101")
>>> basis.figure, basis.weight, basis.weight_total, basis.share
('667.099', '135.000', '1.395.684', '9,673 %')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from costshare.base.danish import format_fraction
from costshare.population.packaged import decimal_text
from costshare.shares.splitting import Split
from costshare.shares.weights import Counting, WeightSteps


@dataclass(frozen=True)
class KeyBasis:
    """What a letter's basis sentence needs for one recipient.

    ``figure``/``figure_total`` are the recipient's figure and the sum, as the source
    gives them; ``weight``/``weight_total`` are set only when the key counts figures
    otherwise than once, and ``share`` is the recipient's share of the key in percent.
    """

    figure: str
    figure_total: str
    weight: str | None
    weight_total: str | None
    share: str
    # The raw steps from figure to weight (cap, rate, factor, discount), for a letter to
    # put into words; None when the key counts every figure once.
    weighing: WeightSteps | None = None
    counting: Counting = field(default_factory=Counting)
    factor: bool = False


def key_basis(split: Split, code: str) -> KeyBasis:
    """The basis of one recipient's amount (see :class:`KeyBasis`)."""
    population = split.population
    count = population.count_of(code)
    weight = weight_total = None
    weighing = None
    if split.counted:
        exact, whole = split.key_weights[code], split.key_weight_total
        weight, weight_total = decimal_text(exact), decimal_text(whole)
        share = exact / whole if whole else Fraction(0)
        weighing = split.key.steps(population, code)
    else:
        share = Fraction(count, population.total)
    return KeyBasis(
        figure=population.figure_text(count),
        figure_total=population.figure_text(population.total),
        weight=weight,
        weight_total=weight_total,
        share=format_fraction(100 * share, 3) + " %",
        weighing=weighing,
        counting=split.key.counting,
        factor=split.key.factor,
    )
