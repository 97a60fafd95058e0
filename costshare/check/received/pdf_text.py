"""What a received PDF shows, read from its text layer: the amounts and references a person
reads on the page.

The shipped templates (``letter.typ.j2``, ``settlement.typ.j2``, ``annex.typ.j2``) put each
fact on a line of its own, and these readers find them by the words beside them:

* a letter: ``Gentofte Kommunes andel 20.415 kr.`` (the payer's amount) and ``Reference:
  SAG-2024-05018-157``;
* a settlement letter: ``Opkrævet``, ``Endeligt beløb`` and ``Efterregulering`` with
  their amounts;
* the annex: a row per payer starting with its code and ending with its amount (a long
  name wraps it over up to four lines of text), a row per co-financing party starting
  with its name, and the ``I alt`` rows;
* any letter: the fingerprint on its last line (``… fingeraftryk for program og grundlag:
  1a2b3c4d``).

A letter from a user's own template may word these otherwise; where a labelled line is
not found, ``verify`` looks for the expected amount anywhere on the page and says so.

>>> letter_amount("Gentofte Kommunes andel 20.415 kr.\\nBetaling.")
(1, 2041500)
>>> shown_reference("17. februar 2025\\nReference: SAG-2024-05018-157\\n")
'SAG-2024-05018-157'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from costshare.check.annex_amounts import parse_column

if TYPE_CHECKING:  # the annex reader needs polars; a letter is read without it
    from costshare.check.annex import Annex

AMOUNT = r"[-\u2212]?[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]{2})? kr\."
_LETTER_AMOUNT = re.compile(rf"^.+ andel\s+(?P<amount>{AMOUNT})$", re.MULTILINE)
# The rest of the line, stripped by the caller: a reference may hold spaces
# ("TeleHjerte 2025-084"); one greedy run keeps the match linear in a hostile line.
_REFERENCE = re.compile(r"^Reference: (?P<reference>[^\n]*)", re.MULTILINE)
_FINGERPRINT = re.compile(r"(?i:fingeraftryk)\b.{0,40}?\b(?P<print>[0-9a-f]{8})\b")
_SETTLEMENT = {
    label: re.compile(rf"^{label}\s+(?P<amount>{AMOUNT})$", re.MULTILINE)
    for label in ("Opkrævet", "Endeligt beløb", "Efterregulering")
}
_ROW = re.compile(rf"^(?P<code>[0-9]{{3,4}}) (?P<rest>.*) (?P<amount>{AMOUNT})$")
_ROW_START = re.compile(r"^[0-9]{3,4} [0-9]{8} ")  # a payer's code and CVR number
# A long name wraps in the annex's name column: a row may take this many lines of text.
_MOST_ROW_LINES = 4
_TOTAL = re.compile(rf"^I alt\b.* (?P<amount>{AMOUNT})$")
_ANY_AMOUNT = re.compile(AMOUNT)


def amount_ore(shown: str) -> int:
    """An amount as a letter shows it (``20.415 kr.``, ``−773,50 kr.``) in øre."""
    found = parse_column([shown.replace("\u2212", "-")], "beløb")[0]
    assert found is not None  # the patterns above match only amounts
    return found


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def letter_amount(text: str) -> tuple[int, int] | None:
    """The line and amount of ``… andel 20.415 kr.`` (the last such line), or None."""
    found = letter_amounts(text)
    return found[-1] if found else None


def letter_amounts(text: str) -> list[tuple[int, int]]:
    """Every ``… andel 20.415 kr.`` line, with its amount (the review copy has one a letter)."""
    return [
        (_line(text, match.start()), amount_ore(match["amount"]))
        for match in _LETTER_AMOUNT.finditer(text)
    ]


def settlement_amounts(text: str) -> dict[str, tuple[int, int]]:
    """``Opkrævet``, ``Endeligt beløb`` and ``Efterregulering``: line and amount of each
    that the text shows (the first line with that label)."""
    found = {}
    for label, pattern in _SETTLEMENT.items():
        match = pattern.search(text)
        if match is not None:
            found[label] = (_line(text, match.start()), amount_ore(match["amount"]))
    return found


def settlement_differences(text: str) -> list[tuple[int, int]]:
    """Every ``Efterregulering 773 kr.`` line, with its amount (a settlement's review copy
    has one a letter)."""
    return [
        (_line(text, match.start()), amount_ore(match["amount"]))
        for match in _SETTLEMENT["Efterregulering"].finditer(text)
    ]


def shown_reference(text: str) -> str | None:
    """The reference in ``Reference: …``, or None."""
    match = _REFERENCE.search(text)
    return match["reference"].strip() if match else None


def shown_references(text: str) -> list[str]:
    """Every ``Reference: …`` (the review copy has one a letter)."""
    return [match["reference"].strip() for match in _REFERENCE.finditer(text)]


def shown_fingerprint(text: str) -> str | None:
    """The fingerprint on the letter's last line, or None."""
    found = list(_FINGERPRINT.finditer(text))
    return found[-1]["print"] if found else None


def shows_amount(text: str, amount: str) -> bool:
    """Whether ``amount`` (formatted as a letter shows it) is on the page."""
    return any(match[0] == amount for match in _ANY_AMOUNT.finditer(text))


@dataclass(frozen=True)
class AnnexText:
    """The annex PDF's table as an annex (a row per municipal payer and its total), and
    the co-financing parties' lines, by name, and the total of all parties."""

    annex: Annex
    parties: dict[str, tuple[int, int]]
    total: tuple[int, int] | None


def annex_text(text: str, source: str, party_names: tuple[str, ...]) -> AnnexText:
    """The rows of the annex PDF's text: ``157 … 20.415 kr.`` rows, the parties named in
    ``party_names`` (``Region Hovedstaden … 525.000 kr.``), and the ``I alt`` lines: the one
    before the first row is the total of all parties, the one after it the municipalities'."""
    from costshare.check.annex import Annex, AnnexRow, AnnexTotal

    rows: list[AnnexRow] = []
    totals: list[AnnexTotal] = []
    parties: dict[str, tuple[int, int]] = {}
    total: tuple[int, int] | None = None
    lines = [" ".join(line.split()) for line in text.splitlines()]
    skip_to = 0
    for number, line in enumerate(lines, start=1):
        if number < skip_to:
            continue  # the rest of a wrapped row, read with its first line
        row, used = _row_at(lines, number - 1)
        if row is not None:
            rows.append(AnnexRow(number, row["code"], None, amount_ore(row["amount"])))
            skip_to = number + used
            continue
        match = _TOTAL.match(line)
        if match is not None:
            if rows:
                totals.append(AnnexTotal(number, "I alt", amount_ore(match["amount"])))
            else:
                total = (number, amount_ore(match["amount"]))
            continue
        for name in party_names:
            if line.startswith(f"{name} ") and (amount := _ANY_AMOUNT.findall(line)):
                parties.setdefault(name, (number, amount_ore(amount[-1])))
    annex = Annex(source, None, 0, "Beløb", tuple(rows), tuple(totals))
    return AnnexText(annex, parties, total)


def _row_at(lines: list[str], index: int) -> tuple[re.Match[str] | None, int]:
    """The annex row that starts at ``lines[index]`` and how many lines it takes: one, or
    up to :data:`_MOST_ROW_LINES` when its first line has a code and CVR number and no
    amount, and the lines after it are neither a row nor a total."""
    row = _ROW.match(lines[index])
    if row is not None or not _ROW_START.match(lines[index]):
        return row, 1
    joined = lines[index]
    for used in range(2, _MOST_ROW_LINES + 1):
        if index + used > len(lines):
            break
        following = lines[index + used - 1]
        if _ROW_START.match(following) or _TOTAL.match(following):
            break
        joined = f"{joined} {following}"
        row = _ROW.match(joined)
        if row is not None:
            return row, used
    return None, 1
