"""Splitting an amount in kroner among recipients by a key, and among co-financing parties.

This joins :mod:`costshare.base.money` (øre and rounding units), :mod:`costshare.population.packaged`
(who pays, and their population) and :mod:`costshare.allocation.methods` (the integer arithmetic).
All amounts are whole øre; shares are whole rounding units.

A :class:`Key` says how an amount is split among recipients:

* by population (the default): ``Key()``;
* equally: ``Key(equal=1, population=0)``;
* a mix such as 40 % equal and 60 % by population: ``Key(equal=Fraction(2, 5),
  population=Fraction(3, 5))``. The mix is combined into one exact key first, so the
  amount is rounded once, not once per part;
* a fixed amount per recipient, the rest by the mix: ``Key(fixed_ore=1_000_000)``;
* by size class (:mod:`costshare.shares.classes`): ``Key(classes=SizeClasses(...))``;
* in named parts, each with its share of the amount, its own key and its own payers
  and figures (:class:`KeyPart`, issue #21): ``Key(parts=(movia_hours, population))``.
  Each payer's exact amount is the sum of what each part gives it; the sum is rounded
  once, so the total holds (:mod:`costshare.shares.parts` shows the parts).

A multi-level split first divides the total between co-financing parties by their weights
(:func:`cofinance`, e.g. 50/50 between the region and the municipalities; the odd unit by
the same largest-remainder rule, ties to the ascending party id), then splits a part by a
key (:func:`split`).

>>> from costshare.population.packaged import load_packaged
>>> parts = cofinance(105000000, {"kommuner": 1, "region": 1})
>>> parts
{'kommuner': 52500000, 'region': 52500000}
>>> result = split(parts["kommuner"], load_packaged("2025K1").select_region("Hovedstaden"))
>>> result.share_ore("157"), sum(result.shares_ore().values())
(2041500, 52500000)
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from costshare.allocation.methods import METHODS, Allocation, Method, allocate, mix_weights
from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark
from costshare.base.keyed import Keyed
from costshare.base.money import Unit
from costshare.population.packaged import Population
from costshare.shares.classes import SizeClasses
from costshare.shares.weights import Counting, WeightSteps, counted_weights, integer_weights

if TYPE_CHECKING:
    from costshare.shares.rates import Frozen, Rate


@dataclass(frozen=True)
class Key:
    """How an amount is split among recipients (see the module docstring)."""

    equal: Fraction = Fraction(0)
    population: Fraction = Fraction(1)
    fixed_ore: int = 0
    counting: Counting = field(default_factory=Counting)
    factor: bool = False
    classes: SizeClasses | None = None
    parts: tuple[KeyPart, ...] = ()

    def __post_init__(self) -> None:
        # A float part (0.4) would make the split depend on binary rounding: refuse it.
        for name in ("equal", "population"):
            if not isinstance(getattr(self, name), Fraction | int):
                raise TypeError(
                    f"Key.{name} must be a Fraction or int, not {type(getattr(self, name)).__name__}"
                )
        if not isinstance(self.fixed_ore, int):
            raise TypeError(
                f"Key.fixed_ore must be an int (øre), not {type(self.fixed_ore).__name__}"
            )
        if self.equal < 0 or self.population < 0 or self.equal + self.population != 1:
            raise InputError(
                lazy(
                    "the key's parts must be non-negative and add up to 100 %, got {equal} % equal and {population} % by population",
                    equal=self.equal * 100,
                    population=self.population * 100,
                )
            )
        if self.fixed_ore < 0:
            raise InputError(lazy("the fixed amount per recipient must not be negative"))

    def weights(self, population: Population) -> Mapping[str, int]:
        """The integer weights this key gives each recipient, in the population's order.

        Raises :class:`InputError` if the key wants factors the figures lack, or the
        figures carry factors the key does not use.
        """
        if self.parts:
            return self._parts_weights(population)
        self.check_factors(population)
        by_population: Mapping[str, int]
        if self.classes is not None:
            classes = self.classes
            by_class = dict(zip(population.codes, population.figures(), strict=True))
            by_population = integer_weights({c: classes.weight_of(f) for c, f in by_class.items()})
        elif self.counting.is_plain and not self.factor:
            # The population's own columns, not a dict: a million recipients stay cheap.
            by_population = Keyed(population.codes, population.counts)
        else:
            factors = population.factors if self.factor else None
            by_population = counted_weights(
                population.codes, population.figures(), factors, self.counting
            )
        if self.equal == 0:
            return by_population
        equal = dict.fromkeys(population.codes, 1)
        if self.population == 0:
            return equal
        return mix_weights([(self.equal, equal), (self.population, by_population)])

    def _parts_weights(self, population: Population) -> Mapping[str, int]:
        """Every part's weights, each scaled to its share of the amount, added per payer
        (:func:`mix_weights`: exact, then the smallest integers), in ``population``'s order."""
        combined = mix_weights([(part.weight, part.weights()) for part in self.parts])
        return {code: combined.get(code, 0) for code in population.codes}

    def steps(self, population: Population, code: str) -> WeightSteps:
        """How one recipient's figure becomes its weight (before any equal part)."""
        index = population.codes.index(code)
        figure = Fraction(population.counts[index], population.weight_scale)
        factor = population.factors[index] if self.factor else Fraction(1)
        return self.counting.steps(figure, factor)

    def check_factors(self, population: Population) -> None:
        """Refuse a factor key without factors, and factors the key would ignore."""
        if self.factor and not population.factors:
            raise InputError(
                lazy(
                    "the key multiplies by a factor, but {basis} has no factor column; add a "
                    "column 'faktor' or leave out the factor",
                    basis=population.basis,
                )
            )
        if population.factors and not self.factor:
            raise InputError(
                lazy(
                    "{basis} has a factor column, but the key does not use it; set factor = "
                    "true (--with-factor) or delete the column",
                    basis=population.basis,
                )
            )


@dataclass(frozen=True)
class KeyPart:
    """A named part of a key: its share of the amount, its key, its payers and figures.

    ``weight`` is the part's share of the amount (the parts' shares add up to 1);
    ``population`` holds the part's payers and the figures its ``key`` splits by (the
    population, a decimal key, a figure column such as service hours, an age group).
    """

    name: str
    weight: Fraction
    key: Key
    population: Population

    def weights(self) -> Mapping[str, int]:
        """The part's integer weights over its own payers."""
        weights = self.key.weights(self.population)
        if not any(weights.values()):
            raise InputError(
                lazy(
                    "the part {name} has no payer with a figure above 0; check its figures",
                    name=repr(self.name),
                )
            )
        return weights


@dataclass(frozen=True)
class Split:
    """An amount split among the recipients of a :class:`Population`.

    ``allocation`` holds the part that was allocated by weight, in rounding units; a
    fixed amount per recipient (if the key has one) comes on top.
    """

    amount_ore: int
    population: Population
    unit: Unit
    key: Key
    allocation: Allocation
    fixed_ore: int = 0
    notes: tuple[str, ...] = field(default=())
    rate: Rate | None = None
    """The rate each amount follows from (:mod:`costshare.shares.rates`), if any."""
    frozen: Frozen | None = None
    """A frozen total the rate is charged on, distributed by the figures, if any."""

    @property
    def counted(self) -> bool:
        """Whether the key counts figures other than once each (cap, rate, discount, factor)."""
        return not self.key.counting.is_plain or self.key.factor

    @property
    def charged(self) -> bool:
        """Whether the amounts follow from a rate or class fees (each rounded for itself),
        rather than splitting a given amount."""
        return self.rate is not None or (self.key.classes is not None and self.key.classes.fees)

    def exact_ore(self, code: str) -> Fraction:
        """One recipient's exact amount in øre, before rounding."""
        return self.fixed_ore + self.allocation.working(code).exact * self.unit.ore

    @functools.cached_property
    def key_weights(self) -> dict[str, Fraction]:
        """Every recipient's exact weight in the key (before any equal part), in the
        figures' own unit: the population after cap, rate, factor and discount."""
        population, key = self.population, self.key
        ones = [Fraction(1)] * len(population.codes)
        factors = population.factors if key.factor else ones
        return {
            code: key.counting.steps(figure, factor).weight
            for code, figure, factor in zip(
                population.codes, population.figures(), factors, strict=True
            )
        }

    @functools.cached_property
    def key_weight_total(self) -> Fraction:
        """The sum of :attr:`key_weights`."""
        return sum(self.key_weights.values(), Fraction(0))

    @property
    def method(self) -> Method:
        """The rounding method used."""
        return self.allocation.method

    @property
    def method_description(self) -> str:
        """The rounding method, spelt out."""
        return METHODS[self.method]

    def share_ore(self, code: str) -> int:
        """One recipient's share in øre. Raises :class:`KeyError` for an unknown code."""
        return self.fixed_ore + self.unit.to_ore(self.allocation.shares[code])

    def shares_ore(self) -> dict[str, int]:
        """Every recipient's share in øre, in the population's order."""
        return dict(zip(self.population.codes, self.share_column_ore(), strict=True))

    def share_column_ore(self) -> list[int]:
        """Every recipient's share in øre, as a list in the population's order.

        The cheap form for a million rows: no lookup by code when the allocation already
        holds its shares in the population's order.
        """
        shares = self.allocation.shares
        codes = self.population.codes
        if isinstance(shares, Keyed) and shares.codes is codes:
            units: Sequence[int] = shares.column
        else:
            units = [shares[code] for code in codes]
        ore, fixed = self.unit.ore, self.fixed_ore
        return [fixed + unit_count * ore for unit_count in units]

    def rows(self) -> Iterator[tuple[str, str, int, int]]:
        """``(code, name, population, share in øre)`` per recipient, in the population's order."""
        population = self.population
        return zip(
            population.codes,
            population.names,
            population.counts,
            self.share_column_ore(),
            strict=True,
        )

    @property
    def tied_names(self) -> list[str]:
        """Names of the recipients whose unit the code order decided, if any."""
        if not self.allocation.ties:
            return []
        # One index for all ties: name_of() would scan the codes once per tie.
        position = {code: i for i, code in enumerate(self.population.codes)}
        return [self.population.names[position[code]] for code in self.allocation.ties]


def split(
    amount_ore: int,
    population: Population,
    *,
    unit: Unit = Unit(),
    method: Method = "largest-remainder",
    key: Key = Key(),
) -> Split:
    """Split ``amount_ore`` among ``population`` by ``key``, in whole ``unit``\\ s.

    Raises :class:`InputError` if the amount is not a whole number of units, the fixed
    amounts exceed the amount, or the weights give no basis to split by.
    """
    rest = units_to_allocate(amount_ore, len(population.codes), unit=unit, key=key)
    allocation = allocate(rest, key.weights(population), method)
    return Split(amount_ore, population, unit, key, allocation, fixed_ore=key.fixed_ore)


def units_to_allocate(amount_ore: int, count: int, *, unit: Unit, key: Key) -> int:
    """The units left to allocate by weight among ``count`` recipients once fixed amounts
    are set aside; :func:`split`'s checks, shared with the columnar split (issue #15).

    Raises :class:`InputError` if the amount is not a whole number of units or the fixed
    amounts exceed it.
    """
    unit.to_units(amount_ore)
    fixed_total = key.fixed_ore * count
    unit.to_units(key.fixed_ore, what=mark("the fixed amount per recipient"))
    rest_ore = amount_ore - fixed_total
    if key.fixed_ore and (rest_ore < 0) != (amount_ore < 0):
        raise InputError(
            lazy(
                "the fixed amounts ({fixed}) exceed the amount to split ({amount}); lower the fixed amount",
                fixed=format_kr(fixed_total),
                amount=format_kr(amount_ore),
            )
        )
    return unit.to_units(rest_ore)


def cofinance(
    amount_ore: int,
    party_weights: dict[str, int],
    *,
    unit: Unit = Unit(),
    method: Method = "largest-remainder",
) -> dict[str, int]:
    """Divide ``amount_ore`` between co-financing parties by integer weights, in øre.

    Raises :class:`InputError` if the weights sum to zero or one is negative.
    """
    parts = allocate(unit.to_units(amount_ore), party_weights, method).shares
    return {party: unit.to_ore(units) for party, units in parts.items()}
