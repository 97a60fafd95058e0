"""Reading ``costshare.json``, the data a PDF carries (:mod:`.embedded_schema`), and the
fingerprint of a run's programme and basis.

:func:`read_embedded` parses the attachment's bytes (UTF-8 JSON, no key given twice),
checks every field against the schema and returns an :class:`Embedded`: what the PDF
says it is and charges, and the :class:`Run` it was computed from, with the files that
travelled inside it. Nothing in it is believed: ``verify`` re-derives the amounts from
the run and compares them with what the document claims and shows.

>>> fingerprint(("a" * 64, "b" * 64))
'913f9338'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.json_schema import no_repeated_keys
from costshare.base.money import plain_ore
from costshare.base.text import forbidden_named
from costshare.check.received.embedded_schema import (
    EMBEDDED,
    FILE_NAME,
    FINGERPRINT_DIGITS,
    FOR_EVERYONE,
    SETTLEMENTS,
)


def fingerprint(digests: tuple[str, ...] | list[str]) -> str:
    """The short fingerprint of a run's inputs: the first 8 hex digits of the SHA-256 of
    their SHA-256s (programme, basis and any index table), one per line, in order."""
    joined = "".join(f"{digest}\n" for digest in digests)
    return hashlib.sha256(joined.encode("ascii")).hexdigest()[:FINGERPRINT_DIGITS]


@dataclass(frozen=True)
class CarriedFile:
    """A file a run was computed from, as a PDF carries it (``data`` None: too big to travel,
    its SHA-256 only)."""

    kind: str
    named_by: str
    given: str
    sha256: str
    size: int
    data: bytes | None


@dataclass(frozen=True)
class Run:
    """What a document was computed from: the programme and the files it names, the what-if
    options, the year, and the inputs with their SHA-256 (as the manifest records them)."""

    programme_file: str
    year: int
    amount: str | None
    population: str | None
    inputs: tuple[tuple[str, str], ...]
    basis_kind: str
    """``packaged`` (a packaged or fetched quarter) or ``file``."""
    basis_name: str
    basis_sha256: str
    files: tuple[CarriedFile, ...]
    identity: str
    """The SHA-256 of the run as written: two documents of one run share it."""

    @property
    def fingerprint(self) -> str:
        return fingerprint(tuple(digest for _, digest in self.inputs))


@dataclass(frozen=True)
class Claim:
    """What a document says one payer pays (a settlement letter: the difference, with the
    charged and final amounts)."""

    code: str
    name: str
    amount_ore: int
    reference: str
    charged_ore: int | None = None
    final_ore: int | None = None


@dataclass(frozen=True)
class Embedded:
    """A PDF's data: what it is, what it claims, and the run it was computed from."""

    document: str
    generator: str
    title: str
    short_title: str
    case_number: str
    total_ore: int
    run: Run
    fingerprint: str
    payer: Claim | None = None
    payers: tuple[Claim, ...] = ()
    charged_run: Run | None = None


# --- writing ----------------------------------------------------------------------------
def run_entry(run: Run) -> dict[str, Any]:
    """A run as the format writes it (:func:`read_embedded` reads it back)."""
    return {
        "programme_file": run.programme_file,
        "year": run.year,
        "options": {"amount": run.amount, "population": run.population},
        "inputs": [{"what": what, "sha256": digest} for what, digest in run.inputs],
        "basis": {"kind": run.basis_kind, "name": run.basis_name, "sha256": run.basis_sha256},
        "files": [_file_entry(item) for item in run.files],
    }


def _file_entry(item: CarriedFile) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": item.kind,
        "named_by": item.named_by,
        "given": item.given,
        "sha256": item.sha256,
        "bytes": item.size,
    }
    if item.data is None:
        return entry
    try:
        text = item.data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    # Text where it reads as text (a person opening the attachment sees the programme);
    # base64 for anything else (a Windows-1252 CSV, a workbook).
    if text is not None and forbidden_named(text) is None:
        entry["text"] = text
    else:
        entry["base64"] = base64.b64encode(item.data).decode("ascii")
    return entry


def encode(document: dict[str, Any]) -> bytes:
    """The attachment's bytes: UTF-8 JSON, indented, keys in the order given.

    Raises ``ValueError`` for a document that breaks the schema (a bug, never user input:
    every text in it has passed the input rules already).
    """
    found = EMBEDDED.problem(document)
    if found is not None:
        raise ValueError(f"costshare built invalid embedded data: {found[0]}: {found[1]}")
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- reading ----------------------------------------------------------------------------
def read_embedded(raw: bytes, source: str) -> Embedded:
    """The data of a PDF's ``costshare.json``, every field checked.

    Raises :class:`InputError` naming the PDF and the field for data that is not JSON,
    breaks the schema, or whose files do not decode.
    """
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=no_repeated_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        problem = lazy("cannot be read ({name})", name=type(error).__name__)
        raise _damaged(source, problem) from None
    found = EMBEDDED.problem(document)
    if found is not None:
        where, what = found
        raise _damaged(source, lazy("{where} {problem}", where=where or "{}", problem=what))
    programme = document["programme"]
    payer = document.get("payer")
    charged = document.get("charged_run")
    if (payer is None) != (document["document"] in FOR_EVERYONE) or (
        (charged is None) != (document["document"] not in SETTLEMENTS)
    ):
        raise _damaged(source, lazy("does not hold what a {kind} holds", kind=document["document"]))
    return Embedded(
        document=document["document"],
        generator=document["generator"],
        title=programme["title"],
        short_title=programme["short_title"],
        case_number=programme["case_number"],
        total_ore=plain_ore(document["total"]),
        run=_run(document["run"], source),
        fingerprint=document["fingerprint"],
        payer=_claim(payer) if payer is not None else None,
        payers=tuple(_claim(entry) for entry in document.get("payers", [])),
        charged_run=_run(charged, source) if charged is not None else None,
    )


def _claim(entry: dict[str, Any]) -> Claim:
    def optional(key: str) -> int | None:
        return plain_ore(entry[key]) if key in entry else None

    return Claim(
        entry["code"],
        entry.get("addressed", entry["name"]),
        plain_ore(entry["amount"]),
        entry["reference"],
        optional("charged"),
        optional("final"),
    )


def _run(entry: dict[str, Any], source: str) -> Run:
    files = tuple(_file(item, source) for item in entry["files"])
    if [item.kind for item in files].count("programme") != 1:
        raise _damaged(source, lazy("run.files does not hold exactly one programme file"))
    options = entry["options"]
    basis = entry["basis"]
    identity = json.dumps(entry, sort_keys=True, ensure_ascii=True).encode("ascii")
    return Run(
        programme_file=entry["programme_file"],
        year=entry["year"],
        amount=options["amount"],
        population=options["population"],
        inputs=tuple((item["what"], item["sha256"]) for item in entry["inputs"]),
        basis_kind=basis["kind"],
        basis_name=basis["name"],
        basis_sha256=basis["sha256"],
        files=files,
        identity=hashlib.sha256(identity).hexdigest(),
    )


def _file(item: dict[str, Any], source: str) -> CarriedFile:
    data: bytes | None = None
    if "text" in item:
        data = item["text"].encode("utf-8")
    elif "base64" in item:
        try:
            data = base64.b64decode(item["base64"], validate=True)
        except (binascii.Error, ValueError):
            raise _damaged(
                source, lazy("the base64 of {name} does not decode", name=repr(item["given"]))
            ) from None
    return CarriedFile(
        item["kind"], item["named_by"], item["given"], item["sha256"], item["bytes"], data
    )


def _damaged(source: str, problem: Any) -> InputError:
    return InputError(
        lazy(
            "its {name} {problem}; the PDF's data is damaged",
            name=FILE_NAME,
            problem=problem,
        ),
        source=source,
    )
