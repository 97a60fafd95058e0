"""Reading the key of the municipalities' split from a programme's ``[municipalities]``.

``key`` (population, equal, mixed with ``equal_part``, or classes with ``classes``:
issue #21), a ``fixed`` amount per recipient, and the settings that count a figure
otherwise than once: ``cap``, ``above = {from, rate}``, ``discount = {above, rate}`` and
``factor`` (issue #13). A part of the key (``[[municipalities.parts]]``) is read the same
way, its errors naming ``municipalities.parts[1]``.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.base.codes import is_number_code, read_code
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark
from costshare.base.money import parse_amount, parse_decimal, parse_percent
from costshare.shares.classes import SizeClasses
from costshare.shares.splitting import Key
from costshare.shares.weights import Counting

KEYS = ("population", "equal", "mixed", "classes")
# A weight (a party's, a part's), as the message about a bad one names it and shows it.
WEIGHT = mark("weight")
WEIGHT_EXAMPLE = mark('50 or "50 %"')


def read_key(path: Path, section: dict[str, Any], where: str = "municipalities") -> Key:
    """The key a ``[municipalities]`` table (or a part of it, ``where``) gives."""
    name = section.get("key", "population")
    fixed_ore = _fixed(path, section, where)
    if "equal_part" in section and name != "mixed":
        raise InputError(
            lazy(
                'is only used with key = "mixed", but key is {name}; '
                'set key = "mixed" or remove equal_part',
                name=repr(name),
            ),
            source=str(path),
            key=f"{where}.equal_part",
        )
    if "classes" in section and name != "classes":
        raise InputError(
            lazy(
                'is only used with key = "classes", but key is {name}; '
                'set key = "classes" or remove classes',
                name=repr(name),
            ),
            source=str(path),
            key=f"{where}.classes",
        )
    equal = _equal_part(path, section, name, where)
    classes = read_classes(path, section, where) if name == "classes" else None
    counting = _counting(path, section, where)
    factor = bool(section.get("factor", False))
    if name == "equal" and (factor or not counting.is_plain):
        raise InputError(
            lazy(
                'cap, above, discount and factor count inhabitants, but key = "equal" splits '
                'equally; use key = "population" or "mixed", or remove them'
            ),
            source=str(path),
            key=f"{where}.key",
        )
    if classes is not None and (factor or not counting.is_plain or fixed_ore):
        raise InputError(
            lazy(
                'key = "classes" classes each payer by its figure as it is; remove cap, '
                "above, discount, factor and fixed"
            ),
            source=str(path),
            key=f"{where}.key",
        )
    return Key(
        equal=equal,
        population=1 - equal,
        fixed_ore=fixed_ore,
        counting=counting,
        factor=factor,
        classes=classes,
    )


def _fixed(path: Path, section: dict[str, Any], where: str) -> int:
    try:
        fixed_ore = parse_amount(str(section["fixed"])) if "fixed" in section else 0
    except InputError as error:
        raise error.within(source=str(path), key=f"{where}.fixed") from None
    if fixed_ore < 0:
        raise negative(path, f"{where}.fixed", section["fixed"])
    return fixed_ore


def _equal_part(path: Path, section: dict[str, Any], name: str, where: str) -> Fraction:
    """The share split equally: none by population or classes, all of it for equal."""
    if name in ("population", "classes"):
        return Fraction(0)
    if name == "equal":
        return Fraction(1)
    if name == "mixed":
        if "equal_part" not in section:
            raise InputError(
                lazy(
                    'key \'{key}\' is missing; key = "mixed" needs e.g. equal_part = "40 %"',
                    key=f"{where}.equal_part",
                ),
                source=str(path),
            )
        try:
            return parse_percent(str(section["equal_part"]), "equal_part")
        except InputError as error:
            raise error.within(source=str(path), key=f"{where}.equal_part") from None
    close = difflib.get_close_matches(str(name), list(KEYS), n=1)
    hint = (
        lazy("did you mean '{name}'?", name=close[0])
        if close
        else lazy("use population, equal, mixed or classes")
    )
    raise InputError(
        lazy("unknown key {name}; {hint}", name=repr(name), hint=hint),
        source=str(path),
        key=f"{where}.key",
    )


def read_classes(path: Path, section: dict[str, Any], where: str) -> SizeClasses:
    """``classes = { bounds = [25000, 60000], weights = [1, 2, 3] }`` (or ``fees``)."""
    entry = section.get("classes")
    key = f"{where}.classes"
    if entry is None:
        raise InputError(
            lazy(
                "key '{key}' is missing; key = \"classes\" needs e.g. "
                'classes = {{ bounds = [25000, 60000], fees = ["10.000", "20.000", "30.000"] }}',
                key=key,
            ),
            source=str(path),
        )
    bounds = tuple(
        _number(path, f"{key}.bounds[{index}]", value, money=True)
        for index, value in enumerate(entry.get("bounds", []), start=1)
    )
    weights = tuple(
        _number(path, f"{key}.weights[{index}]", value)
        for index, value in enumerate(entry.get("weights", []), start=1)
    )
    fees = []
    for index, value in enumerate(entry.get("fees", []), start=1):
        try:
            fees.append(parse_amount(str(value)))
        except InputError as error:
            raise error.within(source=str(path), key=f"{key}.fees[{index}]") from None
    try:
        return SizeClasses(bounds, weights=weights, fees_ore=tuple(fees))
    except InputError as error:
        raise error.within(source=str(path), key=key) from None


def _number(path: Path, key: str, value: Any, money: bool = False) -> Fraction:
    try:
        parsed = parse_decimal(str(value).strip(), key, "100000", money=money)
    except InputError as error:
        raise error.within(source=str(path), key=key) from None
    if parsed < 0:
        raise negative(path, key, value)
    return Fraction(parsed)


def _counting(path: Path, section: dict[str, Any], where: str) -> Counting:
    """``cap``, ``above = {from, rate}`` and ``discount = {above, rate}`` (issue #13)."""

    def number(key: str, value: Any) -> Fraction:
        try:
            parsed = parse_decimal(str(value).strip(), key, "100000")
        except InputError as error:
            raise error.within(source=str(path), key=f"{where}.{key}") from None
        if parsed < 0:
            raise negative(path, f"{where}.{key}", value)
        return Fraction(parsed)

    def rate(key: str, value: Any) -> Fraction:
        try:
            parsed = parse_percent(str(value), key)
        except InputError as error:
            raise error.within(source=str(path), key=f"{where}.{key}") from None
        if not 0 <= parsed <= 1:
            raise InputError(
                lazy("must be between 0 % and 100 %, got {value}", value=repr(value)),
                source=str(path),
                key=f"{where}.{key}",
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
                    key=f"{where}.{name}.{key}",
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


def negative(path: Path, key: str, value: object) -> InputError:
    return InputError(
        lazy("must not be negative, got {value}", value=repr(value)), source=str(path), key=key
    )


def code_of(value: str) -> str:
    """A code as given (``0157`` is ``157``)."""
    value = read_code(value)
    return str(int(value)) if is_number_code(value) else value


def fraction(path: Path, key: str, value: str | int) -> Fraction:
    """A weight such as ``50``, ``"50 %"`` or ``"33,5"``, exactly; never negative."""
    try:
        number = parse_decimal(str(value).strip().removesuffix("%").strip(), WEIGHT, WEIGHT_EXAMPLE)
    except InputError as error:
        raise error.within(source=str(path), key=key) from None
    if number < 0:
        raise negative(path, key, value)
    return Fraction(Decimal(number))
