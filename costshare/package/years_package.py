"""Packages of a programme over several years: a complete package a year and an overview.

``costshare run`` on a programme with ``[[years]]`` writes into ``out``::

    out/2025/…            the 2025 package, exactly as a one-year run writes it
    out/2026/…
    out/oversigt-alle-aar.xlsx   payer × year, with row and column totals
    out/manifest.json     the years, their totals and the indexing, and the overview's SHA-256

Each year's folder is written by :func:`costshare.package.annex_package.write_charge`, so it
is complete and verifiable on its own (``costshare verify PROGRAMME --year 2026
out/2026/finansiering-pr-kommune.xlsx``), and carries its programme. Everything goes
through the one staging protocol (:mod:`costshare.package.staging`), with every option of
a one-year run (``--no-einvoices``, ``--max-payers``, ``--force``), and is moved into place
only when every year succeeded.

The overview itself is built by :mod:`costshare.documents.xlsx.years_overview`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costshare.base.danish import format_kr
from costshare.base.i18n import tr
from costshare.base.limits import MAX_PAYERS
from costshare.documents.xlsx.years_overview import build_years_overview
from costshare.package.annex_package import (
    check_payer_limit,
    file_count,
    withheld_note,
    write_charge,
)
from costshare.package.carried import carried_files
from costshare.package.manifest import encode, years_document
from costshare.package.preparation import Prepared, prepare_run, reproducible_timestamp
from costshare.package.staging import staged
from costshare.programme.naming import MANIFEST_FILE, YEARS_OVERVIEW_FILE
from costshare.programme.years import Plan


@dataclass(frozen=True)
class YearsSummary:
    """What a multi-year run wrote: the folder, the years and each year's total."""

    out: Path
    totals_ore: dict[int, int]
    files: int
    warnings: tuple[str, ...] = ()
    einvoice_warnings: tuple[str, ...] = ()
    einvoices_withheld: bool = False
    """A draft (``--index``) of a programme with ``[invoicing]``: no e-invoice was written."""


def prepare_years(plan: Plan) -> list[Prepared]:
    """Every year of ``plan`` computed, its payers listed."""
    return [prepare_run(plan, entry.year) for entry in plan.years]


def years_file_count(years: list[Prepared], einvoices: bool = True) -> int:
    """How many files the years' packages have (for a progress bar)."""
    return sum(file_count(prepared, einvoices) for prepared in years)


def write_years(
    plan: Plan,
    out: Path,
    templates: Path | None = None,
    force: bool = False,
    environ: Mapping[str, str] = os.environ,
    *,
    years: list[Prepared] | None = None,
    einvoices: bool = True,
    max_payers: int = MAX_PAYERS,
    progress: Callable[[int], Any] | None = None,
) -> YearsSummary:
    """Write every year's package and the overview into ``out`` atomically.

    ``years`` are the plan's years prepared (:func:`prepare_years`) where the caller has
    them already. Raises :class:`~costshare.base.errors.InputError` as a one-year run does.
    """
    years = prepare_years(plan) if years is None else years
    for prepared in years:
        check_payer_limit(len(prepared.payers), max_payers)
    copies = [carried_files(prepared.provenance) for prepared in years]
    stamps = [reproducible_timestamp(prepared.result.programme, environ) for prepared in years]
    written = []
    with staged(out, force=force) as stage:
        for prepared, carried, stamp in zip(years, copies, stamps, strict=True):
            year = prepared.result.programme.year
            written.append(
                write_charge(
                    stage.folder(str(year)),
                    prepared,
                    carried,
                    templates=templates,
                    stamp=stamp,
                    progress=progress or (lambda n: None),
                    einvoices=einvoices,
                )
            )
        from costshare.documents.xlsx.workbooks import workbook_bytes

        results = [(p.result.programme.year, p.result) for p in years]
        listed = {p.result.programme.year: p.payers for p in years}
        overview = workbook_bytes(build_years_overview(plan, results, listed), stamps[0])
        entry = {
            "path": YEARS_OVERVIEW_FILE,
            "kind": "overview-years",
            "sha256": stage.add(YEARS_OVERVIEW_FILE, overview),
        }
        manifests = [(p, w.manifest_sha256) for p, w in zip(years, written, strict=True)]
        stage.add(MANIFEST_FILE, encode(years_document(plan, manifests, [entry])))
    summaries = [
        w.at(out / str(p.result.programme.year)) for p, w in zip(years, written, strict=True)
    ]
    return YearsSummary(
        out,
        {p.result.programme.year: p.result.total_ore for p in years},
        sum(len(summary.files) for summary in summaries) + 2,
        _unique(warning for summary in summaries for warning in summary.warnings),
        _unique(warning for summary in summaries for warning in summary.einvoice_warnings),
        any(summary.einvoices_withheld for summary in summaries),
    )


def _unique(warnings: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(warnings))


def describe_years(summary: YearsSummary, shows_ore: bool) -> str:
    """One line for the terminal."""
    years = ", ".join(
        f"{year} {format_kr(total, shows_ore)}" for year, total in summary.totals_ore.items()
    )
    wrote = tr(
        "Wrote {out}: a package a year ({years}), {overview} and {manifest}",
        out=summary.out,
        years=years,
        overview=YEARS_OVERVIEW_FILE,
        manifest=MANIFEST_FILE,
    )
    return wrote + "\n" + withheld_note() if summary.einvoices_withheld else wrote
