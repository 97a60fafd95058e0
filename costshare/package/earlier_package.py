"""Reading an earlier charge package for a settlement: re-derived, never believed.

A settlement (``costshare settle``) starts from what was actually sent. :func:`read_package`
reads the package's manifest (every field type-checked, :mod:`costshare.package.manifest`),
checks every listed file against its SHA-256, and then **re-derives** what the package
charged from the programme and the files it carries (:mod:`costshare.package.carried`),
with the options it was run with, and compares the result with

* the manifest: every payer's code, name, amount and reference, each e-invoice's number,
  the totals and the inputs' SHA-256 (a packaged population must still be the same data);
* the workbooks: each must be byte for byte what the re-derivation writes, or else show
  (as a person sees it) the re-derived amounts: the overview's amounts and totals read as
  ``costshare verify`` reads an annex, and the amount in each payer's workbook.

Any disagreement is refused, naming what differs; an invented payer or an edited amount
never reaches a settlement letter. The settlement is then made from the re-derived
amounts, not from the manifest's. A package written for several years holds a manifest
listing the years: give the year.

A file too big to travel with the package (``not_included``) is looked for by its name
beside the programme given to ``settle`` (``look_beside``) and must have the SHA-256 the
manifest records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy
from costshare.base.limits import PACKAGE_FILE, regular_file
from costshare.base.money import plain_ore
from costshare.package.manifest import ListedFile, Manifest, read_manifest
from costshare.package.manifest_schema import CARRIED_KINDS, SETTLEMENT, YEARS
from costshare.package.preparation import Prepared, prepare_year, reproducible_timestamp
from costshare.package.side_process import SideJob
from costshare.programme.naming import MANIFEST_FILE, OVERVIEW_FILE
from costshare.programme.settlement import ChargedPackage, ChargedPayer
from costshare.programme.years import load_plan

_MAX_PACKAGE_FILE = 1_000_000_000  # a review PDF of many letters is the largest file


def read_package(
    folder: Path | str, year: int | None = None, *, look_beside: Path | None = None
) -> ChargedPackage:
    """Read, check and re-derive the package in ``folder`` (or its ``year`` sub-folder).

    Raises :class:`InputError` naming the file for a missing or damaged manifest, a
    listed file that is missing or whose SHA-256 differs, a package that does not carry
    its programme, and anything that differs from the re-derivation.
    """
    charged, workbooks = open_package(folder, year, look_beside=look_beside)
    with workbooks:
        workbooks.result()
    return charged


def open_package(
    folder: Path | str, year: int | None = None, *, look_beside: Path | None = None
) -> tuple[ChargedPackage, SideJob[None]]:
    """:func:`read_package`, with the check of the workbooks still running beside.

    Everything but the workbooks is checked before this returns (raising as
    :func:`read_package` does). The workbooks are rebuilt and compared in a
    :class:`~costshare.package.side_process.SideJob`, whose ``result()`` raises the
    :class:`InputError` for a workbook that differs: ``settle`` asks for it before its
    package is installed, having written the settlement meanwhile.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest.package == YEARS:
        return open_package(_year_folder(folder, manifest, year), look_beside=look_beside)
    if manifest.package == SETTLEMENT:
        raise InputError(
            lazy(
                "{folder}: is a settlement package, not a charge; give the package of the charge",
                folder=folder,
            )
        )
    for entry in manifest.files:
        _check_file(folder, entry.path, entry.sha256)
    derived = rederive(folder, manifest, look_beside)
    _manifest_differences(manifest, derived).refuse()

    einvoiced = frozenset(
        entry.code for entry in manifest.files if entry.kind == "einvoice" and entry.code
    )

    def workbooks() -> None:
        differences = _Differences(derived.result.programme.unit.shows_ore)
        _compare_workbooks(folder, derived, differences, einvoiced)
        differences.refuse()

    return _charged(folder, manifest, derived), SideJob(workbooks)


def _year_folder(folder: Path, manifest: Manifest, year: int | None) -> Path:
    """The folder of ``year`` of a package over several years, its manifest checked."""
    years = {str(entry["year"]): entry for entry in manifest.document["years"]}
    if year is None:
        raise InputError(
            lazy(
                "{folder}: is a package over several years ({years}); give the year of the charge, e.g. --year {first}",
                folder=folder,
                years=", ".join(years),
                first=next(iter(years)),
            )
        )
    if str(year) not in years:
        raise InputError(
            lazy(
                "{folder}: has no year {year}; give one of {years}",
                folder=folder,
                year=year,
                years=", ".join(years),
            )
        )
    entry = years[str(year)]
    _check_file(folder, f"{entry['folder']}/{MANIFEST_FILE}", entry["manifest_sha256"])
    return folder / str(entry["folder"])


def _check_file(folder: Path, name: str, sha256: str) -> None:
    """Refuse a listed file that is missing or whose SHA-256 is not the recorded one."""
    path = folder / name
    digest = file_sha256(path)
    if digest is None:
        raise InputError(
            lazy(
                "{path}: is listed in {manifest} but missing; use the package as it was sent",
                path=path,
                manifest=MANIFEST_FILE,
            )
        )
    if digest != sha256:
        raise InputError(
            lazy(
                "{path}: does not match its SHA-256 in {manifest} (the package was changed after it was written); use the package as it was sent, or run it again",
                path=path,
                manifest=MANIFEST_FILE,
            )
        )


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a package's file, read in blocks; None for one that is missing or
    not a regular file of bounded size."""
    try:
        regular_file(path, PACKAGE_FILE, _MAX_PACKAGE_FILE)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except (InputError, OSError):
        return None
    return digest.hexdigest()


# --- re-deriving ------------------------------------------------------------------------
def rederive(folder: Path, manifest: Manifest, look_beside: Path | None = None) -> Prepared:
    """The package's run computed again from the programme and files it carries."""
    document = manifest.document
    options = document.get("options", {"amount": None, "population": None})  # settle: none
    located = _located_sources(folder, manifest, look_beside)
    return rederive_sources(located, options, document["programme"]["year"], str(folder))


Located = dict[str, tuple[str, str, Path]]
"""Each carried kind: (named_by, given, where the file is)."""


def rederive_sources(located: Located, options: dict[str, Any], year: int, source: str) -> Prepared:
    """A run computed again from its programme and files (``located``), with the what-if
    ``options`` it was run with (``amount``, ``population``) and its ``year``: what a
    package or a letter carries.

    Raises :class:`InputError` (naming ``source``) when the programme is not among them.
    """
    if "programme" not in located:
        raise InputError(
            lazy(
                "does not carry its programme file, so what it charges cannot be re-derived; "
                "run the charge again with this costshare (with --force) and use that package"
            ),
            source=source,
        )
    population = located.get("population")
    register = located.get("register")
    index = located.get("index")

    # Absolute: the programme reads a relative name relative to its own folder (the
    # package's programfil/), not to the working folder a relative --charged is given from.
    def relocate(key: str, value: str) -> str:
        if key.endswith("population") and population and population[0] != "--population":
            return str(population[2].absolute()) if value.strip() == population[1] else value
        if key == "register" and register:
            return str(register[2].absolute())
        if key == "indexing.file" and index and index[0] == "indexing.file":
            return str(index[2].absolute())
        return value

    index_file = index[2] if index and index[0] == "--index" else None
    plan = load_plan(located["programme"][2], index_file, relocate=relocate)
    override = population[2] if population and population[0] == "--population" else None
    result, provenance = prepare_year(
        plan,
        year if plan.multi_year else None,
        str(override) if override is not None else options["population"],
        options["amount"],
    )
    return Prepared.of(result, provenance)


def _located_sources(folder: Path, manifest: Manifest, look_beside: Path | None) -> Located:
    """Each carried kind: (named_by, given, where the file is): the package's copy, or for
    a file that did not travel the same file (by SHA-256) beside ``look_beside``."""
    located = {
        entry.kind: (entry.named_by or "", entry.given or "", folder / entry.path)
        for entry in manifest.files
        if entry.kind in CARRIED_KINDS
    }
    for left_out in manifest.document["not_included"]:
        given = str(left_out["given"])
        candidate = (look_beside or folder) / Path(given.replace("\\", "/")).name
        try:
            _check_file(candidate.parent, candidate.name, left_out["sha256"])
        except InputError:
            raise InputError(
                lazy(
                    "{given} ({bytes} bytes) was too big to travel with the package, and no "
                    "file of that name beside {beside} has the SHA-256 the manifest records; "
                    "put the file the charge was computed from there",
                    given=repr(given),
                    bytes=left_out["bytes"],
                    beside=look_beside or folder,
                ),
                source=str(manifest.path),
            ) from None
        located[left_out["kind"]] = (str(left_out.get("named_by", "")), given, candidate)
    return located


# --- comparing --------------------------------------------------------------------------
class _Differences:
    """What differs between a package and its re-derivation, first one first."""

    def __init__(self, shows_ore: bool) -> None:
        self.found: list[tuple[str, Text]] = []
        self.shows_ore = shows_ore

    def amount(self, source: Path, what: Text, found: int | None, expected: int) -> None:
        if found != expected:
            shown = format_kr(found, self.shows_ore) if found is not None else lazy("empty")
            self._differs(source, what, shown, format_kr(expected, self.shows_ore))

    def value(self, source: Path, what: Text, found: Any, expected: Any) -> None:
        """A text (shown quoted) or number that differs."""
        if found != expected:
            quoted = (repr(x) if isinstance(x, str) else x for x in (found, expected))
            self._differs(source, what, *quoted)

    def _differs(self, source: Path, what: Text, found: Any, expected: Any) -> None:
        self.found.append(
            (
                str(source),
                lazy(
                    "{what} is {found}, but the package's own programme and figures give {expected}",
                    what=what,
                    found=found,
                    expected=expected,
                ),
            )
        )

    def other(self, source: Path, problem: Text) -> None:
        self.found.append((str(source), problem))

    def refuse(self) -> None:
        if not self.found:
            return
        source, problem = self.found[0]
        more = len(self.found) - 1
        raise InputError(
            lazy(
                "{problem} (and {more} more differences); use the package as it was sent, or run it again",
                problem=problem,
                more=more,
            )
            if more
            else lazy(
                "{problem}; use the package as it was sent, or run it again", problem=problem
            ),
            source=source,
        )


def manifest_differences(manifest: Manifest, derived: Prepared) -> list[Text]:
    """What a charge's manifest says that ``derived`` does not give, each in one line
    (``costshare verify`` lists them all; ``settle`` refuses the first)."""
    return [problem for _, problem in _manifest_differences(manifest, derived).found]


def _manifest_differences(manifest: Manifest, derived: Prepared) -> _Differences:
    differences = _Differences(derived.result.programme.unit.shows_ore)
    path = manifest.path
    recorded = [entry["sha256"] for entry in manifest.document["inputs"]]
    for (what, sha256), found in zip(derived.provenance.inputs, recorded, strict=False):
        differences.value(path, lazy("the SHA-256 of {input}", input=what), found, sha256)
    if len(recorded) != len(derived.provenance.inputs):
        differences.value(
            path, lazy("the number of inputs"), len(recorded), len(derived.provenance.inputs)
        )
    _compare_payers(path, manifest.files, derived, differences)
    _compare_totals(path, manifest.document["totals"], derived, differences)
    return differences


def _compare_payers(
    path: Path, files: tuple[ListedFile, ...], derived: Prepared, differences: _Differences
) -> None:
    from costshare.programme.einvoiced import einvoice_number

    by_code = {payer.code: payer for payer in derived.payers}
    invoicing = derived.result.programme.invoicing
    kinds: dict[str, set[str]] = {}
    for entry in files:
        if entry.code is None:
            continue
        payer = by_code.get(entry.code)
        who = repr(f"{entry.code} {entry.name or ''}".strip())
        if payer is None:
            differences.other(
                path,
                lazy(
                    "lists {payer} ({file}), who is not a payer of the package's own programme",
                    payer=who,
                    file=entry.path,
                ),
            )
            continue
        kinds.setdefault(payer.code, set()).add(entry.kind)
        differences.value(path, lazy("the name of {payer}", payer=who), entry.name, payer.name)
        what = lazy("the amount of {payer} ({file})", payer=who, file=entry.path)
        differences.amount(path, what, entry.amount_ore, payer.amount_ore)
        reference = payer.reference
        if entry.kind == "einvoice" and invoicing is not None:
            reference = einvoice_number(derived.result.programme, payer.code)
        what = lazy("the reference of {payer} ({file})", payer=who, file=entry.path)
        differences.value(path, what, entry.reference, reference)
    for payer in derived.payers:
        if not {"letter", "workbook"} <= kinds.get(payer.code, set()):
            differences.other(
                path,
                lazy(
                    "lists no letter and workbook for {payer}, a payer of the package's own programme",
                    payer=repr(f"{payer.code} {payer.name}"),
                ),
            )


def _compare_totals(
    path: Path, totals: dict[str, Any], derived: Prepared, differences: _Differences
) -> None:
    result = derived.result
    differences.amount(path, lazy("the total"), plain_ore(totals["total"]), result.total_ore)
    parts = {code: plain_ore(amount) for code, amount in totals["parties"].items()}
    differences.value(
        path,
        lazy("the parties' parts"),
        {code: format_kr(part) for code, part in parts.items()},
        {code: format_kr(part) for code, part in result.party_parts_ore.items()},
    )
    municipal = plain_ore(totals["municipalities"])
    differences.amount(
        path, lazy("the municipalities' part"), municipal, result.municipal.amount_ore
    )
    differences.value(path, lazy("the number of payers"), totals["payers"], len(derived.payers))


def _compare_workbooks(
    folder: Path, derived: Prepared, differences: _Differences, einvoiced: frozenset[str]
) -> None:
    """The amounts the workbooks show, as a person opening them sees them.

    A workbook that is byte for byte the one the re-derivation writes shows its amounts
    (the usual case: the same costshare and file date); any other is read as a person
    sees it, through the one table reader, and its amounts compared.
    """
    from costshare.documents.xlsx.workbooks import (
        build_overview,
        build_party_workbook,
        workbook_bytes,
    )
    from costshare.programme.einvoiced import einvoice_for

    result, provenance = derived.result, derived.provenance
    stamp = reproducible_timestamp(result.programme)
    overview = folder / OVERVIEW_FILE
    expected = workbook_bytes(build_overview(result, provenance, derived.payers), stamp)
    if overview.read_bytes() != expected:
        _compare_overview(overview, derived, differences)
    for payer in derived.payers:
        workbook = folder / f"{payer.stem}.xlsx"
        # A workbook says how its payer pays as its letter does: by its e-invoice where
        # the package sent one (each listed e-invoice was compared with the re-derivation).
        einvoice = einvoice_for(result.programme, payer) if payer.code in einvoiced else None
        book = build_party_workbook(result, payer, provenance, einvoice)
        expected = workbook_bytes(book, stamp)
        if workbook.read_bytes() != expected:  # not ours byte for byte: read as a person would
            from costshare.check.received.workbook_file import read_workbook

            what = lazy("the amount shown for {payer}", payer=_who(payer))
            shown = read_workbook(workbook, str(workbook)).amount
            found = shown.amount_ore if shown is not None else None
            differences.amount(workbook, what, found, payer.amount_ore)


def _compare_overview(overview: Path, derived: Prepared, differences: _Differences) -> None:
    """The overview read as ``costshare verify`` reads an annex, against ``derived``."""
    from costshare.check.annex import read_annex
    from costshare.check.verify import verify

    check = verify(derived.result, read_annex(overview), find_quarter=False, explain=False)
    for mismatch in check.mismatches:
        what = lazy("the amount shown for {payer}", payer=_who(mismatch.payer))
        differences.amount(overview, what, mismatch.found_ore, mismatch.payer.amount_ore)
    for payer in check.missing:
        differences.other(overview, lazy("has no row for {payer}", payer=_who(payer)))
    for row in check.unexpected:
        differences.other(
            overview, lazy("row {row} ({label}) is not a payer", row=row.row, label=repr(row.label))
        )
    for total in check.totals:
        if not total.adds_up:
            what = lazy("the total in row {row}", row=total.row)
            differences.amount(overview, what, total.stated_ore, total.rows_sum_ore)


def _who(payer: Any) -> str:
    return repr(f"{payer.code} {payer.name}")


def _charged(folder: Path, manifest: Manifest, derived: Prepared) -> ChargedPackage:
    """The charge as the settlement uses it: the re-derived amounts, and the numbers of the
    e-invoices the package sent (each checked against its re-derivation above)."""
    provenance = derived.provenance
    programme = derived.result.programme
    numbers = {
        entry.code: entry.reference
        for entry in manifest.files
        if entry.kind == "einvoice" and entry.code is not None and entry.reference
    }
    return ChargedPackage(
        folder=folder,
        programme_file=provenance.programme_file,
        title=programme.title,
        case_number=programme.case_number,
        letter_date=programme.letter_date.isoformat(),
        population_basis=provenance.population_basis,
        what_if=provenance.what_if,
        payers=tuple(
            ChargedPayer(payer.code, payer.name, payer.amount_ore) for payer in derived.payers
        ),
        einvoice_numbers=tuple((code, number) for code, number in numbers.items() if number),
        manifest_sha256=manifest.sha256,
    )
