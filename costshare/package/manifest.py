"""Reading an earlier annex package: what each payer was charged, from its ``manifest.json``.

A settlement (``costshare settle``) starts from what was actually sent. The package's
manifest lists every file with its SHA-256 and, for a payer's files, the payer's code, name
and amount. :func:`read_package` checks every listed file against its SHA-256 first and
refuses a package that was changed after it was written, naming the file:

    ``out/157-gentofte.pdf: does not match its SHA-256 in manifest.json (the package was
    changed after it was written); use the package as it was sent, or run it again``

A package written for several years holds a manifest listing the years; give the year.
The numbers of the package's e-invoices (files of kind ``einvoice``, their ``reference``)
are kept too: a settlement's invoices and credit notes refer to them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import parse_amount
from costshare.programme.naming import MANIFEST_FILE
from costshare.programme.settlement import ChargedPackage, ChargedPayer


def read_package(folder: Path | str, year: int | None = None) -> ChargedPackage:
    """Read and check the package in ``folder`` (or its ``year`` sub-folder).

    Raises :class:`InputError` naming the file for a missing or unreadable manifest, a
    listed file that is missing, or one whose SHA-256 differs from the manifest's.
    """
    folder = Path(folder)
    document = _manifest(folder)
    if "years" in document:
        years = [str(entry["year"]) for entry in document["years"]]
        if year is None:
            raise InputError(
                lazy(
                    "{folder}: is a package over several years ({years}); give the year of the charge, e.g. --year {first}",
                    folder=folder,
                    years=", ".join(years),
                    first=years[0],
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
        return read_package(folder / str(year))
    if "settlement" in document:
        raise InputError(
            lazy(
                "{folder}: is a settlement package, not a charge; give the package of the charge",
                folder=folder,
            )
        )
    files = document.get("files")
    if not isinstance(files, list):
        raise InputError(
            lazy(
                "{manifest}: lists no files; give a package's folder",
                manifest=folder / MANIFEST_FILE,
            )
        )
    found: dict[str, ChargedPayer] = {}
    numbers: dict[str, str] = {}
    for entry in files:
        _check_file(folder, entry)
        if entry.get("kind") == "einvoice" and entry.get("reference") and "code" in entry:
            numbers.setdefault(str(entry["code"]), str(entry["reference"]))
        if "code" not in entry or "amount" not in entry:
            continue
        where = f"{folder / MANIFEST_FILE}: file {entry['path']}"
        try:
            payer = ChargedPayer(
                str(entry["code"]), str(entry.get("name", "")), parse_amount(str(entry["amount"]))
            )
        except InputError as error:
            raise InputError(
                lazy(
                    "{where}: {problem}; the manifest is damaged",
                    where=where,
                    problem=error,
                )
            ) from None
        earlier = found.setdefault(payer.code, payer)
        if earlier.amount_ore != payer.amount_ore:
            raise InputError(
                lazy(
                    "{where}: gives {code} another amount than the payer's other files; the manifest is damaged",
                    where=where,
                    code=payer.code,
                )
            )
    if not found:
        raise InputError(
            lazy(
                "{manifest}: lists no payers; give a package's folder",
                manifest=folder / MANIFEST_FILE,
            )
        )
    programme = document.get("programme", {})
    population = document.get("population", {})
    return ChargedPackage(
        folder=folder,
        programme_file=str(programme.get("file", "")),
        title=str(programme.get("title", "")),
        case_number=str(programme.get("case_number", "")),
        letter_date=str(programme.get("letter_date", "")),
        population_basis=str(population.get("basis", "")),
        what_if=tuple(str(note) for note in document.get("what_if", [])),
        payers=tuple(found.values()),
        einvoice_numbers=tuple(numbers.items()),
    )


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_FILE
    if not folder.is_dir():
        raise InputError(
            lazy("{folder}: no such folder; give the folder of the earlier package", folder=folder)
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            lazy(
                "{path}: is missing, so {folder} is not a costshare package; give the folder `costshare run` wrote",
                path=path,
                folder=folder,
            )
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(
            lazy(
                "{path}: cannot be read ({name}); the package is damaged",
                path=path,
                name=type(error).__name__,
            )
        ) from None
    if not isinstance(document, dict):
        raise InputError(
            lazy("{path}: is not a costshare manifest; the package is damaged", path=path)
        )
    return document


def _check_file(folder: Path, entry: Any) -> None:
    """Refuse a listed file that is missing or whose SHA-256 is not the recorded one."""
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise InputError(
            lazy(
                "{manifest}: a file entry has no path; the manifest is damaged",
                manifest=folder / MANIFEST_FILE,
            )
        )
    name = entry["path"]
    path = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError(
            lazy(
                "{manifest}: lists {name}, outside the package; refused",
                manifest=folder / MANIFEST_FILE,
                name=repr(name),
            )
        )
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise InputError(
            lazy(
                "{path}: is listed in {manifest} but missing; use the package as it was sent",
                path=path,
                manifest=MANIFEST_FILE,
            )
        ) from None
    if digest != entry.get("sha256"):
        raise InputError(
            lazy(
                "{path}: does not match its SHA-256 in {manifest} (the package was changed after it was written); use the package as it was sent, or run it again",
                path=path,
                manifest=MANIFEST_FILE,
            )
        )
