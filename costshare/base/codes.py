"""Recipient codes: how they are ordered for the tie rule and when two spellings are one code.

Municipality codes are digits (``101``, ``084`` for a region), but a user's file may use
other codes (schools, ``S-12``). Both rules live here so the allocation's tie order and the
lookups in verify, explain and the register agree.

>>> sorted(["1000", "101", "b", "a"], key=code_order)
['101', '1000', 'a', 'b']
>>> same_code("084", "84"), same_code("S-1", "s-1")
(True, True)
"""

from __future__ import annotations


def code_order(code: str) -> tuple[int, int, str]:
    """Sort key for the tie rule: digit codes numerically, then other codes as text."""
    return (0, int(code), code) if code.isdecimal() else (1, 0, code)


def same_code(left: str, right: str) -> bool:
    """Whether two codes are the same, ignoring leading zeros and case (``084`` = ``84``)."""
    left, right = left.strip(), right.strip()
    if left.isdigit() and right.isdigit():
        return int(left) == int(right)
    return left.casefold() == right.casefold()
