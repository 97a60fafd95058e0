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
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .allocate import METHODS, Method
from .errors import InputError
from .money import Unit, parse_amount, parse_decimal
from .population import Population, is_quarter, load_packaged
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
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: not a UTF-8 text file; save the programme file as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: not valid TOML: {error}; fix the syntax there") from None
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
    basis = override or programme.population_basis
    if is_quarter(basis):
        population = load_packaged(basis)
    else:
        from .userfile import load_file

        file = Path(basis)
        if not file.is_absolute() and override is None:
            file = programme.path.parent / file  # relative to the programme file
        population = load_file(file)
    if programme.region:
        population = population.select_region(programme.region)
    return population.select_codes(programme.include, programme.exclude)


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
        if isinstance(value, bool) and bool not in allowed:
            allowed_ok = False
        else:
            allowed_ok = isinstance(value, allowed)
        if not allowed_ok:
            wanted = " or ".join(_TYPE_NAMES[t] for t in allowed)
            extra = '; write amounts as text, e.g. "525000.50"' if isinstance(value, float) else ""
            raise InputError(f"{path}: key '{where}' must be {wanted}, got {value!r}{extra}")


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
        amount_ore = parse_amount(text(doc["amount"]))
        unit.to_units(amount_ore)
    except InputError as error:
        raise InputError(
            f"{where('amount' if 'unit' not in str(error) else 'unit')}: {error}"
        ) from None
    method = doc.get("method", "largest-remainder")
    if method not in METHODS:
        raise InputError(
            f"{where('method')}: unknown method {method!r}; use one of {', '.join(METHODS)}"
        )
    decision = doc["decision"]
    for key in ("body", "date"):
        if key not in decision:
            raise InputError(f"{where('decision.' + key)}: is missing; add it under [decision]")
    municipalities = doc["municipalities"]
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
        population_basis=text(municipalities.get("population", "")) or _latest(),
        region=municipalities.get("region"),
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
    parties = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: key 'parties[{index}]"
        if "name" not in entry or "weight" not in entry:
            raise InputError(f"{where}': each party needs a name and a weight")
        municipal = bool(entry.get("municipalities", False))
        code = (
            MUNICIPAL_PARTY if municipal else entry.get("code") or REGION_CODES.get(entry["name"])
        )
        if not code:
            raise InputError(
                f"{where}.code': is missing; give the party a code (used to order ties)"
            )
        weight = _fraction(f"{where}.weight'", entry["weight"])
        parties.append(
            Party(code, entry["name"].strip(), weight, municipal, entry.get("address", ""))
        )
    if sum(1 for party in parties if party.municipal) != 1:
        raise InputError(f"{path}: key 'parties': exactly one party needs municipalities = true")
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
        number = parse_decimal(str(value).strip().removesuffix("%").strip(), "weight")
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
    if name == "population":
        equal = Fraction(0)
    elif name == "equal":
        equal = Fraction(1)
    elif name == "mixed":
        if "equal_part" not in section:
            raise InputError(
                f'{where}.equal_part\': is missing; key = "mixed" needs e.g. equal_part = "40 %"'
            )
        equal = _fraction(f"{where}.equal_part'", section["equal_part"]) / 100
        if equal > 1:
            raise InputError(
                f"{where}.equal_part': must be at most 100 %, got {section['equal_part']!r}"
            )
    else:
        close = difflib.get_close_matches(str(name), ["population", "equal", "mixed"], n=1)
        hint = f"did you mean '{close[0]}'?" if close else "use population, equal or mixed"
        raise InputError(f"{where}.key': unknown key {name!r}; {hint}")
    return Key(equal=equal, population=1 - equal, fixed_ore=fixed_ore)


def _integer_weights(weights: dict[str, Fraction]) -> dict[str, int]:
    common = math.lcm(*(weight.denominator for weight in weights.values()))
    return {code: int(weight * common) for code, weight in weights.items()}
