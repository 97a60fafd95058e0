"""Preparing a run: the programme computed with the what-if overrides, and what went into it.

:func:`prepare_run` computes one year of a loaded plan (a programme file is read once, by
:func:`~costshare.programme.years.load_plan`) into a :class:`Prepared` run: the result,
its :class:`~costshare.programme.provenance.Provenance` (the version, the figures used,
every input's SHA-256 (the population's of the bytes that were split), the what-if
changes, the files it was computed from and the options as given) and its payers, listed
once: every writer of the package takes them from here.

:func:`prepare` (the library's) loads and computes a programme file of one year;
:func:`prepare_programme` computes a loaded one.

:func:`reproducible_timestamp` is the one time stamped into file metadata:
``SOURCE_DATE_EPOCH`` when it is set, else the programme's ``letter_date`` at midnight
UTC, so that no file carries the wall-clock time and two runs give byte-identical files.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import format_plain, parse_amount
from costshare.base.version import __version__
from costshare.check.received.labels import PROGRAMME_INPUT
from costshare.population.basis import basis_file
from costshare.population.packaged import dataset_of, is_quarter, packaged_checksum
from costshare.programme.model import Programme, ProgrammeResult, compute, load_programme
from costshare.programme.payers import Payer, payers
from costshare.programme.provenance import Provenance, RunOptions, SourceFile
from costshare.programme.years import Plan


@dataclass(frozen=True)
class Prepared:
    """A computed run, ready to be written: its result, provenance and payers.

    The payers are listed once per run (from the result and the payer register) and
    passed to every writer, so the workbooks, letters, e-invoices and manifest are made
    from the same list.
    """

    result: ProgrammeResult
    provenance: Provenance
    payers: tuple[Payer, ...]

    @classmethod
    def of(cls, result: ProgrammeResult, provenance: Provenance) -> Prepared:
        """The run of a computed result (its payers listed here, once)."""
        return cls(result, provenance, tuple(payers(result)))


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
    extra_sources: Sequence[SourceFile] = (),
) -> tuple[ProgrammeResult, Provenance]:
    """Compute a loaded programme with the overrides, and record what went into it.

    ``what_if`` and ``inputs`` add the caller's own overrides and input files (a
    multi-year run's index table) to those of the programme and its figures, and
    ``extra_sources`` the files behind them.
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
    recorded = [(PROGRAMME_INPUT.format(name=programme.path.name), programme.sha256)]
    sources = [SourceFile("programme", "", programme.path.name, programme.path, programme.sha256)]
    population_file = _population_file(programme, population)
    if population_file is None:
        basis = split.population.basis
        data_file = Path(dataset_of(basis).path).name
        recorded.append((f"befolkningsdata {data_file}", packaged_checksum(basis)))
    else:
        # The hash of the bytes that were split, not of the file as it is now.
        digest = split.population.sha256 or _sha256(population_file)
        recorded.append((f"befolkningsdata {population_file.name}", digest))
        named_by, given = (
            ("--population", population_file.name)
            if population is not None
            else ("municipalities.population", programme.population_basis)
        )
        sources.append(SourceFile("population", named_by, given, population_file, digest))
    _part_files(programme, result, recorded, sources)
    if programme.register is not None:
        given = _given(programme.register, programme.path.parent)
        sources.append(SourceFile("register", "register", given, programme.register))
    options = RunOptions(
        format_plain(amount_ore, programme.unit) if amount_ore is not None else None,
        population if population is not None and population_file is None else None,
    )
    provenance = Provenance(
        version=__version__,
        programme_file=programme.path.name,
        population_basis=Path(split.population.basis).name,
        population_source=split.population.source,
        population_date=split.population.as_of,
        inputs=(*recorded, *inputs),
        what_if=(*changes, *what_if),
        sources=(*sources, *extra_sources),
        options=options,
    )
    return result, provenance


def _part_files(
    programme: Programme,
    result: ProgrammeResult,
    recorded: list[tuple[str, str]],
    sources: list[SourceFile],
) -> None:
    """The files the parts of a key name (issue #21: service hours, a key file), recorded
    with the SHA-256 of the bytes that were split and carried like the population file."""
    parts = result.municipal.key.parts
    for index, (spec, part) in enumerate(zip(programme.parts, parts, strict=True), start=1):
        file = basis_file(spec.basis, programme.path.parent) if spec.basis else None
        if file is None:  # the programme's figures, a quarter or a rule
            continue
        digest = part.population.sha256 or _sha256(file)
        recorded.append((f"befolkningsdata {file.name}", digest))
        named_by = f"municipalities.parts[{index}].population"
        sources.append(SourceFile("population", named_by, spec.basis or "", file, digest))


def _given(path: Path, folder: Path) -> str:
    """A file's name as a programme in ``folder`` gave it (relative where it was)."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name  # an absolute path: its name only (no machine paths in a package)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    inputs, sources = [], []
    table = plan.table
    if table is not None and table.file:
        inputs.append((f"prisindeks {table.file}", table.sha256))
    if table is not None and table.path is not None:
        named_by, given = (
            ("--index", table.file)
            if plan.index_override
            else ("indexing.file", _given(table.path, plan.path.parent))
        )
        sources.append(SourceFile("index", named_by, given, table.path, table.sha256))
    return prepare_programme(
        programme, population, amount, what_if=what_if, inputs=inputs, extra_sources=sources
    )


def prepare_run(
    plan: Plan, year: int | None, population: str | None = None, amount: str | None = None
) -> Prepared:
    """One year of ``plan`` (or its only year) computed and ready to write, payers listed.

    Raises :class:`InputError` as :func:`prepare_year` does.
    """
    return Prepared.of(*prepare_year(plan, year, population, amount))
