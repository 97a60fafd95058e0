"""The population data sets costshare can split on: packaged ones and fetched ones.

Every data set is a CSV of the 98 municipalities (``code``, ``name``, ``region``, then one
column per *basis*) with a ``.source.toml`` sidecar holding its SHA-256 and provenance.
The packaged sets ship with costshare (``population/`` in the source tree); sets fetched
from Statistics Denmark's StatBank (:mod:`costshare.population.statbank`) live in the user
data folder. Each file is read once, checksum-verified, and cached.

A *basis* names one column of figures:

* ``2025K1`` – a quarter: the population on the first day of the quarter (FOLK1A);
* ``2024M12`` – a month: the population on 1 December 2024 (FOLK1AM);
* ``2022K1:65-`` – an age group on a quarter or month: aged 65 and over; ``2025K1:0-17``
  is aged 0 to 17 inclusive (both ends count), ``2022K1:80-`` 80 and over;
* ``statbank:2024K4`` – the set fetched from StatBank, even where a packaged one exists.
  A plain basis uses the packaged set when there is one, otherwise a fetched one, so a
  programme file means the same figures on every machine that has them packaged.

>>> normalise_basis(" 2024m12 "), normalise_basis("2022k1:65-"), normalise_basis("2025K5")
('2024M12', '2022K1:65-', None)
>>> basis_date("2024M12"), basis_date("2025K1:0-17")
(datetime.date(2024, 12, 1), datetime.date(2025, 1, 1))
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from costshare.base.errors import DataError
from costshare.base.i18n import lazy, tr

# The packaged sets, in the order a basis is looked up (the first set holding it wins).
PACKAGED = (
    "folk1a_municipalities_K1_2016-2026",
    "folk1a_municipalities_K2K3K4_2021K4-2025K4",
    "folk1am_monthly_2021M10-2026M02",
    "folk1a_age65plus_80plus_K1_2008-2022",
)
FETCHED_PREFIX = "statbank:"
# The five regions summed from the municipalities on a basis: regioner:2025K1 (issue #21).
REGIONS_PREFIXES = ("regioner:", "regions:")
_BASIS = re.compile(
    r"^(?P<period>(?P<year>[0-9]{4})(?:K(?P<quarter>[1-4])|M(?P<month>0[1-9]|1[0-2])))"
    r"(?::(?P<low>[0-9]{1,3})-(?P<high>[0-9]{1,3})?)?$"
)
# What a user may have meant as a basis, even if it is not a valid one (2025K5, 2024M13).
BASIS_LIKE = re.compile(r"^(statbank:)?[0-9]{4}\s*[KM]\s*[0-9]+(:[0-9-]*)?$", re.IGNORECASE)
# Column headers of the age-group file: age65plus_2022K1 → 2022K1:65-. Its total_<q>
# columns are not offered: 2019K1 and 2022K1 equal the K1 set, and the older years are
# kept out of the list of whole-population quarters on purpose (they were checked only as
# the denominators of the age groups).
_AGE_COLUMN = re.compile(r"^age(?P<low>[0-9]+)plus_(?P<period>[0-9]{4}K[1-4])$")


def without_regions(basis: str) -> str:
    """The municipalities' basis a basis of regions is summed from: ``regioner:2025K1`` →
    ``2025K1``; any other basis as it is."""
    text = basis.strip()
    for prefix in REGIONS_PREFIXES:
        if text.casefold().startswith(prefix):
            return text[len(prefix) :].strip()
    return basis


def normalise_basis(text: str) -> str | None:
    """The canonical spelling of a basis (``2024m12`` → ``2024M12``), or None if not one."""
    match = _BASIS.match(text.strip().upper().replace(" ", ""))
    if not match:
        return None
    if match["high"] is not None and int(match["high"]) < int(match["low"]):
        return None
    return match.group(0)


def basis_date(basis: str) -> date:
    """The day a basis's figures count: the first day of its quarter or month."""
    match = _BASIS.match(basis)
    if not match:
        raise ValueError(f"not a basis: {basis!r}")
    month = int(match["month"]) if match["month"] else 3 * int(match["quarter"]) - 2
    return date(int(match["year"]), month, 1)


def basis_ages(basis: str) -> str | None:
    """The age group in Danish (``65 år og derover``, ``0-17 år``), or None for all ages."""
    match = _BASIS.match(basis)
    if not match or match["low"] is None:
        return None
    if match["high"] is None:
        return f"{int(match['low'])} år og derover"
    return f"{int(match['low'])}-{int(match['high'])} år"


def is_month(basis: str) -> bool:
    """Whether a basis is a month (``2024M12``) rather than a quarter."""
    match = _BASIS.match(basis)
    return bool(match and match["month"])


def age_range(basis: str) -> tuple[int, int | None] | None:
    """``(low, high)`` of a basis's age group (``high`` None when open), or None."""
    match = _BASIS.match(basis)
    if not match or match["low"] is None:
        return None
    return int(match["low"]), int(match["high"]) if match["high"] else None


@dataclass(frozen=True)
class Dataset:
    """One data set: its sidecar, its rows and which column holds which basis."""

    name: str
    info: dict[str, Any]
    rows: tuple[tuple[str, ...], ...]
    columns: dict[str, int]
    fetched: bool = False
    path: str = ""

    def status(self, basis: str) -> str:
        """How the basis's figures were checked, in Danish, as documents print it."""
        if self.fetched:
            when = str(self.info.get("retrieved_at", ""))[:10]
            return f"hentet fra Statistikbanken {when}".rstrip()
        period = basis.split(":")[0]
        if basis in self.info.get("verified", []) or (
            ":" not in basis and period in self.info.get("verified", [])
        ):
            return "kontrolleret mod offentliggjorte tal"
        return "kontrolleret ved summer"

    def status_en(self, basis: str) -> str:
        """The same in the active language (English by default), for ``costshare data list``."""
        if self.fetched:
            return "hentet fra Statistikbanken"  # the source's own name, in both languages
        if self.status(basis) == "kontrolleret mod offentliggjorte tal":
            return tr("verified")
        return tr("checked by sums")

    def counts(self, basis: str) -> tuple[int, ...]:
        """The figures of one basis, in row order."""
        column = self.columns[basis]
        return tuple(int(row[column]) for row in self.rows)

    @property
    def checksum(self) -> str:
        """The SHA-256 recorded in the sidecar (checked when the set was read)."""
        return str(self.info["sha256"])


@functools.cache
def packaged(name: str) -> Dataset:
    """A packaged data set by name, read once and checked against its SHA-256."""
    raw, info = packaged_file(name)
    return _dataset(name, info, raw, fetched=False, path=f"{name}.csv")


def packaged_file(name: str) -> tuple[bytes, dict[str, Any]]:
    """The bytes of the packaged ``{name}.csv`` and its sidecar ``{name}.source.toml``.

    The one reader of packaged data: raises :class:`DataError` when the bytes do not
    match the SHA-256 the sidecar records (a damaged or edited install).
    """
    info = packaged_sidecar(name)
    raw = packaged_resource(f"{name}.csv").read_bytes()
    if hashlib.sha256(raw).hexdigest() != info["sha256"]:
        raise DataError(
            lazy(
                "the packaged {file} does not match its recorded checksum; reinstall costshare",
                file=f"{name}.csv",
            )
        )
    return raw, info


def packaged_sidecar(name: str) -> dict[str, Any]:
    """The provenance of the packaged ``{name}.csv`` (its ``.source.toml`` sidecar)."""
    with packaged_resource(f"{name}.source.toml").open("rb") as handle:
        return tomllib.load(handle)


@functools.cache
def packaged_bases() -> dict[str, str]:
    """Every packaged basis → the name of the set that holds it (the first set wins)."""
    found: dict[str, str] = {}
    for name in PACKAGED:
        for basis in packaged(name).columns:
            found.setdefault(basis, name)
    return found


def data_dir() -> Path:
    """The user data folder: ``COSTSHARE_DATA_DIR``, else the platform's (platformdirs)."""
    override = os.environ.get("COSTSHARE_DATA_DIR", "").strip()
    if override:
        return Path(override)
    import platformdirs  # imported only when a fetched set is looked for

    return Path(platformdirs.user_data_dir("costshare", appauthor=False))


def fetched_dir() -> Path:
    """Where ``costshare data fetch`` stores the sets it fetches."""
    return data_dir() / "statbank"


def fetched(folder: Path | None = None) -> Iterator[Dataset]:
    """The sets fetched into ``folder``, each checked against its sidecar's SHA-256.

    Raises :class:`DataError` for a fetched set that was changed after it was stored.
    """
    folder = fetched_dir() if folder is None else folder
    if not folder.is_dir():
        return
    for sidecar in sorted(folder.glob("*.source.toml")):
        csv_file = sidecar.with_name(sidecar.name.removesuffix(".source.toml") + ".csv")
        if not csv_file.exists():
            continue
        yield read_fetched(csv_file, sidecar)


def read_fetched(csv_file: Path, sidecar: Path) -> Dataset:
    """One fetched set, checked against its sidecar's SHA-256."""
    try:
        info = tomllib.loads(sidecar.read_text(encoding="utf-8"))
        raw = csv_file.read_bytes()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataError(
            lazy("{file}: cannot be read ({error}); fetch the set again", file=sidecar, error=error)
        ) from None
    if hashlib.sha256(raw).hexdigest() != info.get("sha256"):
        raise DataError(
            lazy(
                "{file}: does not match the checksum recorded when it was fetched; "
                "fetch it again with costshare data fetch",
                file=csv_file,
            )
        )
    return _dataset(csv_file.stem, info, raw, fetched=True, path=str(csv_file))


def _dataset(name: str, info: dict[str, Any], raw: bytes, fetched: bool, path: str) -> Dataset:
    # The csv module, not polars: a split on packaged figures must not import polars.
    import csv
    import io

    reader = csv.reader(io.StringIO(raw.decode("utf-8")))
    header = next(reader)
    rows = tuple(tuple(row) for row in reader)
    columns: dict[str, int] = {}
    for index, cell in enumerate(header[3:], start=3):
        if (age := _AGE_COLUMN.match(cell)) is not None:
            columns[f"{age['period']}:{int(age['low'])}-"] = index
        elif normalise_basis(cell) == cell:
            columns[cell] = index
    if header[:3] != ["code", "name", "region"] or any(len(row) != len(header) for row in rows):
        raise DataError(
            lazy("{file}: not a costshare population set (code,name,region,…)", file=path)
        )
    return Dataset(name, info, rows, columns, fetched, path)


def packaged_resource(name: str) -> Traversable:
    """A file of the packaged data folder (``population/`` in the source tree)."""
    try:
        return resources.files("costshare.population_data").joinpath(name)
    except ModuleNotFoundError as error:  # a broken install, not a user error
        raise DataError(
            lazy("the packaged data is missing ({error}); reinstall costshare", error=error)
        ) from None
