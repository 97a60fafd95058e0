"""Population figures: the packaged Statistics Denmark data set, and selections of it.

The packaged data set is FOLK1A from Statistics Denmark: the population of each of the 98
municipalities on 1 January of 2016–2026, with code, name and region. Its provenance (a
sidecar ``.source.toml`` and ``SOURCES.md``) ships beside it; :func:`source` reads it.
User files (CSV, Excel, StatBank exports) are read by :mod:`costshare.population.userfile`.

KKR areas follow the regions: KKR Hovedstaden is the 29 municipalities of Region
Hovedstaden, Bornholm included.

>>> hovedstaden = load_packaged("2025K1").select_region("hovedstaden")
>>> len(hovedstaden.codes), hovedstaden.total
(29, 1930703)
>>> hovedstaden.count_of("157")
75076
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.base.codes import is_number_code, read_code, same_code
from costshare.base.danish import fold_name, format_count, format_date, format_fraction
from costshare.base.errors import InputError
from costshare.base.i18n import Joined, Text, lazy, mark
from costshare.population.datasets import (
    BASIS_LIKE,
    FETCHED_PREFIX,
    Dataset,
    basis_ages,
    basis_date,
    fetched,
    is_month,
    normalise_basis,
    packaged,
    packaged_bases,
    packaged_resource,
    without_regions,
)

DATASET = "folk1a_municipalities_K1_2016-2026"
# Month names for messages (documents write Danish ones with costshare.base.danish).
MONTHS_EN = (
    mark("January"), mark("February"), mark("March"), mark("April"), mark("May"),
    mark("June"), mark("July"), mark("August"), mark("September"), mark("October"),
    mark("November"), mark("December"),
)  # fmt: skip
_QUARTER_LIKE = BASIS_LIKE


@dataclass(frozen=True)
class Population:
    """Recipients and their population (or other integer weight), in a stable order.

    ``basis`` names where the figures come from (a quarter such as ``2025K1`` or a
    file); ``source`` is the line to print under every output; ``municipal`` says
    whether the codes are kommunekoder known to the packaged list.
    """

    basis: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    counts: tuple[int, ...]
    source: str
    regions: tuple[str | None, ...] = ()
    as_of: date | None = None
    municipal: bool = True
    notes: tuple[str, ...] = field(default=())
    # A decimal key (e.g. the block-grant key, 0,012345): ``counts`` are the decimals times
    # ``weight_scale``, exact integers, so splitting by them is splitting by the decimals.
    weight_scale: int = 1
    # Per-recipient factors (a ``faktor`` column), used when the key says factor = true.
    factors: tuple[Fraction, ...] = ()
    # What the figures are, in Danish, for "efter …": indbyggertal, or andel for a decimal key.
    measure: str = "indbyggertal"
    # The SHA-256 of the user's file as it was parsed ("" for packaged figures, whose
    # checksum the data set's sidecar holds): what a package's manifest records.
    sha256: str = ""

    @property
    def total(self) -> int:
        """The total population of the selection (times ``weight_scale`` for a decimal key)."""
        return sum(self.counts)

    def figures(self) -> tuple[Fraction, ...]:
        """The figures as exact fractions: the population, or the decimals of a decimal key."""
        scale = self.weight_scale
        return tuple(Fraction(count, scale) for count in self.counts)

    def figure_text(self, count: int) -> str:
        """One figure (a count from ``counts``, or their total) as Danish text."""
        if self.weight_scale == 1:
            return format_count(count)
        return decimal_text(Fraction(count, self.weight_scale))

    def weights(self) -> dict[str, int]:
        """The population as allocation weights, keyed by code."""
        return dict(zip(self.codes, self.counts, strict=True))

    def position(self, code: str) -> int:
        """Where the recipient with this code stands. Raises :class:`KeyError` if none does."""
        return self._positions[code]

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        # One dict for all lookups: tuple.index per code made explain/run on 100,000
        # recipients quadratic (issue #16).
        return {code: i for i, code in enumerate(self.codes)}

    def name_of(self, code: str) -> str:
        """The name of the recipient with this code. Raises :class:`KeyError` if none has it."""
        return self.names[self.position(code)]

    def count_of(self, code: str) -> int:
        """The population of the recipient with this code. Raises :class:`KeyError` if none has it."""
        return self.counts[self.position(code)]

    def select_region(self, region: str) -> Population:
        """Only the municipalities of one region (``Hovedstaden``, any case).

        Raises :class:`InputError` for an unknown region, or when the figures are not
        municipalities.
        """
        full_name = resolve_region(region)
        if not self.municipal:
            raise InputError(
                lazy(
                    "--region {region} needs municipalities, but {basis} holds other "
                    "recipients; leave out --region",
                    region=repr(region),
                    basis=self.basis,
                )
            )
        regions = self.regions or tuple(_municipality_regions().get(c) for c in self.codes)
        keep = [i for i, r in enumerate(regions) if r == full_name]
        if not keep:
            raise InputError(
                lazy("{basis} has no municipality in {region}", basis=self.basis, region=full_name)
            )
        return self._subset(keep, f"{full_name}")

    def select_codes(self, codes: Iterable[str], exclude: Iterable[str] = ()) -> Population:
        """Only the given codes (all when ``codes`` is empty), less ``exclude``.

        Raises :class:`InputError` if a code is not in the figures.
        """
        wanted = list(codes) or list(self.codes)
        excluded = set(exclude)
        index = self._positions
        for code in [*wanted, *excluded]:
            if code not in index:
                raise InputError(
                    lazy(
                        "{basis} has no recipient with code {code}",
                        basis=self.basis,
                        code=repr(code),
                    )
                )
        keep = sorted(index[c] for c in set(wanted) - excluded)
        return self._subset(keep, None)

    def _subset(self, keep: list[int], region: str | None) -> Population:
        def pick(values: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(values[i] for i in keep) if values else ()

        return replace(
            self,
            codes=pick(self.codes),
            names=pick(self.names),
            counts=pick(self.counts),
            regions=pick(self.regions),
            factors=pick(self.factors),
        )


def decimal_text(value: Fraction) -> str:
    """An exact decimal in Danish (``0,012345``); a fraction that does not end is cut at 12
    places (only a factor written as a fraction could do that)."""
    places = 0
    while (value * 10**places).denominator != 1 and places < 12:
        places += 1
    return format_fraction(value, places) if places else format_count(int(value))


def quarters() -> list[str]:
    """The packaged quarters of the whole population, oldest first (``2016K1`` … ``2026K1``)."""
    found = [b for b in packaged_bases() if ":" not in b and not is_month(b)]
    return sorted(found, key=lambda b: (basis_date(b), b))


def periods() -> list[str]:
    """Every basis there are figures for: packaged quarters, months and age groups, then
    the sets fetched from StatBank (as ``statbank:2024K4``), each group oldest first."""

    def order(basis: str) -> tuple[date, str]:
        return basis_date(basis.removeprefix(FETCHED_PREFIX)), basis

    packaged_ones = sorted(packaged_bases(), key=order)
    fetched_ones = sorted(
        (FETCHED_PREFIX + basis for dataset in fetched() for basis in dataset.columns), key=order
    )
    return packaged_ones + fetched_ones


def latest_quarter() -> str:
    """The newest packaged quarter, the default population basis."""
    return quarters()[-1]


def quarter_date(quarter: str) -> date:
    """The date a quarter's (or month's) figures count: ``2025K1`` is 1 January 2025."""
    basis = normalise_basis(quarter)
    if basis is None:
        raise InputError(lazy("{quarter} is not a quarter such as 2025K1", quarter=repr(quarter)))
    return basis_date(basis)


def year_instead_of_quarter(text: str) -> InputError | None:
    """The error for a year given where a quarter belongs (``2024``), naming that year's
    packaged quarters; None if ``text`` is not a year.

    >>> print(year_instead_of_quarter("2024"))
    population '2024' is a year; give a quarter: 2024K1 (the population on 1 January 2024), 2024K2 (the population on 1 April 2024), 2024K3 (the population on 1 July 2024), 2024K4 (the population on 1 October 2024), or give a CSV/Excel file
    """
    year = text.strip()
    if not re.fullmatch(r"[0-9]{4}", year):
        return None
    of_year = [quarter for quarter in quarters() if quarter.startswith(year)]
    if not of_year:
        return InputError(
            lazy(
                "population {value} is a year, and no quarter of {year} is packaged; use one of "
                "{quarters}, or give a CSV/Excel file",
                value=repr(text),
                year=year,
                quarters=", ".join(quarters()),
            )
        )
    shown = Joined(
        lazy(
            "{quarter} (the population on 1 {month} {year})",
            quarter=q,
            month=lazy(MONTHS_EN[quarter_date(q).month - 1]),
            year=year,
        )
        for q in of_year
    )
    return InputError(
        lazy(
            "population {value} is a year; give a quarter: {quarters}, or give a CSV/Excel file",
            value=repr(text),
            quarters=shown,
        )
    )


def is_quarter(text: str) -> bool:
    """Whether ``text`` is a basis (``2025K1``, ``2024M12``, ``2022K1:65-``,
    ``statbank:2024K4``), not a file path."""
    text = text.strip()
    if text.casefold().startswith(FETCHED_PREFIX):
        text = text[len(FETCHED_PREFIX) :]
    return normalise_basis(text) is not None


def dataset_of(basis: str) -> Dataset:
    """The data set that holds a basis: a packaged one first, then a fetched one.

    ``statbank:2024K4`` looks only among the fetched sets. Raises :class:`InputError`
    for a basis no set holds (the message says which ones there are).
    """
    given = basis
    text = without_regions(basis).strip()  # the regions are summed from these figures
    only_fetched = text.casefold().startswith(FETCHED_PREFIX)
    if only_fetched:
        text = text[len(FETCHED_PREFIX) :]
    normal = normalise_basis(text)
    if normal is not None and not only_fetched and normal in packaged_bases():
        return packaged(packaged_bases()[normal])
    if normal is not None:
        for dataset in fetched():
            if normal in dataset.columns:
                return dataset
    raise InputError(_unknown_basis(given))


def _unknown_basis(given: str) -> Text:
    months = sorted(b for b in packaged_bases() if is_month(b))
    known = quarters()
    return lazy(
        "population {value} is not a packaged quarter; use one that costshare data list "
        "shows (quarters {first}–{last}, months {first_month}–{last_month}, age groups "
        "such as 2022K1:65-), fetch it with costshare data fetch, or give a CSV/Excel file",
        value=repr(given),
        first=known[0],
        last=known[-1],
        first_month=months[0],
        last_month=months[-1],
    )


def load_packaged(quarter: str) -> Population:
    """The 98 municipalities' figures on one basis: a quarter (``2024K4``), a month
    (``2024M12``) or an age group (``2022K1:65-``), packaged or fetched.

    Raises :class:`InputError` for a basis no set holds (the message lists the ones
    there are) and :class:`DataError` if a data file is damaged.
    """
    dataset = dataset_of(quarter)
    basis = normalise_basis(quarter.strip().removeprefix(FETCHED_PREFIX)) or quarter
    if basis not in dataset.columns:  # statbank:… given in another case
        basis = normalise_basis(quarter.strip()[len(FETCHED_PREFIX) :]) or basis
    info = dataset.info
    ages = basis_ages(basis)
    when = format_date(basis_date(basis)) + (f", {ages}" if ages else "")
    shown = FETCHED_PREFIX + basis if dataset.fetched else basis
    rows = dataset.rows
    return Population(
        basis=shown,
        codes=tuple(row[0] for row in rows),
        names=tuple(row[1] for row in rows),
        regions=tuple(row[2] for row in rows),
        counts=dataset.counts(basis),
        source=f"{info['publisher_da']}, {info['table']}, {when} ({basis}; {dataset.status(basis)})",
        as_of=basis_date(basis),
    )


def citation(quarter: str) -> str:
    """A packaged quarter for a letter: ``Danmarks Statistik, FOLK1A, 1. januar 2025 (2025K1)``.

    Unlike :attr:`Population.source`, no verification status: that is for the workbooks.
    """
    quarter = quarter.strip().upper()
    info = source()
    return (
        f"{info['publisher_da']}, {info['table']}, {format_date(quarter_date(quarter))} ({quarter})"
    )


@functools.cache
def source() -> dict[str, Any]:
    """The provenance of the 1 January data set (publisher, table, checksum, checks)."""
    return packaged(DATASET).info


def sources_text() -> str:
    """The full SOURCES.md that ships with the data."""
    text: str = packaged_resource("SOURCES.md").read_text(encoding="utf-8")
    return text


def packaged_checksum(basis: str | None = None) -> str:
    """The SHA-256 of the CSV holding ``basis`` (default: the 1 January set), as installed."""
    dataset = dataset_of(basis) if basis else packaged(DATASET)
    if dataset.fetched:
        return hashlib.sha256(Path(dataset.path).read_bytes()).hexdigest()
    return hashlib.sha256(packaged_resource(f"{dataset.name}.csv").read_bytes()).hexdigest()


def regions() -> list[str]:
    """The five regions, as Statistics Denmark names them."""
    return sorted(set(_municipality_regions().values()))


# Statistics Denmark's region codes, used as the regions' party codes (and so their tie order).
REGION_CODES = {
    "Region Nordjylland": "081",
    "Region Midtjylland": "082",
    "Region Syddanmark": "083",
    "Region Hovedstaden": "084",
    "Region Sjælland": "085",
}
# The short names the regions go by in everyday writing ("Region H", "Region Midt").
_REGION_SHORT_NAMES = {
    "h": "Region Hovedstaden",
    "midt": "Region Midtjylland",
    "nord": "Region Nordjylland",
    "syd": "Region Syddanmark",
}


def resolve_region(text: str) -> str:
    """``hovedstaden``, ``Region Hovedstaden``, ``KKR Hovedstaden``, ``Region H`` or ``084``
    → ``Region Hovedstaden``.

    Raises :class:`InputError` naming the valid regions.

    >>> resolve_region("084"), resolve_region("Region H"), resolve_region("kkr sjaelland")
    ('Region Hovedstaden', 'Region Hovedstaden', 'Region Sjælland')
    """
    wanted = re.sub(r"^(region|kkr)\s+", "", read_code(text).casefold())
    if is_number_code(wanted):
        for region, code in REGION_CODES.items():
            if same_code(code, wanted):
                return region
    for region in regions():
        if fold_name(region.removeprefix("Region ")) == fold_name(wanted):
            return region
    if wanted in _REGION_SHORT_NAMES:
        return _REGION_SHORT_NAMES[wanted]
    short = [r.removeprefix("Region ") for r in regions()]
    raise InputError(
        lazy(
            "unknown region {value}; use one of {regions}",
            value=repr(text),
            regions=", ".join(short),
        )
    )


def _municipality_regions() -> dict[str, str]:
    _header, rows = packaged_table()
    return {row[0]: row[2] for row in rows}


def packaged_table() -> tuple[list[str], tuple[tuple[str, ...], ...]]:
    dataset = packaged(DATASET)
    return ["code", "name", "region"], dataset.rows
