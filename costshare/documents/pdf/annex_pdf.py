"""The annex PDF for the minutes, and the review PDF with every letter in one file.

The annex (``bilag-finansiering-pr-kommune.pdf``, template ``annex.typ.j2``) lists every
municipality with its amount, in the order the programme asks for (``[annex] order``:
by ``code``, the default, or alphabetically by official ``name``, as KKR annexes often
are), with the co-financing block and the basis line. Unlike the letters it names the
rounding method and the status of the population figures: it is the record.

The review PDF (``gennemsyn-alle-breve.pdf``, template ``review.typ.j2``) is a cover page
listing every letter, then the letters themselves, page for page as they are sent, for the
person who signs off. typst composes it in one pass: each letter's pages are placed from
the letter's own PDF (vector, text kept), at its own page size, so the review shows exactly
what is sent whatever the letter template does with its pages.

>>> sorted(["Aabenraa", "Ærø", "Odsherred", "Øster"], key=danish_order)
['Aabenraa', 'Odsherred', 'Ærø', 'Øster']
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from costshare.allocation.methods import METHOD_NAMES_DA
from costshare.base.codes import code_order
from costshare.base.danish import (
    format_count,
    format_date,
    format_fraction,
    format_kr,
    format_rate,
)
from costshare.documents.pdf.letter_basis import municipal_basis_line
from costshare.documents.pdf.letters import draft_changes
from costshare.programme.key_basis import KeyBasis, key_basis
from costshare.programme.key_wording import Wording, class_of
from costshare.programme.model import ProgrammeResult
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance
from costshare.programme.steps import rounding_rule
from costshare.shares.parts import part_shares
from costshare.shares.splitting import Split

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
    words = Wording.of(split)
    recipients = words.each
    bases = {payer.code: key_basis(split, payer.code) for payer in municipal}
    columns = rule_columns(split, [payer.code for payer in municipal])
    context: dict[str, Any] = {
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
        "basis": municipal_basis_line(result) + columns["sources"],
        "population_source": population.source if uses_population else "",
        "method": METHOD_NAMES_DA[split.method][0],
        "rounding": _rounding(split),
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
                "share": columns["shares"].get(payer.code, bases[payer.code].share),
                "parts": columns["parts"].get(payer.code, []),
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
    overrides: dict[str, Any] = columns["context"]  # the rules' own headers win (issue #21)
    return context | overrides


def _rounding(split: Split) -> str:
    """How the amounts were rounded, and that they add up: the annex is the record."""
    total = format_kr(split.amount_ore, split.unit.shows_ore)
    if split.rate is None and split.charged:  # fees by size class
        return f"Hver betaler betaler sin klasses gebyr; summen er {_end(total)}"
    if split.charged:
        return f"Beløbene er afrundet {rounding_rule(split)}; summen er {_end(total)}"
    method = METHOD_NAMES_DA[split.method][0]
    return (
        f"Andelene er afrundet efter {method}, og summen er præcis {total}".removesuffix(".") + "."
    )


def _end(text: str) -> str:
    return text if text.endswith(".") else text + "."


def rule_columns(split: Split, codes: Sequence[str]) -> dict[str, Any]:
    """What the annex's table shows for the rules of issue #21: a column per part of a key
    in parts (each payer's exact amount from it), the size class instead of the share for
    a key by class, "Talt med" for a rate that counts otherwise than once; and, for parts,
    each part's figures named after the basis line. ``context`` overrides the context's
    defaults (the headers)."""
    context: dict[str, Any] = {"part_columns": [], "part_totals": [], "share_header": "Andel", "share_total": True}  # fmt: skip
    found: dict[str, Any] = {"context": context, "shares": {}, "parts": {}, "sources": ""}
    if split.rate is not None and split.counted:
        context["figure_header"] = "Talt med"
    if split.key.classes is not None:
        context |= {"share_header": "Størrelsesklasse", "share_total": False}
        found["shares"] = {
            code: class_of(split, code)[0].replace(" indbyggere", "") for code in codes
        }
    if split.key.parts:
        context["uses_population"] = False
        parts = split.key.parts
        # Short headers, so the names keep their room; the basis line names each part.
        context["part_columns"] = [f"Del {index}" for index in range(1, len(parts) + 1)]
        shares = {code: part_shares(split, code) for code in codes}
        found["parts"] = {code: [_exact(s.exact_ore) for s in shares[code]] for code in codes}
        if codes:
            context["part_totals"] = [_exact(s.amount_ore) for s in shares[codes[0]]]
        named = "; ".join(
            f"del {index}, {part.name}: {part.population.source}"
            for index, part in enumerate(parts, start=1)
        )
        found["sources"] = (
            f" Tal: {named}. Kolonnerne Del 1–{len(parts)} viser hver dels præcise beløb til hver kommune, og beløbet er deres sum afrundet."
        )
    return found


def _exact(amount_ore: Fraction) -> str:
    """An exact amount to the øre for a table column: ``17.780,28``."""
    return format_fraction(amount_ore / 100, 2)


def _figure(basis: KeyBasis) -> str:
    return basis.weight if basis.weight is not None else basis.figure


def _figure_total(basis: KeyBasis) -> str:
    return basis.weight_total if basis.weight_total is not None else basis.figure_total


def review_context(
    result: ProgrammeResult,
    everyone: Sequence[Payer],
    provenance: Provenance | None,
    letters: Sequence[tuple[str, int]],
    word: str = "breve",
) -> dict[str, Any]:
    """The review: every letter with its reference and amount (the cover page), and the
    file and page count of each payer's letter (``letters``, in ``everyone``'s order), for
    typst to place page for page from the folder it is typeset in; ``title`` is the
    review's title. ``word`` names the letters ("breve om efterregulering" for a
    settlement, whose payers carry their differences)."""
    programme = result.programme
    decimals = programme.unit.shows_ore
    draft = bool(provenance and provenance.draft)
    title = f"Gennemsyn af {word} – {programme.short_title}"
    return {
        "draft": draft,
        "title": f"Udkast: {title}" if draft else title,
        "letters_word": word,
        "short_title": programme.short_title,
        "case_number": programme.case_number,
        "date": format_date(programme.letter_date),
        "count": format_count(len(everyone)),
        "letters": [
            {
                "name": payer.official_name,
                "reference": payer.reference,
                "amount": format_kr(payer.amount_ore, decimals),
                "file": file,
                "pages": pages,
            }
            for payer, (file, pages) in zip(everyone, letters, strict=True)
        ],
        "total": format_kr(sum(payer.amount_ore for payer in everyone), decimals),
    }


def _share(value: Any) -> str:
    return format_rate(value)
