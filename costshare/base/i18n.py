"""The language of messages: Danish or English (issue #11, docs/design/danish-interface.md).

Message ids are the English texts with named placeholders, so English needs no catalogue
and a missing translation falls back to the English text instead of a blank. The Danish
texts live in ``costshare/locale/da/LC_MESSAGES/costshare.po`` (reviewed) and its
compilation ``costshare.mo`` (read here with the standard library's :mod:`gettext`).

The library speaks English until asked otherwise (:func:`set_language`); the command line
chooses with :func:`language_from_environment` and ``--lang``.

>>> set_language("en")
>>> ntr("{n} row", "{n} rows", 3, n=3)
'3 rows'
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
DOMAIN = "costshare"

_active: list[Language] = ["en"]


def set_language(language: Language) -> None:
    """Make ``language`` the language of every message rendered from now on."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    _active[0] = language


def language() -> Language:
    """The active language."""
    return _active[0]


def language_from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """``COSTSHARE_LANG``, else the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set:
    English if it starts with ``en``, Danish otherwise (``C.UTF-8`` says nothing, and a
    Danish Windows machine often sets none of them).

    >>> language_from_environment({"LANG": "en_GB.UTF-8"})
    'en'
    >>> language_from_environment({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"})
    'da'
    >>> language_from_environment({"COSTSHARE_LANG": "en", "LANG": "da_DK.UTF-8"})
    'en'
    >>> language_from_environment({})
    'da'
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("COSTSHARE_LANG", "").strip().lower()
    if chosen:
        return "en" if chosen.startswith("en") else "da"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if value.startswith("en") else "da"
    return "da"


@cache
def _danish() -> gettext.NullTranslations:
    folder = resources.files("costshare") / "locale" / "da" / "LC_MESSAGES"
    try:
        with (folder / f"{DOMAIN}.mo").open("rb") as catalogue:
            return gettext.GNUTranslations(catalogue)
    except FileNotFoundError:  # a broken install: English beats a crash
        return gettext.NullTranslations()


def _catalogue() -> gettext.NullTranslations:
    return _danish() if _active[0] == "da" else gettext.NullTranslations()


def gettext_(msgid: str) -> str:
    """``msgid`` in the active language, without filling placeholders (click's texts)."""
    return _catalogue().gettext(msgid)


def ngettext_(singular: str, plural: str, n: int) -> str:
    """The plural form for ``n`` in the active language, without filling placeholders."""
    return _catalogue().ngettext(singular, plural, n)


def tr(msgid: str, /, **fields: object) -> str:
    """``msgid`` in the active language, with its ``{placeholders}`` filled from ``fields``.

    >>> tr("{what} {value} is not a number", what="--amount", value="'abc'")
    "--amount 'abc' is not a number"
    """
    text = gettext_(msgid)
    return text.format(**fields) if fields else text


def ntr(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """The singular or plural of a message for ``n``, filled from ``fields``."""
    return ngettext_(singular, plural, n).format(**fields)


def mark(msgid: str) -> str:
    """Mark a text for the catalogue without translating it yet (a word that becomes a
    field of another message, such as ``"amount"``); :func:`lazy` renders it later."""
    return msgid


class Text:
    """A message rendered when shown, in the language active then (an error's problem).

    >>> text = lazy("the file is empty")
    >>> str(text), text.msgid
    ('the file is empty', 'the file is empty')
    """

    __slots__ = ("fields", "msgid", "n", "plural")

    def __init__(
        self, msgid: str, fields: Mapping[str, object], plural: str | None = None, n: int = 1
    ) -> None:
        self.msgid = msgid
        self.fields = dict(fields)
        self.plural = plural
        self.n = n

    def __str__(self) -> str:
        fields = {name: str(value) for name, value in self.fields.items()}
        if self.plural is not None:
            return ntr(self.msgid, self.plural, self.n, **fields)
        return tr(self.msgid, **fields)

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.fields!r})"


def lazy(msgid: str, /, **fields: object) -> Text:
    """A message to render when shown: ``fields`` may themselves be :class:`Text`."""
    return Text(msgid, fields)


def nlazy(singular: str, plural: str, n: int, /, **fields: object) -> Text:
    """Like :func:`lazy`, with a plural form chosen by ``n``."""
    return Text(singular, fields, plural, n)


class Grouped:
    """A whole number shown with thousands separators in the language active when shown:
    ``1,234,567`` in English, ``1.234.567`` in Danish (a size or a limit in a message).

    >>> set_language("en")
    >>> str(Grouped(1234567))
    '1,234,567'
    """

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number

    def __str__(self) -> str:
        english = f"{self.number:,}"
        return english.replace(",", ".") if _active[0] == "da" else english
