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

import hashlib
from pathlib import Path
from typing import Any

from costshare.base.codes import code_key
from costshare.base.errors import InputError
from costshare.base.i18n import lazy, mark
from costshare.population.basis import load_basis
from costshare.population.basis_rules import resolve_rule, with_rule
from costshare.population.crosscheck import cross_check
from costshare.population.packaged import REGION_CODES as REGION_CODES  # re-exported
from costshare.population.packaged import Population
from costshare.programme.municipal_split import municipal_split
from costshare.programme.reading import build
from costshare.programme.records import MUNICIPAL_PARTY as MUNICIPAL_PARTY  # re-exported
from costshare.programme.records import Party as Party  # re-exported
from costshare.programme.records import Programme as Programme  # re-exported
from costshare.programme.records import ProgrammeResult as ProgrammeResult  # re-exported
from costshare.programme.schema import read_document
from costshare.shares.splitting import cofinance
from costshare.shares.weights import integer_weights

# A [[years]] list with no year in it: refused the same way however the file is loaded.
NO_YEARS = mark("{path}: key 'years': is empty; add a [[years]] table a year")


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
        if not document["years"]:
            raise InputError(lazy(NO_YEARS, path=path))
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
    return build(path, sha256, document)


def build_programme(path: Path, sha256: str, document: dict[str, Any]) -> Programme:
    """A :class:`Programme` from an already read and shape-checked TOML table.

    Used by :mod:`costshare.programme.years` for each year of a multi-year programme.
    """
    return build(path, sha256, document)


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
    population = programme_population(programme, population_override)
    _refuse_shared_codes(programme, population)
    if programme.charged:
        if amount_override_ore is not None:
            raise InputError(
                lazy(
                    "--amount: the amounts follow from the programme's rate or fees; "
                    "change them in a copy of the programme instead"
                )
            )
        municipal = municipal_split(programme, population, None, population_override)
        parts = {MUNICIPAL_PARTY: municipal.amount_ore}
    else:
        amount_ore = programme.amount_ore if amount_override_ore is None else amount_override_ore
        weights = integer_weights({party.code: party.weight for party in programme.parties})
        parts = cofinance(amount_ore, weights, unit=programme.unit, method=programme.method)
        municipal = municipal_split(
            programme, population, parts[MUNICIPAL_PARTY], population_override
        )
    register = {}
    if programme.register is not None:
        from costshare.programme.register import load_register

        codes = [*municipal.population.codes, *(p.code for p in programme.parties)]
        official = municipal.population.codes if municipal.population.municipal else ()
        payer_codes = [c for c in codes if c != MUNICIPAL_PARTY]
        register = load_register(programme.register, payer_codes, official)
    return ProgrammeResult(programme, parts, municipal, register, cross_check(population))


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
    """The paying municipalities and their population, per the programme (or an override).

    A basis named by rule (the programme's, or an override such as ``--population "1.
    januar året før"``) is resolved against the programme's year and decision date, and
    its source line names the rule.
    """
    rule = programme.population_rule
    if override is not None:
        rule = resolve_rule(override, programme.year, programme.decision_date)
        population = load_basis(rule.quarter if rule else override, None, programme.column)
    else:
        population = load_basis(programme.population_basis, programme.path.parent, programme.column)
    if rule is not None:
        population = with_rule(population, rule)
    if programme.region:
        population = population.select_region(programme.region)
    try:
        selected = population.select_codes(programme.include, programme.exclude)
    except InputError as error:
        raise InputError(
            lazy(
                "key 'municipalities.include' or 'exclude': {problem}; correct the code",
                problem=error,
            ),
            source=str(programme.path),
        ) from None
    if not selected.codes:  # said here, where the file and key are known
        raise InputError(
            lazy("leaves no municipality to pay; exclude fewer"),
            source=str(programme.path),
            key="municipalities.exclude",
        )
    return selected
