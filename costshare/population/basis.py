"""One resolver for a population basis: a packaged quarter or a user's file.

``--population``, a programme's ``population`` key and every command that re-reads a
programme's figures go through :func:`load_basis`, so "2025K1" and "befolkning.csv"
mean the same thing everywhere, and a relative file is taken relative to the programme.
"""

from __future__ import annotations

from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.packaged import (
    _QUARTER_LIKE,
    Population,
    is_quarter,
    load_packaged,
    year_instead_of_quarter,
)
from costshare.population.regions import by_region, regions_inner


def load_basis(
    basis: str, relative_to: Path | None = None, column: str | None = None
) -> Population:
    """A packaged quarter (``2025K1``) or a user's CSV/Excel file, as ``--population`` takes.

    Something that looks like a quarter but is not one (``2025K5``, ``2099K1``) and is
    not an existing file gets the list of packaged quarters, not "no such file". A
    relative file path is taken relative to ``relative_to`` when given.

    ``column`` names a figure column of a file (``køreplantimer``) to split by instead of
    its population column.

    Raises :class:`InputError` (see :func:`load_packaged` and
    :func:`costshare.population.userfile.load_file`).
    """
    inner = regions_inner(basis)
    if inner is not None:  # the five regions, summed from the municipalities (issue #21)
        municipalities = load_basis(inner, relative_to, column)
        return by_region(municipalities, f"regioner:{municipalities.basis}")
    file = Path(basis)
    if relative_to is not None and not file.is_absolute():
        file = relative_to / file
    if is_quarter(basis) or (_QUARTER_LIKE.match(basis.strip()) and not file.exists()):
        if column is not None:
            raise InputError(
                lazy(
                    "column {column} names a column of a file, but the figures are {basis}; "
                    "give a CSV/Excel file or leave out column",
                    column=repr(column),
                    basis=basis,
                )
            )
        return load_packaged(basis)
    year_error = year_instead_of_quarter(basis)
    if year_error is not None and not file.exists():
        raise year_error
    # Imported here, not at the top: reading a user's file needs polars, and a split on a
    # packaged quarter should not pay for importing it (tests/documents/test_report_fast.py).
    from costshare.population.userfile import load_file

    return load_file(file, column)


def basis_file(basis: str, relative_to: Path | None = None) -> Path | None:
    """The file a basis names, resolved as :func:`load_basis` does, or None for a quarter
    (and for the regions summed from one)."""
    basis = regions_inner(basis) or basis
    if is_quarter(basis):
        return None
    file = Path(basis)
    if relative_to is not None and not file.is_absolute():
        file = relative_to / file
    return file
