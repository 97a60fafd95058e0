"""The facts every file of an annex package shares: who pays, file names, provenance.

:mod:`costshare.render_excel` and :mod:`costshare.render_letters` turn a
:class:`~costshare.programme.ProgrammeResult` into files; this module gives them the same
list of payers (:func:`payers`), the same safe file names (:func:`file_stem`) and the same
record of where the figures came from (:class:`Provenance`), so an amount or a name can
never differ between the overview, a payer's workbook and its letter.

>>> file_stem("157", "Gentofte")
'157-gentofte'
>>> file_stem("084", "Region Hovedstaden")
'084-region-hovedstaden'
>>> file_stem("../x", "Ærø/Ølstykke: Åbenrå #1")
'x-aeroe-oelstykke-aabenraa-1'
>>> official_name("101", "København")
'Københavns Kommune'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .programme import ProgrammeResult

# Names that are not "<name> Kommune" (Danmarks Statistik lists the short form).
_OFFICIAL_NAMES = {"101": "Københavns Kommune", "400": "Bornholms Regionskommune"}
_TRANSLITERATE = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"}
)
_SLUG_MAX = 40


@dataclass(frozen=True)
class Payer:
    """One party that receives a letter and a workbook: a municipality, or e.g. the region."""

    code: str
    name: str
    """The name as the figures give it (``Gentofte``)."""
    official_name: str
    """The name to address (``Gentofte Kommune``)."""
    amount_ore: int
    municipal: bool
    address: str = ""

    @property
    def stem(self) -> str:
        """The file name without extension: ``157-gentofte``."""
        return file_stem(self.code, self.name)


@dataclass(frozen=True)
class Provenance:
    """Where a run's figures came from, printed in every workbook and in the manifest.

    ``inputs`` pairs a description of each input file with its SHA-256; ``what_if``
    lists the overrides (``--amount``, ``--population``) in Danish, empty for a run on
    the programme as decided.
    """

    version: str
    programme_file: str
    population_basis: str
    population_source: str
    population_date: date | None
    inputs: tuple[tuple[str, str], ...]
    what_if: tuple[str, ...] = field(default=())


def payers(result: ProgrammeResult) -> list[Payer]:
    """Every paying party: the municipalities in the figures' order, then the others."""
    split = result.municipal
    population = split.population
    listed = [
        Payer(
            code=code,
            name=name,
            official_name=official_name(code, name) if population.municipal else name,
            amount_ore=split.share_ore(code),
            municipal=True,
        )
        for code, name in zip(population.codes, population.names, strict=True)
    ]
    for party in result.other_parties:
        listed.append(
            Payer(
                party.code,
                party.name,
                party.name,
                result.party_parts_ore[party.code],
                False,
                party.address,
            )
        )
    return listed


def official_name(code: str, name: str) -> str:
    """The name a municipality is addressed by: ``Gentofte Kommune``."""
    if code in _OFFICIAL_NAMES:
        return _OFFICIAL_NAMES[code]
    return name if name.casefold().endswith("kommune") else f"{name} Kommune"


def slug(text: str) -> str:
    """ASCII lower-case words joined by ``-``: æ→ae, ø→oe, å→aa, other accents dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    joined = "-".join(words)[:_SLUG_MAX].strip("-")
    return joined or "x"


def file_stem(code: str, name: str) -> str:
    """``<code>-<slug of name>``, safe as a file name on every system (no separators)."""
    return f"{slug(code)}-{slug(name)}"
