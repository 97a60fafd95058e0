"""What a received file is, by its first bytes, not its name: a PDF, a workbook, an XML
document, a zip of a package, or a table of amounts (CSV).

The name can lie (a letter saved as ``.xlsx``, a workbook mailed as ``.zip``); the first
bytes do not: ``%PDF-``, a zip (a workbook is a zip holding ``xl/workbook.xml``), ``<``
(XML, after a byte-order mark or white space). A ``.csv`` (or ``.txt``) text is an annex
made by hand, which carries no programme: ``verify PROGRAMME ANNEX`` checks it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.limits import MAX_ZIP_BYTES, RECEIVED, regular_file

PDF, WORKBOOK, XML, ZIP, CSV = "pdf", "workbook", "xml", "zip", "csv"
_HEAD = 4096


def sniff(path: Path, source: str) -> str:
    """:data:`PDF`, :data:`WORKBOOK`, :data:`XML`, :data:`ZIP` or :data:`CSV`.

    Raises :class:`InputError` for a file that is missing, not a regular file, or none of
    these (saying what was expected).
    """
    regular_file(path, RECEIVED, MAX_ZIP_BYTES)
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as error:
        raise InputError(
            lazy("cannot be read ({reason}); check the path", reason=error.strerror or "?"),
            source=source,
        ) from None
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK"):
        return WORKBOOK if _is_workbook(path) else ZIP
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return XML
    if path.suffix.casefold() in (".csv", ".txt") and b"\x00" not in head:
        return CSV
    raise not_a_document(source)


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist()[:10_000])
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
    return "xl/workbook.xml" in names


def not_a_document(source: str) -> InputError:
    """The error for a file that is none of the documents a payer receives."""
    return InputError(
        lazy(
            "is not a document costshare wrote: a letter, settlement letter or annex (PDF), "
            "a workbook (.xlsx), an e-invoice (XML), a package folder or a zip of one was "
            "expected"
        ),
        source=source,
    )
