"""Checking a JSON document against a JSON Schema written as Python data, with the subset
of JSON Schema costshare's own formats use.

Two formats are published as JSON Schemas (draft 2020-12): a package's ``manifest.json``
(:mod:`costshare.package.manifest_schema`) and the data a PDF carries
(:mod:`costshare.check.received.embedded_schema`). Both are read from files a person may
have edited, so the reader trusts no field's type: a :class:`Format` checks a document
against its schema (:meth:`Format.problem`: types, properties, required and closed keys, items, enum, const,
pattern, minimum, maxLength, ``maxItems``, nullable ``anyOf`` and ``$ref`` into the
schema's ``$defs``) and returns the first problem as ``(where, what)``, e.g.
``("files[3].amount", "must match …")``. Every string anywhere must also pass the text
rules of any input (:func:`costshare.base.text.forbidden_named`): no control character,
bidirectional control or non-character.

>>> form = Format({"type": "object", "properties": {"n": {"type": "integer"}},
...                "required": ["n"], "additionalProperties": False}, "is not a key")
>>> where, what = form.problem({"n": "1"}); where, str(what)
('n', 'must be of JSON type integer')
>>> where, what = form.problem({"n": 1, "m": 2}); where, str(what)
('m', 'is not a key')
>>> form.problem({"n": 1}) is None
True
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from costshare.base.i18n import Text, lazy
from costshare.base.text import FORBIDDEN_CLASS, forbidden_named

Problem = tuple[str, Text]

# --- building a schema ------------------------------------------------------------------
TEXT_PATTERN = "^[^" + FORBIDDEN_CLASS[1:-1] + "]*$"
SHARED_DEFS: dict[str, Any] = {
    "text": {"type": "string", "maxLength": 10_000, "pattern": TEXT_PATTERN},
    "amount": {"type": "string", "pattern": "^-?[0-9]{1,40}(\\.[0-9]{2})?$"},
    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
}
"""What both published formats write the same way: a text (the text rules of any input),
an amount (a plain decimal: ``20415``, ``-51000.50``), a SHA-256 and a date."""
GENERATOR = {"type": "string", "pattern": "^costshare [^\\s]+$"}


def ref(name: str) -> dict[str, str]:
    """A reference to ``$defs/name``."""
    return {"$ref": f"#/$defs/{name}"}


def closed_object(
    required: dict[str, Any], optional: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A closed object: these keys, the required ones present, no other key."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def array(item: Any) -> dict[str, Any]:
    """A list of ``item``."""
    return {"type": "array", "items": item}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


# --- checking a document ----------------------------------------------------------------

_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
    "null": type(None),
}


@dataclass(frozen=True)
class Format:
    """A published format: its schema, and how a key it does not know is refused."""

    schema: dict[str, Any]
    unknown_key: str
    """The message (a marked message id) for a key the format does not have."""

    def problem(
        self, value: Any, schema: dict[str, Any] | None = None, where: str = ""
    ) -> Problem | None:
        """The first place where ``value`` breaks ``schema`` (default: the whole
        format; else a part of it, whose ``$ref`` name the format's ``$defs``), or None."""
        return _problem(value, self.schema if schema is None else schema, self, where)


def _problem(value: Any, schema: dict[str, Any], form: Format, where: str) -> Problem | None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return _problem(value, form.schema["$defs"][name], form, where)
    if "anyOf" in schema:
        if value is None:
            return None
        return _problem(value, schema["anyOf"][0], form, where)
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
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return where, lazy("has more than {limit} items", limit=schema["maxItems"])
        for index, item in enumerate(value):
            found_problem = _problem(item, schema.get("items", {}), form, f"{where}[{index}]")
            if found_problem is not None:
                return found_problem
    if isinstance(value, dict):
        return _object_problem(value, schema, form, where)
    return None


def _object_problem(
    value: dict[str, Any], schema: dict[str, Any], form: Format, where: str
) -> Problem | None:
    prefix = f"{where}." if where else ""
    for key in schema.get("required", []):
        if key not in value:
            return f"{prefix}{key}", lazy("is missing")
    properties = schema.get("properties", {})
    others = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            found = _problem(item, properties[key], form, f"{prefix}{key}")
        elif others is False:
            found = f"{prefix}{key}", lazy(form.unknown_key)
        else:
            name_rule = schema.get("propertyNames", {})
            found = _problem(key, name_rule, form, f"{prefix}{key}") or (
                _problem(item, others, form, f"{prefix}{key}") if isinstance(others, dict) else None
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


def no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object for :func:`json.loads`' ``object_pairs_hook``; a key given twice
    (which one would count?) is an error."""
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key given twice")
    return dict(pairs)
