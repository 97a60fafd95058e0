"""Letters of an annex package: a Jinja2 template renders typst source, typst makes the PDF.

The shipped template is ``letter.typ.j2`` in :mod:`costshare.templates`; ``--templates
DIR`` uses ``DIR/letter.typ.j2`` instead (rendered in Jinja2's sandbox with bounded work,
see :mod:`costshare.documents.pdf.bounded_sandbox`, and typst may read files and fonts only
from ``DIR``; the folder is checked first, see :mod:`costshare.documents.pdf.template_folder`).
typst runs in a child process (:mod:`costshare.documents.pdf.typesetter`). A missing
variable is an error, not a blank (``StrictUndefined``).

Every value reaches the template already formatted for reading (``20.415 kr.``,
``1. april 2025``): see :func:`letter_context`. No template does arithmetic.

**Escaping.** Names, titles and addresses come from the programme file and the figures,
and typst markup gives meaning to many characters (``#`` starts code, ``*`` is bold,
``=`` a heading, ``1.`` a list, ``//`` a comment, ``<x>`` a label, ``@x`` a
reference, ``$`` maths). So every ``{{ value }}`` is escaped for typst markup by the
environment itself (Jinja2's ``finalize`` hook), the way HTML templates autoescape: each
ASCII punctuation character gets typst's backslash escape, which typst reads as that
literal character, and line breaks become spaces. A template cannot forget to escape.
Two filters produce typst deliberately: ``|typst_str`` gives a typst string literal for
use in code (``#set document(title: {{ subject|typst_str }})``) and ``|lines`` keeps the
line breaks of an address as typst line breaks.

>>> escape_markup("= *Ærø* #1 <x> @y $z$ // 1. a_b")
'\\\\= \\\\*Ærø\\\\* \\\\#1 \\\\<x\\\\> \\\\@y \\\\$z\\\\$ \\\\/\\\\/ 1\\\\. a\\\\_b'
>>> typst_string('Say "hi" \\\\ bye')
'"Say \\\\"hi\\\\" \\\\\\\\ bye"'
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from jinja2.exceptions import SecurityError

from costshare.allocation.methods import METHOD_NAMES_DA
from costshare.base.danish import (
    format_count,
    format_date,
    format_kr,
    format_trimmed,
    unbreakable_amounts,
)
from costshare.base.errors import TemplateError
from costshare.base.i18n import Text, lazy
from costshare.check.received.embedded import fingerprint
from costshare.documents.payment_words import einvoice_context, payment_context
from costshare.documents.pdf.bounded_sandbox import BoundedSandbox, bounded_render
from costshare.documents.pdf.compiled_templates import CompiledTemplates
from costshare.documents.pdf.letter_basis import basis_paragraphs, genitive, rounding_words
from costshare.documents.pdf.template_folder import check_template_folder
from costshare.documents.pdf.typesetter import LETTER_TEMPLATE, one_line
from costshare.population.packaged import Population, citation, is_quarter
from costshare.population.regions import regions_inner
from costshare.programme.einvoiced import PayerEinvoice
from costshare.programme.key_basis import key_basis
from costshare.programme.key_wording import Wording, describe_key
from costshare.programme.model import Programme, ProgrammeResult
from costshare.programme.naming import ANNEX_FILE
from costshare.programme.payers import Payer
from costshare.programme.provenance import Provenance
from costshare.shares.splitting import Split

_PUNCTUATION = frozenset(string.punctuation)
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


class TypstCode(str):
    """Text that is already typst source, so the environment does not escape it again."""

    __slots__ = ()


def escape_markup(value: object) -> str:
    """``value`` as typst markup that typesets exactly as the text reads, no amount broken
    from its unit at the end of a line."""
    text = unbreakable_amounts(_LINE_BREAKS.sub(" ", str(value)))
    return "".join("\\" + char if char in _PUNCTUATION else char for char in text)


def names_einvoice(source: str, einvoice: PayerEinvoice) -> bool:
    """Whether a letter's typst ``source`` names its e-invoice's number (a user's template
    written before letters said how they are paid does not, and asks for a payment)."""
    return escape_markup(einvoice.number) in source


def typst_string(value: object) -> TypstCode:
    """``value`` as a typst string literal (for code such as ``title: …``)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", "").replace("\n", "\\n").replace("\t", "\\t")
    return TypstCode(f'"{text}"')


def lines(value: object) -> TypstCode:
    """A multi-line text (an address) as escaped lines joined by typst line breaks."""
    parts = [
        escape_markup(part) for part in str(value).replace("\r", "").split("\n") if part.strip()
    ]
    return TypstCode(" \\\n".join(parts))


def _finalize(value: Any) -> str:
    if isinstance(value, TypstCode):
        return value
    return escape_markup(value)


def make_environment(
    templates: Path | None = None, compiled: Path | None = None
) -> jinja2.Environment:
    """The Jinja2 environment: the shipped templates, or the user's folder in a sandbox.

    The shipped templates' compiled code is kept in the folder ``compiled``, if one is
    given (:mod:`costshare.documents.pdf.compiled_templates`). Raises
    :class:`TemplateError` if ``templates`` is not a folder with ``letter.typ.j2``.
    """
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "autoescape": False,
        "finalize": _finalize,
    }
    if templates is None:
        loader: jinja2.BaseLoader = jinja2.FunctionLoader(_packaged_template)
        cache = CompiledTemplates(compiled, options) if compiled is not None else None
        environment = jinja2.Environment(loader=loader, bytecode_cache=cache, **options)
    else:
        if not (templates / LETTER_TEMPLATE).is_file():
            raise TemplateError(
                lazy(
                    "{folder}: no {template} in this folder; copy the shipped one there "
                    "(costshare examples DIR writes it to DIR/skabelon) and edit it",
                    folder=templates,
                    template=LETTER_TEMPLATE,
                )
            )
        check_template_folder(templates)  # no links out, no devices, bounded sizes
        loader = jinja2.FileSystemLoader(str(templates))
        environment = BoundedSandbox(loader=loader, **options)
    environment.filters["typst_str"] = typst_string
    environment.filters["lines"] = lines
    return environment


def render_letter(
    environment: jinja2.Environment,
    context: dict[str, Any],
    where: str | Text = "",
    template: str = LETTER_TEMPLATE,
) -> str:
    """The typst source of one letter (or of another shipped ``template``, the annex).

    Raises :class:`TemplateError` naming the template line for a missing variable, a
    syntax error, a missing included template or anything the sandbox refuses.
    """
    try:
        with bounded_render():  # a user's template: its loops and sizes, per letter
            return environment.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            lazy(
                "{template}:{line}: {problem}; fix the template syntax",
                template=error.filename or error.name,
                line=error.lineno,
                problem=error.message,
            )
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(
            lazy(
                "{template}: {problem}{where}; "
                "use only the variables that costshare guide breve lists",
                template=template,
                problem=error.message,
                where=where,
            )
        ) from None
    except SecurityError as error:
        raise TemplateError(
            lazy(
                "{template}: not allowed in a template: {problem}", template=template, problem=error
            )
        ) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(
            lazy(
                "{template}: uses the template {name}, which is not in the "
                "template folder; put it beside letter.typ.j2",
                template=template,
                name=repr(error.name),
            )
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateError(
            lazy(
                "{template}: {problem}{where}; check the template",
                template=template,
                problem=error,
                where=where,
            )
        ) from None
    except RecursionError:
        raise TemplateError(
            lazy(
                "{template}: recursion too deep{where}; check the template's macros",
                template=template,
                where=where,
            )
        ) from None
    except Exception as error:  # 1/0, a type error…: the user's template is wrong, not costshare
        raise TemplateError(
            lazy(
                "{template}: {kind}: {problem}{where}; check the template",
                template=template,
                kind=type(error).__name__,
                problem=one_line(str(error)),
                where=where,
            )
        ) from None


@contextmanager
def template_root(templates: Path | None) -> Iterator[Path]:
    """The folder typst may read from: the user's templates, or the shipped ones."""
    if templates is not None:
        yield templates.resolve()
        return
    with resources.as_file(resources.files("costshare.templates")) as folder:
        yield Path(folder)


def addressing(programme: Programme, payer: Payer) -> dict[str, Any]:
    """What every letter to a payer shows the same way (a charge, a settlement): sender,
    recipient block from the payer register, date and programme."""
    return {
        "sender": {
            **_texts(
                programme.sender,
                (
                    "name",
                    "organisation",
                    "address",
                    "email",
                    "signature",
                    "signatory",
                    "signatory_title",
                ),
            ),
            # The sender's CVR, where [invoicing] gives it.
            "cvr": programme.invoicing.seller_cvr if programme.invoicing else "",
        },
        "recipient": {
            "code": payer.code,
            "name": payer.official_name or payer.name,
            "genitive": genitive(payer.official_name or payer.name),
            "short_name": payer.name,
            "address": payer.address,
            "postcode": payer.postcode,
            "city": payer.city,
            "cvr": payer.cvr,
            "ean": payer.ean,
            "attention": payer.attention,
            "email": payer.email,
            "order_reference": payer.order_reference,
            "municipal": payer.municipal,
        },
        "date": format_date(programme.letter_date),
        "programme": {
            "title": programme.title,
            "short_title": programme.short_title,
            "case_number": programme.case_number,
            "year": str(programme.year),
        },
    }


def letter_context(
    result: ProgrammeResult,
    payer: Payer,
    provenance: Provenance | None,
    einvoice: PayerEinvoice | None = None,
) -> dict[str, Any]:
    """Everything a letter shows, formatted in Danish: amounts, dates, names, the key, and
    how it is paid: the payer's payment instruction and ``einvoice``, the e-invoice that
    goes with the letter (:func:`~costshare.programme.invoicing.einvoice_for`), if any."""
    programme = result.programme
    split = result.municipal
    population = split.population
    decimals = programme.unit.shows_ore
    parties = _parties(result)
    what_if = list(provenance.what_if) if provenance else []
    subject = f"{'Udkast' if what_if else 'Opkrævning'}: {programme.short_title}"
    return {
        **addressing(programme, payer),
        "reference": payer.reference,
        "subject": subject,
        "decision": {
            "body": programme.decision_body,
            "date": format_date(programme.decision_date),
            "item": programme.decision_item,
            "total": format_kr(programme.amount_ore, decimals),
        },
        "total": format_kr(result.total_ore, decimals),
        "parties": parties,
        "cofinanced": len(parties) > 1,
        "municipal_part": format_kr(result.municipal_part_ore, decimals),
        "municipalities_count": format_count(len(population.codes)),
        "recipients": Wording.of(split).plural,
        "key": describe_key(split),
        "basis": [
            {"text": paragraph.text, "list": list(paragraph.items)}
            for paragraph in basis_paragraphs(result, payer)
        ],
        "uses_population": payer.municipal and bool(split.key.population),
        "method": METHOD_NAMES_DA[split.method][0],
        "rounding": rounding_words(programme.unit.ore),
        "municipality": _municipality(split, payer) if payer.municipal else None,
        "amount": format_kr(payer.amount_ore, decimals),
        "payment": payment_context(programme.payment.instruction(payer.reference)),
        "einvoice": einvoice_context(einvoice),
        "contact": _texts(programme.contact, ("name", "title", "email", "phone")),
        "population_source": population_citation(population),
        "population_label": Wording.of(split).label("source"),
        "attachments": attachments(result, payer),
        "what_if": what_if,
        "draft": bool(what_if),
        "changes": draft_changes(result, what_if),
        "verification": verification_line(payer, provenance),
        # Issue #14: base amount, index figures and result, for a year moved by indexing.
        "indexing": (
            f"{programme.indexation.describe(decimals)}; indeks: {programme.indexation.table.describe()}"
            if programme.indexation
            else ""
        ),
    }


def verification_line(payer: Payer, provenance: Provenance | None) -> dict[str, str]:
    """The letter's last line (issue #20, item 8): ``verify`` on the letter's own file, and
    the fingerprint of its programme and basis (``verify`` shows it too). Empty without a
    provenance (a letter rendered outside a package carries no data to check)."""
    if provenance is None:
        return {"command": "", "fingerprint": ""}
    digests = [digest for _, digest in provenance.inputs]
    return {"command": f"costshare verify {payer.stem}.pdf", "fingerprint": fingerprint(digests)}


def _parties(result: ProgrammeResult) -> list[dict[str, Any]]:
    """Each co-financing party with its share and amount (the municipalities among them)."""
    programme = result.programme
    decimals = programme.unit.shows_ore
    weight_total = sum(party.weight for party in programme.parties)
    return [
        {
            "code": party.code,
            "name": party.name,
            "share": format_trimmed(party.weight / weight_total * 100, 4) + " %",
            "amount": format_kr(result.party_parts_ore[party.code], decimals),
            "municipal": party.municipal,
        }
        for party in programme.parties
    ]


def _municipality(split: Split, payer: Payer) -> dict[str, str]:
    """A recipient's figure as the source gives it (a decimal key's decimals, never the
    scaled integers), and its share of the key: of the weights when the key counts
    figures otherwise than once (issue #13)."""
    basis = key_basis(split, payer.code)
    return {
        "population": basis.figure,
        "population_total": basis.figure_total,
        "weight": basis.weight or basis.figure,
        "weight_total": basis.weight_total or basis.figure_total,
        "share": basis.share,
        "count": format_count(len(split.population.codes)),
    }


def population_citation(population: Population) -> str:
    """Where the figures come from, for a letter: publisher, table and date (no checks)."""
    inner = regions_inner(population.basis)
    if is_quarter(inner or population.basis):
        # The source line less its check (that is for the workbooks): it names the
        # table (FOLK1A or FOLK1AM), the date and an age group in words.
        citation = _CHECK.sub(r" (\1)", population.source)
        return f"{citation}, summeret pr. region" if inner is not None else citation
    return Path(inner or population.basis).name


# "… 1. januar 2022, 65 år og derover (2022K1:65-; kontrolleret ved summer)"
_CHECK = re.compile(r" \(([^;()]+); [^()]*\)$")


def attachments(result: ProgrammeResult, payer: Payer) -> list[str]:
    """What goes with a payer's letter: its own workbook and the annex."""
    recipients = Wording.of(result.municipal).each
    return [
        f"Beregning for {payer.official_name} (regneark {payer.stem}.xlsx)",
        f"Finansiering pr. {recipients} ({ANNEX_FILE})",
    ]


def draft_changes(result: ProgrammeResult, what_if: list[str]) -> list[str]:
    """A what-if run's changes against the decision, in words (letters and the annex)."""
    programme = result.programme
    decimals = programme.unit.shows_ore
    changes = []
    for note in what_if:
        if note.endswith("(--amount)"):
            total = format_kr(sum(result.party_parts_ore.values()), decimals)
            changes.append(
                f"samlet udgift {total} i stedet for de besluttede "
                f"{format_kr(programme.amount_ore, decimals)}"
            )
        elif note.endswith("(--population)"):
            changes.append(
                f"befolkningstal fra {population_citation(result.municipal.population)} "
                f"i stedet for {_basis_words(programme.population_basis)}"
            )
        else:
            changes.append(note)
    return changes


def _basis_words(basis: str) -> str:
    return citation(basis) if is_quarter(basis) else Path(basis).name


def _texts(section: dict[str, Any], keys: tuple[str, ...]) -> dict[str, str]:
    """The section's free-text fields, every listed key present ("" when not given)."""
    return {key: str(section.get(key, "")).strip() for key in keys}


def _packaged_template(name: str) -> str | None:
    resource = resources.files("costshare.templates").joinpath(name)
    return resource.read_text(encoding="utf-8") if resource.is_file() else None
