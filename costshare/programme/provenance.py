"""Where a run's figures came from, as every workbook of an annex package and its manifest record it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SOURCE_KINDS = ("programme", "population", "register", "index")
"""The kinds of file a run is computed from, as a package and a letter carry them."""


@dataclass(frozen=True)
class SourceFile:
    """A file a run was computed from: the programme, or a file of the user's it names.

    A package carries a copy of each (issue #20, item 4), so that what it charges can be
    re-derived from the package alone.
    """

    kind: str
    """``programme``, ``population`` (a population or key file), ``register`` or ``index``."""
    named_by: str
    """The programme key that names it (``municipalities.population``, ``register``,
    ``indexing.file``) or the option (``--population``, ``--index``); "" for the programme."""
    given: str
    """The name as the programme gives it (for an option: the file's name only)."""
    path: Path
    """Where it was read. Never written into a package (no file holds an absolute path)."""
    sha256: str = ""
    """The SHA-256 of the bytes that were computed from; "" where it was not recorded."""


@dataclass(frozen=True)
class RunOptions:
    """The what-if options of a run, as an earlier package's re-derivation needs them."""

    amount: str | None = None
    """``--amount`` as a plain decimal (``"1100000"``), None without it."""
    population: str | None = None
    """``--population`` when it names a basis (``2024K1``); a file is a :class:`SourceFile`."""


@dataclass(frozen=True)
class Provenance:
    """The inputs of one ``costshare run`` and the overrides of a what-if run.

    ``inputs`` pairs a description of each input file with its SHA-256; ``what_if``
    lists the overrides (``--amount``, ``--population``) in Danish, empty for a run on
    the programme as decided. ``sources`` are the files themselves and ``options`` the
    overrides as given, for a package to carry and re-derive from.
    """

    version: str
    programme_file: str
    population_basis: str
    population_source: str
    population_date: date | None
    inputs: tuple[tuple[str, str], ...]
    what_if: tuple[str, ...] = field(default=())
    sources: tuple[SourceFile, ...] = field(default=())
    options: RunOptions = field(default=RunOptions())

    @property
    def draft(self) -> bool:
        """Whether the run is a what-if: a draft, to be marked as one on every document and
        sent as no claim (no e-invoice)."""
        return bool(self.what_if)
