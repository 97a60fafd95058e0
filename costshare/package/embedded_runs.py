"""A run as a PDF carries it, and computed again from what a PDF carries (issue #20).

Writing: :func:`run_of` is the :class:`~costshare.check.received.embedded.Run` of a
prepared run and the files its package carries (each file over
:data:`~costshare.base.limits.MAX_EMBEDDED_FILE_BYTES` as its SHA-256 only);
:func:`charged_run` is the run of an earlier charge package, which a settlement letter
carries beside its own.

Reading: :func:`rederive_run` computes a carried run again, through the same re-derivation
as ``settle`` (:func:`~costshare.package.earlier_package.rederive_sources`): its files are
written to a private temporary folder (the readers read files), a file that did not travel
is looked for beside the document by its SHA-256, and a packaged basis this costshare does
not hold is said plainly. :func:`expected_of` and :func:`settlement_expected` turn a
computed run into what each payer's documents should say.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath

from costshare.base.errors import InputError
from costshare.base.i18n import grouped, lazy
from costshare.base.limits import MAX_EMBEDDED_FILE_BYTES, MAX_TABLE_BYTES, read_regular_file
from costshare.base.version import __version__
from costshare.check.received.embedded import CarriedFile, Run, fingerprint
from costshare.check.received.outcome import Expected, ExpectedPayer
from costshare.package.carried import Carried, copy_name, plain_name
from costshare.package.earlier_package import Located, rederive_sources
from costshare.package.manifest import read_manifest
from costshare.package.manifest_schema import CARRIED_KINDS
from costshare.package.preparation import Prepared
from costshare.programme.payers import Payer


# --- writing ----------------------------------------------------------------------------
def run_of(prepared: Prepared, carried: tuple[Carried, ...]) -> Run:
    """The run a package's PDFs carry: the prepared run and the files it was computed from."""
    provenance = prepared.provenance
    files = tuple(
        CarriedFile(
            item.source.kind,
            item.source.named_by,
            item.source.given,
            item.sha256,
            item.size,
            item.data if item.size <= MAX_EMBEDDED_FILE_BYTES else None,
        )
        for item in carried
    )
    return _run(
        provenance.programme_file,
        prepared.result.programme.year,
        (provenance.options.amount, provenance.options.population),
        provenance.inputs,
        provenance.population_basis,
        files,
    )


def _run(
    programme_file: str,
    year: int,
    options: tuple[str | None, str | None],
    inputs: tuple[tuple[str, str], ...],
    basis: str,
    files: tuple[CarriedFile, ...],
) -> Run:
    # The programme's and the population's SHA-256 are always the first two inputs
    # (preparation.prepare_programme); a basis is a file when the run carries one.
    kind = "file" if any(item.kind == "population" for item in files) else "packaged"
    amount, population = options
    return Run(
        programme_file, year, amount, population, inputs, kind, basis, inputs[1][1], files, ""
    )


def charged_run(folder: Path) -> Run:
    """The run of the earlier charge package in ``folder`` (read and checked by ``settle``
    already): what a settlement letter carries so the charged amount can be re-derived."""
    manifest = read_manifest(folder)
    document = manifest.document
    files = []
    for entry in manifest.files:
        if entry.kind in CARRIED_KINDS:
            data = (folder / entry.path).read_bytes()
            small = data if len(data) <= MAX_EMBEDDED_FILE_BYTES else None
            files.append(
                CarriedFile(
                    entry.kind,
                    entry.named_by or "",
                    entry.given or "",
                    entry.sha256,
                    len(data),
                    small,
                )
            )
    for left_out in document["not_included"]:
        files.append(
            CarriedFile(
                left_out["kind"],
                str(left_out.get("named_by", "")),
                str(left_out["given"]),
                left_out["sha256"],
                left_out["bytes"],
                None,
            )
        )
    options = document["options"]
    inputs = tuple((entry["what"], entry["sha256"]) for entry in document["inputs"])
    return _run(
        document["programme"]["file"],
        document["programme"]["year"],
        (options["amount"], options["population"]),
        inputs,
        document["population"]["basis"],
        tuple(files),
    )


# --- reading ----------------------------------------------------------------------------
def rederive_run(run: Run, source: str, beside: Path | None) -> Prepared:
    """``run`` computed again from the files it carries (and, for a file too big to travel,
    the same file beside the document). Raises :class:`InputError` naming ``source``."""
    _check_basis(run, source)
    with _located(run, source, beside) as located:
        options = {"amount": run.amount, "population": run.population}
        try:
            return rederive_sources(located, options, run.year, source)
        except InputError as error:
            # A message about a copy in the temporary folder is about the document.
            raise error.said_of(f"{source} ({run.programme_file})") from None


def _check_basis(run: Run, source: str) -> None:
    """Refuse, plainly, a packaged or fetched basis this costshare does not hold."""
    if run.basis_kind != "packaged":
        return
    from costshare.population.packaged import dataset_of

    try:
        dataset_of(run.basis_name)
    except InputError:
        raise InputError(
            lazy(
                "was computed on population {basis}, which this costshare (version {version}) "
                "does not have, so its amounts cannot be re-derived here; fetch the figures "
                "(costshare data fetch --quarter {quarter}) or install a newer costshare, and "
                "verify again",
                basis=repr(run.basis_name),
                version=__version__,
                quarter=run.basis_name.removeprefix("statbank:").split(":")[0],
            ),
            source=source,
        ) from None


@contextmanager
def _located(run: Run, source: str, beside: Path | None) -> Iterator[Located]:
    """The run's files in a private temporary folder (removed afterwards), by kind.

    They lie side by side, named as a package's ``programfil/`` names them, so a file the
    programme names by a plain relative name (a key part's file) is found beside it there
    as it is in a package."""
    with tempfile.TemporaryDirectory(prefix="costshare-verify-") as temporary:
        located: Located = {}
        taken: set[str] = set()
        for item in run.files:
            if item.data is None:
                path = _beside(item, source, beside)
            else:
                given = run.programme_file if item.kind == "programme" else item.given
                path = Path(temporary) / copy_name(item.kind, given, taken)
                _write(path, item.data, source)
            located[item.kind] = (item.named_by, item.given, path)
        yield located


def _write(path: Path, data: bytes, source: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise InputError(
            lazy(
                "its programme and files cannot be written to a temporary folder to be "
                "computed again ({reason}); free some space and verify again",
                reason=error.strerror or type(error).__name__,
            ),
            source=source,
        ) from None


def _beside(item: CarriedFile, source: str, beside: Path | None) -> Path:
    """A file too big to travel in the PDF: the same file (by SHA-256) beside it."""
    name = PurePosixPath(item.given.replace("\\", "/")).name
    candidate = (beside or Path()) / name
    if plain_name(name) and candidate.is_file():
        try:
            data = read_regular_file(candidate, "file", MAX_TABLE_BYTES)
        except InputError:
            data = b""
        if hashlib.sha256(data).hexdigest() == item.sha256:
            return candidate
    raise InputError(
        lazy(
            "was computed from {given} ({bytes} bytes, SHA-256 {sha256}), which was too big to "
            "travel inside it; put that file beside it and verify again",
            given=repr(item.given),
            bytes=grouped(item.size),
            sha256=item.sha256,
        ),
        source=source,
    )


# --- what the documents should say ------------------------------------------------------
def expected_of(prepared: Prepared) -> Expected:
    """What every document of a charge should say, from the computed run."""
    result = prepared.result
    payers = tuple(_expected(prepared, payer, payer.reference) for payer in prepared.payers)
    return Expected(
        result,
        payers,
        prepared.provenance.inputs,
        fingerprint([digest for _, digest in prepared.provenance.inputs]),
        prepared.provenance.population_basis,
    )


def _expected(
    prepared: Prepared, payer: Payer, reference: str, settlement: bool = False
) -> ExpectedPayer:
    """What ``payer``'s documents should say; its e-invoice as the e-invoice writer decides
    it (:func:`~costshare.programme.einvoiced.einvoice_for`), VAT included."""
    from costshare.programme.einvoiced import einvoice_for
    from costshare.programme.invoicing import vat_ore

    programme = prepared.result.programme
    einvoice = einvoice_for(programme, payer, settlement=settlement)
    payable = None
    if einvoice is not None and programme.invoicing is not None:
        net = abs(payer.amount_ore)
        payable = net + vat_ore(net, programme.invoicing.vat)
    return ExpectedPayer(
        payer.code,
        payer.name,
        payer.official_name or payer.name,
        payer.municipal,
        payer.amount_ore,
        reference,
        invoice_number=einvoice.number if einvoice else "",
        invoice_payable_ore=payable,
        invoice_credit=einvoice.credit if einvoice else False,
    )


def settlement_expected(final: Prepared, charged: Prepared) -> Expected:
    """What every document of a settlement of ``charged`` against ``final`` should say."""
    from costshare.documents.xlsx.settlement_workbook import settlement_reference
    from costshare.programme.settlement import settle

    amounts = {payer.code: (payer.name, payer.amount_ore) for payer in charged.payers}
    settlement = settle(final.result, amounts, final.payers)
    payers = []
    for row in settlement.rows:
        difference = replace(row.payer, amount_ore=row.amount_ore)
        expected = _expected(final, difference, settlement_reference(row), settlement=True)
        payers.append(replace(expected, charged_ore=row.charged_ore, final_ore=row.final_ore))
    return Expected(
        final.result,
        tuple(payers),
        final.provenance.inputs,
        fingerprint([digest for _, digest in final.provenance.inputs]),
        final.provenance.population_basis,
        settlement=True,
        charged_total_ore=settlement.charged_total_ore,
        final_total_ore=settlement.final_total_ore,
    )
