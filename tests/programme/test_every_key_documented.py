"""Every key a programme file may hold is documented, with the type the reader takes
(issue #22, item 2).

The keys are those of the schema the reader checks a file against
(``costshare.programme.schema._SCHEMA``); the documentation is the table "Every key" of
docs/reference/programme-files.md, one row per key. A key added to the schema without a
row, a row for a key that does not exist, or a type that differs fails here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from paths import ROOT

from costshare.programme.schema import _REQUIRED, _SCHEMA

PAGE = ROOT / "docs" / "reference" / "programme-files.md"
# How the page names each type the schema allows.
_TYPE_WORDS = {str: "text", int: "whole number", bool: "true/false", date: "date", dict: "table"}


def _kind(schema: Any) -> str:
    """``(str, int)`` → ``text or whole number``; ``[str]`` → ``list of texts``."""
    if isinstance(schema, list):
        return "list of " + " or ".join(
            _TYPE_WORDS[t] + "s"
            for t in (schema[0] if isinstance(schema[0], tuple) else (schema[0],))
        )
    kinds = schema if isinstance(schema, tuple) else (schema,)
    return " or ".join(_TYPE_WORDS[t] for t in kinds)


def schema_keys(schema: dict[str, Any] = _SCHEMA, prefix: str = "") -> dict[str, str]:
    """Every key a value stands at, with its type: tables and lists of tables are walked
    (``parties[].name``), a free table (``dict``) is a key of its own."""
    keys: dict[str, str] = {}
    for name, value in schema.items():
        if isinstance(value, dict):
            keys |= schema_keys(value, f"{prefix}{name}.")
        elif isinstance(value, list) and isinstance(value[0], dict):
            keys |= schema_keys(value[0], f"{prefix}{name}[].")
        else:
            keys[prefix + name] = _kind(value)
    return keys


def documented_keys() -> dict[str, tuple[str, str]]:
    """The rows of the page's "Every key" section: key → (type, meaning)."""
    section = PAGE.read_text(encoding="utf-8").split("\n## Every key\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        match = re.match(r"^\| `(?P<key>[^`]+)` \| (?P<kind>[^|]+) \| (?P<meaning>.+) \|$", line)
        if match:
            assert match["key"] not in rows, f"{match['key']} has two rows"
            rows[match["key"]] = (match["kind"].strip(), match["meaning"])
    return rows


def test_every_key_of_the_schema_has_a_row_with_its_type() -> None:
    documented = documented_keys()
    missing = sorted(set(schema_keys()) - set(documented))
    unknown = sorted(set(documented) - set(schema_keys()))
    assert not missing, f"keys without a row in {PAGE.name}: {missing}"
    assert not unknown, f"rows in {PAGE.name} for keys the reader refuses: {unknown}"
    for key, kind in schema_keys().items():
        assert documented[key][0] == kind, f"{key}: the page says {documented[key][0]!r}"


def test_the_required_keys_are_marked_required() -> None:
    documented = documented_keys()
    for key in _REQUIRED:
        if key in documented:
            assert "**Required" in documented[key][1], key
    required = {key for key, (_, meaning) in documented.items() if "**Required" in meaning}
    assert required <= {
        *_REQUIRED, "decision.body", "decision.date", "municipalities.population",
        "years[].year", "parties[].name", "parties[].weight",
    }  # fmt: skip


def test_the_walk_finds_the_keys_a_reader_knows() -> None:
    """The walk itself can fail: a nested, a listed and a free-table key are found."""
    keys = schema_keys()
    assert keys["decision.date"] == "date"
    assert keys["municipalities.parts[].classes.fees"] == "list of texts or whole numbers"
    assert keys["years[].payment.iban"] == "text"
    assert keys["indexing.index"] == "table"
    assert keys["municipalities.frozen_total"] == "text or table"
