"""Reading a programme's population basis: a quarter, a file or a rule, and when it came out.

``[municipalities] population`` names the figures: a quarter (``"2025K1"``), a file, or a
rule such as ``"1. januar i budgetåret"`` (:mod:`costshare.population.basis_rules`), which
is resolved against the programme's ``year`` and the decision's date.

A decision cannot have been taken on figures that did not exist yet, unless it named
them in advance. So a basis that Statistics Denmark published after the decision date is
refused, with two exceptions (issue #21):

* 1 January of the budget year or of the year before (``{year}K1``, ``{year-1}K1``),
  written as the quarter or as the rule: the customary bases, which decisions name in
  advance ("fordeles efter indbyggertal pr. 1. januar 2025", decided on 3 February 2025);
* ``population_after_decision = true`` under ``[municipalities]``: the decision says so.

``costshare run`` still warns, after writing the package, when the letters are dated
before the basis was published.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.basis_rules import (
    RuledBasis,
    looks_like_rule,
    newest_published,
    published_on,
    resolve_rule,
    unknown_rule,
)
from costshare.population.packaged import (
    _QUARTER_LIKE,
    is_quarter,
    load_packaged,
    year_instead_of_quarter,
)
from costshare.population.regions import regions_inner
from costshare.population.releases import published_words, released_with

POPULATION_KEY = "municipalities.population"


def read_basis(
    path: Path, section: dict[str, Any], year: int, decided: date, key: str = POPULATION_KEY
) -> tuple[str, RuledBasis | None]:
    """The basis a programme's ``[municipalities]`` names (a quarter or a file), and the
    rule it was named by, if any.

    Raises :class:`InputError` naming the key for a basis that is no quarter, file or
    rule, one costshare does not have, or one published after the decision (see the
    module docstring).
    """
    if "population" not in section:
        raise InputError(
            lazy(
                "key '{key}' is missing; state the population basis under [municipalities], "
                'e.g. population = "2025K1" (a packaged quarter) or a CSV/Excel file',
                key=key,
            ),
            source=str(path),
        )
    given = str(section["population"]).strip()
    inner = regions_inner(given)
    if inner is not None:  # the regions, summed from the municipalities on ``inner``
        inner_basis, ruled = read_basis(path, {**section, "population": inner}, year, decided, key)
        return f"regioner:{inner_basis}", ruled
    try:
        ruled = resolve_rule(given, year, decided)
    except InputError as error:
        raise error.within(source=str(path), key=key) from None
    is_file = (path.parent / given).exists()
    if ruled is None and looks_like_rule(given) and not is_file:
        raise unknown_rule(given).within(source=str(path), key=key)
    basis = ruled.quarter if ruled else given
    if is_quarter(basis) or (_QUARTER_LIKE.match(basis) and not is_file):
        try:
            load_packaged(basis)
        except InputError as error:
            raise error.within(source=str(path), key=key) from None
    year_error = year_instead_of_quarter(basis)
    if year_error is not None and not is_file:
        raise year_error.within(source=str(path), key=key)
    if not is_file:
        intended = bool(section.get("population_after_decision", False))
        refuse_late_basis(path, basis, year, decided, intended, key)
    return basis, ruled


def customary_quarters(year: int) -> tuple[str, str]:
    """1 January of the budget year and of the year before: ``("2025K1", "2024K1")``."""
    return f"{year}K1", f"{year - 1}K1"


def refuse_late_basis(
    path: Path, basis: str, year: int, decided: date, intended: bool, key: str = POPULATION_KEY
) -> None:
    """Refuse a quarter published after the decision, unless it is customary or intended.

    A month (FOLK1AM keeps its own calendar) and a file have no known publication date
    and pass.
    """
    quarter = released_with(basis)
    if quarter is None or intended or quarter in customary_quarters(year):
        return
    if published_on(quarter) <= decided:
        return
    raise InputError(
        lazy(
            "population {basis} was published by Statistics Denmark {when}, after the "
            "decision of {decided}, so the decision cannot have been taken on it; use a "
            "quarter published by then (the newest is {newest}) or the rule the decision "
            'names (e.g. "1. januar i budgetåret"), or, if the decision named these later '
            "figures, add population_after_decision = true under [municipalities]",
            basis=basis,
            when=published_words(quarter),
            decided=decided.isoformat(),
            newest=newest_published(decided),
        ),
        source=str(path),
        key=key,
    )
