"""The data each letter, settlement letter and annex PDF carries (issue #20, item 1).

:func:`letter_data`, :func:`annex_data` and :func:`settlement_data` write ``costshare.json``
(the format is :mod:`costshare.check.received.embedded_schema`) from the computed run:
what the document charges and the :class:`~costshare.check.received.embedded.Run` it was
computed from. :func:`attachment_prologue` makes of it the typst line that attaches it to
the PDF. The package layer puts that line before the letter's source where it hands the
source to the typesetter, not in the template, so a letter from a user's ``--templates``
carries its data too.

>>> print(attachment_prologue(b'{"a": "1"}\\n')[:55])
#pdf.attach("costshare.json", bytes("{\\"a\\": \\"1\\"}\\n")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costshare.base.money import format_plain
from costshare.base.version import __version__
from costshare.check.received.embedded import Run, encode, run_entry
from costshare.check.received.embedded_schema import (
    ANNEX,
    FILE_NAME,
    FORMAT,
    FORMAT_VERSION,
    LETTER,
    MIME_TYPE,
    SETTLEMENT_LETTER,
    SETTLEMENT_REVIEW,
)
from costshare.documents.pdf.letters import typst_string
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer
from costshare.programme.settlement import Settlement, SettlementRow

_DESCRIPTION = "costshare: programme, basis and amounts of this document (costshare verify)"


def attachment_prologue(data: bytes) -> str:
    """The typst line that attaches ``data`` as ``costshare.json`` (relationship Data)."""
    text = typst_string(data.decode("utf-8"))
    return (
        f'#pdf.attach({typst_string(FILE_NAME)}, bytes({text}), relationship: "data", '
        f"mime-type: {typst_string(MIME_TYPE)}, description: {typst_string(_DESCRIPTION)})\n"
    )


def _document(kind: str, result: ProgrammeResult, run: Run) -> dict[str, Any]:
    programme = result.programme
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": f"costshare {__version__}",
        "document": kind,
        "programme": {
            "title": programme.title,
            "short_title": programme.short_title,
            "case_number": programme.case_number,
            "letter_date": programme.letter_date.isoformat(),
        },
        "total": format_plain(result.total_ore, programme.unit),
        "run": run_entry(run),
        "fingerprint": run.fingerprint,
    }


def _payer(payer: Payer, result: ProgrammeResult) -> dict[str, str]:
    return {
        "code": payer.code,
        "name": payer.name,
        "addressed": payer.official_name or payer.name,
        "amount": format_plain(payer.amount_ore, result.programme.unit),
        "reference": payer.reference,
    }


def letter_data(result: ProgrammeResult, payer: Payer, run: Run) -> bytes:
    """``costshare.json`` of ``payer``'s letter."""
    return encode({**_document(LETTER, result, run), "payer": _payer(payer, result)})


def annex_data(
    result: ProgrammeResult, everyone: Sequence[Payer], run: Run, kind: str = ANNEX
) -> bytes:
    """``costshare.json`` of the annex (or the review copy of the letters, ``kind``
    ``review``): every payer's amount."""
    payers = [_payer(payer, result) for payer in everyone]
    return encode({**_document(kind, result, run), "payers": payers})


def _settled(settlement: Settlement, row: SettlementRow, reference: str) -> dict[str, str]:
    """A payer of a settlement: the difference under its settlement reference, with the
    charged and final amounts."""
    unit = settlement.final.programme.unit
    return {
        **_payer(row.payer, settlement.final),
        "amount": format_plain(row.amount_ore, unit),
        "reference": reference,
        "charged": format_plain(row.charged_ore, unit),
        "final": format_plain(row.final_ore, unit),
    }


def settlement_data(
    settlement: Settlement, row: SettlementRow, reference: str, run: Run, charged_run: Run
) -> bytes:
    """``costshare.json`` of a settlement letter: the final run, the charge's run, and the
    payer's charged and final amounts and the difference under its settlement reference."""
    document = _document(SETTLEMENT_LETTER, settlement.final, run)
    payer = _settled(settlement, row, reference)
    return encode({**document, "payer": payer, "charged_run": run_entry(charged_run)})


def settlement_review_data(
    settlement: Settlement, references: Sequence[str], run: Run, charged_run: Run
) -> bytes:
    """``costshare.json`` of a settlement's review copy of its letters: every payer as its
    settlement letter carries it (``references``: each row's settlement reference)."""
    document = _document(SETTLEMENT_REVIEW, settlement.final, run)
    payers = [
        _settled(settlement, row, reference)
        for row, reference in zip(settlement.rows, references, strict=True)
    ]
    return encode({**document, "payers": payers, "charged_run": run_entry(charged_run)})
