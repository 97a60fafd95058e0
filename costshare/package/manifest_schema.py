"""The schema of ``manifest.json``, and the check that a document follows it.

:data:`SCHEMA` is a JSON Schema (draft 2020-12) written as Python data: the one statement
of what a manifest holds. ``docs/reference/manifest.schema.json`` is this dictionary
written out (``python -m costshare.package.manifest_schema > docs/reference/manifest.schema.json``;
a test keeps the two equal), and the tests validate every manifest they write against
that file with the ``jsonschema`` library.

:func:`problem` checks a document against the schema (the ``oneOf`` chosen by the
``package`` field, then :class:`costshare.base.json_schema.Format`'s subset of JSON
Schema), and returns the first problem as ``(where, what)``, e.g. ``("files[3].amount",
"must match …")``. Every string anywhere in a manifest must also pass the text rules of
any input: no control character, bidirectional control or non-character. So the reader
trusts no field's type.

>>> problem({"schema_version": 1, "package": "charge"})[0]
'generator'
"""

from __future__ import annotations

import json
from typing import Any

from costshare.base.i18n import Text, lazy, mark
from costshare.base.json_schema import (
    GENERATOR,
    SHARED_DEFS,
    Format,
    array,
    closed_object,
    nullable,
    ref,
)
from costshare.programme.naming import PATH_PATTERN, SEGMENT
from costshare.programme.provenance import SOURCE_KINDS

SCHEMA_VERSION = 1
"""The version this costshare writes and reads. A manifest without one was written before
manifests had a schema (only its file list is read, for ``--force``)."""

CHARGE, YEARS, SETTLEMENT = "charge", "years", "settlement"
PACKAGES = (CHARGE, YEARS, SETTLEMENT)

# Kinds of file in a package: documents, and the inputs the package carries.
CARRIED_KINDS = SOURCE_KINDS
FILE_KINDS = (
    "overview",
    "workbook",
    "letter",
    "annex",
    "review",
    "einvoice",
    "settlement-letter",
    "settlement-review",
    "overview-years",
    *CARRIED_KINDS,
)

_ref, _object, _list, _nullable = ref, closed_object, array, nullable
_TEXT, _AMOUNT, _SHA, _DATE = _ref("text"), _ref("amount"), _ref("sha256"), _ref("date")
_PROGRAMME_INFO = {"file": _TEXT, "title": _TEXT, "case_number": _TEXT}
_COMMON = {
    "schema_version": {"const": SCHEMA_VERSION},
    "generator": GENERATOR,
}
_CARRIED = {
    "inputs": _list(_object({"what": _TEXT, "sha256": _SHA})),
    "what_if": _list(_TEXT),
    "not_included": _list(_ref("not_included")),
    "files": _list(_ref("file")),
}
_PROGRAMME_RUN = _object(
    {**_PROGRAMME_INFO, "letter_date": _DATE, "year": {"type": "integer", "minimum": 1900}}
)

_DRAFT = {"draft": {"const": True}}
"""A what-if run's package is a draft (issue #22); a decided run's has no such key."""
_CHARGE = _object(
    {
        **_COMMON,
        "package": {"const": CHARGE},
        "programme": _PROGRAMME_RUN,
        "options": _object({"amount": _nullable(_AMOUNT), "population": _nullable(_TEXT)}),
        **_CARRIED,
        "population": _object(
            {"basis": _TEXT, "source": _TEXT, "date": _nullable(_DATE)},
            {"published": _TEXT, "published_exact": {"type": "boolean"}},
        ),
        "method": _TEXT,
        "unit": _AMOUNT,
        "totals": _object(
            {
                "total": _AMOUNT,
                "parties": {
                    "type": "object",
                    "propertyNames": _TEXT,
                    "additionalProperties": _AMOUNT,
                },
                "municipalities": _AMOUNT,
                "payers": {"type": "integer", "minimum": 0},
            }
        ),
    },
    _DRAFT,
)
_INDEXING = _object(
    {
        "base_amount": _AMOUNT,
        "price_level": {"type": "integer"},
        "base_index": _TEXT,
        "year_index": _TEXT,
        "amount": _AMOUNT,
    }
)
_YEARS = _object(
    {
        **_COMMON,
        "package": {"const": YEARS},
        "programme": _object(_PROGRAMME_INFO),
        "index": _nullable(_object({"source": _TEXT, "version": _TEXT, "file": _TEXT})),
        "what_if": _list(_TEXT),
        "years": _list(
            _object(
                {
                    "year": {"type": "integer", "minimum": 1900},
                    "folder": {"type": "string", "pattern": f"^{SEGMENT}$"},
                    "total": _AMOUNT,
                    "manifest_sha256": _SHA,
                },
                {"indexing": _INDEXING},
            )
        ),
        "files": _list(_ref("file")),
    },
    _DRAFT,
)
_SETTLED_PAYER = {
    "code": _TEXT,
    "name": _TEXT,
    "charged": _AMOUNT,
    "final": _AMOUNT,
    "amount": _AMOUNT,
    "reference": _TEXT,
}
_SETTLEMENT = _object(
    {
        **_COMMON,
        "package": {"const": SETTLEMENT},
        "programme": _PROGRAMME_RUN,
        "settlement": _object(
            {
                "charged_package": _object(
                    {
                        "programme_file": _TEXT,
                        "letter_date": _DATE,
                        "population_basis": _TEXT,
                        "manifest_sha256": _SHA,
                    }
                ),
                "final": _object({"population_basis": _TEXT}),
                "only_charged": _list(_TEXT),
                "only_final": _list(_TEXT),
            }
        ),
        **_CARRIED,
        "unit": _AMOUNT,
        "totals": _object({"charged": _AMOUNT, "final": _AMOUNT, "amount": _AMOUNT}),
        "payers": _list(_object(_SETTLED_PAYER)),
    }
)

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://costshare.invalid/manifest.schema.json",
    "title": "costshare package manifest (manifest.json)",
    "description": "What a costshare package holds: every file with its SHA-256, the "
    "programme and inputs it was computed from, and the amounts. See "
    "docs/reference/annex-package.md.",
    "oneOf": [_ref(CHARGE), _ref(YEARS), _ref(SETTLEMENT)],
    "$defs": {
        CHARGE: _CHARGE,
        YEARS: _YEARS,
        SETTLEMENT: _SETTLEMENT,
        **SHARED_DEFS,
        "path": {"type": "string", "pattern": PATH_PATTERN},
        "file": _object(
            {"path": _ref("path"), "kind": {"enum": list(FILE_KINDS)}, "sha256": _SHA},
            {
                "code": _TEXT,
                "name": _TEXT,
                "amount": _AMOUNT,
                "charged": _AMOUNT,
                "final": _AMOUNT,
                "reference": _TEXT,
                "format": {"enum": ["oioubl", "peppol"]},
                "document": {"enum": ["invoice", "credit note"]},
                "named_by": _TEXT,
                "given": _TEXT,
            },
        ),
        "not_included": _object(
            {
                "kind": {"enum": list(CARRIED_KINDS)},
                "named_by": _TEXT,
                "given": _TEXT,
                "sha256": _SHA,
                "bytes": {"type": "integer", "minimum": 0},
            }
        ),
    },
}

MANIFEST = Format(SCHEMA, mark("is not a key of a costshare manifest"))


def problem(document: Any) -> tuple[str, Text] | None:
    """The first place where ``document`` breaks :data:`SCHEMA`, or None."""
    if not isinstance(document, dict):
        return "", lazy("is not a JSON object")
    branch = document.get("package")
    if branch not in PACKAGES:
        return "package", lazy("must be one of {kinds}", kinds=", ".join(PACKAGES))
    return MANIFEST.problem(document, SCHEMA["$defs"][branch])


def check_value(value: Any, schema: dict[str, Any], where: str) -> tuple[str, Text] | None:
    """The first problem of ``value`` against ``schema`` (a part of :data:`SCHEMA`)."""
    return MANIFEST.problem(value, schema, where)


def schema_text() -> str:
    """:data:`SCHEMA` as ``docs/reference/manifest.schema.json`` holds it."""
    return json.dumps(SCHEMA, ensure_ascii=True, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
