"""Text that cannot lie: which characters a user's text may hold, and how to show it safely.

Every user text (programme strings, population, annex and register names) ends up in a
workbook cell, a letter or a message on a terminal. Some characters would make it show
something other than what it holds:

* control characters (C0, DEL, C1) move a terminal's cursor or clear its screen
  (``ESC[2J``) and cannot go into a workbook cell;
* bidirectional controls (U+202A–202E, U+2066–2069, and the marks U+200E, U+200F,
  U+061C) reorder what follows them, so ``525.000 kr.`` can read ``.rk 000.525``;
* non-characters (U+FDD0–FDEF, U+xFFFE/U+xFFFF) and anything else XML 1.0 cannot carry
  (surrogates) corrupt an .xlsx file or are dropped from it.

:func:`forbidden_character` names the first such character so a reader can refuse the
text; :func:`escaped` shows any text with them escaped, for messages.

>>> forbidden_character("Gentofte")
>>> str(forbidden_character("Gentofte\\u202e"))
'the bidirectional control U+202E'
>>> forbidden_character("a\\tb\\nc")
>>> escaped("row 3: \\x1b[2Jx\\u202ey")
'row 3: \\\\x1b[2Jx\\\\u202ey'
"""

from __future__ import annotations

import re

from costshare.base.i18n import Text, lazy

# Tabs and line breaks are allowed in text (a workbook cell and a letter can hold them).
ALLOWED_SPACE = "\t\n\r"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SURROGATES = "\ud800-\udfff"
# One character class, usable by Python's re and by polars (Rust regex): literal
# characters only, no escapes either engine could read differently.
FORBIDDEN_CLASS = f"[{_CONTROLS}{_BIDI}{_NONCHARACTERS}{_SURROGATES}]"
_FORBIDDEN = re.compile(FORBIDDEN_CLASS)
_SHOWN_RAW = re.compile(f"[{_CONTROLS}\t\n\r{_BIDI}{_NONCHARACTERS}{_SURROGATES}\u2028\u2029]")


def forbidden_character(text: str) -> Text | None:
    """What the first character is that may not be in a user's text, or None (a message
    part, in the language active when shown).

    ``'the control character U+001B'``, ``'the bidirectional control U+202E'`` or
    ``'the non-character U+FFFF'``; tabs and line breaks are allowed.
    """
    return forbidden_named(text)


def forbidden_named(text: str) -> Text | None:
    """Like :func:`forbidden_character`, as a message field rendered when shown."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found[0]
    code = f"U+{ord(char):04X}"
    if re.fullmatch(f"[{_BIDI}]", char):
        return lazy("the bidirectional control {code}", code=code)
    if re.fullmatch(f"[{_NONCHARACTERS}{_SURROGATES}]", char):
        return lazy("the non-character {code}", code=code)
    return lazy("the control character {code}", code=code)


def escaped(text: str) -> str:
    """``text`` with every control, bidirectional control, line break and non-character
    written as an escape (``\\x1b``, ``\\u202e``, ``\\n``): one line that shows exactly
    what it holds, whatever the terminal. Printable text (Danish letters too) is kept."""
    return _SHOWN_RAW.sub(lambda match: repr(match[0])[1:-1], text)
