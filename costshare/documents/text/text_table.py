"""Fixed-width tables for the terminal: one renderer for split, compare and verify.

Columns are padded to their widest cell and joined by two spaces; ``aligns`` says per
column whether it is left- (``l``, names and codes) or right-aligned (``r``, numbers). A
``None`` row is a rule as wide as the table. Trailing spaces are stripped.

>>> print("\\n".join(fixed_width([("Kode", "Kommune", "Beløb"), None, ("101", "København", "1 kr.")], "llr")))
Kode  Kommune    Beløb
----------------------
101   København  1 kr.
"""

from __future__ import annotations

from collections.abc import Sequence


def fixed_width(rows: Sequence[Sequence[str] | None], aligns: str, indent: str = "") -> list[str]:
    """The rows as aligned lines (see the module docstring)."""
    filled = [row for row in rows if row is not None]
    widths = [max(len(row[i]) for row in filled) for i in range(len(aligns))]
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.ljust(width) if align == "l" else cell.rjust(width)
            for cell, width, align in zip(row, widths, aligns, strict=True)
        ]
        return (indent + "  ".join(cells)).rstrip()

    return [rule if row is None else line(row) for row in rows]
