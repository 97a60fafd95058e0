"""The annex PDF for the minutes, and the review PDF with every letter in one file.

The annex (``bilag-finansiering-pr-kommune.pdf``, template ``annex.typ.j2``) lists every
municipality with its amount, in the order the programme asks for (``[annex] order``:
by ``code``, the default, or alphabetically by official ``name``, as KKR annexes often
are), with the co-financing block and the basis line. Unlike the letters it names the
rounding method and the status of the population figures: it is the record.

The review PDF (``gennemsyn-alle-breve.pdf``) is a cover page listing every letter, then
the letters themselves, page for page as they are sent, for the person who signs off.

>>> sorted(["Aabenraa", "Ærø", "Odsherred", "Øster"], key=danish_order)
['Aabenraa', 'Odsherred', 'Ærø', 'Øster']
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from costshare.allocation.methods import METHOD_NAMES_DA
from costshare.base.codes import code_order
from costshare.base.danish import (
    format_count,
    format_date,
    format_kr,
    format_rate,
    recipients_word,
)
from costshare.documents.pdf.letter_basis import municipal_basis_line
from costshare.documents.pdf.letters import draft_changes
from costshare.programme.key_basis import KeyBasis, key_basis
from costshare.programme.key_wording import Wording
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance

ANNEX_TEMPLATE = "annex.typ.j2"
REVIEW_TEMPLATE = "review.typ.j2"
# Danish alphabetical order: æ, ø, å come after z.
_DANISH = str.maketrans({"æ": "z\x01", "ø": "z\x02", "å": "z\x03"})


def danish_order(name: str) -> str:
    """Sort key for names in Danish alphabetical order."""
    return name.casefold().translate(_DANISH)


def annex_context(
    result: ProgrammeResult, everyone: Sequence[Payer], provenance: Provenance | None
) -> dict[str, Any]:
    """What the annex shows: parties, basis line and one row per municipality."""
    programme = result.programme
    split = result.municipal
    population = split.population
    decimals = programme.unit.shows_ore
    municipal = [payer for payer in everyone if payer.municipal]
    if programme.annex_order == "name":
        municipal.sort(key=lambda payer: danish_order(payer.official_name))
    else:
        municipal.sort(key=lambda payer: code_order(payer.code))
    weight_total = sum(party.weight for party in programme.parties)
    uses_population = bool(split.key.population)
    what_if = list(provenance.what_if) if provenance else []
    by_code = {payer.code: payer for payer in everyone}
    recipients = recipients_word(population.municipal, singular=True)
    bases = {payer.code: key_basis(split, payer.code) for payer in municipal}
    words = Wording.of(split)
    return {
        "title": f"Finansiering pr. {recipients}",
        "draft": bool(what_if),
        "what_if": draft_changes(result, what_if),
        "programme": {
            "title": programme.title,
            "short_title": programme.short_title,
            "case_number": programme.case_number,
        },
        "decision": {
            "body": programme.decision_body,
            "date": format_date(programme.decision_date),
            "item": programme.decision_item,
        },
        "total": format_kr(sum(result.party_parts_ore.values()), decimals),
        "cofinanced": len(programme.parties) > 1,
        "parties": [
            {
                "name": party.name,
                "cvr": by_code[party.code].cvr if party.code in by_code else "",
                "share": _share(party.weight / weight_total),
                "amount": format_kr(result.party_parts_ore[party.code], decimals),
            }
            for party in programme.parties
        ],
        "basis": municipal_basis_line(result),
        "population_source": population.source if uses_population else "",
        "method": METHOD_NAMES_DA[split.method][0],
        "rounding": (
            f"Andelene er afrundet efter {METHOD_NAMES_DA[split.method][0]}, og summen er "
            f"præcis {format_kr(split.amount_ore, decimals)}"
        ).removesuffix(".")
        + ".",
        "uses_population": uses_population,
        "order": "alfabetisk efter navn" if programme.annex_order == "name" else "efter kode",
        "code_header": "Kommunekode" if population.municipal else "Kode",
        "name_header": recipients.capitalize(),
        "rows": [
            {
                "code": payer.code,
                "name": payer.official_name,
                "cvr": payer.cvr,
                "population": _figure(bases[payer.code]),
                "share": bases[payer.code].share,
                "amount": format_kr(payer.amount_ore, decimals),
            }
            for payer in municipal
        ],
        "show_cvr": any(payer.cvr for payer in municipal),
        "population_total": (
            _figure_total(next(iter(bases.values()))) if bases else format_count(population.total)
        ),
        # The figure column: the population, a decimal key's decimals (never the scaled
        # integers), or the weight when the key caps, rates, discounts or multiplies (#13).
        "figure_header": "Vægt i nøglen" if split.counted else words.label("column"),
        "population_label": words.label("source"),
        "municipal_part": format_kr(split.amount_ore, decimals),
        "count": format_count(len(municipal)),
    }


def _figure(basis: KeyBasis) -> str:
    return basis.weight if basis.weight is not None else basis.figure


def _figure_total(basis: KeyBasis) -> str:
    return basis.weight_total if basis.weight_total is not None else basis.figure_total


def review_context(
    result: ProgrammeResult, everyone: Sequence[Payer], provenance: Provenance | None
) -> dict[str, Any]:
    """The review's cover page: every letter with its reference and amount."""
    programme = result.programme
    decimals = programme.unit.shows_ore
    return {
        "draft": bool(provenance and provenance.what_if),
        "short_title": programme.short_title,
        "case_number": programme.case_number,
        "date": format_date(programme.letter_date),
        "count": format_count(len(everyone)),
        "letters": [
            {
                "name": payer.official_name,
                "reference": payer.reference,
                "amount": format_kr(payer.amount_ore, decimals),
            }
            for payer in everyone
        ],
        "total": format_kr(sum(payer.amount_ore for payer in everyone), decimals),
    }


def merge_pdfs(documents: Sequence[bytes], title: str) -> bytes:
    """One PDF of ``documents``' pages in order (pypdf: deterministic, no clock time)."""
    import pypdf

    writer = pypdf.PdfWriter()
    for document in documents:
        writer.append(io.BytesIO(document))
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _share(value: Any) -> str:
    return format_rate(value)
