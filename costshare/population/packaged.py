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

import difflib
import functools
import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

from costshare.base.danish import format_date
from costshare.base.errors import DataError, InputError

DATASET = "folk1a_municipalities_K1_2016-2026"
_QUARTER = re.compile(r"^(\d{4})K([1-4])$")
_QUARTER_LIKE = re.compile(r"^[0-9]{4}\s*K\s*[0-9]+$", re.IGNORECASE)


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

    @property
    def total(self) -> int:
        """The total population of the selection."""
        return sum(self.counts)

    def weights(self) -> dict[str, int]:
        """The population as allocation weights, keyed by code."""
        return dict(zip(self.codes, self.counts, strict=True))

    @functools.cached_property
    def _index(self) -> dict[str, int]:
        """Code → position, built once: a lookup per payer must not scan the codes
        (200,000 recipients would take 2·10¹⁰ steps)."""
        return {code: i for i, code in enumerate(self.codes)}

    def name_of(self, code: str) -> str:
        """The name of the recipient with this code."""
        return self.names[self._position(code)]

    def count_of(self, code: str) -> int:
        """The population of the recipient with this code."""
        return self.counts[self._position(code)]

    def _position(self, code: str) -> int:
        try:
            return self._index[code]
        except KeyError:
            raise ValueError(f"{code!r} is not in the codes") from None

    def select_region(self, region: str) -> Population:
        """Only the municipalities of one region (``Hovedstaden``, any case).

        Raises :class:`InputError` for an unknown region, or when the figures are not
        municipalities.
        """
        full_name = resolve_region(region)
        if not self.municipal:
            raise InputError(
                f"--region {region!r} needs municipalities, but {self.basis} holds other "
                "recipients; leave out --region"
            )
        regions = self.regions or tuple(_municipality_regions().get(c) for c in self.codes)
        keep = [i for i, r in enumerate(regions) if r == full_name]
        if not keep:
            raise InputError(f"{self.basis} has no municipality in {full_name}")
        return self._subset(keep, f"{full_name}")

    def select_codes(self, codes: Iterable[str], exclude: Iterable[str] = ()) -> Population:
        """Only the given codes (all when ``codes`` is empty), less ``exclude``.

        Raises :class:`InputError` if a code is not in the figures.
        """
        wanted = list(codes) or list(self.codes)
        excluded = set(exclude)
        index = self._index
        for code in [*wanted, *excluded]:
            if code not in index:
                raise InputError(f"{self.basis} has no recipient with code {code!r}")
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
        )


def quarters() -> list[str]:
    """The packaged quarters, oldest first (e.g. ``['2016K1', …, '2026K1']``)."""
    return [column for column in _packaged_table()[0] if _QUARTER.match(column)]


def latest_quarter() -> str:
    """The newest packaged quarter, the default population basis."""
    return quarters()[-1]


def quarter_date(quarter: str) -> date:
    """The date a quarter's figures count: ``2025K1`` is 1 January 2025."""
    match = _QUARTER.match(quarter)
    if not match:
        raise InputError(f"{quarter!r} is not a quarter such as 2025K1")
    return date(int(match[1]), 3 * int(match[2]) - 2, 1)


def is_quarter(text: str) -> bool:
    """Whether ``text`` looks like a quarter (``2025K1``), not a file path."""
    return bool(_QUARTER.match(text.strip().upper()))


def load_packaged(quarter: str) -> Population:
    """The 98 municipalities' population in one packaged quarter.

    Raises :class:`InputError` for a quarter that is not packaged (the message lists
    the ones that are) and :class:`DataError` if the packaged file is damaged.
    """
    given, quarter = quarter, quarter.strip().upper()
    header, rows = _packaged_table()
    if quarter not in header[3:]:
        raise InputError(
            f"population {given!r} is not a packaged quarter; use one of "
            f"{', '.join(quarters())}, or give a CSV/Excel file"
        )
    column = header.index(quarter)
    info = source()
    status = (
        "kontrolleret mod offentliggjorte tal"
        if quarter in info.get("verified", [])
        else "kontrolleret ved summer"
    )
    return Population(
        basis=quarter,
        codes=tuple(row[0] for row in rows),
        names=tuple(row[1] for row in rows),
        regions=tuple(row[2] for row in rows),
        counts=tuple(int(row[column]) for row in rows),
        source=f"{info['publisher_da']}, {info['table']}, {format_date(quarter_date(quarter))} ({quarter}; {status})",
        as_of=quarter_date(quarter),
    )


@functools.cache
def source() -> dict[str, Any]:
    """The provenance of the packaged data set (publisher, table, checksum, checks)."""
    with _resource(f"{DATASET}.source.toml").open("rb") as handle:
        return tomllib.load(handle)


def sources_text() -> str:
    """The full SOURCES.md that ships with the data."""
    text: str = _resource("SOURCES.md").read_text(encoding="utf-8")
    return text


def packaged_checksum() -> str:
    """The SHA-256 of the packaged CSV as it is installed."""
    return hashlib.sha256(_resource(f"{DATASET}.csv").read_bytes()).hexdigest()


def regions() -> list[str]:
    """The five regions, as Statistics Denmark names them."""
    return sorted(set(_municipality_regions().values()))


def resolve_region(text: str) -> str:
    """``hovedstaden``, ``Region Hovedstaden`` or ``KKR Hovedstaden`` → ``Region Hovedstaden``.

    Raises :class:`InputError` naming the valid regions.
    """
    wanted = re.sub(r"^(region|kkr)\s+", "", text.strip().casefold())
    for region in regions():
        if region.casefold().removeprefix("region ") == wanted:
            return region
    short = [r.removeprefix("Region ") for r in regions()]
    raise InputError(f"unknown region {text!r}; use one of {', '.join(short)}")


@functools.cache
def municipality_codes_by_name() -> Mapping[str, str]:
    """Normalised municipality name → code, for matching files that carry names only."""
    _header, rows = _packaged_table()  # cached and read-only: asked once per annex row
    return MappingProxyType({normalise_name(row[1]): row[0] for row in rows})


@functools.cache
def municipality_names() -> Mapping[str, str]:
    """Code → Statistics Denmark's name of every municipality."""
    _header, rows = _packaged_table()
    return MappingProxyType({row[0]: row[1] for row in rows})


def suggest_municipality(name: str) -> str | None:
    """The nearest municipality name to a misspelt one, or None."""
    names = list(municipality_names().values())
    by_normal = {normalise_name(n): n for n in names}
    close = difflib.get_close_matches(normalise_name(name), list(by_normal), n=1, cutoff=0.75)
    return by_normal[close[0]] if close else None


def normalise_name(name: str) -> str:
    """Case- and spacing-insensitive form of a name, for matching."""
    return re.sub(r"\s+", " ", name.strip()).casefold().removesuffix(" kommune")


def _municipality_regions() -> dict[str, str]:
    _header, rows = _packaged_table()
    return {row[0]: row[2] for row in rows}


@functools.cache
def _packaged_table() -> tuple[list[str], list[list[str]]]:
    # Read with the csv module, not polars: 98 rows, and the split path should not pay for
    # a DataFrame when it only needs a column.
    import csv
    import io

    raw = _resource(f"{DATASET}.csv").read_bytes()
    expected = source()["sha256"]
    if hashlib.sha256(raw).hexdigest() != expected:
        raise DataError(
            f"the packaged {DATASET}.csv does not match its recorded checksum; reinstall costshare"
        )
    reader = csv.reader(io.StringIO(raw.decode("utf-8")))
    header = next(reader)
    return header, list(reader)


def _resource(name: str) -> Traversable:
    try:
        return resources.files("costshare.population_data").joinpath(name)
    except ModuleNotFoundError as error:  # a broken install, not a user error
        raise DataError(f"the packaged data is missing ({error}); reinstall costshare") from None
