"""Splits whose amounts follow from charges: a rate per unit, or a fee per size class.

:func:`rate_split` charges each payer ``rate × counted units / per`` (see
:mod:`costshare.shares.rates`), :func:`fee_split` its size class's fee
(:mod:`costshare.shares.classes`). Each exact amount is rounded for itself to the
nearest rounding unit, halves up (:func:`costshare.allocation.methods.round_each`), and the
total is the sum of the rounded amounts: a payer can redo its own amount from the rate
or the fee and its figure, and no amount moves because of another's.

>>> from costshare.population.packaged import load_packaged
>>> result = rate_split(load_packaged("2025K1").select_region("H"), parse_rate("25 kr. pr. indbygger"))
>>> result.share_ore("157"), result.amount_ore == 25 * 100 * 1_930_703
(187690000, True)
"""

from __future__ import annotations

from fractions import Fraction

from costshare.allocation.methods import round_each
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import Unit
from costshare.population.packaged import Population
from costshare.shares.rates import Frozen, Rate, parse_rate
from costshare.shares.splitting import Key, Split

__all__ = ["fee_split", "parse_rate", "rate_split"]


def rate_split(
    population: Population,
    rate: Rate,
    *,
    unit: Unit = Unit(),
    key: Key = Key(),
    frozen: Frozen | None = None,
) -> Split:
    """Each recipient's amount from ``rate`` and its counted figure, rounded for itself
    (see the module docstring). ``key`` may cap, rate above a threshold, multiply by a
    factor or discount; it must split by the figures alone (no equal part, no fixed
    amount).

    Raises :class:`InputError` for a key the rate cannot use, and when the figures have a
    factor column the key does not use (or the reverse).
    """
    if key.equal or key.fixed_ore or key.parts:
        raise InputError(
            lazy("a rate charges each payer by its own figure; it takes no equal part, fixed amount or parts")
        )  # fmt: skip
    key.check_factors(population)
    counted = _counted(population, key)
    if frozen is not None:
        total = sum(counted.values(), Fraction(0))
        if not total:
            raise InputError(lazy("every figure is 0; a frozen total needs figures to distribute it by"))  # fmt: skip
        whole = rate.exact_ore(frozen.count)
        exact = {code: whole * value / total for code, value in counted.items()}
    else:
        exact = {code: rate.exact_ore(value) for code, value in counted.items()}
    allocation = round_each({code: value / unit.ore for code, value in exact.items()})
    return Split(
        unit.to_ore(allocation.total),
        population,
        unit,
        key,
        allocation,
        rate=rate,
        frozen=frozen,
    )


def fee_split(population: Population, key: Key, *, unit: Unit = Unit()) -> Split:
    """Each recipient pays its size class's fee (``key.classes`` with fees); the total is
    the sum. A fee that is not a whole number of rounding units is rounded for itself.

    Raises :class:`InputError` if the key has no classes with fees.
    """
    classes = key.classes
    if classes is None or not classes.fees:
        raise InputError(lazy("fees by size class need classes with a fee for each"))
    exact = {
        code: Fraction(classes.fee_of(figure), unit.ore)
        for code, figure in zip(population.codes, population.figures(), strict=True)
    }
    allocation = round_each(exact)
    return Split(unit.to_ore(allocation.total), population, unit, key, allocation)


def _counted(population: Population, key: Key) -> dict[str, Fraction]:
    """Each recipient's counted units: its figure after cap, rate above, factor, discount."""
    ones = [Fraction(1)] * len(population.codes)
    factors = population.factors if key.factor else ones
    return {
        code: key.counting.steps(figure, factor).weight
        for code, figure, factor in zip(
            population.codes, population.figures(), factors, strict=True
        )
    }
