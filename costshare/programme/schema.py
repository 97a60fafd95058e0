"""Reading a programme file: bytes, TOML syntax, and the shape of the document.

:func:`read_document` turns a path into the parsed TOML table, or an :class:`InputError`
that a person can act on: TOML syntax errors with line and column in plain words (a date
that does not exist is called an invalid date), unknown keys with the nearest valid one,
values of the wrong type, empty text and control characters. What the values *mean*
(amounts, parties, keys) is checked by :mod:`costshare.programme.model`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from costshare.base.danish import parse_date
from costshare.base.errors import InputError, shown
from costshare.base.i18n import Grouped, Text, lazy, mark
from costshare.base.limits import (
    MAX_NUMBER_DIGITS,
    MAX_PROGRAMME_BYTES,
    MAX_TEXT_CHARS,
    MAX_TOML_DEPTH,
    regular_file,
)
from costshare.base.text import forbidden_character

# What [municipalities] and each of its [[municipalities.parts]] (issue #21) may say of the
# figures, the payers and the key.
_FIGURES_AND_KEY: dict[str, Any] = {
    "population": str,
    "column": str,
    "region": str,
    "include": [str],
    "exclude": [str],
    "key": str,
    "equal_part": (str, int),
    "factor": bool,
    "cap": (str, int),
    "above": {"from": (str, int), "rate": (str, int)},
    "discount": {"above": (str, int), "rate": (str, int)},
    "classes": {"bounds": [(str, int)], "weights": [(str, int)], "fees": [(str, int)]},
}
_SCHEMA: dict[str, Any] = {
    "title": str,
    "short_title": str,
    "case_number": str,
    "year": int,
    "amount": (str, int),
    "rate": str,
    "unit": (str, int),
    "method": str,
    "letter_date": date,
    "register": str,
    "annex": {"order": str},
    "decision": {"body": str, "date": date, "item": str},
    "parties": [
        {"name": str, "code": str, "weight": (str, int), "municipalities": bool, "address": str}
    ],
    "municipalities": {
        **_FIGURES_AND_KEY,
        "population_after_decision": bool,
        "fixed": (str, int),
        "frozen_total": (str, dict),
        "parts": [{"name": str, "weight": (str, int), **_FIGURES_AND_KEY}],
    },
    "sender": {
        "name": str,
        "organisation": str,
        "address": str,
        "email": str,
        "signature": str,
        "signatory": str,
        "signatory_title": str,
    },
    "payment": {
        "due": date,
        "how": str,
        "account": str,
        "reference": str,
        "reg_no": str,
        "account_no": str,
        "iban": str,
        "bic": str,
    },
    "invoicing": {
        "formats": [str],
        "seller_cvr": str,
        "seller_ean": str,
        "vat": str,
        "number": str,
    },
    "contact": {"name": str, "title": str, "email": str, "phone": str},
    # Programmes over several years (issue #14; costshare/programme/years.py). ``dict`` is a
    # table with free keys (the years of an index table), checked by programme/indexing.py.
    "price_level": int,
    "indexing": {"index": dict, "file": str, "source": str, "version": str},
    "years": [
        {
            "year": int,
            "amount": (str, int),
            "rate": str,
            "population": str,
            "letter_date": date,
            "payment": {
                "due": date,
                "how": str,
                "account": str,
                "reference": str,
                "reg_no": str,
                "account_no": str,
                "iban": str,
                "bic": str,
            },
        }
    ],
}
_REQUIRED = ["title", "case_number", "year", "amount", "decision", "municipalities", "sender"]
# A programme over several years gives its year (and may give its amount) in [[years]].
_GIVEN_BY_YEARS = ("year", "amount")


def read_document(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its TOML table, checked against the schema.

    Raises :class:`InputError` naming the file, and the line and column or the key.
    """
    raw = _read(path)
    try:
        text = raw.decode("utf-8-sig")  # Notepad may save UTF-8 with a BOM
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            lazy("not UTF-8 text; save the programme file as UTF-8"), source=str(path), row=line
        ) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_problem(path, text, error) from None
    except RecursionError:
        raise _too_deep(path) from None
    except ValueError:  # Python refuses to read an integer of over 4,300 digits
        raise InputError(
            lazy(
                "a number has more than {limit} digits, the limit for a number; correct it",
                limit=MAX_NUMBER_DIGITS,
            ),
            source=str(path),
        ) from None
    if _depth(document) > MAX_TOML_DEPTH:
        raise _too_deep(path)
    _check_shape(path, document, _SCHEMA, "")
    for key in _REQUIRED:
        if key == "amount" and _amount_follows(document):
            continue
        if key not in document and not (key in _GIVEN_BY_YEARS and "years" in document):
            raise InputError(
                lazy(
                    "key '{key}' is missing; add it (costshare guide programfil lists every key)",
                    key=key,
                ),
                source=str(path),
            )
    return raw, document


def _amount_follows(document: dict[str, Any]) -> bool:
    """Whether the total follows from a rate or from fees by size class (issue #21)."""
    classes = document.get("municipalities", {}).get("classes", {})
    return "rate" in document or (isinstance(classes, dict) and "fees" in classes)


# tomllib's messages end in "(at line 8, column 8)" or "(at end of document)".
_TOML_AT = re.compile(
    r"^(?P<what>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)
# A date-like value (after '=', '[' or ','), e.g. 2025-02-30 or 2025-13-01T10:00:00.
_DATE_VALUE = re.compile(
    r"[=\[,]\s*(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?)(?![\w.:-])"
)


# tomllib's wording for every slip it reports (by the start of its message), said for
# someone who has not read the TOML spec; tests/programme/test_toml_errors.py provokes each.
_PLAIN = {
    "Cannot overwrite a value": mark("a key is given twice"),
    "Cannot declare": mark("a [table] is declared twice"),
    "Cannot redefine namespace": mark("a [table] is declared twice"),
    "Cannot mutate immutable namespace": mark("a key is given twice"),
    "Duplicate inline table key": mark("a key is given twice"),
    "Illegal character '\\n'": mark("a text in quotes is not closed on its line"),
    "Illegal character": mark("a text holds a control character; remove it"),
    "Found invalid character": mark("a character TOML does not allow here"),
    "Invalid value": mark('invalid value (text goes in quotes, e.g. title = "...")'),
    "Invalid date or datetime": mark("an invalid date; write it as YYYY-MM-DD"),
    "Invalid statement": mark("the line is neither key = value nor a [table] heading"),
    "Invalid initial character for a key part": mark(
        "a key must be letters, digits, - and _ (or be in quotes)"
    ),
    # "C:\\Users" in double quotes: \\U starts an escape (a Windows path, typically).
    "Invalid hex value": mark(
        "a backslash in a text in double quotes starts an escape (\\u, \\U); write \\\\ "
        "or put the text in single quotes"
    ),
    "Escaped character is not a Unicode scalar value": mark(
        "a \\u escape in a text is not a character; write the character itself"
    ),
    "Expected '=' after a key": mark("a line should read key = value; the = is missing"),
    "Expected ']' at the end of a table declaration": mark("a [table] heading lacks its ]"),
    "Expected ']]' at the end of an array declaration": mark("a [[list]] heading lacks its ]]"),
    "Expected newline or end of document after a statement": mark(
        "something follows the value on the same line; put text in quotes"
    ),
    "Unclosed array": mark("a list [ ... ] lacks its ]"),
    "Unclosed inline table": mark("a table in braces lacks its closing brace"),
    "Unescaped '\\' in a string": mark(
        "a backslash in a text in double quotes; write \\\\ or put the text in single quotes"
    ),
    "Unterminated string": mark("a text in quotes is not closed"),
}
# An amount written as people write it, unquoted: amount = 1.050.000 or 525.000,50 kr.
_UNQUOTED_AMOUNT = re.compile(
    r"^\s*(?P<key>[A-Za-z_][\w.-]*)\s*=\s*(?P<value>-?[0-9][0-9 .]*(?:,[0-9]+)?(?:\s*kr\.?)?)\s*(?:#.*)?$"
)


def _syntax_problem(path: Path, text: str, error: tomllib.TOMLDecodeError) -> InputError:
    """tomllib's ``Invalid value (at line 8, column 8)`` as ``prog.toml:8:8: invalid TOML: …``.

    tomllib rejects a date that does not exist (``2025-02-30``) as a syntax error, and
    reports a month out of range (``2025-13-01``) as a stray character; both are said
    plainly, as an invalid date.
    """
    match = _TOML_AT.match(str(error))
    what = (match["what"] if match else str(error)).strip()
    what = next((plain for start, plain in _PLAIN.items() if what.startswith(start)), what)
    what = what[:1].lower() + what[1:]
    # A message of a later tomllib that is not in _PLAIN yet stays in tomllib's English.
    if not match or not match["line"]:
        return InputError(
            lazy(
                "invalid TOML at the end of the file: {what}; fix the syntax there",
                what=lazy(what),
            ),
            source=str(path),
        )
    line, column = int(match["line"]), int(match["column"])
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    for token in _DATE_VALUE.finditer(source_line):
        if not _is_date(token["date"]):
            return InputError(
                lazy(
                    "{value} is not a valid date; write a date that exists, as YYYY-MM-DD "
                    "(e.g. 2025-02-03)",
                    value=repr(token["date"]),
                ),
                source=str(path),
                row=line,
                column=str(token.start("date") + 1),
            )
    wrong_date = _wrong_date_form(path, line, source_line)
    if wrong_date:
        return wrong_date
    amount = _UNQUOTED_AMOUNT.match(source_line)
    if amount and ("." in amount["value"] or "," in amount["value"] or "kr" in amount["value"]):
        return InputError(
            lazy(
                "write the amount in quotes: {key} = {quoted}",
                key=amount["key"],
                quoted='"' + amount["value"].strip() + '"',
            ),
            source=str(path),
            row=line,
            column=str(amount.start("value") + 1),
        )
    return InputError(
        lazy("invalid TOML: {what}; fix the syntax there", what=lazy(what)),
        source=str(path),
        row=line,
        column=str(column),
    )


# The keys that hold a date, wherever they stand: decision.date, letter_date, payment.due.
_DATE_KEYS = ("date", "letter_date", "due")
_DATE_LINE = re.compile(r"^\s*(?P<key>[A-Za-z_]+)\s*=\s*(?P<value>[^#]*?)\s*(?:#.*)?$")


def _wrong_date_form(path: Path, line: int, source_line: str) -> InputError | None:
    """A date key whose value TOML cannot read (``date = 03-02-2025``), said as how to
    write a date; a date written the Danish way is shown converted, as an example."""
    match = _DATE_LINE.match(source_line)
    if not match or match["key"] not in _DATE_KEYS or _is_date(match["value"]):
        return None
    key, value = match["key"], match["value"]
    example = (parse_date(value.strip('"')) or date(2025, 2, 3)).isoformat()
    return InputError(
        lazy(
            "{key} = {value} is not a date TOML can read; "
            "write the date as year-month-day without quotes, e.g. {key} = {example}",
            key=key,
            value=value,
            example=example,
        ),
        source=str(path),
        row=line,
        column=str(match.start("value") + 1),
    )


def _is_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return False
    return True


def _too_deep(path: Path) -> InputError:
    return InputError(
        lazy(
            "tables or lists are nested more than {limit} deep, the limit "
            "(a programme needs 3); fix the file",
            limit=MAX_TOML_DEPTH,
        ),
        source=str(path),
    )


def _depth(document: Any) -> int:
    """How deeply tables and lists nest in ``document`` (without recursion)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_TOML_DEPTH:
            break
        children = value.values() if isinstance(value, dict) else value
        stack += [(child, depth + 1) for child in children if isinstance(child, dict | list)]
    return deepest


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(
            lazy("is a folder, not a programme file; give the .toml file"), source=str(path)
        )
    regular_file(path, "programme file", MAX_PROGRAMME_BYTES)  # a FIFO would block the read
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(lazy("no such file; check the path"), source=str(path)) from None
    except OSError as error:
        raise InputError(
            lazy("cannot be read ({reason}); check the permissions", reason=error.strerror),
            source=str(path),
        ) from None
    if not raw.strip():
        raise InputError(
            lazy("the file is empty; start from examples/telehjerte-2025.toml"), source=str(path)
        )
    if b"\x00" in raw:
        raise InputError(
            lazy("looks like a binary file, not a TOML programme file"), source=str(path)
        )
    return raw


def _check_shape(path: Path, value: Any, schema: Any, where: str) -> None:
    """Check keys and types against ``_SCHEMA``; suggest the nearest key for a typo."""
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise InputError(
                lazy(
                    "key '{key}' must be a table ([{key}]); see costshare guide programfil",
                    key=where,
                ),
                source=str(path),
            )
        for key, item in value.items():
            name = f"{where}.{key}" if where else key
            if key not in schema:
                close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
                hint = (
                    lazy("did you mean '{name}'?", name=close[0])
                    if close
                    else lazy("valid keys: {keys}", keys=", ".join(schema))
                )
                raise InputError(lazy("unknown key; {hint}", hint=hint), source=str(path), key=name)
            _check_shape(path, item, schema[key], name)
    elif isinstance(schema, list):
        if not isinstance(value, list):
            raise InputError(
                lazy("key '{key}' must be a list; see costshare guide programfil", key=where),
                source=str(path),
            )
        for index, item in enumerate(value):
            _check_shape(path, item, schema[0], f"{where}[{index + 1}]")
    else:
        allowed = schema if isinstance(schema, tuple) else (schema,)
        if isinstance(value, bool):  # bool is an int in Python, but not in a programme
            allowed_ok = bool in allowed
        elif isinstance(value, datetime | time):  # a datetime is a date in Python
            allowed_ok = type(value) in allowed
        else:
            allowed_ok = isinstance(value, allowed)
        if not allowed_ok:
            names = [lazy(_TYPE_NAMES[t]) for t in allowed]  # one or two in _SCHEMA
            wanted = names[0] if len(names) == 1 else lazy("{first} or {second}", first=names[0], second=names[1])  # fmt: skip
            extra = _quoted_form(where, value) if str in allowed else _date_form(where, value)
            raise InputError(
                lazy(
                    "key '{key}' must be {wanted}, got {value}{extra}",
                    key=where,
                    wanted=wanted,
                    value=_toml_value(value),
                    extra=extra,
                ),
                source=str(path),
            )
        if isinstance(value, str):
            _check_text(path, where, value)


def _quoted_form(where: str, value: Any) -> str | Text:
    """How to write a bare number as the text the key wants: ``; write item = "3.8"``."""
    key = re.sub(r"\[[0-9]+\]$", "", where.rsplit(".", 1)[-1])
    if isinstance(value, float) and key in ("amount", "unit", "fixed"):
        return lazy('; write amounts as text, e.g. "525000.50"')
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    if where.endswith("]"):
        return lazy('; write it in quotes, "{value}"', value=value)
    return lazy('; write {key} = "{value}"', key=key, value=value)


def _date_form(where: str, value: Any) -> str | Text:
    """A date written as text the Danish way, as TOML wants it: ``; write date = 2025-03-17``."""
    day = parse_date(value) if isinstance(value, str) else None
    if day is None:
        return ""
    key = where.rsplit(".", 1)[-1]
    return lazy("; write {key} = {day} (a date without quotes)", key=key, day=day.isoformat())


def _toml_value(value: Any) -> str | Text:
    """A value as it would be written in TOML (for messages), cut short if long."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return lazy(_TYPE_NAMES[dict])
    if isinstance(value, list):
        return lazy(A_LIST)
    return shown(value)[1:-1] if len(str(value)) > 60 else str(value)


def _check_text(path: Path, where: str, value: str) -> None:
    """Text must have something in it and no character that hides what it says (controls,
    bidirectional controls, non-characters: see costshare.base.text); line breaks and
    tabs are allowed in free text."""
    if not value.strip():
        raise InputError(lazy("key '{key}' is empty; fill it in", key=where), source=str(path))
    if len(value) > MAX_TEXT_CHARS:
        raise InputError(
            lazy(
                "key '{key}' is {count} characters long, over the limit of {limit}; shorten it",
                key=where,
                count=Grouped(len(value)),
                limit=Grouped(MAX_TEXT_CHARS),
            ),
            source=str(path),
        )
    bad = forbidden_character(value)
    if bad is not None:
        raise InputError(
            lazy("key '{key}' contains {character}; remove it", key=where, character=bad),
            source=str(path),
        )


# What a key holds, in the message about a value of the wrong kind.
_TYPE_NAMES = {
    str: mark("text in quotes"),
    int: mark("a whole number"),
    bool: mark("true or false"),
    date: mark("a date (2025-02-03)"),
    dict: mark("a table"),
}
A_LIST = mark("a list")
