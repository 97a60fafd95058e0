"""``costshare verify FILE``: whatever a payer received, recognised, re-derived and compared.

:func:`verify_received` takes a letter, settlement letter or annex PDF, a payer's
workbook, the overview, a settlement's overview, an e-invoice or credit note, a package
folder or a zip of one. The reading is the check layer's (:mod:`costshare.check.received`,
which reads and never writes); here the run each document was computed from is found and
computed again, with the re-derivation ``settle`` uses
(:mod:`costshare.package.embedded_runs`, :mod:`costshare.package.earlier_package`):

* a PDF carries its run (``costshare.json``);
* an e-invoice carries its letter, where it was written with one, and that its run;
* a workbook, or an e-invoice without a letter, carries none: its run is the package's it
  sits in (``manifest.json`` and ``programfil/`` in its folder, or the folder above for
  ``einvoices/``), else the run of a PDF beside it (its own letter first, then the annex,
  then any other) whose programme has the SHA-256 the workbook's "Metode" sheet names.

A folder or zip is checked whole (:mod:`costshare.package.received_package`, which
also holds :func:`~costshare.package.received_package.verify_received`, the entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.limits import (
    EINVOICE,
    MAX_EINVOICE_BYTES,
    MAX_RECEIVED_PDF_BYTES,
    RECEIVED,
    read_regular_file,
)
from costshare.check.received.compare_received import (
    check_annex_pdf,
    check_einvoice,
    check_letter,
    check_review,
    check_settlement_letter,
    check_settlement_review,
    check_workbook,
)
from costshare.check.received.embedded import Embedded, Run, read_embedded
from costshare.check.received.embedded_schema import (
    ANNEX,
    LETTER,
    REVIEW,
    SETTLEMENT_LETTER,
    SETTLEMENT_REVIEW,
)
from costshare.check.received.outcome import Checked, Expected, Verdict
from costshare.check.received.pdf_file import PdfFile, read_pdf
from costshare.check.received.recognise import CSV, PDF, WORKBOOK, XML, ZIP, sniff
from costshare.package.earlier_package import rederive
from costshare.package.embedded_runs import (
    expected_of,
    rederive_run,
    settlement_expected,
)
from costshare.package.manifest import Manifest, read_manifest
from costshare.package.manifest_schema import SETTLEMENT, YEARS
from costshare.package.preparation import Prepared
from costshare.package.written_einvoice import written_fields
from costshare.programme.model import ProgrammeResult
from costshare.programme.naming import ANNEX_FILE, MANIFEST_FILE
from costshare.programme.payers import Payer

MAX_PDFS_BESIDE = 200  # the PDFs beside a workbook that are opened to find its programme


@dataclass(frozen=True)
class Derived:
    """A run found and computed again: what its documents should say, and where from."""

    expected: Expected
    title: str
    short_title: str
    case_number: str
    programme_file: str
    charged_inputs: tuple[tuple[str, str], ...] = ()
    prepared: Prepared | None = None
    charged: Prepared | None = None
    """A settlement's charge, computed again."""


class Runs:
    """Runs computed again, each once: a package's letters mostly carry the same run."""

    def __init__(self) -> None:
        self._done: dict[tuple[str, str], Prepared] = {}

    def prepared(self, run: Run, source: str, beside: Path | None) -> Prepared:
        key = (run.identity, str(beside))
        if key not in self._done:
            self._done[key] = rederive_run(run, source, beside)
        return self._done[key]

    def derived(self, data: Embedded, source: str, beside: Path | None) -> Derived:
        """What the documents of the run ``data`` carries should say."""
        final = self.prepared(data.run, source, beside)
        charged = None
        if data.charged_run is None:
            expected = expected_of(final)
            charged_inputs: tuple[tuple[str, str], ...] = ()
        else:
            charged = self.prepared(data.charged_run, source, beside)
            expected = settlement_expected(final, charged)
            charged_inputs = charged.provenance.inputs
        return Derived(
            expected,
            data.title,
            data.short_title,
            data.case_number,
            data.run.programme_file,
            charged_inputs,
            final,
            charged,
        )


def verify_document(path: Path, source: str) -> Verdict:
    """Recognise the file at ``path`` (not a folder), re-derive its amounts and compare (see
    the module). A zip of a package is :mod:`.received_package`'s.

    Raises :class:`InputError` for a file that cannot be read or checked (one line that
    says what was expected); differences are in the :class:`Verdict`.
    """
    if path.suffix.casefold() == ".toml":
        raise InputError(
            lazy(
                "is a programme file, not a document a payer receives; give an annex to check "
                "against it (costshare verify PROGRAMME.toml ANNEX), or a letter, workbook, "
                "e-invoice or package to check on its own"
            ),
            source=source,
        )
    kind = sniff(path, source)
    if kind == CSV:
        raise _csv_annex(source)
    assert kind != ZIP, "a zip of a package is verified whole"
    runs = Runs()
    checked, derived = {PDF: _pdf, WORKBOOK: _workbook, XML: _einvoice}[kind](path, source, runs)
    return verdict(source, derived, (checked,))


def explain_received(path: Path | str, party: str | None) -> tuple[ProgrammeResult, Payer]:
    """The run a letter or annex PDF carries, computed again, and the payer to explain: the
    letter's own, or ``party`` (by code or name; the annex has no payer of its own)."""
    from costshare.programme.payers import find_payer

    path = Path(path)
    source = str(path)
    if sniff(path, source) != PDF:
        raise InputError(
            lazy("is not a PDF; give a letter or annex PDF, or a programme file"), source=source
        )
    pdf = read_pdf(
        read_regular_file(path, RECEIVED, MAX_RECEIVED_PDF_BYTES), source, with_text=False
    )
    data = embedded_of(pdf)
    prepared = Runs().prepared(data.run, source, path.parent)
    if party is None and data.payer is None:
        raise InputError(
            lazy(
                "is the annex, which is every payer's; name the payer: costshare explain {file} PARTY",
                file=source,
            ),
            source=source,
        )
    code = party if party is not None else data.payer.code  # type: ignore[union-attr]
    return prepared.result, find_payer(prepared.result, code)


def verdict(source: str, derived: Derived, documents: tuple[Checked, ...]) -> Verdict:
    """The answer for ``source``: what it is, what it was computed from, what differs."""
    expected = derived.expected
    kind = documents[0].kind if len(documents) == 1 else "package"
    payer = expected.payer(documents[0].code) if len(documents) == 1 else None
    return Verdict(
        source,
        kind,
        derived.title,
        derived.short_title,
        derived.case_number,
        derived.programme_file,
        expected.basis,
        expected.fingerprint,
        documents,
        documents[0].payer if payer is not None else "",
        expected.settlement,
        payer.amount_ore if payer is not None else None,
        payer.reference if payer is not None else "",
        expected.shows_ore,
        documents[0].detail if len(documents) == 1 else "",
        derived.prepared.provenance.what_if if derived.prepared is not None else (),
    )


def embedded_of(pdf: PdfFile) -> Embedded:
    """A PDF's data; :class:`InputError` for a PDF that carries none."""
    if pdf.data is None:
        raise InputError(
            lazy(
                "is a PDF without costshare's data (costshare.json): not a letter, settlement "
                "letter or annex written by this version of costshare; check an annex against "
                "its programme with costshare verify PROGRAMME.toml ANNEX"
            ),
            source=pdf.source,
        )
    return read_embedded(pdf.data, pdf.source)


def check_pdf(pdf: PdfFile, data: Embedded, derived: Derived) -> Checked:
    """A letter, settlement letter or annex PDF against ``derived``."""
    if data.document == LETTER:
        return check_letter(pdf, data, derived.expected)
    if data.document == SETTLEMENT_LETTER:
        return check_settlement_letter(pdf, data, derived.expected, derived.charged_inputs)
    if data.document == REVIEW:
        return check_review(pdf, data, derived.expected)
    if data.document == SETTLEMENT_REVIEW:
        return check_settlement_review(pdf, data, derived.expected)
    assert data.document == ANNEX
    return check_annex_pdf(pdf, data, derived.expected)


def _pdf(path: Path, source: str, runs: Runs) -> tuple[Checked, Derived]:
    pdf = read_pdf(read_regular_file(path, RECEIVED, MAX_RECEIVED_PDF_BYTES), source)
    data = embedded_of(pdf)
    derived = runs.derived(data, source, path.parent)
    return check_pdf(pdf, data, derived), derived


def _workbook(path: Path, source: str, runs: Runs) -> tuple[Checked, Derived]:
    from costshare.check.received.workbook_file import SETTLEMENT_OVERVIEW, read_workbook

    workbook = read_workbook(path, source)
    settlement = workbook.kind == SETTLEMENT_OVERVIEW
    derived = run_beside(path, source, runs, workbook.programme_sha256, settlement)
    return check_workbook(workbook, derived.expected), derived


def _einvoice(path: Path, source: str, runs: Runs) -> tuple[Checked, Derived]:
    from costshare.check.received.einvoice_file import read_einvoice
    from costshare.programme.einvoiced import SETTLEMENT_SUFFIX

    invoice = read_einvoice(read_regular_file(path, EINVOICE, MAX_EINVOICE_BYTES), source)
    derived = None
    for name, attached in invoice.attached_pdfs:
        try:
            data = embedded_of(read_pdf(attached, f"{source}: {name}", with_text=False))
        except InputError:
            continue  # an attachment that is not costshare's letter: look further
        if data.document in (LETTER, SETTLEMENT_LETTER):
            derived = runs.derived(data, source, path.parent)
            break
    if derived is None:
        settlement = invoice.number.endswith(SETTLEMENT_SUFFIX)
        derived = run_beside(path, source, runs, None, settlement)
    return check_einvoice(
        invoice,
        derived.expected,
        written_fields(invoice, derived.expected, derived.prepared, derived.charged),
    ), derived


def run_beside(
    path: Path, source: str, runs: Runs, programme_sha256: str | None, settlement: bool
) -> Derived:
    """The run of a document that carries none (a workbook, an e-invoice without its letter):
    the package's it sits in, else a PDF's beside it (see the module docstring)."""
    folders = [path.parent] + ([path.parent.parent] if path.parent.name == "einvoices" else [])
    for folder in folders:
        if (folder / MANIFEST_FILE).is_file():
            derived = package_run(folder, runs)
            if _fits(derived, programme_sha256, settlement):
                return derived
    for pdf_path in _pdfs_beside(path, folders):
        try:
            raw = read_regular_file(pdf_path, RECEIVED, MAX_RECEIVED_PDF_BYTES)
            data = embedded_of(read_pdf(raw, str(pdf_path), with_text=False))
        except InputError:
            continue
        wanted = {LETTER, ANNEX} if not settlement else {SETTLEMENT_LETTER}
        programme = data.run.inputs[0][1] if data.run.inputs else None
        if data.document in wanted and programme_sha256 in (None, programme):
            return runs.derived(data, str(pdf_path), pdf_path.parent)
    raise _no_run(source, programme_sha256, path)


def package_run(folder: Path, runs: Runs) -> Derived:
    """The run of the package in ``folder`` (one year's, or a settlement's), computed again."""
    manifest = read_manifest(folder)
    if manifest.package == YEARS:
        raise InputError(
            lazy(
                "is the top of a package over several years; give the year's folder, or "
                "verify the whole package"
            ),
            source=str(folder),
        )
    final = rederive(folder, manifest, folder)
    programme = manifest.document["programme"]
    charged = None
    if manifest.package != SETTLEMENT:
        expected = expected_of(final)
        charged_inputs: tuple[tuple[str, str], ...] = ()
    else:
        charged = _charged_of(folder, manifest, runs)
        expected = settlement_expected(final, charged)
        charged_inputs = charged.provenance.inputs
    return Derived(
        expected,
        programme["title"],
        final.result.programme.short_title,
        programme["case_number"],
        programme["file"],
        charged_inputs,
        final,
        charged,
    )


def _charged_of(folder: Path, manifest: Manifest, runs: Runs) -> Prepared:
    """A settlement's charge: the run its first settlement letter carries."""
    for entry in manifest.files:
        if entry.kind == "settlement-letter":
            raw = read_regular_file(folder / entry.path, RECEIVED, MAX_RECEIVED_PDF_BYTES)
            data = embedded_of(read_pdf(raw, entry.path, with_text=False))
            if data.charged_run is not None:
                return runs.prepared(data.charged_run, entry.path, folder)
    raise InputError(
        lazy(
            "is a settlement package without a settlement letter that carries the charge's "
            "run, so the charged amounts cannot be re-derived"
        ),
        source=str(folder),
    )


def _fits(derived: Derived, programme_sha256: str | None, settlement: bool) -> bool:
    inputs = derived.expected.inputs
    same = programme_sha256 is None or (bool(inputs) and inputs[0][1] == programme_sha256)
    return same and derived.expected.settlement == settlement


def _pdfs_beside(path: Path, folders: list[Path]) -> list[Path]:
    """The PDFs beside ``path``: its own letter first, then the annex, then the others."""
    stem = path.stem.removesuffix("-oioubl").removesuffix("-peppol")
    first = [folder / f"{stem}.pdf" for folder in folders] + [f / ANNEX_FILE for f in folders]
    others: list[Path] = []
    for folder in folders:
        try:
            others += sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".pdf")
        except OSError:
            continue
    chosen = list(dict.fromkeys(p for p in first + others if p.is_file()))
    return chosen[:MAX_PDFS_BESIDE]


def _no_run(source: str, programme_sha256: str | None, path: Path) -> InputError:
    stem = path.stem.removesuffix("-oioubl").removesuffix("-peppol")
    which = f" (SHA-256 {programme_sha256[:12]}…)" if programme_sha256 else ""
    return InputError(
        lazy(
            "carries no programme of its own, and none was found beside it; costshare needs "
            "the programme it was computed from{which}: put the letter ({letter}) or the "
            "annex PDF beside it, or verify the whole package",
            which=which,
            letter=f"{stem}.pdf",
        ),
        source=source,
    )


def _csv_annex(source: str) -> InputError:
    return InputError(
        lazy(
            "is a table of amounts, which carries no programme; check it against the "
            "programme: costshare verify PROGRAMME.toml {file}",
            file=source,
        ),
        source=source,
    )
