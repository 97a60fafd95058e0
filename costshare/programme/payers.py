"""Who pays in a computed programme, and finding a payer by code or name.

A finance officer names a payer the way it is written on the page in front of them:
``157``, ``0157``, ``gentofte``, ``Gentofte Kommune``, ``Københavns Kommune``,
``Region Hovedstaden`` or ``084``. :func:`match_payer` accepts all of these;
:func:`find_payer` also explains a miss, suggesting the nearest payer for a typo and
saying so when a real municipality simply does not pay in this programme.

>>> from pathlib import Path
>>> from costshare.programme.model import compute, load_programme
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> find_payer(result, "Gentofte Kommune")  # doctest: +ELLIPSIS
Payer(code='157', name='Gentofte', municipal=True, amount_ore=2041500, official_name='Gentofte Kommune', address='Bernstorffsvej 161', ..., cvr='19438414', ..., reference='SAG-2024-05018-157')
>>> find_payer(result, "84").name
'Region Hovedstaden'
>>> find_payer(result, "Gentofe")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
costshare.base.errors.InputError: no payer called 'Gentofe' in ...; did you mean 'Gentofte' (157)?
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Any

from costshare.base.codes import code_key, is_number_code, read_code, same_code
from costshare.base.danish import normalise_name
from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy, nlazy
from costshare.base.patterns import fill_pattern
from costshare.population.municipalities import municipality
from costshare.population.names import lookup_municipality, municipality_names, suggest_municipality
from costshare.programme.model import MUNICIPAL_PARTY, ProgrammeResult
from costshare.programme.naming import file_stem, official_name
from costshare.programme.register import RegisterEntry


@dataclass(frozen=True)
class Payer:
    """One payer: a municipality, or a co-financing party such as the region."""

    code: str
    name: str
    """The name as the figures give it (``Gentofte``)."""
    municipal: bool
    """Whether it is one of the recipients of the municipal split (not a co-financing party)."""
    amount_ore: int
    official_name: str = ""
    """The name to address (``Gentofte Kommune``)."""
    address: str = ""
    # From the payer register (issue #10), "" where it gives nothing: what a letter's
    # address block, a workbook and an e-invoice need to reach and identify the payer.
    postcode: str = ""
    city: str = ""
    cvr: str = ""
    ean: str = ""
    attention: str = ""
    email: str = ""
    order_reference: str = ""
    reference: str = ""
    """This payer's own reference for the charge (unique within a run)."""

    @property
    def stem(self) -> str:
        """The file name without extension: ``157-gentofte``."""
        return file_stem(self.code, self.name)


def payers(result: ProgrammeResult) -> list[Payer]:
    """Every payer: the municipalities in the population's order, then the other parties.

    Municipalities (when the figures are municipalities) are addressed by their official
    name and carry their CVR number (the packaged register); a co-financing party by its
    own name and the address the programme gives. The programme's payer register, where
    it has a row for the payer, adds or replaces name, address, CVR, EAN and att. Each
    payer gets its own reference (:func:`reference`).
    """
    split = result.municipal
    official = split.population.municipal
    found = []
    for code, name, _count, share_ore in split.rows():
        known = municipality(code) if official else None
        found.append(
            Payer(
                code,
                name,
                True,
                share_ore,
                official_name(code, name) if official else name,
                cvr=known.cvr if known else "",
            )
        )
    found += [
        Payer(
            party.code,
            party.name,
            False,
            result.party_parts_ore[party.code],
            party.name,
            party.address,
        )
        for party in result.other_parties
    ]
    return [
        _registered(
            replace(payer, reference=reference(result, payer.code, number)),
            result.register.get(payer.code),
        )
        for number, payer in enumerate(found, start=1)
    ]


def reference(result: ProgrammeResult, code: str, number: int) -> str:
    """A payer's own reference: the programme's pattern (default ``{case_number}-{code}``).

    Stable across reruns (it depends on the programme and the code or position only) and
    unique within a run, since codes are.
    """
    programme = result.programme
    values = {"case_number": programme.case_number, "code": code, "year": programme.year}
    return fill_pattern(programme.reference, values | {"number": number})


def _registered(payer: Payer, entry: RegisterEntry | None) -> Payer:
    """The payer with what its register row gives (a blank cell keeps what it had)."""
    if entry is None:
        return payer
    given = {
        "official_name": entry.name,
        "address": entry.address,
        "postcode": entry.postcode,
        "city": entry.city,
        "cvr": entry.cvr,
        "ean": entry.ean,
        "attention": entry.attention,
        "email": entry.email,
        "order_reference": entry.order_reference,
    }
    changes: dict[str, Any] = {key: value for key, value in given.items() if value}
    return replace(payer, **changes)


def name_keys(name: str) -> list[str]:
    """The forms a name is looked up by, most literal first.

    ``Københavns Kommune`` → ``københavns``, then ``københavn`` (the genitive s), and
    ``Bornholms Regionskommune`` → ``bornholms``, ``bornholm``.
    """
    key = normalise_name(name).removesuffix(" regionskommune").strip()
    keys = [key]
    if key.endswith("s"):
        keys.append(key[:-1])
    return keys


def match_payer(result: ProgrammeResult, text: str) -> Payer | None:
    """The payer with this code or name, or None."""
    text = read_code(text)
    if not text:
        return None
    by_code, by_name = _lookup(result)
    found = by_code.get(code_key(text))
    if found is not None:
        return found
    for key in name_keys(text):
        if key in by_name:
            return by_name[key]
    # Hyphen, space and Danish-letter variants (Høje Taastrup, Kobenhavn) of a
    # municipality; only the one municipality they fit, never a guess.
    municipal = {payer.code: payer for payer in by_code.values() if payer.municipal}
    code = lookup_municipality(text, {code: payer.name for code, payer in municipal.items()})
    return municipal.get(code) if code is not None else None


# The lookup of the last result asked about: verify asks once per annex row, and
# rebuilding the payers each time made a 100,000-row check quadratic.
_last_lookup: list[tuple[ProgrammeResult, tuple[dict[Any, Payer], dict[str, Payer]]]] = []


def _lookup(result: ProgrammeResult) -> tuple[dict[Any, Payer], dict[str, Payer]]:
    if _last_lookup and _last_lookup[0][0] is result:
        return _last_lookup[0][1]
    every = payers(result)
    by_code: dict[Any, Payer] = {}
    for payer in every:
        by_code.setdefault(code_key(payer.code), payer)
    by_name = {normalise_name(payer.name): payer for payer in every}
    _last_lookup[:] = [(result, (by_code, by_name))]
    return by_code, by_name


def municipality_code(text: str) -> str | None:
    """The kommunekode of any Danish municipality named or numbered ``text``, or None."""
    text = read_code(text)
    names = municipality_names()
    if is_number_code(text):
        return next((code for code in names if same_code(code, text)), None)
    return lookup_municipality(text)


def suggestion(result: ProgrammeResult, text: str) -> str:
    """A hint for a payer that was not found: the nearest name, or why it is absent."""
    return str(_suggestion(result, text))


def _suggestion(result: ProgrammeResult, text: str) -> Text:
    """:func:`suggestion`, rendered when shown (inside an error)."""
    every = payers(result)
    code = municipality_code(text)
    if code is not None:
        name = municipality_names()[code]
        return lazy(
            "{name} ({code}) does not pay in this programme; it has {who}",
            name=name,
            code=code,
            who=_who(result),
        )
    by_name = {normalise_name(payer.name): payer for payer in every}
    close = difflib.get_close_matches(name_keys(text)[0], list(by_name), n=1, cutoff=0.75)
    if close:
        payer = by_name[close[0]]
        return lazy("did you mean '{name}' ({code})?", name=payer.name, code=payer.code)
    elsewhere = suggest_municipality(text) if text.strip() else None
    if elsewhere:
        return lazy(
            "did you mean '{name}'? it does not pay in this programme either", name=elsewhere
        )
    return lazy("give a code or a name; the payers are {who}", who=_who(result))


def find_payer(result: ProgrammeResult, text: str) -> Payer:
    """The payer with this code or name (any case).

    Raises :class:`InputError` with a suggestion when there is none.
    """
    payer = match_payer(result, text)
    if payer is None or payer.code == MUNICIPAL_PARTY:
        raise InputError(
            lazy(
                "no payer called {name} in {title}; {hint}",
                name=repr(text.strip()),
                title=result.programme.short_title,
                hint=_suggestion(result, text),
            )
        )
    return payer


def _who(result: ProgrammeResult) -> Text:
    population = result.municipal.population
    count = len(population.codes)
    who = (
        nlazy("{n} municipality", "{n} municipalities", count, n=count)
        if population.municipal
        else nlazy("{n} recipient", "{n} recipients", count, n=count)
    )
    for party in result.other_parties:
        other = f"{party.name} ({party.code})"
        who = lazy("{first} and {second}", first=who, second=other)
    return who
