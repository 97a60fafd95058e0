"""``manifest.json``: the one writer and the one reader of a package's manifest.

A manifest says what a package holds and where it came from: every file with its SHA-256
(and, for a payer's file, the payer's code, name, amount and reference), the programme and
inputs it was computed from, the copies of them it carries (:mod:`costshare.package.carried`)
and the totals. Its schema (:mod:`costshare.package.manifest_schema`, written out as
``docs/reference/manifest.schema.json``) has a ``schema_version`` and three kinds of
package: ``charge`` (``costshare run``, and each year of a run over several years),
``years`` (the top of a run over several years) and ``settlement`` (``costshare settle``).

The writers (:func:`charge_document`, :func:`years_document`, :func:`settlement_document`,
then :func:`encode`) are used by every command that writes a package; :func:`encode`
refuses a document that breaks the schema, so no package holds one. The reader
(:func:`read_manifest`) type-checks every field against the same schema before anything
reads a value; :func:`listing` is what ``--force`` reads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.json_schema import no_repeated_keys
from costshare.base.limits import MANIFEST, MAX_MANIFEST_BYTES, read_regular_file
from costshare.base.money import Unit, format_plain, plain_ore
from costshare.package.manifest_schema import (
    CHARGE,
    SCHEMA,
    SCHEMA_VERSION,
    SETTLEMENT,
    YEARS,
    check_value,
    problem,
)
from costshare.programme.naming import MANIFEST_FILE
from costshare.programme.payers import Payer

if TYPE_CHECKING:
    from costshare.package.preparation import Prepared
    from costshare.programme.settlement import ChargedPackage, Settlement, SettlementRow
    from costshare.programme.years import Plan


# --- writing ----------------------------------------------------------------------------
def encode(document: dict[str, Any]) -> bytes:
    """The manifest's bytes: UTF-8 JSON, indented, keys in the order given.

    Raises ``ValueError`` for a document that breaks the schema (a bug, never user input:
    every text in it has passed the input rules already).
    """
    found = problem(document)
    if found is not None:
        raise ValueError(f"costshare built an invalid manifest: {found[0]}: {found[1]}")
    return as_json(document)


def as_json(document: dict[str, Any]) -> bytes:
    """A checked manifest as bytes: the one place a manifest becomes JSON (the tests
    validate every document that passes here against the published JSON Schema)."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def payer_fields(payer: Payer, unit: Unit) -> dict[str, str]:
    """A payer's file's entry: whose it is, its amount and reference."""
    return {
        "code": payer.code,
        "name": payer.name,
        "amount": format_plain(payer.amount_ore, unit),
        "reference": payer.reference,
    }


def _draft(draft: bool) -> dict[str, bool]:
    """``"draft": true`` in a what-if run's manifest, nothing in a decided one's (whose
    bytes stay as they were)."""
    return {"draft": True} if draft else {}


def _programme_run(prepared: Prepared) -> dict[str, Any]:
    programme = prepared.result.programme
    return {
        "file": prepared.provenance.programme_file,
        "title": programme.title,
        "case_number": programme.case_number,
        "letter_date": programme.letter_date.isoformat(),
        "year": programme.year,
    }


def _carried_part(prepared: Prepared, not_included: list[dict[str, Any]]) -> dict[str, Any]:
    provenance = prepared.provenance
    return {
        "inputs": [{"what": what, "sha256": digest} for what, digest in provenance.inputs],
        "what_if": list(provenance.what_if),
        "not_included": not_included,
    }


def charge_document(
    prepared: Prepared, files: list[dict[str, Any]], not_included: list[dict[str, Any]]
) -> dict[str, Any]:
    """The manifest of a charge (``run``): ``files`` are its files' entries."""
    result, provenance = prepared.result, prepared.provenance
    unit = result.programme.unit
    population = result.municipal.population
    return {
        "schema_version": SCHEMA_VERSION,
        "package": CHARGE,
        **_draft(provenance.draft),
        "generator": f"costshare {provenance.version}",
        "programme": _programme_run(prepared),
        "options": {
            "amount": provenance.options.amount,
            "population": provenance.options.population,
        },
        **_carried_part(prepared, not_included),
        "population": {
            "basis": provenance.population_basis,
            "source": provenance.population_source,
            "date": population.as_of.isoformat() if isinstance(population.as_of, date) else None,
            **_publication(population.basis),
        },
        "method": result.municipal.method,
        "unit": format_plain(unit.ore, unit),
        "totals": {
            "total": format_plain(result.total_ore, unit),
            "parties": {
                code: format_plain(part, unit) for code, part in result.party_parts_ore.items()
            },
            "municipalities": format_plain(result.municipal.amount_ore, unit),
            "payers": len(prepared.payers),
        },
        "files": sorted(files, key=lambda entry: str(entry["path"])),
    }


def _publication(basis: str) -> dict[str, Any]:
    """When Statistics Denmark published a packaged quarter, and whether that date is exact."""
    from costshare.population.releases import release, released_with

    quarter = released_with(basis)
    if quarter is None:  # a month (FOLK1AM) or a file: no known publication date
        return {}
    published = release(quarter)
    return {"published": published.published.isoformat(), "published_exact": published.exact}


def years_document(
    plan: Plan, years: list[tuple[Prepared, str]], files: list[dict[str, Any]]
) -> dict[str, Any]:
    """The top manifest of a run over several years: each year's prepared run and the
    SHA-256 of its own manifest, and the top folder's files."""
    first = plan.years[0].programme
    entries = []
    for prepared, manifest_sha256 in years:
        programme = prepared.result.programme
        unit = programme.unit
        entry: dict[str, Any] = {
            "year": programme.year,
            "folder": str(programme.year),
            "total": format_plain(prepared.result.total_ore, unit),
            "manifest_sha256": manifest_sha256,
        }
        if programme.indexation is not None:
            indexation = programme.indexation
            entry["indexing"] = {
                "base_amount": format_plain(indexation.base_ore, unit),
                "price_level": indexation.price_level,
                "base_index": indexation.base_index,
                "year_index": indexation.year_index,
                "amount": format_plain(indexation.result_ore, unit),
            }
        entries.append(entry)
    table = plan.table
    return {
        "schema_version": SCHEMA_VERSION,
        "package": YEARS,
        **_draft(bool(plan.index_override)),
        "generator": f"costshare {years[0][0].provenance.version}",
        "programme": {
            "file": first.path.name,
            "title": first.title,
            "case_number": first.case_number,
        },
        "index": (
            {"source": table.source, "version": table.version, "file": table.file}
            if table is not None
            else None
        ),
        "what_if": [f"prisindeks fra {plan.index_override} (--index)"]
        if plan.index_override
        else [],
        "years": entries,
        "files": sorted(files, key=lambda entry: str(entry["path"])),
    }


def settlement_document(
    settlement: Settlement,
    charged: ChargedPackage,
    final: Prepared,
    files: list[dict[str, Any]],
    not_included: list[dict[str, Any]],
) -> dict[str, Any]:
    """The manifest of a settlement (``settle``) of ``charged`` against ``final``."""
    unit = final.result.programme.unit
    payers = [settled_fields(row, unit) for row in settlement.rows]
    return {
        "schema_version": SCHEMA_VERSION,
        "package": SETTLEMENT,
        "generator": f"costshare {final.provenance.version}",
        "programme": _programme_run(final),
        "settlement": {
            "charged_package": {
                "programme_file": charged.programme_file,
                "letter_date": charged.letter_date,
                "population_basis": charged.population_basis,
                "manifest_sha256": charged.manifest_sha256,
            },
            "final": {"population_basis": final.provenance.population_basis},
            "only_charged": [row.payer.code for row in settlement.only_charged],
            "only_final": [row.payer.code for row in settlement.only_final],
        },
        **_carried_part(final, not_included),
        "unit": format_plain(unit.ore, unit),
        "totals": {
            "charged": format_plain(settlement.charged_total_ore, unit),
            "final": format_plain(settlement.final_total_ore, unit),
            "amount": format_plain(settlement.total_ore, unit),
        },
        "payers": payers,
        "files": sorted(files, key=lambda entry: str(entry["path"])),
    }


def settled_fields(row: SettlementRow, unit: Unit) -> dict[str, str]:
    """A payer's settlement as the manifest lists it: charged, final, the difference
    (``amount``, negative for a credit) and the settlement reference."""
    from costshare.documents.xlsx.settlement_workbook import settlement_reference

    return {
        "code": row.payer.code,
        "name": row.payer.name,
        "charged": format_plain(row.charged_ore, unit),
        "final": format_plain(row.final_ore, unit),
        "amount": format_plain(row.amount_ore, unit),
        "reference": settlement_reference(row),
    }


# --- reading ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ListedFile:
    """A file as a manifest lists it (the payer's fields where the file is a payer's)."""

    path: str
    kind: str
    sha256: str
    code: str | None = None
    name: str | None = None
    amount_ore: int | None = None
    reference: str | None = None
    named_by: str | None = None
    given: str | None = None


@dataclass(frozen=True)
class Manifest:
    """A manifest read and checked against the schema (every field's type and form)."""

    path: Path
    document: dict[str, Any]
    sha256: str

    @property
    def package(self) -> str:
        """``charge``, ``years`` or ``settlement``."""
        return str(self.document["package"])

    @property
    def files(self) -> tuple[ListedFile, ...]:
        return tuple(_listed(entry) for entry in self.document["files"])


def _listed(entry: dict[str, Any]) -> ListedFile:
    amount = entry.get("amount")
    return ListedFile(
        entry["path"],
        entry["kind"],
        entry["sha256"],
        entry.get("code"),
        entry.get("name"),
        plain_ore(amount) if amount is not None else None,
        entry.get("reference"),
        entry.get("named_by"),
        entry.get("given"),
    )


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the package in ``folder``, every field checked.

    Raises :class:`InputError` (one line, naming the file and the field) for a missing,
    unreadable or damaged manifest, one written before manifests had a schema, or one of
    a newer schema than this costshare reads.
    """
    path = folder / MANIFEST_FILE
    raw, document = _load(folder)
    version = document.get("schema_version")
    if version is None:
        raise InputError(
            lazy(
                "was written by an earlier costshare, before a package carried its "
                "programme, so its amounts cannot be checked; run the charge again with "
                "this version (with --force) and use that package"
            ),
            source=str(path),
        )
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise InputError(
            lazy(
                "was written by a newer costshare (schema version {version}); use that "
                "version or a newer one",
                version=version,
            ),
            source=str(path),
        )
    _refuse_problem(path, problem(document))
    paths = [entry["path"] for entry in document["files"]]
    twice = next((name for name in paths if paths.count(name) > 1), None)
    if twice is not None:
        _refuse_problem(path, ("files", lazy("lists {name} twice", name=repr(twice))))
    return Manifest(path, document, hashlib.sha256(raw).hexdigest())


def listing(folder: Path) -> dict[str, str]:
    """Every file of the package in ``folder`` by SHA-256, as its manifest lists them
    (with each year's own files and manifest, for a package over several years).

    What ``--force`` compares the folder with. Also reads a manifest written before
    manifests had a schema (its ``files`` only). Raises :class:`InputError`.
    """
    path = folder / MANIFEST_FILE
    _, document = _load(folder)
    if "schema_version" not in document:  # before the schema: generator and files only
        generator = document.get("generator")
        if not (isinstance(generator, str) and generator.startswith("costshare ")):
            _refuse_problem(path, ("generator", lazy("is not costshare")))
        files = document.get("files")
        _refuse_problem(path, check_value(files, {"type": "array"}, "files"))
        assert isinstance(files, list)
        for index, entry in enumerate(files):
            where = f"files[{index}]"
            _refuse_problem(path, check_value(entry, {"type": "object"}, where))
            _refuse_problem(path, check_value(entry.get("path"), SCHEMA["$defs"]["path"], where))
            _refuse_problem(
                path, check_value(entry.get("sha256"), SCHEMA["$defs"]["sha256"], where)
            )
        return {entry["path"]: entry["sha256"] for entry in files}
    manifest = read_manifest(folder)
    listed = {entry.path: entry.sha256 for entry in manifest.files}
    for year in document.get("years", []):
        name = year["folder"]
        listed[f"{name}/{MANIFEST_FILE}"] = year["manifest_sha256"]
        listed |= {f"{name}/{sub}": sha for sub, sha in listing(folder / name).items()}
    return listed


def _load(folder: Path) -> tuple[bytes, dict[str, Any]]:
    path = folder / MANIFEST_FILE
    if not folder.is_dir():
        raise InputError(
            lazy("{folder}: no such folder; give the folder of the earlier package", folder=folder)
        )
    if not path.exists():
        raise InputError(
            lazy(
                "{path}: is missing, so {folder} is not a costshare package; give the folder `costshare run` wrote",
                path=path,
                folder=folder,
            )
        )
    raw = read_regular_file(path, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=no_repeated_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
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
    return raw, document


def _refuse_problem(path: Path, found: tuple[str, Any] | None) -> None:
    if found is None:
        return
    where, what = found
    raise InputError(
        lazy(
            "{path}: {where} {problem}; the manifest is damaged",
            path=path,
            where=where or "the document",
            problem=what,
        )
    )
