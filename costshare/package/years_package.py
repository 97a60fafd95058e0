"""Packages of a programme over several years: a complete package a year and an overview.

``costshare run`` on a programme with ``[[years]]`` writes into ``out``::

    out/2025/…            the 2025 package, exactly as a one-year run writes it
    out/2026/…
    out/oversigt-alle-aar.xlsx   payer × year, with row and column totals
    out/manifest.json     the years, their totals and the indexing, and the overview's SHA-256

Each year's folder is written by :func:`costshare.package.annex_package.write_package`, so it is
complete and verifiable on its own (``costshare verify PROGRAMME --year 2026
out/2026/finansiering-pr-kommune.xlsx``). Everything is written to a temporary folder
beside ``out`` and moved into place only when every year succeeded.

The overview itself is built by :mod:`costshare.documents.xlsx.years_overview`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from costshare.base.danish import format_kr
from costshare.base.i18n import tr
from costshare.base.money import format_plain
from costshare.base.version import __version__
from costshare.documents.xlsx.years_overview import build_years_overview
from costshare.package.annex_package import write_package
from costshare.package.preparation import prepare_year, reproducible_timestamp
from costshare.package.staging import check_destination, install, sha256_file, umask
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import MANIFEST_FILE, YEARS_OVERVIEW_FILE
from costshare.programme.provenance import Provenance
from costshare.programme.years import Plan


@dataclass(frozen=True)
class YearsSummary:
    """What a multi-year run wrote: the folder, the years and each year's total."""

    out: Path
    totals_ore: dict[int, int]
    files: int


def write_years(
    plan: Plan,
    out: Path,
    templates: Path | None = None,
    force: bool = False,
    environ: Mapping[str, str] = os.environ,
) -> YearsSummary:
    """Write every year's package and the overview into ``out`` atomically."""
    check_destination(out, force)
    results = [(entry.year, *prepare_year(plan, entry.year)) for entry in plan.years]
    stamp = reproducible_timestamp(results[0][1].programme, environ)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        files = 0
        for year, result, provenance in results:
            summary = write_package(
                result, provenance, staging / str(year), templates=templates, environ=environ
            )
            files += len(summary.files)
        from costshare.documents.xlsx.workbooks import workbook_bytes

        overview = build_years_overview(plan, [(year, result) for year, result, _ in results])
        (staging / YEARS_OVERVIEW_FILE).write_bytes(workbook_bytes(overview, stamp))
        (staging / MANIFEST_FILE).write_bytes(_manifest(plan, results, staging))
        staging.chmod(0o777 & ~umask())
        install(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    totals = {year: result.total_ore for year, result, _ in results}
    return YearsSummary(out, totals, files + 2)


def _manifest(
    plan: Plan, results: list[tuple[int, ProgrammeResult, Provenance]], folder: Path
) -> bytes:
    first = results[0][1].programme
    years = []
    for year, result, _provenance in results:
        unit = result.programme.unit
        entry: dict[str, object] = {
            "year": year,
            "folder": str(year),
            "total": format_plain(result.total_ore, unit),
            "manifest_sha256": sha256_file(folder / str(year) / MANIFEST_FILE),
        }
        indexation = result.programme.indexation
        if indexation is not None:
            entry["indexing"] = {
                "base_amount": format_plain(indexation.base_ore, unit),
                "price_level": indexation.price_level,
                "base_index": indexation.base_index,
                "year_index": indexation.year_index,
                "amount": format_plain(indexation.result_ore, unit),
            }
        years.append(entry)
    document = {
        "generator": f"costshare {__version__}",
        "programme": {
            "file": first.path.name,
            "title": first.title,
            "case_number": first.case_number,
        },
        "index": (
            {"source": plan.table.source, "version": plan.table.version, "file": plan.table.file}
            if plan.table is not None
            else None
        ),
        "what_if": [f"prisindeks fra {plan.index_override} (--index)"]
        if plan.index_override
        else [],
        "years": years,
        "files": [
            {
                "path": YEARS_OVERVIEW_FILE,
                "kind": "overview-years",
                "sha256": hashlib.sha256((folder / YEARS_OVERVIEW_FILE).read_bytes()).hexdigest(),
            }
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def describe_years(summary: YearsSummary, shows_ore: bool) -> str:
    """One line for the terminal."""
    years = ", ".join(
        f"{year} {format_kr(total, shows_ore)}" for year, total in summary.totals_ore.items()
    )
    return tr(
        "Wrote {out}: a package a year ({years}), {overview} and {manifest}",
        out=summary.out,
        years=years,
        overview=YEARS_OVERVIEW_FILE,
        manifest=MANIFEST_FILE,
    )
