"""The annex package: a programme file in, every workbook and letter out (``costshare run``).

:func:`write_package` takes a prepared programme (:mod:`costshare.package.preparation`) and
renders the overview, a workbook and a letter per payer, the annex and review PDFs, the
e-invoices, the copies of the programme and its files (:mod:`costshare.package.carried`)
and ``manifest.json``, handing each file as bytes to the staging protocol
(:mod:`costshare.package.staging`), which installs them in ``out`` only when every file
succeeded. So ``out`` holds either the previous package or the complete new one, never
half of each; the protocol's guards (``--out``, ``--force``, the lock, SIGTERM, a folder
changed meanwhile) are the same for every command that writes a package.
:func:`write_charge` writes one charge into a stage, also for each year of a run over
several years.

Reproducible: no file carries the wall-clock time. File metadata (xlsx properties and
zip entries, PDF dates) use ``SOURCE_DATE_EPOCH`` when it is set, else the programme's
``letter_date`` at midnight UTC; the letters are dated ``letter_date``. No absolute path
goes into any file, so two runs give byte-identical files wherever they run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from costshare.base.danish import format_date, format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import Grouped, Text, lazy, ntr, tr
from costshare.base.limits import MAX_PAYERS
from costshare.check.received.embedded import Run
from costshare.check.received.embedded_schema import REVIEW
from costshare.documents.einvoice.charge import charge_attachments
from costshare.documents.pdf.template_folder import check_template_folder
from costshare.package.carried import Carried, carried_files, write_carried
from costshare.package.einvoices import EinvoiceOutput, EinvoiceWriter, einvoice_count
from costshare.package.embedded_runs import run_of
from costshare.package.fonts import private_font_folder
from costshare.package.manifest import charge_document, encode, payer_fields
from costshare.package.preparation import Prepared, reproducible_timestamp
from costshare.package.staging import Stage, staged
from costshare.package.template_cache import template_cache_folder
from costshare.programme.einvoiced import PayerEinvoice, einvoice_for
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import ANNEX_FILE, MANIFEST_FILE, OVERVIEW_FILE, REVIEW_FILE
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance

Progress = Callable[[int], Any]


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
    manifest_sha256: str = ""
    einvoices_withheld: bool = False
    """A draft of a programme with ``[invoicing]``: its e-invoices were not written."""


def writes_einvoices(prepared: Prepared, einvoices: bool) -> bool:
    """Whether a run writes its e-invoices: asked to, and not a what-if run, since a draft is
    not a claim (issue #22)."""
    return einvoices and not prepared.provenance.draft


def file_count(prepared: Prepared, einvoices: bool = True) -> int:
    """How many files a package has besides the manifest (for a progress bar)."""
    writes = writes_einvoices(prepared, einvoices)
    count = einvoice_count(prepared.result, prepared.payers) if writes else 0
    # The overview, a workbook and a letter a payer, the annex and review PDFs, e-invoices.
    return 1 + 2 * len(prepared.payers) + 2 + count


def check_payer_limit(count: int, max_payers: int) -> None:
    """Refuse more than ``max_payers`` payers (two files each) before anything is written,
    so a 200,000-row recipients file does not fill a disk by mistake."""
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


def write_package(
    result: ProgrammeResult | Prepared,
    provenance: Provenance | None,
    out: Path,
    *,
    templates: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    environ: Mapping[str, str] = os.environ,
    einvoices: bool = True,
    max_payers: int = MAX_PAYERS,
) -> PackageSummary:
    """Render the package into ``out`` atomically (see the module docstring).

    ``result`` is a computed programme with its ``provenance``, or a
    :class:`~costshare.package.preparation.Prepared` run (``provenance`` None). More than
    ``max_payers`` payers is refused before anything is written. ``progress(1)`` is called
    after each file. Raises :class:`InputError` for an ``out`` that may not be written,
    and :class:`~costshare.base.errors.TemplateError` for a letter template that fails; in
    both cases ``out`` is left as it was. With ``einvoices`` (and ``[invoicing]`` in the
    programme) the e-invoices are written and validated too; an invalid one stops the run
    the same way.
    """
    if isinstance(result, Prepared):
        prepared = result
    else:
        assert provenance is not None, "a computed result needs its provenance"
        prepared = Prepared.of(result, provenance)
    check_payer_limit(len(prepared.payers), max_payers)
    carried = carried_files(prepared.provenance)
    stamp = reproducible_timestamp(prepared.result.programme, environ)
    with staged(out, force=force) as stage:
        written = write_charge(
            stage,
            prepared,
            carried,
            templates=templates,
            stamp=stamp,
            progress=progress or (lambda n: None),
            einvoices=einvoices,
        )
    return written.at(out)


@dataclass(frozen=True)
class _Written:
    files: dict[str, str]
    warnings: list[str]
    invoices: EinvoiceOutput
    manifest_sha256: str
    einvoices_withheld: bool = False

    def at(self, out: Path) -> PackageSummary:
        letters = sum(1 for kind in self.files.values() if kind == "letter")
        workbooks = sum(1 for kind in self.files.values() if kind in ("overview", "workbook"))
        listed = (*self.files, *(entry["path"] for entry in self.invoices.entries), MANIFEST_FILE)
        return PackageSummary(
            out,
            listed,
            letters,
            workbooks,
            tuple(self.warnings),
            len(self.invoices.entries),
            tuple(self.invoices.warnings),
            self.manifest_sha256,
            self.einvoices_withheld,
        )


def write_charge(
    stage: Stage,
    prepared: Prepared,
    carried: tuple[Carried, ...],
    *,
    templates: Path | None,
    stamp: datetime,
    progress: Progress,
    einvoices: bool,
) -> _Written:
    """Hand one charge package's files and manifest to ``stage``: each e-invoice as soon
    as its payer's letter is typeset, so that it carries that letter and the annex. A draft
    writes none."""
    withheld = einvoices and prepared.provenance.draft and prepared.result.programme.invoicing
    einvoices = writes_einvoices(prepared, einvoices)
    claim_files(stage, prepared.payers)
    # The e-invoices go to the same payers as the letters.
    invoicer = (
        EinvoiceWriter(prepared.result, prepared.payers, stage, progress) if einvoices else None
    )
    run = run_of(prepared, carried)
    entries, warnings = _render(stage, prepared, run, templates, stamp, progress, invoicer)
    invoices = invoicer.finish() if invoicer is not None else EinvoiceOutput()
    copies, not_included = write_carried(stage, carried)
    listed = [*entries, *invoices.entries, *copies]
    manifest = charge_document(prepared, listed, not_included)
    sha256 = stage.add(MANIFEST_FILE, encode(manifest))
    kinds = {str(entry["path"]): str(entry["kind"]) for entry in entries}
    return _Written(kinds, warnings, invoices, sha256, bool(withheld))


def claim_files(stage: Stage, everyone: tuple[Payer, ...]) -> None:
    """Reserve every payer's workbook and letter, then the package's own documents, so
    two that would get the same name are refused before anything is written."""
    for payer in everyone:
        stage.claim(f"{payer.stem}.xlsx", repr(payer.name))
        stage.claim(f"{payer.stem}.pdf", repr(payer.name))
    stage.claim(OVERVIEW_FILE, lazy("the overview"))
    stage.claim(ANNEX_FILE, lazy("the annex"))
    stage.claim(REVIEW_FILE, lazy("the review"))


def _render(
    stage: Stage,
    prepared: Prepared,
    run: Run,
    templates: Path | None,
    stamp: datetime,
    progress: Progress,
    invoicer: EinvoiceWriter | None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The workbooks, letters, annex and review (and, through ``invoicer``, each payer's
    e-invoices, which carry its letter and the annex): manifest entries and warnings. With
    an ``invoicer`` each letter names the e-invoice that goes with it. Each letter, the
    annex and the review carry their data (``run``, :mod:`.embedded_runs`)."""
    from costshare.documents.pdf.letters import template_root
    from costshare.documents.pdf.typesetter import Typesetter

    user_fonts = check_template_folder(templates) if templates is not None else ()
    with (
        template_root(None) as shipped,
        private_font_folder() as no_fonts,
        Typesetter(shipped, stamp, font_folder=no_fonts) as own,
    ):
        entries = [_overview(stage, prepared, stamp, progress)]  # while typst's children start
        annex_entry, annex = _annex(stage, prepared, run, own, progress)
    with (
        template_root(templates) as root,
        private_font_folder(user_fonts) as fonts,
        Typesetter(
            root, stamp, font_folder=fonts, user_template=templates is not None
        ) as typesetter,
    ):
        letters, silent = _letters(
            stage, prepared, run, templates, typesetter, entries, progress, stamp, (invoicer, annex)
        )
    review_entry, review_warnings = _review(stage, prepared, run, stamp, letters, progress)
    entries += [annex_entry, review_entry]
    own_warnings = own.warnings + [w for w in review_warnings if w not in own.warnings]
    warnings = typesetter.warnings + [w for w in own_warnings if w not in typesetter.warnings]
    return entries, warnings + silent


def _entry(
    path: str, kind: str, sha256: str, payer: Payer | None, prepared: Prepared
) -> dict[str, Any]:
    fields = payer_fields(payer, prepared.result.programme.unit) if payer is not None else {}
    return {"path": path, "kind": kind, "sha256": sha256, **fields}


def _overview(
    stage: Stage, prepared: Prepared, stamp: datetime, progress: Progress
) -> dict[str, Any]:
    from costshare.documents.xlsx.workbooks import build_overview, workbook_bytes

    result, provenance = prepared.result, prepared.provenance
    overview = workbook_bytes(build_overview(result, provenance, prepared.payers), stamp)
    entry = _entry(OVERVIEW_FILE, "overview", stage.add(OVERVIEW_FILE, overview), None, prepared)
    progress(1)
    return entry


def _workbook(
    stage: Stage,
    prepared: Prepared,
    payer: Payer,
    stamp: datetime,
    progress: Progress,
    einvoice: PayerEinvoice | None,
) -> dict[str, Any]:
    from costshare.documents.xlsx.workbooks import build_party_workbook, workbook_bytes

    name = f"{payer.stem}.xlsx"
    book = build_party_workbook(prepared.result, payer, prepared.provenance, einvoice)
    entry = _entry(name, "workbook", stage.add(name, workbook_bytes(book, stamp)), payer, prepared)
    progress(1)
    return entry


def _letters(
    stage: Stage,
    prepared: Prepared,
    run: Run,
    templates: Path | None,
    typesetter: Any,
    entries: list[dict[str, Any]],
    progress: Progress,
    stamp: datetime,
    einvoicing: tuple[EinvoiceWriter | None, bytes],
) -> tuple[list[bytes], list[str]]:
    """The letters, and each payer's workbook and e-invoices (``einvoicing``: the writer,
    if any, and the annex they carry) made while typst sets the next letters; and a
    warning if a user's template leaves out the e-invoice that goes with a letter (that
    letter may ask for a second payment)."""
    from costshare.documents.pdf.embedded_data import attachment_prologue, letter_data
    from costshare.documents.pdf.letters import (
        letter_context,
        make_environment,
        names_einvoice,
        render_letter,
    )

    environment = make_environment(templates, template_cache_folder())
    programme = prepared.result.programme
    invoicer, annex = einvoicing
    silent: list[str] = []
    # Who gets an e-invoice, decided once: the letter names it, the workbook says so.
    einvoices = [
        einvoice_for(programme, payer) if invoicer is not None else None
        for payer in prepared.payers
    ]

    def sources() -> Iterator[tuple[str, Text]]:
        for payer, einvoice in zip(prepared.payers, einvoices, strict=True):
            where = lazy(" for {code} {name}", code=payer.code, name=payer.name)
            context = letter_context(prepared.result, payer, prepared.provenance, einvoice)
            source = render_letter(environment, context, where)
            if einvoice is not None and not names_einvoice(source, einvoice):
                silent.append(payer.code)
            # The data goes before the template's source, so a user's template carries it too.
            data = attachment_prologue(letter_data(prepared.result, payer, run))
            yield data + source, where

    letters, sent = [], []
    documents = zip(prepared.payers, einvoices, typesetter.pdfs(sources()), strict=True)
    for payer, einvoice, pdf in documents:
        entries.append(_workbook(stage, prepared, payer, stamp, progress, einvoice))
        letters.append(pdf)
        name = f"{payer.stem}.pdf"
        sent.append(_entry(name, "letter", stage.add(name, pdf), payer, prepared))
        progress(1)
        if invoicer is not None:
            invoicer.write(payer, charge_attachments(name, pdf, annex))
    entries += sent
    if not silent:
        return letters, []
    warning = tr(
        "the letter template does not name the e-invoice in {count} letter(s) (payers "
        "{codes}), so they may ask for a second payment; copy the shipped letter.typ.j2 "
        "again (it uses einvoice.number) and make your changes there",
        count=len(silent),
        codes=", ".join(silent),
    )
    return letters, [warning]


def _annex(
    stage: Stage, prepared: Prepared, run: Run, typesetter: Any, progress: Progress
) -> tuple[dict[str, Any], bytes]:
    """The annex (its entry and bytes), typeset first: every e-invoice carries it. It always
    uses the shipped template (``typesetter`` reads the shipped folder): --templates
    changes the letters only."""
    from costshare.documents.pdf.annex_pdf import ANNEX_TEMPLATE, annex_context
    from costshare.documents.pdf.embedded_data import annex_data, attachment_prologue
    from costshare.documents.pdf.letters import make_environment, render_letter

    everyone = list(prepared.payers)
    context = annex_context(prepared.result, everyone, prepared.provenance)
    data = attachment_prologue(annex_data(prepared.result, everyone, run))
    source = data + render_letter(
        make_environment(None, template_cache_folder()), context, "", ANNEX_TEMPLATE
    )
    annex = typesetter.pdf(source, lazy(" (annex)"))
    entry = _entry(ANNEX_FILE, "annex", stage.add(ANNEX_FILE, annex), None, prepared)
    progress(1)
    return entry, annex


def _review(
    stage: Stage,
    prepared: Prepared,
    run: Run,
    stamp: datetime,
    letters: list[bytes],
    progress: Progress,
) -> tuple[dict[str, Any], list[str]]:
    from costshare.documents.pdf.embedded_data import annex_data, attachment_prologue

    everyone = list(prepared.payers)
    data = attachment_prologue(annex_data(prepared.result, everyone, run, REVIEW))
    sha256, warnings = write_review(stage, prepared.result, everyone, prepared.provenance, stamp, letters, prologue=data)  # fmt: skip
    progress(1)
    return _entry(REVIEW_FILE, "review", sha256, None, prepared), warnings


def write_review(
    stage: Stage,
    result: ProgrammeResult,
    everyone: list[Payer],
    provenance: Provenance | None,
    stamp: datetime,
    letters: list[bytes],
    word: str = "breve",
    prologue: str = "",
    meanwhile: Callable[[], None] = lambda: None,
) -> tuple[str, list[str]]:
    """The review of a run's or a settlement's letters (each payer's ``stem.pdf``, already
    staged): its cover from the shipped template, then the letters page for page, which
    typst places from the stage's folder. Returns its SHA-256 and typst's warnings.
    ``word`` names the letters on the cover ("breve om efterregulering"); ``prologue`` is
    the data the review carries (a charge's: its annex data). ``meanwhile`` is called
    while typst composes it: work of the caller's that needs no typst."""
    from costshare.documents.pdf.annex_pdf import REVIEW_TEMPLATE, review_context
    from costshare.documents.pdf.letters import make_environment, render_letter
    from costshare.documents.pdf.typesetter import Typesetter, page_count

    sent = [
        (f"{payer.stem}.pdf", page_count(pdf)) for payer, pdf in zip(everyone, letters, strict=True)
    ]
    context = review_context(result, everyone, provenance, sent, word)
    source = prologue + render_letter(
        make_environment(None, template_cache_folder()), context, "", REVIEW_TEMPLATE
    )
    with (
        private_font_folder() as no_fonts,
        Typesetter(stage.location, stamp, font_folder=no_fonts) as placing,
    ):
        composed = placing.start(source, lazy(" (review)"))
        meanwhile()
        review = composed()
    return stage.add(REVIEW_FILE, review), placing.warnings


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
    wrote = tr(
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
    if not summary.einvoices_withheld:
        return wrote
    return wrote + "\n" + withheld_note()


def withheld_note() -> str:
    """Why a draft of a programme with ``[invoicing]`` wrote no e-invoice."""
    return tr(
        "No e-invoices: a draft is not a claim (the run has --amount, --population or --index)."
    )
