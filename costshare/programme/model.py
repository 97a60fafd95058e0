"""Programme files: a recorded decision to share a cost, and its computed shares.

A programme file is TOML. It records the decision (who decided what, when, under which
case number), the total, how the total is divided between co-financing parties, and the
key by which the municipalities' part is split. The format is documented in
docs/reference/programme-files.md; ``examples/telehjerte-2025.toml`` is the seed case, and
``costshare init`` writes a file to start from (:mod:`costshare.programme.starter`).

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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.allocation.methods import METHODS, Method
from costshare.base.codes import code_key, is_number_code, read_code
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark
from costshare.base.money import Unit, parse_amount, parse_decimal, parse_percent
from costshare.base.patterns import pattern_fields
from costshare.population.basis import load_basis
from costshare.population.packaged import (
    _QUARTER_LIKE,
    Population,
    is_quarter,
    load_packaged,
    resolve_region,
    year_instead_of_quarter,
)
from costshare.population.packaged import REGION_CODES as REGION_CODES  # re-exported
from costshare.programme.indexing import Indexation
from costshare.programme.invoicing import Invoicing, read_invoicing
from costshare.programme.payment import PaymentTerms, read_payment
from costshare.programme.register import RegisterEntry
from costshare.programme.schema import read_document
from costshare.shares.splitting import Key, Split, cofinance, split
from costshare.shares.weights import Counting, integer_weights

MUNICIPAL_PARTY = "kommuner"
# A payer's reference: ``payment.reference`` with these fields filled in (see README).
DEFAULT_REFERENCE = "{case_number}-{code}"
REFERENCE_FIELDS = ("case_number", "code", "year", "number")
ANNEX_ORDERS = ("code", "name")
# A party's weight, as the message about a bad one names it and shows it written.
WEIGHT = mark("weight")
WEIGHT_EXAMPLE = mark('50 or "50 %"')


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
    payment: PaymentTerms
    """``[payment]``: the account, due date and words every payer's instruction shares."""
    contact: dict[str, str]
    indexation: Indexation | None = None
    """How the amount was moved from its price level to the year (issue #14), if it was."""
    invoicing: Invoicing | None = None
    """The e-invoicing settings, or None when the programme writes no e-invoices."""
    register: Path | None = None
    """The payer register file (address, CVR, EAN, att.), resolved against the programme."""
    reference: str = DEFAULT_REFERENCE
    """The pattern of each payer's own reference, e.g. ``{case_number}-{code}``."""
    annex_order: str = "code"
    """How the annex lists the municipalities: by ``code`` or by official ``name``."""


@dataclass(frozen=True)
class ProgrammeResult:
    """A programme's computed shares: each party's part and the municipalities' split."""

    programme: Programme
    party_parts_ore: dict[str, int]
    municipal: Split
    register: dict[str, RegisterEntry] = field(default_factory=dict)
    """The payer register's rows by payer code (empty without a register)."""

    @property
    def total_ore(self) -> int:
        """The programme's total: every party's part added up (the amount, to the øre)."""
        return sum(self.party_parts_ore.values())

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
    raw, document = read_document(path)
    return programme_from_document(path, hashlib.sha256(raw).hexdigest(), document)


def programme_from_document(path: Path, sha256: str, document: dict[str, Any]) -> Programme:
    """:func:`load_programme` of a file already read (by ``read_document``): a programme of
    one year, so a programme file is parsed once however it is loaded.

    Raises :class:`InputError` as :func:`load_programme` does.
    """
    if "years" in document:
        years = ", ".join(str(entry.get("year", "?")) for entry in document["years"])
        raise InputError(
            lazy(
                "is a programme over several years ({years}); give the year, e.g. --year {year}",
                years=years,
                year=document["years"][0].get("year", 2025),
            ),
            source=str(path),
        )
    for key in ("price_level", "indexing"):
        if key in document:
            raise InputError(
                lazy(
                    "is used with [[years]]; "
                    "give the year(s) as [[years]] tables (see docs/reference/multi-year.md)"
                ),
                source=str(path),
                key=key,
            )
    return _build(path, sha256, document)


def build_programme(path: Path, sha256: str, document: dict[str, Any]) -> Programme:
    """A :class:`Programme` from an already read and shape-checked TOML table.

    Used by :mod:`costshare.programme.years` for each year of a multi-year programme.
    """
    return _build(path, sha256, document)


def compute(
    programme: Programme,
    *,
    population_override: str | None = None,
    amount_override_ore: int | None = None,
) -> ProgrammeResult:
    """Split the programme's total between its parties, then the municipal part.

    ``population_override`` (a quarter or file) and ``amount_override_ore`` replace the
    programme's basis and total, for what-if runs.
    """
    amount_ore = programme.amount_ore if amount_override_ore is None else amount_override_ore
    weights = integer_weights({party.code: party.weight for party in programme.parties})
    parts = cofinance(amount_ore, weights, unit=programme.unit, method=programme.method)
    population = programme_population(programme, population_override)
    _refuse_shared_codes(programme, population)
    municipal = split(
        parts[MUNICIPAL_PARTY],
        population,
        unit=programme.unit,
        method=programme.method,
        key=programme.key,
    )
    register = {}
    if programme.register is not None:
        from costshare.programme.register import load_register

        codes = [*municipal.population.codes, *(p.code for p in programme.parties)]
        official = municipal.population.codes if municipal.population.municipal else ()
        payer_codes = [c for c in codes if c != MUNICIPAL_PARTY]
        register = load_register(programme.register, payer_codes, official)
    return ProgrammeResult(programme, parts, municipal, register)


def _refuse_shared_codes(programme: Programme, population: Population) -> None:
    """A co-financing party must not share a code with a recipient of the split.

    Payers are found, explained and verified by code; two payers under one code would
    make ``explain`` show one under the other's heading and ``verify`` reject the
    package's own overview.
    """
    recipients = {code_key(code): code for code in population.codes}
    for index, party in enumerate(programme.parties, start=1):
        if party.municipal:
            continue
        clash = recipients.get(code_key(party.code))
        if clash is not None:
            name = population.names[population.codes.index(clash)]
            raise InputError(
                lazy(
                    "the party {party} has code {code}, which is also the code of "
                    "{name} in {basis}; give the party a code of its own",
                    party=repr(party.name),
                    code=repr(party.code),
                    name=repr(name),
                    basis=population.basis,
                ),
                source=str(programme.path),
                key=f"parties[{index}].code",
            )


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
        raise InputError(
            lazy(
                "key 'municipalities.include' or 'exclude': {problem}; correct the code",
                problem=error,
            ),
            source=str(programme.path),
        ) from None


def _build(path: Path, sha256: str, doc: dict[str, Any]) -> Programme:
    def text(value: Any) -> str:
        return str(value).strip()

    try:
        unit = Unit.parse(text(doc.get("unit", "1")))
    except InputError as error:
        raise error.within(source=str(path), key="unit") from None
    try:
        amount_ore = parse_amount(text(doc["amount"]))
        unit.to_units(amount_ore)
    except InputError as error:
        raise error.within(source=str(path), key="amount") from None
    if not 1900 <= doc["year"] <= 2200:
        raise InputError(
            lazy("{value} is not a year; write e.g. year = 2025", value=doc["year"]),
            source=str(path),
            key="year",
        )
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
    decision = doc["decision"]
    for key in ("body", "date"):
        if key not in decision:
            raise InputError(
                lazy("key '{key}' is missing; add it under [decision]", key=f"decision.{key}"),
                source=str(path),
            )
    municipalities = doc["municipalities"]
    region = municipalities.get("region")
    if region is not None:
        try:
            resolve_region(region)
        except InputError as error:
            raise error.within(source=str(path), key="municipalities.region") from None
    if "population" not in municipalities:
        raise InputError(
            lazy(
                "key '{key}' is missing; state the population basis under [municipalities], "
                'e.g. population = "2025K1" (a packaged quarter) or a CSV/Excel file',
                key="municipalities.population",
            ),
            source=str(path),
        )
    basis = text(municipalities["population"])
    if is_quarter(basis) or (_QUARTER_LIKE.match(basis) and not (path.parent / basis).exists()):
        try:
            load_packaged(basis)
        except InputError as error:
            raise error.within(source=str(path), key="municipalities.population") from None
    year_error = year_instead_of_quarter(basis)
    if year_error is not None and not (path.parent / basis).exists():
        raise year_error.within(source=str(path), key="municipalities.population")
    letter_date = doc.get("letter_date", decision["date"])
    _check_dates(path, decision["date"], letter_date, doc.get("payment", {}).get("due"))
    payment = read_payment(path, doc.get("payment", {}))
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
        letter_date=letter_date,
        parties=_parties(path, doc.get("parties", [])),
        population_basis=basis,
        region=region,
        include=tuple(_code(c) for c in municipalities.get("include", [])),
        exclude=tuple(_code(c) for c in municipalities.get("exclude", [])),
        key=_key(path, municipalities),
        sender={k: text(v) for k, v in doc["sender"].items()},
        payment=payment,
        contact={k: text(v) for k, v in doc.get("contact", {}).items()},
        invoicing=read_invoicing(path, doc, payment),
        register=path.parent / text(doc["register"]) if "register" in doc else None,
        reference=_reference(path, doc.get("payment", {}).get("reference")),
        annex_order=_annex_order(path, doc.get("annex", {})),
    )


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


def _code(value: str) -> str:
    value = read_code(value)
    return str(int(value)) if is_number_code(value) else value


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
        weight = _fraction(path, f"{where}.weight", entry["weight"])
        parties.append(
            Party(code, entry["name"].strip(), weight, municipal, entry.get("address", ""))
        )
    codes = [party.code for party in parties]
    if len(set(codes)) != len(codes):
        raise InputError(
            lazy("two parties have the same code; give each its own"),
            source=str(path),
            key="parties",
        )
    if not any(party.weight for party in parties):
        raise InputError(
            lazy("the weights sum to zero; give them shares such as 50 and 50"),
            source=str(path),
            key="parties",
        )
    return tuple(parties)


def _fraction(path: Path, key: str, value: str | int) -> Fraction:
    try:
        number = parse_decimal(str(value).strip().removesuffix("%").strip(), WEIGHT, WEIGHT_EXAMPLE)
    except InputError as error:
        raise error.within(source=str(path), key=key) from None
    if number < 0:
        raise _negative(path, key, value)
    return Fraction(Decimal(number))


def _key(path: Path, section: dict[str, Any]) -> Key:
    name = section.get("key", "population")
    try:
        fixed_ore = parse_amount(str(section["fixed"])) if "fixed" in section else 0
    except InputError as error:
        raise error.within(source=str(path), key="municipalities.fixed") from None
    if fixed_ore < 0:
        raise _negative(path, "municipalities.fixed", section["fixed"])
    if "equal_part" in section and name != "mixed":
        raise InputError(
            lazy(
                'is only used with key = "mixed", but key is {name}; '
                'set key = "mixed" or remove equal_part',
                name=repr(name),
            ),
            source=str(path),
            key="municipalities.equal_part",
        )
    if name == "population":
        equal = Fraction(0)
    elif name == "equal":
        equal = Fraction(1)
    elif name == "mixed":
        if "equal_part" not in section:
            raise InputError(
                lazy(
                    'key \'{key}\' is missing; key = "mixed" needs e.g. equal_part = "40 %"',
                    key="municipalities.equal_part",
                ),
                source=str(path),
            )
        try:
            equal = parse_percent(str(section["equal_part"]), "equal_part")
        except InputError as error:
            raise error.within(source=str(path), key="municipalities.equal_part") from None
    else:
        close = difflib.get_close_matches(str(name), ["population", "equal", "mixed"], n=1)
        hint = (
            lazy("did you mean '{name}'?", name=close[0])
            if close
            else lazy("use population, equal or mixed")
        )
        raise InputError(
            lazy("unknown key {name}; {hint}", name=repr(name), hint=hint),
            source=str(path),
            key="municipalities.key",
        )
    counting = _counting(path, section)
    factor = bool(section.get("factor", False))
    if name == "equal" and (factor or not counting.is_plain):
        raise InputError(
            lazy(
                'cap, above, discount and factor count inhabitants, but key = "equal" splits '
                'equally; use key = "population" or "mixed", or remove them'
            ),
            source=str(path),
            key="municipalities.key",
        )
    return Key(
        equal=equal,
        population=1 - equal,
        fixed_ore=fixed_ore,
        counting=counting,
        factor=factor,
    )


def _counting(path: Path, section: dict[str, Any]) -> Counting:
    """``cap``, ``above = {from, rate}`` and ``discount = {above, rate}`` (issue #13)."""

    def number(key: str, value: Any) -> Fraction:
        try:
            parsed = parse_decimal(str(value).strip(), key, "100000")
        except InputError as error:
            raise error.within(source=str(path), key=f"municipalities.{key}") from None
        if parsed < 0:
            raise _negative(path, f"municipalities.{key}", value)
        return Fraction(parsed)

    def rate(key: str, value: Any) -> Fraction:
        try:
            parsed = parse_percent(str(value), key)
        except InputError as error:
            raise error.within(source=str(path), key=f"municipalities.{key}") from None
        if not 0 <= parsed <= 1:
            raise InputError(
                lazy("must be between 0 % and 100 %, got {value}", value=repr(value)),
                source=str(path),
                key=f"municipalities.{key}",
            )
        return parsed

    def table(name: str, keys: tuple[str, str]) -> dict[str, Any] | None:
        entry = section.get(name)
        if entry is None:
            return None
        for key in keys:
            if key not in entry:
                raise InputError(
                    lazy(
                        "is missing; write e.g. {example}",
                        example=f'{name} = {{ {keys[0]} = 150000, rate = "50 %" }}',
                    ),
                    source=str(path),
                    key=f"municipalities.{name}.{key}",
                )
        return dict(entry)

    above = table("above", ("from", "rate"))
    discount = table("discount", ("above", "rate"))
    return Counting(
        cap=number("cap", section["cap"]) if "cap" in section else None,
        above_from=number("above.from", above["from"]) if above else None,
        above_rate=rate("above.rate", above["rate"]) if above else Fraction(1),
        discount_above=number("discount.above", discount["above"]) if discount else None,
        discount_rate=rate("discount.rate", discount["rate"]) if discount else Fraction(0),
    )


def _negative(path: Path, key: str, value: object) -> InputError:
    return InputError(
        lazy("must not be negative, got {value}", value=repr(value)), source=str(path), key=key
    )
