"""Building a :class:`~costshare.programme.records.Programme` from a programme file's table.

:func:`build` checks what the values *mean* (amounts, years, dates, parties, references)
once :mod:`costshare.programme.schema` has checked their shape; the key of the
municipalities' split is read by :mod:`costshare.programme.key_reading`. Every error
names the file and the key.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.allocation.methods import METHODS, Method
from costshare.base.codes import read_code
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import Unit
from costshare.base.patterns import pattern_fields
from costshare.population.packaged import REGION_CODES, resolve_region
from costshare.programme.basis_reading import read_basis
from costshare.programme.charge_reading import read_amount, read_frozen
from costshare.programme.invoicing import read_invoicing
from costshare.programme.key_reading import code_of, fraction, read_key
from costshare.programme.parts_reading import read_parts
from costshare.programme.payment import read_payment
from costshare.programme.records import (
    ANNEX_ORDERS,
    DEFAULT_REFERENCE,
    MUNICIPAL_PARTY,
    REFERENCE_FIELDS,
    Party,
    Programme,
)


def build(path: Path, sha256: str, doc: dict[str, Any]) -> Programme:
    """A :class:`Programme` from a programme file's shape-checked TOML table.

    Raises :class:`InputError` naming the file and the key for any value that means
    nothing (see the module docstring).
    """

    def text(value: Any) -> str:
        return str(value).strip()

    try:
        unit = Unit.parse(text(doc.get("unit", "1")))
    except InputError as error:
        raise error.within(source=str(path), key="unit") from None
    amount_ore, rate = read_amount(path, doc, unit)
    year, method, decision = _year(path, doc), _method(path, doc), _decision(path, doc)
    decided = decision["date"]
    municipalities = doc["municipalities"]
    region = _region(path, municipalities.get("region"), "municipalities.region")
    basis, rule = read_basis(path, municipalities, year, decided)
    letter_date = doc.get("letter_date", decided)
    _check_dates(path, decided, letter_date, doc.get("payment", {}).get("due"))
    payment = read_payment(path, doc.get("payment", {}))
    return Programme(
        path=path,
        sha256=sha256,
        title=text(doc["title"]),
        short_title=text(doc.get("short_title", doc["title"])),
        case_number=text(doc["case_number"]),
        year=year,
        amount_ore=amount_ore,
        unit=unit,
        method=method,
        decision_body=text(decision["body"]),
        decision_date=decided,
        decision_item=text(decision.get("item", "")),
        letter_date=letter_date,
        parties=_parties(path, doc.get("parties", [])),
        population_basis=basis,
        population_rule=rule,
        region=region,
        include=tuple(code_of(c) for c in municipalities.get("include", [])),
        exclude=tuple(code_of(c) for c in municipalities.get("exclude", [])),
        key=read_key(path, municipalities),
        sender={k: text(v) for k, v in doc["sender"].items()},
        payment=payment,
        contact={k: text(v) for k, v in doc.get("contact", {}).items()},
        invoicing=read_invoicing(path, doc, payment),
        register=path.parent / text(doc["register"]) if "register" in doc else None,
        reference=_reference(path, doc.get("payment", {}).get("reference")),
        annex_order=_annex_order(path, doc.get("annex", {})),
        rate=rate,
        frozen=read_frozen(path, municipalities, rate, year, decided),
        column=municipalities.get("column"),
        parts=read_parts(path, municipalities, year, decided),
    )


def _year(path: Path, doc: dict[str, Any]) -> int:
    year: int = doc["year"]
    if not 1900 <= year <= 2200:
        raise InputError(
            lazy("{value} is not a year; write e.g. year = 2025", value=year),
            source=str(path),
            key="year",
        )
    return year


def _method(path: Path, doc: dict[str, Any]) -> Method:
    method = doc.get("method", "largest-remainder")
    if method not in METHODS:
        raise InputError(
            lazy(
                "unknown method {method}; use one of {methods}",
                method=repr(method),
                methods=", ".join(METHODS),
            ),
            source=str(path),
            key="method",
        )
    chosen: Method = method
    return chosen


def _decision(path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    decision: dict[str, Any] = doc["decision"]
    for key in ("body", "date"):
        if key not in decision:
            raise InputError(
                lazy("key '{key}' is missing; add it under [decision]", key=f"decision.{key}"),
                source=str(path),
            )
    return decision


def _region(path: Path, region: str | None, key: str) -> str | None:
    if region is not None:
        try:
            resolve_region(region)
        except InputError as error:
            raise error.within(source=str(path), key=key) from None
    return region


def _check_dates(path: Path, decided: date, letter: date, due: date | None) -> None:
    if letter < decided:
        raise InputError(
            lazy(
                "{letter} is before the decision ({decided}); date the letter on or after "
                "the decision",
                letter=letter.isoformat(),
                decided=decided.isoformat(),
            ),
            source=str(path),
            key="letter_date",
        )
    if due is not None and due < letter:
        raise InputError(
            lazy(
                "{due} is before the letter date ({letter}); set a due date after the letter",
                due=due.isoformat(),
                letter=letter.isoformat(),
            ),
            source=str(path),
            key="payment.due",
        )


def _reference(path: Path, given: str | None) -> str:
    """The pattern of each payer's reference; a fixed text gets ``-{code}`` added."""
    if given is None:
        return DEFAULT_REFERENCE
    pattern = given.strip()
    try:
        names = set(pattern_fields(pattern, REFERENCE_FIELDS))
    except InputError as error:
        raise error.within(source=str(path), key="payment.reference") from None
    if not names & {"code", "number"}:  # each payer needs its own reference
        pattern += "-{code}"
    return pattern


def _annex_order(path: Path, section: dict[str, Any]) -> str:
    order = str(section.get("order", "code")).strip()
    if order not in ANNEX_ORDERS:
        raise InputError(
            lazy('unknown order {order}; use "code" or "name"', order=repr(order)),
            source=str(path),
            key="annex.order",
        )
    return order


def _parties(path: Path, entries: list[dict[str, Any]]) -> tuple[Party, ...]:
    if not entries:  # no co-financing: the municipalities pay it all
        return (Party(MUNICIPAL_PARTY, "Kommunerne", Fraction(1), True),)
    if sum(1 for entry in entries if entry.get("municipalities", False)) != 1:
        raise InputError(
            lazy("exactly one party needs municipalities = true; mark the municipalities' party"),
            source=str(path),
            key="parties",
        )
    parties = []
    for index, entry in enumerate(entries, start=1):
        where = f"parties[{index}]"
        if "name" not in entry or "weight" not in entry:
            raise InputError(
                lazy("each party needs a name and a weight; add them"), source=str(path), key=where
            )
        municipal = bool(entry.get("municipalities", False))
        code = (
            MUNICIPAL_PARTY
            if municipal
            else read_code(entry.get("code", "")) or REGION_CODES.get(entry["name"])
        )
        if not code:
            raise InputError(
                lazy(
                    "key '{key}' is missing; give the party a code (used to order ties)",
                    key=f"{where}.code",
                ),
                source=str(path),
            )
        weight = fraction(path, f"{where}.weight", entry["weight"])
        parties.append(
            Party(code, entry["name"].strip(), weight, municipal, entry.get("address", ""))
        )
    _each_its_own(path, parties)
    if not any(party.weight for party in parties):
        raise InputError(
            lazy("the weights sum to zero; give them shares such as 50 and 50"),
            source=str(path),
            key="parties",
        )
    return tuple(parties)


def _each_its_own(path: Path, parties: list[Party]) -> None:
    """Refuse a second party with a code or a name an earlier one has: the code orders
    ties and keys each party's amount, the name heads its letter and workbook rows."""
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, party in enumerate(parties, start=1):
        if party.code in codes:
            raise InputError(
                lazy(
                    "parties[{first}] has the code {code} already; give each party its own code",
                    first=codes[party.code],
                    code=repr(party.code),
                ),
                source=str(path),
                key=f"parties[{index}].code",
            )
        folded = " ".join(party.name.split()).casefold()
        if folded in names:
            raise InputError(
                lazy(
                    "parties[{first}] is called {name} already; give each party its own name",
                    first=names[folded],
                    name=repr(party.name),
                ),
                source=str(path),
                key=f"parties[{index}].name",
            )
        codes[party.code] = names[folded] = index
