"""Preparing a run: the programme computed with the what-if overrides, and what went into it.

:func:`prepare` loads a programme file; :func:`prepare_programme` computes a loaded one
(a multi-year year, with its index table as an extra input, goes through
:func:`prepare_year`). Each records a :class:`~costshare.programme.provenance.Provenance`:
the version, the figures used, every input's SHA-256 (the population's of the bytes that
were split) and the what-if changes.

:func:`reproducible_timestamp` is the one time stamped into file metadata:
``SOURCE_DATE_EPOCH`` when it is set, else the programme's ``letter_date`` at midnight
UTC, so that no file carries the wall-clock time and two runs give byte-identical files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from pathlib import Path

from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import parse_amount
from costshare.base.version import __version__
from costshare.package.staging import (
    sha256_file,
)
from costshare.population.basis import basis_file
from costshare.population.packaged import dataset_of, is_quarter, packaged_checksum
from costshare.programme.model import Programme, ProgrammeResult, compute, load_programme
from costshare.programme.provenance import Provenance
from costshare.programme.years import Plan

LAST_ZIP_YEAR = 2107  # a zip entry's date has 7 bits of years from 1980


def prepare(
    programme_file: Path | str,
    population: str | None = None,
    amount: str | None = None,
) -> tuple[ProgrammeResult, Provenance]:
    """Load and compute the programme, with ``--population``/``--amount`` overrides.

    Raises :class:`InputError` for a bad programme file or override.
    """
    return prepare_programme(load_programme(programme_file), population, amount)


def prepare_programme(
    programme: Programme,
    population: str | None = None,
    amount: str | None = None,
    *,
    what_if: Sequence[str] = (),
    inputs: Sequence[tuple[str, str]] = (),
) -> tuple[ProgrammeResult, Provenance]:
    """Compute a loaded programme with the overrides, and record what went into it.

    ``what_if`` and ``inputs`` add the caller's own overrides and input files (a
    multi-year run's index table) to those of the programme and its figures.
    """
    amount_ore = parse_amount(amount, "--amount") if amount is not None else None
    result = compute(programme, population_override=population, amount_override_ore=amount_ore)
    changes = []
    if amount_ore is not None:
        changes.append(
            f"samlet udgift {format_kr(amount_ore, programme.unit.shows_ore)} (--amount)"
        )
    if population is not None:
        shown = population if is_quarter(population) else Path(population).name  # no paths
        changes.append(f"befolkning {shown} (--population)")
    split = result.municipal
    recorded = [(f"programfil {programme.path.name}", programme.sha256)]
    population_file = _population_file(programme, population)
    if population_file is None:
        basis = split.population.basis
        data_file = Path(dataset_of(basis).path).name
        recorded.append((f"befolkningsdata {data_file}", packaged_checksum(basis)))
    else:
        # The hash of the bytes that were split, not of the file as it is now.
        digest = split.population.sha256 or sha256_file(population_file)
        recorded.append((f"befolkningsdata {population_file.name}", digest))
    provenance = Provenance(
        version=__version__,
        programme_file=programme.path.name,
        population_basis=Path(split.population.basis).name,
        population_source=split.population.source,
        population_date=split.population.as_of,
        inputs=(*recorded, *inputs),
        what_if=(*changes, *what_if),
    )
    return result, provenance


def reproducible_timestamp(
    programme: Programme, environ: Mapping[str, str] = os.environ
) -> datetime:
    """The time stamped into file metadata: SOURCE_DATE_EPOCH, else ``letter_date``.

    A naive UTC datetime. Raises :class:`InputError` for a SOURCE_DATE_EPOCH that is not a
    whole number of seconds, or a date outside 1980–2107 (what a zip file can hold).
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not (epoch.isascii() and epoch.isdigit()):
            raise InputError(
                lazy(
                    "SOURCE_DATE_EPOCH {value} is not a whole number of seconds; unset it or fix it",
                    value=repr(epoch),
                )
            )
        # Past year 9999 a datetime cannot hold it: say the last second instead.
        seconds = min(int(epoch[:20]), 253402300799)
        stamp = datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
    else:
        stamp = datetime.combine(programme.letter_date, time())
    if stamp.year < 1980:
        raise InputError(
            lazy(
                "the file date {date} is before 1980; set SOURCE_DATE_EPOCH or letter_date later",
                date=f"{stamp:%Y-%m-%d}",
            )
        )
    if stamp.year > LAST_ZIP_YEAR:
        raise InputError(
            lazy(
                "the file date {date} is after {year}, the last year a zip "
                "file (a workbook) can hold; set SOURCE_DATE_EPOCH or letter_date earlier",
                date=f"{stamp:%Y-%m-%d}",
                year=LAST_ZIP_YEAR,
            )
        )
    return stamp


def _population_file(programme: Programme, override: str | None) -> Path | None:
    """The population file a run reads, or None for a packaged quarter."""
    if override is not None:
        return basis_file(override)
    return basis_file(programme.population_basis, programme.path.parent)


def prepare_year(
    plan: Plan, year: int | None, population: str | None = None, amount: str | None = None
) -> tuple[ProgrammeResult, Provenance]:
    """One year of ``plan`` computed, with its provenance (as ``package.prepare`` records it).

    Raises :class:`InputError` for a year the plan does not have or a bad override.
    """
    programme = plan.year(year).programme
    what_if = [f"prisindeks fra {plan.index_override} (--index)"] if plan.index_override else []
    inputs = []
    if plan.table is not None and plan.table.file:
        inputs.append((f"prisindeks {plan.table.file}", plan.table.sha256))
    return prepare_programme(programme, population, amount, what_if=what_if, inputs=inputs)
