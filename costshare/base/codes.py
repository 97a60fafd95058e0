"""Recipient codes: how they are read, ordered for the tie rule, and when two spellings are one.

Municipality codes are digits (``101``, ``084`` for a region), but a user's file may use
other codes (schools, ``S-12``). Every rule about codes lives here, so the allocation's tie
order, the settlement's rows and the lookups in verify, explain and the register agree.

**Reading.** Every command reads a code through :func:`read_code`: Unicode compatibility
forms are folded (NFKC), so a full-width ``１５７`` typed with an East Asian keyboard is
``157`` and a superscript ``²`` is ``2``, in a population file, a register, an annex, a
programme or on the command line alike. **Numbers.** Only ASCII digits make a number
(:func:`is_number_code`): any other digit (``٣``) is text, so no code passes a digit test
and then fails ``int()``.

>>> sorted(["S-1", "1000", "101", "b", "a", "1000000001"], key=code_order)
['101', '1000', '1000000001', 'S-1', 'a', 'b']
>>> same_code("084", "84"), same_code("S-1", "s-1"), same_code("１５７", "0157")
(True, True, True)
>>> read_code(" ²"), is_number_code("٣")
('2', False)
"""

from __future__ import annotations

import unicodedata


def read_code(text: str) -> str:
    """A code as every command reads it: NFKC-normalised, blanks at either end removed."""
    return unicodedata.normalize("NFKC", text).strip()


def is_number_code(code: str) -> bool:
    """Whether a (read) code is a number: ASCII digits only, at least one."""
    return code.isascii() and code.isdigit()


def code_order(code: str) -> tuple[int, int, str]:
    """Sort key for the tie rule: digit codes numerically, then other codes as text."""
    return (0, int(code), code) if is_number_code(code) else (1, 0, code)


def code_key(code: str) -> tuple[str, int | str]:
    """What identifies a code however it is written: the number of a digit code (``084`` =
    ``84``), else the case-folded text (``S-1`` = ``s-1``)."""
    code = read_code(code)
    return ("number", int(code)) if is_number_code(code) else ("text", code.casefold())


def same_code(left: str, right: str) -> bool:
    """Whether two codes are the same, ignoring leading zeros, case and compatibility forms."""
    return code_key(left) == code_key(right)
