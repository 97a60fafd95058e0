"""The packaged register of the 98 municipalities: official name and CVR number.

``kommuner.csv`` (with its sidecar ``kommuner.source.toml``, which records its SHA-256 and
where every column comes from) gives each kommunekode the name it is registered under
with its CVR number, e.g. ``Gentofte Kommune``, ``Københavns Kommune`` and ``Bornholms
Regionskommune``. Letters and annexes address a municipality by this name.

>>> municipality("157").official_name, municipality("157").cvr
('Gentofte Kommune', '19438414')
>>> municipality("0101").official_name
'Københavns Kommune'
>>> municipality("999") is None
True
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from typing import Any

from costshare.base.codes import same_code
from costshare.population.datasets import packaged_file, packaged_sidecar

REGISTER = "kommuner"


@dataclass(frozen=True)
class Municipality:
    """One row of the packaged register."""

    code: str
    name: str
    official_name: str
    cvr: str
    region: str
    region_code: str


def municipality(code: str) -> Municipality | None:
    """The municipality with this kommunekode (``157`` or ``0157``), or None."""
    table = _register()
    if code in table:
        return table[code]
    return next((row for key, row in table.items() if same_code(key, code)), None)


def municipality_with_cvr(cvr: str) -> Municipality | None:
    """The municipality registered under this CVR number, or None.

    >>> municipality_with_cvr("29189374").official_name
    'Køge Kommune'
    """
    return next((row for row in _register().values() if row.cvr == cvr), None)


def register_source() -> dict[str, Any]:
    """The provenance of ``kommuner.csv`` (its sidecar)."""
    return packaged_sidecar(REGISTER)


@functools.cache
def _register() -> dict[str, Municipality]:
    raw, _info = packaged_file(REGISTER)
    rows = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    return {
        row["code"]: Municipality(
            row["code"],
            row["name"],
            row["official_name"],
            row["cvr"],
            row["region"],
            row["region_code"],
        )
        for row in rows
    }
