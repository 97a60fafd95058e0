"""Reading a key in parts: ``[[municipalities.parts]]`` (issue #21).

Movia's rule for a bus line: 80 % by the service hours in the municipalities the line
runs through, 20 % by population among all the municipalities of the region. Each
``[[municipalities.parts]]`` table is one part:

=====================  ==================================================================
``name``               what the part is called in every document (required)
``weight``             its share of the amount, ``"80 %"`` or ``80`` (required; the
                       weights are taken relative to their sum)
``population``         its figures: a quarter, a rule, an age group or a file; default
                       the programme's ``[municipalities] population``
``column``             a figure column of that file (``"køreplantimer"``)
``region``,            its payers; without any of them, the programme's payers
``include``,
``exclude``
``key`` and the rest   as under ``[municipalities]``: ``population``, ``equal``,
                       ``mixed`` with ``equal_part``, ``classes`` with weights, and
                       ``cap``, ``above``, ``discount``, ``factor``
=====================  ==================================================================

Every payer of a part must be a payer of the programme (``[municipalities]`` says who
may pay; each part says which of them take part in it). Each payer's exact amount is
the sum of what each part gives it, rounded once (:class:`costshare.shares.splitting.KeyPart`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.basis_rules import RuledBasis
from costshare.population.packaged import resolve_region
from costshare.programme.basis_reading import read_basis
from costshare.programme.key_reading import code_of, fraction, read_key
from costshare.shares.splitting import Key

# What [municipalities] itself cannot say when the key is in parts: each part says it.
_PER_PART = ("key", "equal_part", "fixed", "factor", "cap", "above", "discount", "classes")


@dataclass(frozen=True)
class PartSpec:
    """One part as the programme gives it; its figures are loaded when it is computed."""

    name: str
    weight: Fraction
    """The part's share of the amount (the parts' shares add up to 1)."""
    key: Key
    basis: str | None = None
    """Its own figures (a quarter or a file), or None for the programme's."""
    rule: RuledBasis | None = None
    column: str | None = None
    region: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def own_payers(self) -> bool:
        """Whether the part names its payers (else it has the programme's)."""
        return self.region is not None or bool(self.include) or bool(self.exclude)


def read_parts(
    path: Path, section: dict[str, Any], year: int, decided: date
) -> tuple[PartSpec, ...]:
    """The parts of ``[municipalities]``, or ``()`` for a key in one piece.

    Raises :class:`InputError` naming ``municipalities.parts[n]`` and the key.
    """
    entries = section.get("parts", [])
    if not entries:
        return ()
    for key in _PER_PART:
        if key in section and not (key == "key" and section[key] == "parts"):
            raise InputError(
                lazy(
                    "the key is in parts, so each part gives its own {key}; move it into the "
                    "[[municipalities.parts]] it belongs to",
                    key=key,
                ),
                source=str(path),
                key=f"municipalities.{key}",
            )
    specs = [
        _part(path, entry, index, year, decided, section) for index, entry in enumerate(entries, 1)
    ]
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise InputError(
            lazy("two parts have the same name; give each its own"),
            source=str(path),
            key="municipalities.parts",
        )
    total = sum((spec.weight for spec in specs), Fraction(0))
    if not total:
        raise InputError(
            lazy("the weights sum to zero; give them shares such as 80 and 20"),
            source=str(path),
            key="municipalities.parts",
        )
    from dataclasses import replace

    return tuple(replace(spec, weight=spec.weight / total) for spec in specs)


def _part(
    path: Path,
    entry: dict[str, Any],
    index: int,
    year: int,
    decided: date,
    section: dict[str, Any],
) -> PartSpec:
    where = f"municipalities.parts[{index}]"
    for required in ("name", "weight"):
        if required not in entry:
            raise InputError(
                lazy(
                    "key '{key}' is missing; each part needs a name and a weight",
                    key=f"{where}.{required}",
                ),
                source=str(path),
            )
    basis, rule = None, None
    if "population" in entry:
        flag = section.get("population_after_decision", False)
        own = {**entry, "population_after_decision": entry.get("population_after_decision", flag)}
        basis, rule = read_basis(path, own, year, decided, key=f"{where}.population")
    region = entry.get("region")
    if region is not None:
        try:
            resolve_region(region)
        except InputError as error:
            raise error.within(source=str(path), key=f"{where}.region") from None
    key = read_key(path, entry, where)
    if key.classes is not None and key.classes.fees:
        raise InputError(
            lazy("a part shares the amount by weights; give the classes weights, not fees"),
            source=str(path),
            key=f"{where}.classes",
        )
    return PartSpec(
        name=str(entry["name"]).strip(),
        weight=fraction(path, f"{where}.weight", entry["weight"]),
        key=key,
        basis=basis,
        rule=rule,
        column=entry.get("column"),
        region=region,
        include=tuple(code_of(code) for code in entry.get("include", [])),
        exclude=tuple(code_of(code) for code in entry.get("exclude", [])),
    )
