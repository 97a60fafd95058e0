"""The municipalities' split of a programme: by a key, in parts, or by a rate or fees.

:func:`municipal_split` turns the municipalities' part of the amount (or, for a rate or
fees by size class, nothing: the amounts follow) into a
:class:`~costshare.shares.splitting.Split`:

* a key in one piece splits the part over the programme's payers (issue #13);
* a key in parts (:mod:`costshare.programme.parts_reading`) loads each part's figures
  and payers; the split's recipients are every payer of some part, in the programme's
  order, and each payer's exact amount is the sum of its parts, rounded once;
* a rate (:func:`costshare.shares.charges.rate_split`) or fees by size class
  (:func:`costshare.shares.charges.fee_split`) charge each payer by its own figure.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.basis import load_basis
from costshare.population.basis_rules import with_rule
from costshare.population.packaged import Population
from costshare.programme.parts_reading import PartSpec
from costshare.programme.records import Programme
from costshare.shares.charges import fee_split, rate_split
from costshare.shares.splitting import KeyPart, Split, split


def municipal_split(
    programme: Programme, population: Population, amount_ore: int | None, override: str | None
) -> Split:
    """The split of ``amount_ore`` (None for a rate or fees) over ``population``, the
    programme's payers; ``override`` is a what-if basis that replaces the programme's."""
    unit = programme.unit
    if programme.rate is not None:
        rate = programme.rate
        if rate.inhabitants != (population.measure == "indbyggertal"):
            raise _rate_and_figures(programme, population)
        rate = rate.with_units(population.measure)
        return rate_split(population, rate, unit=unit, key=programme.key, frozen=programme.frozen)
    if programme.charged:
        return fee_split(population, programme.key, unit=unit)
    assert amount_ore is not None  # an amount programme always has its part
    key = programme.key
    if programme.parts:
        parts = tuple(
            KeyPart(spec.name, spec.weight, spec.key, _part_payers(programme, spec, index, population, override))
            for index, spec in enumerate(programme.parts, start=1)
        )  # fmt: skip
        taking_part = {code for part in parts for code in part.population.codes}
        population = population.select_codes([c for c in population.codes if c in taking_part])
        key = replace(key, parts=parts)
    return split(amount_ore, population, unit=unit, method=programme.method, key=key)


def _rate_and_figures(programme: Programme, population: Population) -> InputError:
    rate = programme.rate
    assert rate is not None
    return InputError(
        lazy(
            "the rate is {rate}, but the figures are {measure}; give figures of what the rate "
            'is per (a file and its column = "…"), or a rate per inhabitant',
            rate=rate.describe(),
            measure=population.measure,
        ),
        source=str(programme.path),
        key="rate",
    )


def _part_payers(
    programme: Programme, spec: PartSpec, index: int, payers: Population, override: str | None
) -> Population:
    """A part's payers and figures: its own basis (or the programme's, or the what-if
    override), its column, narrowed to its own payers (or the programme's)."""
    where = f"municipalities.parts[{index}]"
    relative: Path | None = programme.path.parent
    if spec.basis is not None:
        basis, rule, column = spec.basis, spec.rule, spec.column
    else:
        basis, rule = programme.population_basis, programme.population_rule
        column = spec.column or programme.column
        if override is not None:
            basis, rule, relative = override, None, None
    try:
        figures = load_basis(basis, relative, column)
    except InputError as error:
        raise error.within(source=str(programme.path), key=f"{where}.population") from None
    if rule is not None:
        figures = with_rule(figures, rule)
    region = spec.region if spec.own_payers else programme.region
    include = spec.include if spec.own_payers else programme.include
    exclude = spec.exclude if spec.own_payers else programme.exclude
    try:
        if region:
            figures = figures.select_region(region)
        figures = figures.select_codes(include, exclude)
    except InputError as error:
        raise error.within(source=str(programme.path), key=f"{where}.include") from None
    strangers = [code for code in figures.codes if code not in set(payers.codes)]
    if strangers:
        raise InputError(
            lazy(
                "the part {name} has {code} ({who}), which is not a payer of the programme; "
                "add it under [municipalities], or leave it out of the part",
                name=repr(spec.name),
                code=strangers[0],
                who=figures.name_of(strangers[0]),
            ),
            source=str(programme.path),
            key=where,
        )
    return figures
