"""What every costshare workbook shares: the "Metode" sheet and the small texts and formats.

The method sheet names the case, the decision, the total, the key, the method, the
rounding unit, the ties, the population source and, with provenance, the inputs'
SHA-256; the overview and each payer's workbook carry it, so a workbook forwarded on
its own still says how its amounts were made. Being every workbook's last sheet, it also
marks a what-if run's workbook as a draft on every sheet's page header (issue #22); the
title of the first sheet says so through :func:`draft_title`.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from costshare.allocation.methods import METHOD_NAMES_DA
from costshare.base.danish import format_date, format_kr, format_rate
from costshare.base.money import Unit
from costshare.check.received.labels import METHOD_FIRST_LABEL, SHA256_LABEL
from costshare.documents.xlsx.cells import MAX_EXACT_DIGITS, Book, fit_row, print_setup, set_widths
from costshare.population.packaged import decimal_text
from costshare.programme.key_wording import describe, describe_key
from costshare.programme.model import ProgrammeResult
from costshare.programme.provenance import Provenance
from costshare.shares.splitting import Split

TITLE = {"bold": True, "font_size": 14}
AMOUNTS_AS_TEXT_NOTE = (
    "Beløb med mere end 15 cifre er skrevet som tekst med alle cifre, fordi et regneark "
    "kun regner nøjagtigt med 15 cifre; summerne er beregnet af costshare."
)
_WIDTHS = [30.0, 90.0]
DRAFT_HEADER = "UDKAST – ikke besluttet, ikke en opkrævning"
"""The page header of every sheet of a what-if run's workbooks (as the letters' and the
annex's page header)."""
EXACT_FORMAT = "#,##0.000"
"""How a workbook shows an exact amount beside the integer one (three decimals)."""


def add_method_sheet(book: Book, result: ProgrammeResult, provenance: Provenance | None) -> None:
    """The "Metode" sheet: label and value per line, rows as tall as their wrapped text."""
    sheet = book.sheet("Metode")
    rows = method_rows(result, provenance)
    book.text(sheet, 1, 1, "Metode og kilder", **TITLE)
    sheet.set_row(0, 21)
    wrap = {"text_wrap": True, "valign": "top"}
    for row, (label, value) in enumerate(rows, start=3):
        book.text(sheet, row, 1, label, bold=True, **wrap)
        book.text(sheet, row, 2, value, **wrap)
        fit_row(sheet, row, [(label, _WIDTHS[0], True), (value, _WIDTHS[1], False)])
    set_widths(sheet, _WIDTHS)
    last = len(rows) + 2
    print_setup(sheet, result.programme.case_number, landscape=True, area=(1, 1, last, 2))
    if provenance is not None and provenance.draft:
        book.page_header(DRAFT_HEADER)


def draft_title(title: str, draft: Provenance | bool | None) -> str:
    """A workbook's title, "Udkast: …" for a what-if run (as the letters' subject);
    ``draft`` is the run's provenance, or whether it is a draft."""
    marked = draft.draft if isinstance(draft, Provenance) else bool(draft)
    return f"Udkast: {title}" if marked else title


def method_rows(result: ProgrammeResult, provenance: Provenance | None) -> list[tuple[str, str]]:
    """The method sheet's lines, label and value."""
    programme = result.programme
    split = result.municipal
    ties = ", ".join(f"{code} {split.population.name_of(code)}" for code in split.allocation.ties)
    rows: list[tuple[str, str]] = [
        (METHOD_FIRST_LABEL, f"{programme.title} ({programme.case_number})"),
        ("Beslutning", decision_line(result)),
        ("Samlet udgift", format_kr(result.total_ore, programme.unit.shows_ore)),
        ("Fordelingsnøgle", describe_key(split)),
        *rule_rows(split),
        ("Fordelingsmetode", METHOD_NAMES_DA[split.method][0]),
        ("Afrundingsenhed", format_kr(programme.unit.ore, programme.unit.shows_ore)),
        ("Lige store brøkdele", f"afgjort efter laveste kode: {ties}" if ties else "ingen"),
        ("Befolkningskilde", split.population.source),
    ]
    if split.population.as_of is not None:
        rows.append(("Befolkningsdato", format_date(split.population.as_of)))
    if provenance is not None:
        rows.append(("Befolkningsgrundlag", provenance.population_basis))
        rows += [(SHA256_LABEL.format(what=label), digest) for label, digest in provenance.inputs]
        rows.append(("Program", f"costshare {provenance.version}"))
        rows += [("Ændret grundlag", note) for note in provenance.what_if]
    return rows


def rule_rows(split: Split) -> list[tuple[str, str]]:
    """The rate, a frozen total and each part's figures (issue #21), where there are any."""
    rows = []
    if split.rate is not None:
        rows.append(("Sats", split.rate.describe()))
    if split.frozen is not None:
        rows.append(
            ("Fastfrosset grundlag", f"{split.frozen.words}: {decimal_text(split.frozen.count)}")
        )
    for index, part in enumerate(split.key.parts, start=1):
        share = format_rate(part.weight)
        payers = len(part.population.codes)
        rows.append(
            (
                f"Del {index}: {part.name}",
                f"{share} {describe(part.key, part.population)}, {payers} betalere; "
                f"tal: {part.population.source}",
            )
        )
    return rows


def decision_line(result: ProgrammeResult) -> str:
    programme = result.programme
    item = f", punkt {programme.decision_item}" if programme.decision_item else ""
    return (
        f"Besluttet af {programme.decision_body} den {format_date(programme.decision_date)}"
        f"{item}; sagsnr. {programme.case_number}"
    )


def method_text(result: ProgrammeResult) -> str:
    split = result.municipal
    unit = format_kr(split.unit.ore, split.unit.shows_ore)
    text = f"{METHOD_NAMES_DA[split.method][0]}, enhed {unit}"
    if split.allocation.ties:
        text += "; lige store brøkdele afgjort efter laveste kode: " + ", ".join(split.tied_names)
    return text


def amount_format(unit: Unit) -> str:
    return "#,##0.00" if unit.shows_ore else "#,##0"


def decimal_places(value: Fraction, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, fewer where a cell would not keep them all.

    For display only (an exact share beside the integer amount): a spreadsheet keeps 15
    digits, so a large share keeps its whole part and as many decimals as still fit. A
    share whose whole part alone has more than 15 digits keeps every decimal: it will be
    written as text anyway.
    """
    with localcontext() as context:
        context.prec = max(60, 2 * len(str(abs(value.numerator))))
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
        whole_digits = max(decimal.adjusted() + 1, 1)
        if whole_digits <= MAX_EXACT_DIGITS:
            places = min(places, MAX_EXACT_DIGITS - whole_digits)
        return decimal.quantize(Decimal(1).scaleb(-places))
