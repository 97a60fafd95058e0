"""Reading what a programme charges: an amount, a rate, or fees by size class (issue #21).

A programme gives exactly one of

* ``amount = "1.050.000"``: a total, split between the parties and then by the key;
* ``rate = "25 kr. pr. indbygger"`` (:func:`costshare.shares.rates.parse_rate`): each
  payer pays the rate times its counted figure, the total follows; under
  ``[municipalities]`` the key may cap (``cap``), count less above a threshold
  (``above``), multiply by a factor or discount, and ``frozen_total`` charges the rate on
  a frozen total distributed by the figures (KL);
* ``key = "classes"`` with ``classes = { bounds = […], fees = […] }``: each payer pays its
  size class's fee, the total follows.

A rate or fees charge each payer by its own figure, so they take no co-financing
parties, no equal part, no fixed amount and no parts.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.base.danish import format_date
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.money import Unit, parse_amount, parse_decimal
from costshare.population.basis_rules import resolve_rule
from costshare.population.packaged import load_packaged, quarter_date
from costshare.shares.rates import Frozen, Rate, parse_rate

FROZEN_KEY = "municipalities.frozen_total"


def read_amount(path: Path, doc: dict[str, Any], unit: Unit) -> tuple[int, Rate | None]:
    """The programme's amount in øre and its rate: ``(amount, None)``, ``(0, rate)``, or
    ``(0, None)`` for fees by size class.

    Raises :class:`InputError` naming the key for a bad amount or rate, for more than
    one of them, and for settings a rate or fees cannot take.
    """
    section = doc.get("municipalities", {})
    classes = section.get("classes")
    fees = isinstance(classes, dict) and "fees" in classes
    given = [
        key for key, present in (("amount", "amount" in doc), ("rate", "rate" in doc)) if present
    ]
    if fees:
        given.append("municipalities.classes.fees")
    if len(given) > 1:
        raise InputError(
            lazy(
                "gives both {first} and {second}; a programme charges an amount, a rate or fees "
                "by size class, so keep one",
                first=given[0],
                second=given[1],
            ),
            source=str(path),
            key=given[1],
        )
    if given == ["amount"]:
        try:
            amount_ore = parse_amount(str(doc["amount"]).strip())
            unit.to_units(amount_ore)
        except InputError as error:
            raise error.within(source=str(path), key="amount") from None
        return amount_ore, None
    _refuse_what_charges_cannot_take(path, doc, given[0])
    if fees:
        return 0, None
    try:
        return 0, parse_rate(str(doc["rate"]))
    except InputError as error:
        raise error.within(source=str(path), key="rate") from None


def _refuse_what_charges_cannot_take(path: Path, doc: dict[str, Any], charge: str) -> None:
    section = doc.get("municipalities", {})
    clashes = [key for key in ("parties",) if doc.get(key)]
    clashes += [
        f"municipalities.{key}" for key in ("equal_part", "fixed", "parts") if key in section
    ]
    if section.get("key", "population") not in ("population", "classes"):
        clashes.append("municipalities.key")
    if charge == "rate" and section.get("key") == "classes":
        clashes.append("municipalities.key")
    if clashes:
        raise InputError(
            lazy(
                "{charge} charges each payer by its own figure, so {key} does not apply; "
                "remove it, or give an amount to split instead",
                charge=charge,
                key=clashes[0],
            ),
            source=str(path),
            key=clashes[0],
        )


def read_frozen(
    path: Path, section: dict[str, Any], rate: Rate | None, year: int, decided: date
) -> Frozen | None:
    """``frozen_total``: a quarter or rule (the 98 municipalities' total then), or
    ``{ count = "5.627.235", source = "…" }``; only with a rate."""
    if "frozen_total" not in section:
        return None
    value = section["frozen_total"]
    if rate is None:
        raise InputError(
            lazy("a frozen total is charged at a rate; give rate = \"… kr. pr. 100 indbyggere\" or remove it"),
            source=str(path),
            key=FROZEN_KEY,
        )  # fmt: skip
    if not rate.inhabitants or any(
        key in section for key in ("cap", "above", "discount", "factor")
    ):
        raise InputError(
            lazy("a frozen total is distributed by the inhabitants as they are; remove cap, above, discount and factor"),
            source=str(path),
            key=FROZEN_KEY,
        )  # fmt: skip
    if isinstance(value, str):
        return _frozen_quarter(path, value, year, decided)
    unknown = set(value) - {"count", "source"}
    if unknown or "count" not in value or "source" not in value:
        raise InputError(
            lazy(
                'write frozen_total = "2016K1" (a quarter) or frozen_total = {{ count = '
                '"5.627.235", source = "Danmarks Statistik, FOLK1A, 1. januar 2014" }}'
            ),
            source=str(path),
            key=FROZEN_KEY,
        )
    try:
        count = parse_decimal(str(value["count"]).strip(), "count", "5627235", money=True)
    except InputError as error:
        raise error.within(source=str(path), key=f"{FROZEN_KEY}.count") from None
    if count <= 0 or count != int(count):
        raise InputError(
            lazy("must be a whole number above 0, got {value}", value=repr(value["count"])),
            source=str(path),
            key=f"{FROZEN_KEY}.count",
        )
    return Frozen(Fraction(int(count)), str(value["source"]).strip())


def _frozen_quarter(path: Path, value: str, year: int, decided: date) -> Frozen:
    try:
        ruled = resolve_rule(value, year, decided)
        quarter = ruled.quarter if ruled else value.strip()
        total = load_packaged(quarter).total
    except InputError as error:
        raise error.within(source=str(path), key=FROZEN_KEY) from None
    words = f"landets indbyggertal {format_date(quarter_date(quarter))} ({quarter}; de 98 kommuner)"
    return Frozen(Fraction(total), words)
