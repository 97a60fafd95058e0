"""Where a run's figures came from, as every workbook of an annex package and its manifest record it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Provenance:
    """The inputs of one ``costshare run`` and the overrides of a what-if run.

    ``inputs`` pairs a description of each input file with its SHA-256; ``what_if``
    lists the overrides (``--amount``, ``--population``) in Danish, empty for a run on
    the programme as decided.
    """

    version: str
    programme_file: str
    population_basis: str
    population_source: str
    population_date: date | None
    inputs: tuple[tuple[str, str], ...]
    what_if: tuple[str, ...] = field(default=())
