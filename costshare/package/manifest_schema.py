"""The schema of ``manifest.json``, and the check that a document follows it.

:data:`SCHEMA` is a JSON Schema (draft 2020-12) written as Python data: the one statement
of what a manifest holds. ``docs/reference/manifest.schema.json`` is this dictionary
written out (``python -m costshare.package.manifest_schema > docs/reference/manifest.schema.json``;
a test keeps the two equal), and the tests validate every manifest they write against
that file with the ``jsonschema`` library.

:func:`problem` checks a document against the schema with the subset of JSON Schema it
uses (types, properties, required and closed keys, items, enum, const, pattern, minimum,
``$ref`` and a ``oneOf`` chosen by the ``package`` field), and returns the first problem
as ``(where, what)``, e.g. ``("files[3].amount", "must match …")``. Every string anywhere
in a manifest must also pass the text rules of any input
(:func:`costshare.base.text.forbidden_named`): no control character, bidirectional
control or non-character. So the reader trusts no field's type.

>>> problem({"schema_version": 1, "package": "charge"})[0]
'generator'
"""

from __future__ import annotations

import json
import re
from typing import Any

from costshare.base.i18n import Text, lazy
from costshare.base.text import FORBIDDEN_CLASS, forbidden_named

SCHEMA_VERSION = 1
"""The version this costshare writes and reads. A manifest without one was written before
manifests had a schema (only its file list is read, for ``--force``)."""

CHARGE, YEARS, SETTLEMENT = "charge", "years", "settlement"
PACKAGES = (CHARGE, YEARS, SETTLEMENT)

# Kinds of file in a package: documents, and the inputs the package carries.
CARRIED_KINDS = ("programme", "population", "register", "index")
FILE_KINDS = (
    "overview",
    "workbook",
    "letter",
    "annex",
    "review",
    "einvoice",
    "settlement-letter",
    "overview-years",
    *CARRIED_KINDS,
)

_TEXT_PATTERN = "^[^" + FORBIDDEN_CLASS[1:-1] + "]*$"
_NOT_IN_NAME = r'\x00-\x1f\x7f/\\:*?"<>|'
SEGMENT = f"[^{_NOT_IN_NAME}.]([^{_NOT_IN_NAME}]{{0,98}}[^{_NOT_IN_NAME}. ])?"
"""One name in a package path: what every file system takes (no separator, no character
Windows refuses, not hidden, no ``..``, no final dot or space), at most 100 characters."""
PATH_PATTERN = f"^{SEGMENT}(/{SEGMENT}){{0,3}}$"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """A closed object: these keys, the required ones present, no other key."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def _list(item: Any) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_TEXT, _AMOUNT, _SHA, _DATE = _ref("text"), _ref("amount"), _ref("sha256"), _ref("date")
_PROGRAMME_INFO = {"file": _TEXT, "title": _TEXT, "case_number": _TEXT}
_COMMON = {
    "schema_version": {"const": SCHEMA_VERSION},
    "generator": {"type": "string", "pattern": "^costshare [^\\s]+$"},
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
    }
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
    }
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
        "text": {"type": "string", "maxLength": 10_000, "pattern": _TEXT_PATTERN},
        "amount": {"type": "string", "pattern": "^-?[0-9]{1,40}(\\.[0-9]{2})?$"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
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

_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


def problem(document: Any) -> tuple[str, Text] | None:
    """The first place where ``document`` breaks :data:`SCHEMA`, or None."""
    if not isinstance(document, dict):
        return "", lazy("is not a JSON object")
    branch = document.get("package")
    if branch not in PACKAGES:
        return "package", lazy("must be one of {kinds}", kinds=", ".join(PACKAGES))
    return _check(document, SCHEMA["$defs"][branch], "")


def check_value(value: Any, schema: dict[str, Any], where: str) -> tuple[str, Text] | None:
    """The first problem of ``value`` against ``schema`` (a part of :data:`SCHEMA`)."""
    return _check(value, schema, where)


def _check(value: Any, schema: dict[str, Any], where: str) -> tuple[str, Text] | None:
    if "$ref" in schema:
        return _check(value, SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]], where)
    if "anyOf" in schema:
        if value is None:
            return None
        return _check(value, schema["anyOf"][0], where)
    if isinstance(value, str) and (found := forbidden_named(value)) is not None:
        return where, lazy("holds {character}", character=found)
    wanted = schema.get("type")
    if wanted is not None and not _is(value, wanted):
        return where, lazy("must be of JSON type {type}", type=wanted)
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        return where, lazy("must be {value}", value=json.dumps(schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        return where, lazy("must be one of {values}", values=", ".join(schema["enum"]))
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return where, lazy("is longer than {limit} characters", limit=schema["maxLength"])
    if "pattern" in schema and not _matches(schema["pattern"], value):
        return where, lazy("{value} is not of the right form", value=repr(value[:80]))
    if "minimum" in schema and value < schema["minimum"]:
        return where, lazy("must be at least {minimum}", minimum=schema["minimum"])
    if isinstance(value, list):
        for index, item in enumerate(value):
            found_problem = _check(item, schema.get("items", {}), f"{where}[{index}]")
            if found_problem is not None:
                return found_problem
    if isinstance(value, dict):
        return _check_object(value, schema, where)
    return None


def _check_object(
    value: dict[str, Any], schema: dict[str, Any], where: str
) -> tuple[str, Text] | None:
    prefix = f"{where}." if where else ""
    for key in schema.get("required", []):
        if key not in value:
            return f"{prefix}{key}", lazy("is missing")
    properties = schema.get("properties", {})
    others = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            found = _check(item, properties[key], f"{prefix}{key}")
        elif others is False:
            found = f"{prefix}{key}", lazy("is not a key of a costshare manifest")
        else:
            name_rule = schema.get("propertyNames", {})
            found = _check(key, name_rule, f"{prefix}{key}") or (
                _check(item, others, f"{prefix}{key}") if isinstance(others, dict) else None
            )
        if found is not None:
            return found
    return None


def _matches(pattern: str, value: str) -> bool:
    """Whether ``value`` matches, ``$`` meaning the very end (in Python it also matches
    before a final line break, which JSON Schema's regular expressions do not)."""
    return re.search(pattern.removesuffix("$") + r"\Z", value) is not None


def _is(value: Any, wanted: str) -> bool:
    if isinstance(value, bool) and wanted in ("integer", "number"):
        return False  # JSON true is not a number
    return isinstance(value, _TYPES[wanted])


def schema_text() -> str:
    """:data:`SCHEMA` as ``docs/reference/manifest.schema.json`` holds it."""
    return json.dumps(SCHEMA, ensure_ascii=True, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
