"""Finding a municipality by the name people write: official, folded, misspelt.

Files of names only (a hand-made annex, a list from another system) and the command line
name municipalities as people write them: ``Høje Taastrup``, ``Lyngby-Tårbæk``,
``Kobenhavn``, ``Nordfyns``. :func:`lookup_municipality` finds the one municipality such a
name means, never by guessing; :func:`suggest_municipality` offers the nearest name for a
message. The names come from the packaged FOLK1A table (:mod:`.packaged`); the folding
rule (case, spacing, æ/ø/å) is :func:`costshare.base.danish.fold_name`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from types import MappingProxyType

from costshare.base.danish import fold_name, normalise_name
from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.packaged import packaged_table


@functools.cache
def municipality_names() -> Mapping[str, str]:
    """Code → Statistics Denmark's name of every municipality."""
    _header, rows = packaged_table()
    return MappingProxyType({row[0]: row[1] for row in rows})


def suggest_municipality(name: str) -> str | None:
    """The nearest municipality name to a misspelt one, or None."""
    names = list(municipality_names().values())
    by_normal = {normalise_name(n): n for n in names}
    close = difflib.get_close_matches(normalise_name(name), list(by_normal), n=1, cutoff=0.75)
    return by_normal[close[0]] if close else None


def _name_forms(name: str) -> list[str]:
    """The folded forms a name is matched by, strictest first: as written, without a
    genitive ``s`` (``Nordfyns``, ``Københavns``), and with ``o`` for ``ø`` (``Kobenhavn``)."""
    folded = fold_name(name)
    forms = [folded, folded.removesuffix("s")]
    forms += [form.replace("oe", "o") for form in forms]
    return list(dict.fromkeys(forms))


def lookup_municipality(name: str, names: Mapping[str, str] | None = None) -> str | None:
    """The code of the one municipality ``name`` means, or None if it means none.

    Accepts the official name with or without ``Kommune``, with or without hyphen or space,
    and ``aa``/``oe``/``o``/``ae`` for å/ø/æ; never a guess: when the same form fits more
    than one municipality, :class:`InputError` names the candidates. ``names`` (code →
    name) defaults to the 98 municipalities.

    >>> lookup_municipality("Lyngby-Tårbæk"), lookup_municipality("Kobenhavn")
    ('173', '101')
    >>> lookup_municipality("Tonder", {"1": "Tønder", "2": "Tonders"})
    Traceback (most recent call last):
    ...
    costshare.base.errors.InputError: 'Tonder' fits more than one municipality: Tonders (2), Tønder (1); write the name as it is spelt
    """
    if names is None:
        names, (exact, loose) = _packaged_names_and_index()
    else:
        exact, loose = _name_index(tuple(names.items()))
    forms = _name_forms(name)
    # The folded name itself first, so that a looser form never overrides an exact fit.
    for found in (exact.get(forms[0], set()), set().union(*(loose.get(f, set()) for f in forms))):
        if len(found) == 1:
            return next(iter(found))
        if found:
            candidates = ", ".join(sorted(f"{names[c]} ({c})" for c in found))
            raise InputError(
                lazy(
                    "{value} fits more than one municipality: {candidates}; "
                    "write the name as it is spelt",
                    value=repr(name.strip()),
                    candidates=candidates,
                )
            )
    return None


@functools.cache
def _packaged_names_and_index() -> tuple[
    Mapping[str, str], tuple[dict[str, set[str]], dict[str, set[str]]]
]:
    names = municipality_names()
    return names, _name_index(tuple(names.items()))


@functools.lru_cache(maxsize=8)
def _name_index(
    names: tuple[tuple[str, str], ...],
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Folded name → codes, exact and with every looser form; built once per name list, so
    a file of 100 000 names costs one dictionary look-up per name."""
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}
    for code, known in names:
        forms = _name_forms(known)
        exact.setdefault(forms[0], set()).add(code)
        for form in forms:
            loose.setdefault(form, set()).add(code)
    return exact, loose
