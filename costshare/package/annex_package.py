"""The annex package: a programme file in, every workbook and letter out (``costshare run``).

:func:`write_package` takes a prepared programme (:mod:`costshare.package.preparation`) and
renders the overview, a workbook and a letter per payer
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from costshare.base.danish import format_date, format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import Grouped, lazy, ntr, tr
from costshare.base.limits import MAX_PAYERS
from costshare.base.money import format_plain
from costshare.documents.pdf.template_folder import check_template_folder
from costshare.package.fonts import private_font_folder
from costshare.package.preparation import reproducible_timestamp
from costshare.package.staging import (
    check_destination,
    install,
    sha256_file,
    terminate_as_exit,
    umask,
)
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import MANIFEST_FILE, OVERVIEW_FILE
from costshare.programme.payers import Payer, payers
from costshare.programme.provenance import Provenance


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


def file_count(result: ProgrammeResult, einvoices: bool = True) -> int:
    """How many files a package has besides the manifest (for a progress bar)."""
    from costshare.package.einvoices import einvoice_count

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
    from costshare.package.einvoices import EinvoiceOutput, write_einvoices

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
    from costshare.documents.pdf.annex_pdf import (
        ANNEX_TEMPLATE,
        REVIEW_TEMPLATE,
        annex_context,
        merge_pdfs,
        review_context,
    )
    from costshare.documents.pdf.letters import (
        Typesetter,
        letter_context,
        make_environment,
        render_letter,
        template_root,
    )
    from costshare.documents.xlsx.workbooks import (
        build_overview,
        build_party_workbook,
        workbook_bytes,
    )
    from costshare.programme.naming import ANNEX_FILE, REVIEW_FILE

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
    user_fonts = check_template_folder(templates) if templates is not None else ()
    with template_root(templates) as root, private_font_folder(user_fonts) as fonts:
        typesetter = Typesetter(root, stamp, font_folder=fonts, user_template=templates is not None)
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
    with template_root(None) as root, private_font_folder() as no_fonts:
        own = Typesetter(root, stamp, font_folder=no_fonts)
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
