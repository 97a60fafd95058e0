"""Programmes over several years: one programme file, a ``[[years]]`` table a year.

Each year gives its ``year`` and may give its own ``amount``, ``population`` basis,
``letter_date`` and ``[years.payment]`` (merged over the programme's ``[payment]``; a year
that names an account replaces the programme's account, in whichever spelling). A year
without an ``amount`` takes the programme's. A programme whose amounts follow from a rate
(issue #21) gives ``rate`` instead, for every year or a year's own, and takes no amount
and no price level. With ``price_level = 2024`` every amount is in
2024 prices and is moved to its year by the ``[indexing]`` table
(:mod:`costshare.programme.indexing`); without it, amounts are the year's own (nominal).

Each year becomes an ordinary :class:`~costshare.programme.model.Programme`, so a year is
split, written, explained and verified exactly as a one-year programme is.

>>> from pathlib import Path
>>> plan = load_plan(Path("examples/telehjerte-2025-2027.toml"))
>>> [year.year for year in plan.years]
[2025, 2026, 2027]
>>> plan.year(2026).programme.amount_ore, plan.year(2026).indexation.describe()
(110985000, '1.050.000 kr. i 2024-priser × 105,7 / 100,0 = 1.109.850 kr.')
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import Unit, format_plain, parse_amount
from costshare.programme.indexing import (
    Indexation,
    IndexTable,
    index_amount,
    inline_table,
    read_index_csv,
)
from costshare.programme.model import (
    NO_YEARS,
    Programme,
    build_programme,
    programme_from_document,
)
from costshare.programme.payment import ACCOUNT_KEYS
from costshare.programme.schema import read_document


@dataclass(frozen=True)
class Year:
    """One year of a programme: its programme, and the indexing behind its amount (if any)."""

    year: int
    programme: Programme
    indexation: Indexation | None


@dataclass(frozen=True)
class Plan:
    """A programme file's years, in order; one year for an ordinary programme file."""

    path: Path
    years: tuple[Year, ...]
    multi_year: bool
    table: IndexTable | None
    index_override: str = ""
    """The file name of a ``--index`` what-if table, "" when the programme's own is used."""

    def year(self, year: int | None) -> Year:
        """The given year, or the only year; raises :class:`InputError` otherwise."""
        known = ", ".join(str(entry.year) for entry in self.years)
        if year is None:
            if len(self.years) == 1:
                return self.years[0]
            raise InputError(
                lazy(
                    "{path}: is a programme over several years ({known}); give the year, e.g. --year {year}",
                    path=self.path,
                    known=known,
                    year=self.years[0].year,
                )
            )
        for entry in self.years:
            if entry.year == year:
                return entry
        raise InputError(
            lazy(
                "{path}: has no year {year}; give one of {known} with --year",
                path=self.path,
                year=year,
                known=known,
            )
        )


# The keys of a programme file that name a file of the user's (a population or key file,
# the payer register, the index table), as :func:`load_plan`'s ``relocate`` sees them.
FILE_KEYS = ("municipalities.population", "register", "indexing.file", "years[].population")


def load_plan(
    path: Path | str,
    index_file: Path | str | None = None,
    *,
    relocate: Callable[[str, str], str] | None = None,
) -> Plan:
    """Read a programme file, with one or several years. The file is read and parsed once.

    ``index_file`` replaces the programme's index table (a what-if). ``relocate(key,
    value)`` gives the value to use for each key of :data:`FILE_KEYS` the programme
    has (a year's own population as ``years[].population``): an earlier package's copy of
    a file, in place of the name the programme gives. Raises :class:`InputError` naming
    the file and key for anything not valid.
    """
    path = Path(path)
    raw, document = read_document(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    if relocate is not None:
        _relocate(document, relocate)
    if "years" not in document:
        if index_file is not None:
            raise InputError(
                lazy(
                    "{path}: --index is for programmes with price_level and [[years]]; remove --index",
                    path=path,
                )
            )
        programme = programme_from_document(path, sha256, document)
        return Plan(path, (Year(programme.year, programme, None),), False, None)
    table = _table(path, document, index_file)
    price_level = document.get("price_level")
    if price_level is not None and table is None:
        raise InputError(
            lazy(
                '{path}: key \'price_level\': needs an index table; add [indexing] with index = {{ 2024 = "100,0", 2025 = "103,1" }} or file = "pl-indeks.csv"',
                path=path,
            )
        )
    if price_level is None and "indexing" in document:
        raise InputError(
            lazy(
                "{path}: key 'indexing': is used with price_level; add e.g. price_level = 2024 (the price level of the amounts)",
                path=path,
            )
        )
    entries = document["years"]
    if not entries:
        raise InputError(lazy(NO_YEARS, path=path))
    years = []
    for number, entry in enumerate(entries, start=1):
        years.append(_year(path, sha256, document, entry, number, price_level, table))
    numbers = [entry.year for entry in years]
    if len(set(numbers)) != len(numbers):
        twice = next(year for year in numbers if numbers.count(year) > 1)
        raise InputError(
            lazy(
                "{path}: key 'years': the year {twice} is given twice; keep one",
                path=path,
                twice=twice,
            )
        )
    override = Path(index_file).name if index_file is not None else ""
    return Plan(path, tuple(years), True, table, override)


def _relocate(document: dict[str, Any], relocate: Callable[[str, str], str]) -> None:
    """Each file a programme names replaced by ``relocate(key, value)`` (see load_plan)."""
    tables = [
        (document.get("municipalities"), "population", "municipalities.population"),
        (document, "register", "register"),
        (document.get("indexing"), "file", "indexing.file"),
    ]
    tables += [(entry, "population", "years[].population") for entry in document.get("years", [])]
    for table, key, name in tables:
        if isinstance(table, dict) and isinstance(table.get(key), str):
            table[key] = relocate(name, table[key])


def _year(
    path: Path,
    sha256: str,
    document: dict[str, Any],
    entry: dict[str, Any],
    number: int,
    price_level: int | None,
    table: IndexTable | None,
) -> Year:
    where = f"years[{number}]"
    if "year" not in entry:
        raise InputError(
            lazy(
                "{path}: key '{where}.year' is missing; add e.g. year = 2025",
                path=path,
                where=where,
            )
        )
    year = entry["year"]
    if "rate" in entry or "rate" in document:  # the amounts follow from a rate (issue #21)
        return _rated_year(path, sha256, document, entry, where, price_level)
    amount_key = f"{where}.amount" if "amount" in entry else "amount"
    if amount_key == "amount" and "amount" not in document:
        raise InputError(
            lazy(
                "{path}: key '{where}.amount' is missing; give the year an amount, or the programme one amount for every year",
                path=path,
                where=where,
            )
        )
    try:
        unit = Unit.parse(str(document.get("unit", "1")).strip())
        amount_ore = parse_amount(str(entry.get("amount", document.get("amount"))).strip())
    except InputError as error:
        raise error.within(source=str(path), key=amount_key) from None
    indexation = None
    if price_level is not None and table is not None:
        indexation = index_amount(
            amount_ore, table, price_level, year, unit.ore, f"{path}: key '{where}.year'"
        )
        amount_ore = indexation.result_ore
    single = {key: value for key, value in document.items() if key not in _MULTI_YEAR_KEYS}
    single["year"] = year
    single["amount"] = format_plain(amount_ore, Unit(1))
    return Year(
        year, _with_indexation(_built(path, sha256, single, entry, where), indexation), indexation
    )


def _rated_year(
    path: Path,
    sha256: str,
    document: dict[str, Any],
    entry: dict[str, Any],
    where: str,
    price_level: int | None,
) -> Year:
    """A year whose amounts follow from a rate: the year's own rate, or the programme's
    (Region Hovedstaden's development contribution: 115, 118 and 122 kr. per inhabitant)."""
    for key in ("amount", "price_level"):
        given = key in entry or key in document or (key == "price_level" and price_level)
        if given:
            raise InputError(
                lazy(
                    "{path}: key '{key}': the amounts follow from the rate, so a year takes "
                    "no amount and no price level; remove it",
                    path=path,
                    key=f"{where}.{key}" if key in entry else key,
                )
            )
    single = {key: value for key, value in document.items() if key not in _MULTI_YEAR_KEYS}
    single["year"] = entry["year"]
    single["rate"] = entry.get("rate", document.get("rate"))
    return Year(entry["year"], _built(path, sha256, single, entry, where), None)


def _built(
    path: Path, sha256: str, single: dict[str, Any], entry: dict[str, Any], where: str
) -> Programme:
    """The one-year programme of a year, its own keys named as the year gives them."""
    if "population" in entry:
        single["municipalities"] = {**single["municipalities"], "population": entry["population"]}
    if "letter_date" in entry:
        single["letter_date"] = entry["letter_date"]
    if "payment" in entry:
        single["payment"] = _year_payment(single.get("payment", {}), entry["payment"])
    try:
        return build_programme(path, sha256, single)
    except InputError as error:
        # The year's own keys are named as the year gives them.
        for key in ("population", "letter_date", "payment", "rate"):
            if key in entry and f"'{_SINGLE_KEYS[key]}" in str(error):
                text = str(error).replace(f"'{_SINGLE_KEYS[key]}", f"'{where}.{key}", 1)
                raise InputError(text) from None
        raise


def _year_payment(programme: dict[str, Any], year: dict[str, Any]) -> dict[str, Any]:
    """A year's ``payment`` over the programme's; a year that names an account replaces
    the programme's account (in whichever spelling), not adds a second one to it."""
    if any(key in year for key in ACCOUNT_KEYS):
        programme = {key: value for key, value in programme.items() if key not in ACCOUNT_KEYS}
    return {**programme, **year}


_MULTI_YEAR_KEYS = ("years", "price_level", "indexing")
# Where a year's own key lands in the one-year programme built for it.
_SINGLE_KEYS = {
    "rate": "rate",
    "population": "municipalities.population",
    "letter_date": "letter_date",
    "payment": "payment",
}


def _with_indexation(programme: Programme, indexation: Indexation | None) -> Programme:
    from dataclasses import replace

    return replace(programme, indexation=indexation)


def _table(
    path: Path, document: dict[str, Any], index_file: Path | str | None
) -> IndexTable | None:
    """The index table: ``--index FILE``, else the programme's inline table or CSV file."""
    section = document.get("indexing", {})
    if index_file is not None:
        return read_index_csv(Path(index_file), source=f"{Path(index_file).name} (--index)")
    if "index" in section and "file" in section:
        raise InputError(
            lazy(
                "{path}: key 'indexing': give either index = {{ … }} or file = \"…\", not both",
                path=path,
            )
        )
    source, version = section.get("source", ""), section.get("version", "")
    if "index" in section:
        table = inline_table(section["index"], str(path))
        return IndexTable(table.figures, table.texts, source or "programfilen", version, "", "")
    if "file" in section:
        try:
            return read_index_csv(path.parent / section["file"], source, version)
        except InputError as error:
            raise error.within(source=str(path), key="indexing.file") from None
    return None
