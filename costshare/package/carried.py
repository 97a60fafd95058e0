"""The package carries its programme (issue #20, item 4).

Every package (``run`` of one year, each year of a multi-year ``run``, ``settle``) holds,
in its folder ``programfil/``, the programme file exactly as given and each file of the
user's that the run read: the population or key file, the payer register, the index
table (named by the programme or by ``--population`` / ``--index``). The manifest lists
each with its own kind (``programme``, ``population``, ``register``, ``index``), the key
or option that named it (``named_by``) and the name as given (``given``). So what a
package charges can be re-derived from the package alone
(:mod:`costshare.package.earlier_package`).

A file over :data:`~costshare.base.limits.MAX_CARRIED_BYTES` (10 MB) does not travel: the
manifest lists it under ``not_included`` with its SHA-256 and size, and a re-derivation
looks for the same file (by SHA-256) beside the programme it is given.

A copy keeps its file name (so a programme and the files beside it can be run again from
``programfil/`` as they are) unless no file system would take it (``a:b.csv``, ``CON.csv``):
then it gets an ASCII one (``a-b.csv``), and ``given`` says what it was. Two copies of the
same name are told apart by their kind (``register-x.csv``). The bytes copied are checked against the SHA-256 recorded when
the file was read, so a file changed during the run is an error, not a wrong copy.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.limits import (
    INDEX_FILE,
    MAX_CARRIED_BYTES,
    MAX_PROGRAMME_BYTES,
    MAX_TABLE_BYTES,
    POPULATION_FILE,
    PROGRAMME_FILE,
    REGISTER_FILE,
    read_regular_file,
)
from costshare.base.text import forbidden_character
from costshare.package.staging import Stage
from costshare.programme.naming import PROGRAMME_FOLDER, SEGMENT, slug
from costshare.programme.provenance import Provenance, SourceFile

_WHAT = {
    "programme": PROGRAMME_FILE,
    "population": POPULATION_FILE,
    "register": REGISTER_FILE,
    "index": INDEX_FILE,
}
_PLAIN_NAME = re.compile(SEGMENT + r"\Z")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
"""Names Windows keeps for devices, whatever the extension."""


@dataclass(frozen=True)
class Carried:
    """A file a package carries: its source, SHA-256, size and bytes (None: too big)."""

    source: SourceFile
    sha256: str
    size: int
    data: bytes | None

    def described(self) -> dict[str, Any]:
        """How the manifest names it: the key or option, and the name as given."""
        named = {"named_by": self.source.named_by} if self.source.named_by else {}
        return {**named, "given": self.source.given}


def carried_files(provenance: Provenance) -> tuple[Carried, ...]:
    """The files a package of this run carries, read now and checked against what was read.

    Raises :class:`InputError` naming a file that cannot be read or has changed since.
    """
    found = []
    for source in provenance.sources:
        limit = MAX_PROGRAMME_BYTES if source.kind == "programme" else MAX_TABLE_BYTES
        data = read_regular_file(source.path, _WHAT[source.kind], limit)
        digest = hashlib.sha256(data).hexdigest()
        if source.sha256 and digest != source.sha256:
            raise InputError(
                lazy(
                    "changed while costshare was running (it is not the file that was read); "
                    "run again"
                ),
                source=str(source.path),
            )
        # The programme always travels (it is at most MAX_PROGRAMME_BYTES): without it
        # nothing could be re-derived.
        travels = source.kind == "programme" or len(data) <= MAX_CARRIED_BYTES
        found.append(Carried(source, digest, len(data), data if travels else None))
    return tuple(found)


def write_carried(
    stage: Stage, carried: tuple[Carried, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Hand the carried files to ``stage``: their manifest entries, and the entries of
    those too big to travel (``not_included``)."""
    entries: list[dict[str, Any]] = []
    left_out: list[dict[str, Any]] = []
    taken: set[str] = set()
    for item in carried:
        kind = item.source.kind
        if item.data is None:
            left_out.append(
                {"kind": kind, **item.described(), "sha256": item.sha256, "bytes": item.size}
            )
            continue
        path = f"{PROGRAMME_FOLDER}/{_package_name(item.source, taken)}"
        sha256 = stage.add(path, item.data)
        entries.append({"path": path, "kind": kind, "sha256": sha256, **item.described()})
    return entries, left_out


def plain_name(name: str) -> bool:
    """Whether every file system takes ``name`` as it is (no separator, no character
    Windows refuses, not a device name such as ``CON.csv``, no control character)."""
    return (
        _PLAIN_NAME.match(name) is not None
        and _RESERVED.fullmatch(name) is None
        and forbidden_character(name) is None
    )


def _package_name(source: SourceFile, taken: set[str]) -> str:
    """The copy's name in ``programfil/``: its own where plain, unique among the copies."""
    return copy_name(source.kind, source.given, taken, source.path.name)


def copy_name(kind: str, given: str, taken: set[str], fallback: str = "") -> str:
    """The name of the copy of a ``kind`` file named ``given``, among the copies whose
    names (casefolded) are ``taken``: its own where every file system takes it, else an
    ASCII one; prefixed by its kind where that is taken or still a device name. Adds the
    name to ``taken``."""
    name = PurePosixPath(given.replace("\\", "/")).name or fallback or kind
    if not plain_name(name):
        stem, dot, suffix = name.rpartition(".")
        extension = re.sub("[^a-z0-9]", "", suffix.lower())[:10] if dot else ""
        name = slug(stem if dot else name) + (f".{extension}" if extension else "")
    extension = PurePosixPath(name).suffix
    numbered = ((f"{kind}-{n}-{name}", f"{kind}-{n}{extension}") for n in itertools.count(2))
    candidates = itertools.chain([name, f"{kind}-{name}"], itertools.chain.from_iterable(numbered))
    # A slug may still be a device name ("CON.csv" → "con.csv") and a prefix may make a name
    # too long: such a candidate is passed over; "<kind>-<n><extension>" always fits.
    chosen = next(c for c in candidates if c.casefold() not in taken and plain_name(c))
    taken.add(chosen.casefold())
    return chosen
