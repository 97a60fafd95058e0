"""``costshare explain``: the working behind one payer's amount, as text.

The steps are exactly :func:`costshare.programme.working.party_working`'s, which also fill the
payer's workbook, so the screen and the workbook cannot disagree. Above them come the
programme and the payer; a co-financing party (e.g. the region) gets its amount as the
last line, since its working ends at the first level.

>>> from pathlib import Path
>>> from costshare.programme.payers import find_payer
>>> from costshare.programme.model import compute, load_programme
>>> result = compute(load_programme(Path("examples/telehjerte-2025.toml")))
>>> print(explain(result, find_payer(result, "region hovedstaden")), end="")
TeleHjerte, forlængelse 2025 (SAG-2024-05018)
Udregning for Region Hovedstaden (kode 084)
<BLANKLINE>
Samlet udgift: 1.050.000 kr.
Region Hovedstaden (50 %): 525.000 kr.
Kommunerne i KKR Hovedstaden (50 %): 525.000 kr.
Beløb: 525.000 kr.
"""

from __future__ import annotations

from costshare.base.danish import format_kr
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer
from costshare.programme.working import Step, party_working


def explain_steps(result: ProgrammeResult, payer: Payer) -> list[Step]:
    """The working for ``payer``: ``party_working``'s steps, ending with the amount."""
    steps = party_working(result, payer.code)
    if not payer.municipal:
        decimals = result.programme.unit.shows_ore
        steps.append(Step("Beløb", format_kr(payer.amount_ore, decimals)))
    return steps


def explain(result: ProgrammeResult, payer: Payer) -> str:
    """The working for ``payer`` as lines of Danish text, with a heading."""
    programme = result.programme
    lines = [
        f"{programme.short_title} ({programme.case_number})",
        f"Udregning for {payer.name} (kode {payer.code})",
        "",
    ]
    lines += [f"{step.label}: {step.value}" for step in explain_steps(result, payer)]
    return "\n".join(lines) + "\n"
