"""The schema of ``costshare.json``, the data every letter, settlement letter, annex and
review PDF carries (issue #20, item 1).

A PDF costshare writes has one attachment, :data:`FILE_NAME` (relationship ``Data``, type
``application/json``, as Factur-X attaches an invoice's XML): the programme as decided
(the programme file's text, or its bytes in base64, with its SHA-256), the basis with its
checksum (a packaged quarter and the SHA-256 of the packaged data, or a user's file by its
SHA-256, and the file itself where it is small enough to travel), the payer's code, amount
and reference (every payer's in the annex), the kind of document and the costshare
version. So ``costshare verify`` can re-derive a received amount from the document alone.

:data:`SCHEMA` is the one statement of the format: a JSON Schema (draft 2020-12) written as
Python data, checked by :class:`~costshare.base.json_schema.Format` when a PDF's data is
read, and published as ``docs/reference/embedded-data.schema.json``
(``python -m costshare.check.received.embedded_schema > docs/reference/embedded-data.schema.json``;
a test keeps the two equal and validates every embedded file the tests write against it).

>>> EMBEDDED.problem({"format": "costshare-embedded-data"})[0]
'format_version'
"""

from __future__ import annotations

import json
from typing import Any

from costshare.base.i18n import mark
from costshare.base.json_schema import (
    GENERATOR,
    SHARED_DEFS,
    Format,
    array,
    closed_object,
    nullable,
    ref,
)
from costshare.base.limits import MAX_EMBEDDED_FILE_BYTES
from costshare.programme.provenance import SOURCE_KINDS

FILE_NAME = "costshare.json"
"""The attachment's name in every PDF costshare writes."""
MIME_TYPE = "application/json"
FORMAT = "costshare-embedded-data"
FORMAT_VERSION = 1
LETTER, SETTLEMENT_LETTER, ANNEX, REVIEW = "letter", "settlement-letter", "annex", "review"
SETTLEMENT_REVIEW = "settlement-review"
DOCUMENTS = (LETTER, SETTLEMENT_LETTER, ANNEX, REVIEW, SETTLEMENT_REVIEW)
FOR_EVERYONE = (ANNEX, REVIEW, SETTLEMENT_REVIEW)
"""Documents for every payer: they carry every payer's claim, not one."""
SETTLEMENTS = (SETTLEMENT_LETTER, SETTLEMENT_REVIEW)
"""Documents of a settlement: they carry the charge's run too (``charged_run``)."""
FINGERPRINT_DIGITS = 8

_TEXT, _AMOUNT, _SHA = ref("text"), ref("amount"), ref("sha256")
_COUNT = {"type": "integer", "minimum": 0}
# A file's content: base64 is 4/3 of the bytes; text at most the bytes.
_CONTENT = {"type": "string", "maxLength": MAX_EMBEDDED_FILE_BYTES * 4 // 3 + 4}

_FILE = closed_object(
    {
        "kind": {"enum": list(SOURCE_KINDS)},
        "named_by": _TEXT,
        "given": _TEXT,
        "sha256": _SHA,
        "bytes": _COUNT,
    },
    {"text": _CONTENT, "base64": {**_CONTENT, "pattern": "^[A-Za-z0-9+/]*={0,2}$"}},
)
_RUN = closed_object(
    {
        "programme_file": _TEXT,
        "year": {"type": "integer", "minimum": 1900},
        "options": closed_object({"amount": nullable(_AMOUNT), "population": nullable(_TEXT)}),
        "inputs": array(closed_object({"what": _TEXT, "sha256": _SHA})),
        "basis": closed_object(
            {"kind": {"enum": ["packaged", "file"]}, "name": _TEXT, "sha256": _SHA}
        ),
        "files": {**array(ref("file")), "maxItems": 8},
    }
)
_PAYER = closed_object(
    {"code": _TEXT, "name": _TEXT, "amount": _AMOUNT, "reference": _TEXT},
    {"addressed": _TEXT, "charged": _AMOUNT, "final": _AMOUNT},
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://costshare.invalid/embedded-data.schema.json",
    "title": "costshare's data in a letter, settlement letter, annex or review PDF (costshare.json)",
    "description": "What a PDF written by costshare was computed from and what it charges, "
    "so that the amount can be re-derived from the PDF alone. See "
    "docs/reference/embedded-data.md.",
    **closed_object(
        {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "generator": GENERATOR,
            "document": {"enum": list(DOCUMENTS)},
            "programme": closed_object(
                {
                    "title": _TEXT,
                    "short_title": _TEXT,
                    "case_number": _TEXT,
                    "letter_date": ref("date"),
                }
            ),
            "total": _AMOUNT,
            "run": ref("run"),
            "fingerprint": {"type": "string", "pattern": f"^[0-9a-f]{{{FINGERPRINT_DIGITS}}}$"},
        },
        {"payer": _PAYER, "payers": array(_PAYER), "charged_run": ref("run")},
    ),
    "$defs": {**SHARED_DEFS, "file": _FILE, "run": _RUN},
}

EMBEDDED = Format(SCHEMA, mark("is not a key of costshare's embedded data"))


def schema_text() -> str:
    """:data:`SCHEMA` as ``docs/reference/embedded-data.schema.json`` holds it."""
    return json.dumps(SCHEMA, ensure_ascii=True, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
