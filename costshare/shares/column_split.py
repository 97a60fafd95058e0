"""The split of a :class:`~costshare.population.columnar_reader.ColumnarPopulation`, as a column.

The same shares as :func:`costshare.shares.splitting.split` gives for the same recipients,
computed on the polars columns (issue #15): the same checks of the amount
(:func:`~costshare.shares.splitting.units_to_allocate`), then the exact integer largest
remainder of :func:`costshare.allocation.vectorised.largest_remainder_column`. What it does
not take (another method, an equal part, a negative amount, totals past 64 bits) gets
``None``, and the caller splits ``population.to_population()`` with ``split``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from costshare.allocation.vectorised import INT64_LIMIT, largest_remainder_column
from costshare.base.money import Unit
from costshare.population.columnar_reader import ColumnarPopulation
from costshare.shares.splitting import Key, units_to_allocate

if TYPE_CHECKING:
    import polars as pl


def split_column(
    amount_ore: int, population: ColumnarPopulation, *, unit: Unit, key: Key
) -> pl.Series | None:
    """Every recipient's share in øre (Int64, the population's order), or ``None``.

    Raises :class:`InputError` as :func:`~costshare.shares.splitting.split` does for an
    amount that is not a whole number of units or fixed amounts above it.
    """
    frame = population.frame
    rest = units_to_allocate(amount_ore, frame.height, unit=unit, key=key)
    # Every share lies between 0 and the amount, so the amount bounds the Int64 column.
    if key.equal != 0 or rest < 0 or abs(amount_ore) >= INT64_LIMIT:
        return None
    found = largest_remainder_column(rest, frame["code"], frame["population"])
    if found is None:
        return None
    units, _ties = found  # the CSV does not name the tie; the table and JSON are not here
    return units * unit.ore + key.fixed_ore
