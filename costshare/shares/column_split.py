"""The split of a :class:`~costshare.population.columnar_reader.ColumnarPopulation`, as a column.

The same shares as :func:`costshare.shares.splitting.split` gives for the same recipients,
computed on the polars columns (issue #15): the same checks of the amount
(:func:`~costshare.shares.splitting.units_to_allocate`), then the exact integer largest
remainder of :func:`costshare.allocation.vectorised.largest_remainder_column`.

It guards its own keys (issue #19): it implements in full only what :func:`takes` says
(largest remainder by the plain figures, with or without a fixed amount per recipient).
Every other key or method (an equal part, a cap, a rate above a threshold, a discount, a
factor, another rounding method) gets ``None`` before anything is computed, as does a
negative amount or one past 64 bits, whoever calls it; the caller then splits
``population.to_population()`` with ``split``, which holds the rules and the messages.
tests/shares/test_column_split.py checks with Hypothesis over every field of the key that
the two paths give the same bytes or this one declines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from costshare.allocation.vectorised import INT64_LIMIT, largest_remainder_column
from costshare.base.money import Unit
from costshare.population.columnar_reader import ColumnarPopulation
from costshare.shares.splitting import Key, units_to_allocate

if TYPE_CHECKING:
    import polars as pl

METHOD = "largest-remainder"  # the one rounding method the columns compute


def takes(key: Key, method: str = METHOD) -> bool:
    """Whether :func:`split_column` implements ``key`` and ``method`` in full.

    Only the plain figures, each counted once: no equal part, no cap, rate or discount,
    no factor (a columnar population never has a factor column, so the general path
    refuses a factor key, and must be the one to say so). A fixed amount per recipient
    is set aside first, as ``split`` does.
    """
    return method == METHOD and key.equal == 0 and key.counting.is_plain and not key.factor


def split_column(
    amount_ore: int,
    population: ColumnarPopulation,
    *,
    unit: Unit,
    key: Key,
    method: str = METHOD,
) -> pl.Series | None:
    """Every recipient's share in øre (Int64, the population's order), or ``None``.

    ``None`` for a key or method it does not take (:func:`takes`), a negative amount or
    totals past 64 bits. Raises :class:`InputError` as :func:`~costshare.shares.splitting.split`
    does for an amount that is not a whole number of units or fixed amounts above it.
    """
    if not takes(key, method):
        return None
    frame = population.frame
    rest = units_to_allocate(amount_ore, frame.height, unit=unit, key=key)
    # Every share lies between 0 and the amount, so the amount bounds the Int64 column.
    if rest < 0 or abs(amount_ore) >= INT64_LIMIT:
        return None
    found = largest_remainder_column(rest, frame["code"], frame["population"])
    if found is None:
        return None
    units, _ties = found  # the CSV does not name the tie; the table and JSON are not here
    return units * unit.ore + key.fixed_ore
