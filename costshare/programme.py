"""Programme files: a recorded decision to share a cost, and its computed shares.

A programme file is TOML. It records the decision (who decided what, when, under which
case number), the total, how the total is divided between co-financing parties, and the
key by which the municipalities' part is split. The format is documented in README.md
("Programme files"); ``examples/telehjerte-2025.toml`` is the seed case.

Validation errors name the file, the key and what was expected, and suggest the
nearest valid key for a typo: ``prog.toml: key 'ammount': unknown key; did you mean
'amount'?``. Amounts must be strings or integers (never TOML floats, which are binary
fractions); percentages are strings such as ``"40 %"``.

>>> from pathlib import Path
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> result.party_parts_ore
{'084': 52500000, 'kommuner': 52500000}
>>> result.municipal.share_ore("157")
2041500
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .allocate import METHODS, Method
from .errors import InputError, located, shown
from .money import Unit, parse_amount, parse_decimal, parse_percent
from .population import (
    _QUARTER_LIKE,
    Population,
    is_quarter,
    load_basis,
    load_packaged,
    resolve_region,
)
from .split import Key, Split, cofinance, split

# Statistics Denmark's region codes, used as the regions' party codes (and so their tie order).
REGION_CODES = {
    "Region Nordjylland": "081",
    "Region Midtjylland": "082",
    "Region Syddanmark": "083",
    "Region Hovedstaden": "084",
    "Region Sjælland": "085",
}
MUNICIPAL_PARTY = "kommuner"

_SCHEMA: dict[str, Any] = {
    "title": str,
    "short_title": str,
    "case_number": str,
    "year": int,
    "amount": (str, int),
    "unit": (str, int),
    "method": str,
    "letter_date": date,
    "decision": {"body": str, "date": date, "item": str},
    "parties": [
        {"name": str, "code": str, "weight": (str, int), "municipalities": bool, "address": str}
    ],
    "municipalities": {
        "population": str,
        "region": str,
        "include": [str],
        "exclude": [str],
        "key": str,
        "equal_part": (str, int),
        "fixed": (str, int),
    },
    "sender": {"name": str, "organisation": str, "address": str, "email": str, "signature": str},
    "payment": {"due": date, "how": str, "account": str, "reference": str},
    "contact": {"name": str, "title": str, "email": str, "phone": str},
}
_REQUIRED = ["title", "case_number", "year", "amount", "decision", "municipalities", "sender"]


@dataclass(frozen=True)
class Party:
    """A co-financing party: the region, or the municipalities together."""

    code: str
    name: str
    weight: Fraction
    municipal: bool
    address: str = ""


@dataclass(frozen=True)
class Programme:
    """A validated programme file. Dictionaries hold the optional free-text sections."""

    path: Path
    sha256: str
    title: str
    short_title: str
    case_number: str
    year: int
    amount_ore: int
    unit: Unit
    method: Method
    decision_body: str
    decision_date: date
    decision_item: str
    letter_date: date
    parties: tuple[Party, ...]
    population_basis: str
    region: str | None
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    key: Key
    sender: dict[str, str]
    payment: dict[str, Any]
    contact: dict[str, str]


@dataclass(frozen=True)
class ProgrammeResult:
    """A programme's computed shares: each party's part and the municipalities' split."""

    programme: Programme
    party_parts_ore: dict[str, int]
    municipal: Split

    @property
    def municipal_part_ore(self) -> int:
        """The amount the municipalities pay together."""
        return self.party_parts_ore[MUNICIPAL_PARTY]

    @property
    def other_parties(self) -> list[Party]:
        """The co-financing parties other than the municipalities (e.g. the region)."""
        return [party for party in self.programme.parties if not party.municipal]


def load_programme(path: Path | str) -> Programme:
    """Read and validate a programme file.

    Raises :class:`InputError` naming the file and key for anything missing, misspelt,
    of the wrong type or out of range.
    """
    path = Path(path)
    raw = _read(path)
    try:
        text = raw.decode("utf-8-sig")  # Notepad may save UTF-8 with a BOM
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            located(str(path), "not UTF-8 text; save the programme file as UTF-8", line)
        ) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(_syntax_problem(path, text, error)) from None
    _check_shape(path, document, _SCHEMA, "")
    for key in _REQUIRED:
        if key not in document:
            raise InputError(
                f"{path}: key '{key}' is missing; add it (see README, 'Programme files')"
            )
    return _build(path, hashlib.sha256(raw).hexdigest(), document)


def compute(
    programme: Programme,
    population_override: str | None = None,
    amount_override_ore: int | None = None,
) -> ProgrammeResult:
    """Split the programme's total between its parties, then the municipal part.

    ``population_override`` (a quarter or file) and ``amount_override_ore`` replace the
    programme's basis and total, for what-if runs.
    """
    amount_ore = programme.amount_ore if amount_override_ore is None else amount_override_ore
    weights = _integer_weights({party.code: party.weight for party in programme.parties})
    parts = cofinance(amount_ore, weights, programme.unit, programme.method)
    population = programme_population(programme, population_override)
    municipal = split(
        parts[MUNICIPAL_PARTY], population, programme.unit, programme.method, programme.key
    )
    return ProgrammeResult(programme, parts, municipal)


def programme_population(programme: Programme, override: str | None = None) -> Population:
    """The paying municipalities and their population, per the programme (or an override)."""
    if override is not None:
        population = load_basis(override)
    else:
        population = load_basis(programme.population_basis, programme.path.parent)
    if programme.region:
        population = population.select_region(programme.region)
    try:
        return population.select_codes(programme.include, programme.exclude)
    except InputError as error:
        where = f"{programme.path}: key 'municipalities.include' or 'exclude'"
        raise InputError(f"{where}: {error}; correct the code") from None


# tomllib's messages end in "(at line 8, column 8)" or "(at end of document)".
_TOML_AT = re.compile(
    r"^(?P<what>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)
# A date-like value (after '=', '[' or ','), e.g. 2025-02-30 or 2025-13-01T10:00:00.
_DATE_VALUE = re.compile(
    r"[=\[,]\s*(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?)(?![\w.:-])"
)


# tomllib's wording for the common slips, said for someone who has not read the TOML spec.
_PLAIN = {
    "Cannot overwrite a value": "a key is given twice",
    "Cannot declare": "a [table] is declared twice",
    "Illegal character '\\n'": "a text in quotes is not closed on its line",
    "Invalid value": 'invalid value (text goes in quotes, e.g. title = "...")',
    "Unterminated string": "a text in quotes is not closed",
}


def _syntax_problem(path: Path, text: str, error: tomllib.TOMLDecodeError) -> str:
    """tomllib's ``Invalid value (at line 8, column 8)`` as ``prog.toml:8:8: invalid TOML: …``.

    tomllib rejects a date that does not exist (``2025-02-30``) as a syntax error, and
    reports a month out of range (``2025-13-01``) as a stray character; both are said
    plainly, as an invalid date.
    """
    match = _TOML_AT.match(str(error))
    what = (match["what"] if match else str(error)).strip()
    what = next((plain for start, plain in _PLAIN.items() if what.startswith(start)), what)
    what = what[:1].lower() + what[1:]
    if not match or not match["line"]:
        return f"{path}: invalid TOML at the end of the file: {what}; fix the syntax there"
    line, column = int(match["line"]), int(match["column"])
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    for token in _DATE_VALUE.finditer(source_line):
        if not _is_date(token["date"]):
            return (
                f"{path}:{line}:{token.start('date') + 1}: {token['date']!r} is not a valid "
                "date; write a date that exists, as YYYY-MM-DD (e.g. 2025-02-03)"
            )
    return f"{path}:{line}:{column}: invalid TOML: {what}; fix the syntax there"


def _is_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return False
    return True


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a programme file; give the .toml file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as error:
        raise InputError(
            f"{path}: cannot be read ({error.strerror}); check the permissions"
        ) from None
    if not raw.strip():
        raise InputError(f"{path}: the file is empty; start from examples/telehjerte-2025.toml")
    if b"\x00" in raw:
        raise InputError(f"{path}: looks like a binary file, not a TOML programme file")
    return raw


def _check_shape(path: Path, value: Any, schema: Any, where: str) -> None:
    """Check keys and types against ``_SCHEMA``; suggest the nearest key for a typo."""
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise InputError(f"{path}: key '{where}' must be a table ([{where}]); see README")
        for key, item in value.items():
            name = f"{where}.{key}" if where else key
            if key not in schema:
                close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(schema)
                )
                raise InputError(f"{path}: key '{name}': unknown key; {hint}")
            _check_shape(path, item, schema[key], name)
    elif isinstance(schema, list):
        if not isinstance(value, list):
            raise InputError(f"{path}: key '{where}' must be a list; see README")
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
            wanted = " or ".join(_TYPE_NAMES[t] for t in allowed)
            extra = '; write amounts as text, e.g. "525000.50"' if isinstance(value, float) else ""
            raise InputError(
                f"{path}: key '{where}' must be {wanted}, got {_toml_value(value)}{extra}"
            )
        if isinstance(value, str):
            _check_text(path, where, value)


def _toml_value(value: Any) -> str:
    """A value as it would be written in TOML (for messages), cut short if long."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return shown(value)[1:-1] if len(str(value)) > 60 else str(value)


def _check_text(path: Path, where: str, value: str) -> None:
    """Text must have something in it and no control characters (which cannot go into a
    workbook cell or a letter); line breaks and tabs are allowed in free text."""
    if not value.strip():
        raise InputError(f"{path}: key '{where}' is empty; fill it in")
    bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), None)
    if bad is not None:
        raise InputError(
            f"{path}: key '{where}' contains the control character U+{ord(bad):04X}; remove it"
        )


_TYPE_NAMES = {
    str: "text in quotes",
    int: "a whole number",
    bool: "true or false",
    date: "a date (2025-02-03)",
}


def _build(path: Path, sha256: str, doc: dict[str, Any]) -> Programme:
    def text(value: Any) -> str:
        return str(value).strip()

    def where(key: str) -> str:
        return f"{path}: key '{key}'"

    try:
        unit = Unit.parse(text(doc.get("unit", "1")))
    except InputError as error:
        raise InputError(f"{where('unit')}: {error}") from None
    try:
        amount_ore = parse_amount(text(doc["amount"]))
        unit.to_units(amount_ore)
    except InputError as error:
        raise InputError(f"{where('amount')}: {error}") from None
    if not 1900 <= doc["year"] <= 2200:
        raise InputError(f"{where('year')}: {doc['year']} is not a year; write e.g. year = 2025")
    method = doc.get("method", "largest-remainder")
    if method not in METHODS:
        raise InputError(
            f"{where('method')}: unknown method {method!r}; use one of {', '.join(METHODS)}"
        )
    decision = doc["decision"]
    for key in ("body", "date"):
        if key not in decision:
            raise InputError(f"{where('decision.' + key)} is missing; add it under [decision]")
    municipalities = doc["municipalities"]
    region = municipalities.get("region")
    if region is not None:
        try:
            resolve_region(region)
        except InputError as error:
            raise InputError(f"{where('municipalities.region')}: {error}") from None
    basis = text(municipalities.get("population", "")) or _latest()
    if is_quarter(basis) or (_QUARTER_LIKE.match(basis) and not (path.parent / basis).exists()):
        try:
            load_packaged(basis)
        except InputError as error:
            raise InputError(f"{where('municipalities.population')}: {error}") from None
    return Programme(
        path=path,
        sha256=sha256,
        title=text(doc["title"]),
        short_title=text(doc.get("short_title", doc["title"])),
        case_number=text(doc["case_number"]),
        year=doc["year"],
        amount_ore=amount_ore,
        unit=unit,
        method=method,
        decision_body=text(decision["body"]),
        decision_date=decision["date"],
        decision_item=text(decision.get("item", "")),
        letter_date=doc.get("letter_date", decision["date"]),
        parties=_parties(path, doc.get("parties", [])),
        population_basis=basis,
        region=region,
        include=tuple(_code(c) for c in municipalities.get("include", [])),
        exclude=tuple(_code(c) for c in municipalities.get("exclude", [])),
        key=_key(path, municipalities),
        sender={k: text(v) for k, v in doc["sender"].items()},
        payment=dict(doc.get("payment", {})),
        contact={k: text(v) for k, v in doc.get("contact", {}).items()},
    )


def _latest() -> str:
    from .population import latest_quarter

    return latest_quarter()


def _code(value: str) -> str:
    value = value.strip()
    return str(int(value)) if value.isdecimal() else value


def _parties(path: Path, entries: list[dict[str, Any]]) -> tuple[Party, ...]:
    if not entries:  # no co-financing: the municipalities pay it all
        return (Party(MUNICIPAL_PARTY, "Kommunerne", Fraction(1), True),)
    if sum(1 for entry in entries if entry.get("municipalities", False)) != 1:
        raise InputError(
            f"{path}: key 'parties': exactly one party needs municipalities = true; "
            "mark the municipalities' party"
        )
    parties = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: key 'parties[{index}]"
        if "name" not in entry or "weight" not in entry:
            raise InputError(f"{where}': each party needs a name and a weight; add them")
        municipal = bool(entry.get("municipalities", False))
        code = (
            MUNICIPAL_PARTY if municipal else entry.get("code") or REGION_CODES.get(entry["name"])
        )
        if not code:
            raise InputError(
                f"{where}.code' is missing; give the party a code (used to order ties)"
            )
        weight = _fraction(f"{where}.weight'", entry["weight"])
        parties.append(
            Party(code, entry["name"].strip(), weight, municipal, entry.get("address", ""))
        )
    codes = [party.code for party in parties]
    if len(set(codes)) != len(codes):
        raise InputError(
            f"{path}: key 'parties': two parties have the same code; give each its own"
        )
    if not any(party.weight for party in parties):
        raise InputError(
            f"{path}: key 'parties': the weights sum to zero; give them shares such as 50 and 50"
        )
    return tuple(parties)


def _fraction(where: str, value: str | int) -> Fraction:
    try:
        number = parse_decimal(
            str(value).strip().removesuffix("%").strip(), "weight", '50 or "50 %"'
        )
    except InputError as error:
        raise InputError(f"{where}: {error}") from None
    if number < 0:
        raise InputError(f"{where}: must not be negative, got {value!r}")
    return Fraction(Decimal(number))


def _key(path: Path, section: dict[str, Any]) -> Key:
    name = section.get("key", "population")
    where = f"{path}: key 'municipalities"
    try:
        fixed_ore = parse_amount(str(section["fixed"])) if "fixed" in section else 0
    except InputError as error:
        raise InputError(f"{where}.fixed': {error}") from None
    if fixed_ore < 0:
        raise InputError(f"{where}.fixed': must not be negative, got {section['fixed']!r}")
    if "equal_part" in section and name != "mixed":
        raise InputError(
            f'{where}.equal_part\': is only used with key = "mixed", but key is {name!r}; '
            'set key = "mixed" or remove equal_part'
        )
    if name == "population":
        equal = Fraction(0)
    elif name == "equal":
        equal = Fraction(1)
    elif name == "mixed":
        if "equal_part" not in section:
            raise InputError(
                f'{where}.equal_part\' is missing; key = "mixed" needs e.g. equal_part = "40 %"'
            )
        try:
            equal = parse_percent(str(section["equal_part"]), "equal_part")
        except InputError as error:
            raise InputError(f"{where}.equal_part': {error}") from None
    else:
        close = difflib.get_close_matches(str(name), ["population", "equal", "mixed"], n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use population, equal or mixed"
        raise InputError(f"{where}.key': unknown key {name!r}; {hint}")
    return Key(equal=equal, population=1 - equal, fixed_ore=fixed_ore)


def _integer_weights(weights: dict[str, Fraction]) -> dict[str, int]:
    common = math.lcm(*(weight.denominator for weight in weights.values()))
    return {code: int(weight * common) for code, weight in weights.items()}
