"""The payers of an annex package as its files address them: names, addresses, file names.

:func:`recipients` lists every payer of a computed programme (from
:func:`costshare.payers.payers`, so the order and the amounts are the same as ``explain``
and ``verify`` use) with what the workbooks and letters need besides: the name to address
(``Gentofte Kommune``), the postal address of a co-financing party, and a file name that
is safe on every system (:func:`file_stem`).

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

from costshare.population.municipalities import municipality

# The files of a package, by name: the one place that says what a package's files are
# called, for the writers, the letters that attach them and the readers that find them.
MANIFEST_FILE = "manifest.json"
OVERVIEW_FILE = "finansiering-pr-kommune.xlsx"
ANNEX_FILE = "bilag-finansiering-pr-kommune.pdf"
REVIEW_FILE = "gennemsyn-alle-breve.pdf"
SETTLEMENT_OVERVIEW_FILE = "efterregulering.xlsx"
YEARS_OVERVIEW_FILE = "oversigt-alle-aar.xlsx"
EINVOICE_FOLDER = "einvoices"
PROGRAMME_FOLDER = "programfil"  # the programme and the user's files it names (issue #20)

_NOT_IN_NAME = r'\x00-\x1f\x7f/\\:*?"<>|'
SEGMENT = f"[^{_NOT_IN_NAME}.]([^{_NOT_IN_NAME}]{{0,98}}[^{_NOT_IN_NAME}. ])?"
"""One name in a package path: what every file system takes (no separator, no character
Windows refuses, not hidden, no ``..``, no final dot or space), at most 100 characters."""
PATH_PATTERN = f"^{SEGMENT}(/{SEGMENT}){{0,3}}$"

_TRANSLITERATE = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ß": "ss"}
)
_SLUG_MAX = 40


def official_name(code: str, name: str) -> str:
    """The name a municipality is addressed by: ``Gentofte Kommune``.

    The name registered with its CVR number (the packaged register), else ``<name> Kommune``.
    """
    known = municipality(code)
    if known is not None:
        return known.official_name
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
