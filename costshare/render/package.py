"""The annex package: a programme file in, every workbook and letter out (``costshare run``).

:func:`prepare` reads the programme, applies the what-if overrides and records the
provenance; :func:`write_package` renders the overview, a workbook and a letter per payer
and ``manifest.json`` into a temporary folder beside ``out`` (same file system), and
moves it into place only when every file succeeded. So ``out`` holds either the previous
package or the complete new one, never half of each.

A non-empty ``out`` is refused; with ``force`` it is replaced, but only if it holds a
``manifest.json`` written by costshare and exactly the files it lists, unchanged (i.e. it
is an earlier package nobody has added to or edited), so a mistyped ``--out`` cannot
delete an unrelated folder or someone's work. An ``out`` that is a symbolic link, a file
or below a file is refused. SIGTERM, like Ctrl-C, leaves no staging folder behind.

Reproducible: no file carries the wall-clock time. File metadata (xlsx properties and
zip entries, PDF dates) use ``SOURCE_DATE_EPOCH`` when it is set, else the programme's
``letter_date`` at midnight UTC; the letters are dated ``letter_date``. No absolute path
goes into any file, so two runs give byte-identical files wherever they run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from costshare.base.danish import format_date, format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import Grouped, lazy, ntr, tr
from costshare.base.limits import MAX_PAYERS
from costshare.base.money import format_plain, parse_amount
from costshare.base.version import __version__
from costshare.population.basis import basis_file
from costshare.population.packaged import dataset_of, is_quarter, packaged_checksum
from costshare.programme.model import Programme, ProgrammeResult, compute, load_programme
from costshare.programme.payers import Payer, payers
from costshare.programme.provenance import Provenance
from costshare.render.destination import (
    MANIFEST_FILE,
    check_destination,
    install,
    sha256_file,
    terminate_as_exit,
    umask,
)

OVERVIEW_FILE = "finansiering-pr-kommune.xlsx"
LAST_ZIP_YEAR = 2107  # a zip entry's date has 7 bits of years from 1980


@dataclass(frozen=True)
class PackageSummary:
    """What a run wrote: the folder, the files (relative names) and the warnings."""

    out: Path
    files: tuple[str, ...]
    letters: int
    workbooks: int
    warnings: tuple[str, ...]
    einvoices: int = 0
    einvoice_warnings: tuple[str, ...] = ()


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


def file_count(result: ProgrammeResult, einvoices: bool = True) -> int:
    """How many files a package has besides the manifest (for a progress bar)."""
    from costshare.render.einvoice.writer import einvoice_count

    count = einvoice_count(result, payers(result)) if einvoices else 0
    # The overview, a workbook and a letter a payer, the annex and review PDFs, e-invoices.
    return 1 + 2 * len(payers(result)) + 2 + count


def write_package(
    result: ProgrammeResult,
    provenance: Provenance,
    out: Path,
    *,
    templates: Path | None = None,
    force: bool = False,
    progress: Callable[[int], Any] | None = None,
    environ: Mapping[str, str] = os.environ,
    einvoices: bool = True,
    max_payers: int = MAX_PAYERS,
) -> PackageSummary:
    """Render the package into ``out`` atomically (see the module docstring).

    More than ``max_payers`` payers (two files each) is refused before anything is
    written, so a 200,000-row recipients file does not fill a disk by mistake.

    ``progress(1)`` is called after each file. Raises :class:`InputError` for an ``out``
    that may not be written, and :class:`~costshare.base.errors.TemplateError` for a letter
    template that fails; in both cases ``out`` is left as it was. With ``einvoices`` (and
    ``[invoicing]`` in the programme) the e-invoices are written and validated too; an
    invalid one stops the run the same way.
    """
    from costshare.render.einvoice.writer import EinvoiceOutput, write_einvoices

    count = len(payers(result))
    if count > max_payers:
        raise InputError(
            lazy(
                "the programme has {count} payers, over the limit of {limit} per run "
                "(a workbook and a letter each); check the population file, or raise the limit "
                "with --max-payers",
                count=Grouped(count),
                limit=Grouped(max_payers),
            )
        )
    check_destination(out, force)
    stamp = reproducible_timestamp(result.programme, environ)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(
            lazy("the folder cannot be created ({reason}); choose another --out", reason=reason),
            source=str(out),
        ) from None
    with terminate_as_exit():
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            files, warnings = _render(
                result, provenance, staging, templates, stamp, progress or (lambda n: None)
            )
            # The e-invoices go to the same payers as the letters.
            invoices = (
                write_einvoices(result, payers(result), staging, progress or (lambda n: None))
                if einvoices
                else EinvoiceOutput()
            )
            manifest = _manifest(result, provenance, staging, files, invoices.entries)
            (staging / MANIFEST_FILE).write_bytes(manifest)
            staging.chmod(0o777 & ~umask())
            install(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    letters = sum(1 for kind, *_ in files.values() if kind == "letter")
    workbooks = sum(1 for kind, *_ in files.values() if kind in ("overview", "workbook"))
    written = (*files, *(entry["path"] for entry in invoices.entries), MANIFEST_FILE)
    return PackageSummary(
        out,
        written,
        letters,
        workbooks,
        tuple(warnings),
        len(invoices.entries),
        tuple(invoices.warnings),
    )


def _render(
    result: ProgrammeResult,
    provenance: Provenance,
    folder: Path,
    templates: Path | None,
    stamp: datetime,
    progress: Callable[[int], Any],
) -> tuple[dict[str, tuple[str, Payer | None]], list[str]]:
    from costshare.render.annex_pdf import (
        ANNEX_TEMPLATE,
        REVIEW_TEMPLATE,
        annex_context,
        merge_pdfs,
        review_context,
    )
    from costshare.render.letters import (
        ANNEX_FILE,
        REVIEW_FILE,
        Typesetter,
        letter_context,
        make_environment,
        render_letter,
        template_root,
    )
    from costshare.render.workbooks import build_overview, build_party_workbook, workbook_bytes

    everyone = payers(result)
    stems = [payer.stem for payer in everyone]
    if len(set(stems)) != len(stems) or OVERVIEW_FILE.removesuffix(".xlsx") in stems:
        # Name the payers: file names keep only letters and digits, so 'a/b' and 'A B' meet.
        stem = next(s for s in stems if stems.count(s) > 1 or s + ".xlsx" == OVERVIEW_FILE)
        clash = [repr(payer.name) for payer in everyone if payer.stem == stem][:2]
        raise InputError(
            lazy(
                "{first} and {second} would both be written as {file}; give the payers "
                "codes or names that differ in their letters or digits",
                first=clash[0],
                # a payer whose name makes the overview's file name clashes with the overview
                second=clash[1] if len(clash) > 1 else lazy("the overview"),
                file=f"{stem}.xlsx",
            )
        )
    environment = make_environment(templates)
    files: dict[str, tuple[str, Payer | None]] = {}

    (folder / OVERVIEW_FILE).write_bytes(workbook_bytes(build_overview(result, provenance), stamp))
    files[OVERVIEW_FILE] = ("overview", None)
    progress(1)
    letters = []
    with template_root(templates) as root:
        typesetter = Typesetter(root, stamp, user_fonts=templates is not None)
        for payer in everyone:
            workbook = f"{payer.stem}.xlsx"
            (folder / workbook).write_bytes(
                workbook_bytes(build_party_workbook(result, payer, provenance), stamp)
            )
            files[workbook] = ("workbook", payer)
            progress(1)
            where = lazy(" for {code} {name}", code=payer.code, name=payer.name)
            source = render_letter(environment, letter_context(result, payer, provenance), where)
            letter = f"{payer.stem}.pdf"
            letters.append(typesetter.pdf(source, where))
            (folder / letter).write_bytes(letters[-1])
            files[letter] = ("letter", payer)
            progress(1)
    # The annex and the review's cover always use the shipped templates: --templates
    # changes the letters only.
    shipped = make_environment(None)
    with template_root(None) as root:
        own = Typesetter(root, stamp)
        source = render_letter(
            shipped, annex_context(result, everyone, provenance), "", ANNEX_TEMPLATE
        )
        (folder / ANNEX_FILE).write_bytes(own.pdf(source, lazy(" (annex)")))
        files[ANNEX_FILE] = ("annex", None)
        progress(1)
        context = review_context(result, everyone, provenance)
        cover = own.pdf(render_letter(shipped, context, "", REVIEW_TEMPLATE), lazy(" (review)"))
        title = f"Gennemsyn af breve – {result.programme.short_title}"
        (folder / REVIEW_FILE).write_bytes(merge_pdfs([cover, *letters], title))
        files[REVIEW_FILE] = ("review", None)
        progress(1)
    return files, typesetter.warnings + [w for w in own.warnings if w not in typesetter.warnings]


def _manifest(
    result: ProgrammeResult,
    provenance: Provenance,
    folder: Path,
    files: dict[str, tuple[str, Payer | None]],
    einvoices: list[dict[str, Any]] | None = None,
) -> bytes:
    programme = result.programme
    unit = programme.unit
    listed = []
    for name in sorted(files):
        kind, payer = files[name]
        entry: dict[str, Any] = {"path": name, "kind": kind, "sha256": sha256_file(folder / name)}
        if payer is not None:
            entry |= {
                "code": payer.code,
                "name": payer.name,
                "amount": format_plain(payer.amount_ore, unit),
                "reference": payer.reference,
            }
        listed.append(entry)
    if einvoices:
        listed = sorted([*listed, *einvoices], key=lambda entry: str(entry["path"]))
    population = result.municipal.population
    document = {
        "generator": f"costshare {provenance.version}",
        "programme": {
            "file": provenance.programme_file,
            "title": programme.title,
            "case_number": programme.case_number,
            "letter_date": programme.letter_date.isoformat(),
        },
        "inputs": [{"what": what, "sha256": digest} for what, digest in provenance.inputs],
        "population": {
            "basis": provenance.population_basis,
            "source": provenance.population_source,
            "date": population.as_of.isoformat() if isinstance(population.as_of, date) else None,
            **_publication(population.basis),
        },
        "what_if": list(provenance.what_if),
        "method": result.municipal.method,
        "unit": format_plain(unit.ore, unit),
        "totals": {
            "total": format_plain(result.total_ore, unit),
            "parties": {
                code: format_plain(part, unit) for code, part in result.party_parts_ore.items()
            },
            "municipalities": format_plain(result.municipal.amount_ore, unit),
            "payers": len(payers(result)),
        },
        "files": listed,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _publication(basis: str) -> dict[str, Any]:
    """When Statistics Denmark published a packaged quarter, and whether that date is exact."""
    from costshare.population.releases import release, released_with

    quarter = released_with(basis)
    if quarter is None:  # a month (FOLK1AM) or a file: no known publication date
        return {}
    published = release(quarter)
    return {"published": published.published.isoformat(), "published_exact": published.exact}


def _population_file(programme: Programme, override: str | None) -> Path | None:
    """The population file a run reads, or None for a packaged quarter."""
    if override is not None:
        return basis_file(override)
    return basis_file(programme.population_basis, programme.path.parent)


def describe(summary: PackageSummary, result: ProgrammeResult) -> str:
    """One line for the terminal: what was written where."""
    unit = result.programme.unit
    total = format_kr(result.total_ore, unit.shows_ore)
    dated = format_date(result.programme.letter_date)
    einvoices = (
        ntr(", {n} e-invoice", ", {n} e-invoices", summary.einvoices, n=summary.einvoices)
        if summary.einvoices
        else ""
    )
    return tr(
        "Wrote {out}: {workbooks} workbooks (1 overview), {letters} letters{einvoices}, "
        "the annex and review PDFs and {manifest}; total {total}, letters dated {dated}",
        out=summary.out,
        workbooks=summary.workbooks,
        letters=summary.letters,
        einvoices=einvoices,
        manifest=MANIFEST_FILE,
        total=total,
        dated=dated,
    )
