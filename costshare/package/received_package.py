"""``costshare verify FOLDER`` and ``verify PACKAGE.zip``: a whole package, every file.

The package's run is computed again from what it carries (``manifest.json`` and
``programfil/``, as ``settle`` does; a settlement's charge from the run its letters carry),
and then every file the manifest lists is checked: its SHA-256 against the manifest (a
file changed after it was written is named), and its content as a payer would check it
(letters, the annex, workbooks and e-invoices through the same comparisons as one file
given alone), and the manifest's own amounts against the re-derivation. A listed file that
is missing or cannot be read is a difference, not a stop: the rest is still checked.

A zip is read by :mod:`costshare.check.received.archive` (bounded: members, sizes, names
that stay inside) and unpacked into a private temporary folder first.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy
from costshare.base.limits import (
    EINVOICE,
    MAX_EINVOICE_BYTES,
    MAX_RECEIVED_PDF_BYTES,
    RECEIVED,
    read_regular_file,
)
from costshare.base.money import plain_ore
from costshare.check.received.outcome import Checked, Difference, Expected, Verdict
from costshare.check.received.recognise import ZIP, sniff
from costshare.package.earlier_package import file_sha256, manifest_differences
from costshare.package.manifest import ListedFile, Manifest, read_manifest
from costshare.package.manifest_schema import CARRIED_KINDS, SETTLEMENT, YEARS
from costshare.package.received import (
    Derived,
    Runs,
    check_pdf,
    embedded_of,
    package_run,
    verdict,
    verify_document,
)
from costshare.programme.naming import MANIFEST_FILE, PROGRAMME_FOLDER

_PDF_KINDS = ("letter", "settlement-letter", "annex", "review", "settlement-review")
_WORKBOOK_KINDS = ("workbook", "overview")


def verify_received(path: Path | str, year: int | None = None) -> Verdict:
    """What ``costshare verify FILE`` checks: a package folder, a zip of one, or a single
    document (:func:`~costshare.package.received.verify_document`)."""
    path = Path(path)
    source = str(path)
    if path.is_dir():
        return verify_folder(path, source, year)
    package = path.parent.parent if path.parent.name == PROGRAMME_FOLDER else path.parent
    if (package / MANIFEST_FILE).is_file() and path.is_file():
        if path.name == MANIFEST_FILE:  # the package's own index: the package, whole
            return verify_folder(package, str(package), year)
        if path.parent.name == PROGRAMME_FOLDER:
            return _verify_carried(package, path, source)
    if path.suffix.casefold() != ".toml" and sniff(path, source) == ZIP:
        return verify_zip(path, source, year)
    return verify_document(path, source)


def _verify_carried(package: Path, path: Path, source: str) -> Verdict:
    """A file the package carries (its programme, register, …): the package's run computed
    again from it, and the file against its SHA-256 in the manifest."""
    manifest = read_manifest(package)
    name = f"{PROGRAMME_FOLDER}/{path.name}"
    entry = next((e for e in manifest.files if e.path == name), None)
    if entry is None:
        raise InputError(lazy("is not listed in {manifest}", manifest=MANIFEST_FILE), source=source)
    derived = package_run(package, Runs())
    sha = _sha_difference(package, entry, source)
    return verdict(
        source, derived, (Checked(source, entry.kind, differences=(sha[0],) if sha else ()),)
    )


def verify_folder(folder: Path, source: str, year: int | None = None) -> Verdict:
    """Every file of the package in ``folder`` (named ``source``), checked."""
    runs = Runs()
    manifest = read_manifest(folder)
    if manifest.package != YEARS:
        derived = package_run(folder, runs)
        return verdict(source, derived, _check_package(folder, manifest, derived, runs, ""))
    documents = [_listed_only(folder, entry, "") for entry in manifest.files]
    first: Derived | None = None
    for entry in manifest.document["years"]:
        if year is not None and entry["year"] != year:
            continue
        name = str(entry["folder"])
        sub = folder / name
        documents.append(
            _sha_only(folder, f"{name}/{MANIFEST_FILE}", "manifest", entry["manifest_sha256"])
        )
        derived = package_run(sub, runs)
        first = first or derived
        documents += _check_package(sub, read_manifest(sub), derived, runs, f"{name}/")
    if first is None:
        raise InputError(lazy("has no year {year}", year=year), source=source)
    return verdict(source, first, tuple(documents))


def verify_zip(path: Path, source: str, year: int | None = None) -> Verdict:
    """The package in the zip at ``path``, unpacked into a private temporary folder."""
    from costshare.check.received.archive import open_zip, package_members, read_member

    with open_zip(path, source) as archive:
        members = package_members(archive, source)
        with tempfile.TemporaryDirectory(prefix="costshare-verify-") as temporary:
            root = Path(temporary)
            for member in members:
                target = root / member.name
                data = read_member(archive, member, source)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                except OSError as error:
                    raise InputError(
                        lazy(
                            "cannot be unpacked into a temporary folder ({reason}); free some "
                            "space, or unpack it yourself and verify the folder",
                            reason=error.strerror or type(error).__name__,
                        ),
                        source=source,
                    ) from None
            try:
                found = verify_folder(root, source, year)
            except InputError as error:
                # A message about the temporary copy is about the zip.
                text = str(error).replace(f"{root}/", f"{source}: ").replace(str(root), source)
                raise InputError(text) from None
    return replace(found, kind="zip")


# --- one package ------------------------------------------------------------------------
def _check_package(
    folder: Path, manifest: Manifest, derived: Derived, runs: Runs, prefix: str
) -> tuple[Checked, ...]:
    checked = [_manifest(folder, manifest, derived, prefix)]
    for entry in manifest.files:
        checked.append(_check_listed(folder, entry, derived, prefix))
    return tuple(checked)


def _manifest(folder: Path, manifest: Manifest, derived: Derived, prefix: str) -> Checked:
    name = prefix + MANIFEST_FILE
    assert derived.prepared is not None  # a package's run is always computed here
    if manifest.package == SETTLEMENT:
        problems = _settlement_manifest(manifest, derived.expected)
    else:
        problems = manifest_differences(manifest, derived.prepared)
    return Checked(name, "manifest", differences=tuple(Difference(name, p) for p in problems))


def _settlement_manifest(manifest: Manifest, expected: Expected) -> list[Text]:
    """A settlement's manifest: each payer's charged, final and settlement amounts and
    reference, and the totals, against the re-derivation."""
    problems: list[Text] = []
    decimals = expected.shows_ore

    def differ(what: Text, found: int | str | None, wanted: int | str | None) -> None:
        if found != wanted:
            shown = [
                format_kr(x, decimals) if isinstance(x, int) else repr(x) for x in (wanted, found)
            ]
            problems.append(
                lazy(
                    "{what}: expected {expected}, found {found}",
                    what=what,
                    expected=shown[0],
                    found=shown[1],
                )
            )

    listed = {entry["code"]: entry for entry in manifest.document["payers"]}
    for payer in expected.payers:
        entry = listed.pop(payer.code, None)
        who = repr(f"{payer.code} {payer.name}")
        if entry is None:
            problems.append(lazy("lists no settlement for {payer}", payer=who))
            continue
        for key, wanted in (
            ("charged", payer.charged_ore),
            ("final", payer.final_ore),
            ("amount", payer.amount_ore),
        ):
            what = lazy("payers: {key} of {payer}", key=repr(key), payer=who)
            differ(what, plain_ore(entry[key]), wanted)
        differ(lazy("the reference of {payer}", payer=who), entry["reference"], payer.reference)
    for code in listed:
        problems.append(lazy("lists {code}, who is not a payer of the settlement", code=repr(code)))
    totals = manifest.document["totals"]
    for key, wanted in (
        ("charged", expected.charged_total_ore),
        ("final", expected.final_total_ore),
        ("amount", expected.final_total_ore - expected.charged_total_ore),
    ):
        differ(lazy("totals: {key}", key=repr(key)), plain_ore(totals[key]), wanted)
    return problems


def _check_listed(folder: Path, entry: ListedFile, derived: Derived, prefix: str) -> Checked:
    """One listed file: its SHA-256, then its content as a payer would check it."""
    name = prefix + entry.path
    sha = _sha_difference(folder, entry, name)
    if sha is not None and sha[1]:  # missing: nothing more to read
        return Checked(name, entry.kind, differences=(sha[0],))
    try:
        checked = _content(folder / entry.path, name, entry.kind, derived)
    except InputError as error:
        checked = Checked(name, entry.kind, differences=(Difference(name, str(error)),))
    if sha is not None:
        checked = replace(checked, differences=(sha[0], *checked.differences))
    return checked


def _content(path: Path, name: str, kind: str, derived: Derived) -> Checked:
    from costshare.check.received.compare_received import check_einvoice, check_workbook
    from costshare.check.received.einvoice_file import read_einvoice
    from costshare.check.received.pdf_file import read_pdf
    from costshare.check.received.workbook_file import read_workbook
    from costshare.package.written_einvoice import written_fields

    if kind in _PDF_KINDS:
        pdf = read_pdf(read_regular_file(path, RECEIVED, MAX_RECEIVED_PDF_BYTES), name)
        if pdf.data is None and kind == "settlement-review":  # written before it carried data
            return Checked(name, kind, notes=(_SHA_ONLY,))
        return check_pdf(pdf, embedded_of(pdf), derived)
    if kind in _WORKBOOK_KINDS:
        if derived.expected.settlement and kind == "workbook":
            return Checked(name, kind, notes=(_SHA_ONLY,))  # laid out for reading, see below
        return check_workbook(read_workbook(path, name), derived.expected)
    if kind == "einvoice":
        invoice = read_einvoice(read_regular_file(path, EINVOICE, MAX_EINVOICE_BYTES), name)
        return check_einvoice(
            invoice,
            derived.expected,
            written_fields(invoice, derived.expected, derived.prepared, derived.charged),
        )
    return Checked(name, kind, notes=(_SHA_ONLY,) if kind not in CARRIED_KINDS else ())


_SHA_ONLY = lazy("checked against its SHA-256 in the manifest")
"""A settlement's review copy of its letters written before it carried data, or a payer's
settlement workbook (its facts are laid out for reading, with merged cells, not as a table
the one table reader checks): the letters and the settlement's overview beside them carry
the same amounts and are checked in full."""


def _sha_difference(folder: Path, entry: ListedFile, name: str) -> tuple[Difference, bool] | None:
    """The file's SHA-256 against the manifest: a difference (and whether it is missing)."""
    found = file_sha256(folder / entry.path)
    if found is None:
        what = lazy("is listed in {manifest} but missing", manifest=MANIFEST_FILE)
        return Difference(name, what), True
    if found != entry.sha256:
        what = lazy(
            "does not match its SHA-256 in {manifest} (it was changed after it was written)",
            manifest=MANIFEST_FILE,
        )
        return Difference(name, what, entry.sha256[:12] + "…", found[:12] + "…"), False
    return None


def _listed_only(folder: Path, entry: ListedFile, prefix: str) -> Checked:
    return _sha_only(folder, prefix + entry.path, entry.kind, entry.sha256)


def _sha_only(folder: Path, name: str, kind: str, sha256: str) -> Checked:
    listed = ListedFile(name, kind, sha256)
    sha = _sha_difference(folder, listed, name)
    return Checked(name, kind, differences=(sha[0],) if sha else (), notes=(_SHA_ONLY,))
