"""One payer's settlement workbook (efterregulering), and the words settlement documents share.

:func:`build_settlement_workbook` is the settlement package's counterpart of the charge
package's payer workbook (:func:`costshare.documents.xlsx.workbooks.build_party_workbook`): the
payer and its identifiers, its own settlement reference, what it was charged (on which
basis, by which letter), its final amount (on which basis), the difference as a formula
(final − charged) with its value cached, what the difference is (efteropkrævning,
tilgodehavende or ingen ændring), the working of the final amount from
:func:`costshare.programme.working.party_working` and the final programme's "Metode"
sheet. Amounts are the settlement's integers, exact (see :mod:`costshare.documents.xlsx.cells`).

A payer's settlement reference is its own reference with :data:`SETTLEMENT_SUFFIX`
(``-EFT``), the suffix the settlement's e-invoice numbers carry: the charge and its
settlement never share a reference, and no two payers do.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from xlsxwriter.worksheet import Worksheet

from costshare.base.danish import format_date
from costshare.base.money import ORE_PER_KRONE
from costshare.check.received.labels import (
    CHARGED_LABEL,
    CODE_LABEL,
    DIFFERENCE_LABEL,
    FINAL_LABEL,
    PAYER_LABEL,
    SETTLEMENT_REFERENCE_LABEL,
    SETTLEMENT_SHEET,
)
from costshare.documents.xlsx.cells import (
    Book,
    fit_row,
    fits_a_cell,
    kroner,
    print_setup,
    set_widths,
)
from costshare.documents.xlsx.method_sheet import (
    AMOUNTS_AS_TEXT_NOTE,
    TITLE,
    add_method_sheet,
    amount_format,
    decision_line,
)
from costshare.documents.xlsx.payer_rows import identifiers, payment_rows
from costshare.programme.einvoiced import SETTLEMENT_SUFFIX, PayerEinvoice
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import CREDIT, EXTRA, Settlement, SettlementRow
from costshare.programme.working import party_working

SHEET = SETTLEMENT_SHEET
KIND_WORDS = {EXTRA: "Efteropkrævning", CREDIT: "Tilgodehavende"}
NO_CHANGE_WORDS = "Ingen ændring"
_BOLD = {"bold": True}
_WIDTHS = [34.0, 18.0, 72.0]
_WRAP = {"text_wrap": True, "valign": "top"}


def settlement_reference(row: SettlementRow) -> str:
    """The payer's reference for its settlement: ``SAG-2024-05018-157-EFT``."""
    return row.payer.reference + SETTLEMENT_SUFFIX


def kind_words(row: SettlementRow) -> str:
    """What the difference is, in Danish: efteropkrævning, tilgodehavende, ingen ændring."""
    return KIND_WORDS.get(row.kind, NO_CHANGE_WORDS)


def note(row: SettlementRow) -> str:
    """The remark for a payer in one run only (Danish), else ""."""
    if not row.final:
        return "ikke i den endelige fordeling: hele beløbet godskrives"
    if not row.charged:
        return "ikke opkrævet tidligere: hele beløbet opkræves"
    return ""


def basis_words(basis: str) -> str:
    """``2024K1`` → ``befolkningstal 2024K1``."""
    return f"befolkningstal {basis}" if basis else "det foreløbige grundlag"


def iso_date_words(text: str) -> str:
    """An ISO date in Danish words (``3. februar 2025``), or "" if it is not one."""
    try:
        return format_date(date.fromisoformat(text))
    except ValueError:
        return ""


def build_settlement_workbook(
    settlement: Settlement,
    row: SettlementRow,
    charged_basis: str,
    charged_letter_date: str,
    provenance: Provenance,
    einvoice: PayerEinvoice | None = None,
) -> Book:
    """One payer's settlement workbook (see the module docstring); with the ``einvoice``
    (or credit note) that carries its difference, how it is paid as its letter says."""
    result = settlement.final
    programme = result.programme
    amounts = (row.charged_ore, row.final_ore, row.amount_ore)
    book = Book(live_formulas=all(fits_a_cell(kroner(amount)) for amount in amounts))
    sheet = book.sheet(SHEET)
    _heading(book, sheet, settlement, row)
    line = 5
    for label, value in _facts(row):
        _label_and_text(book, line, label, value)
        line += 1
    basis = (charged_basis, charged_letter_date, provenance.population_basis)
    line = _amounts(book, sheet, settlement, row, line + 1, basis)
    payment = _payment(settlement, row, einvoice)
    if payment:
        line += 1
        for label, value in payment:
            line += 1
            _label_and_text(book, line, label, value)
    line += 2
    book.text(sheet, line, 1, "Beregning af det endelige beløb", **_BOLD)
    sheet.merge_range(line - 1, 0, line - 1, 2, "")
    if row.final:
        steps = [(step.label, step.value) for step in party_working(result, row.payer.code)]
    else:
        steps = [("Endeligt beløb", "indgår ikke i den endelige fordeling")]
    for label, value in steps:
        line += 1
        _label_and_text(book, line, label, value, bold=False)
    set_widths(sheet, _WIDTHS)
    print_setup(sheet, programme.case_number, landscape=True, area=(1, 1, line, 3))
    add_method_sheet(book, result, provenance)
    return book


def _name(row: SettlementRow) -> str:
    return row.payer.official_name or row.payer.name


def _heading(book: Book, sheet: Worksheet, settlement: Settlement, row: SettlementRow) -> None:
    """The payer and programme title, the programme's full title and the decision."""
    programme = settlement.final.programme
    heading = f"{_name(row)}: efterregulering, {programme.short_title}"
    for number, text, style in (
        (1, heading, TITLE),
        (2, programme.title, {}),
        (3, decision_line(settlement.final), {}),
    ):
        sheet.merge_range(number - 1, 0, number - 1, 2, "")
        book.text(sheet, number, 1, text, **_WRAP, **style)
        fit_row(sheet, number, [(text, sum(_WIDTHS) / (1.3 if style else 1.0), bool(style))])


def _facts(row: SettlementRow) -> list[tuple[str, str]]:
    """The payer, its code and identifiers, and its settlement reference."""
    payer = row.payer
    facts = [(PAYER_LABEL, _name(row)), (CODE_LABEL, payer.code)]
    facts += [(label, value) for label, value in identifiers(payer) if value]
    facts.append((SETTLEMENT_REFERENCE_LABEL, settlement_reference(row)))
    return facts


def _amounts(
    book: Book,
    sheet: Worksheet,
    settlement: Settlement,
    row: SettlementRow,
    line: int,
    basis: tuple[str, str, str],
) -> int:
    """Charged and final amount, each with its basis, and the difference as a formula;
    ``basis`` is the charge's basis and letter date and the final basis. The last line."""
    charged_basis, charged_letter_date, final_basis = basis
    # Top-aligned like the wrapped explanation beside them, should it take two lines.
    unit = settlement.final.programme.unit
    money = {"num_format": amount_format(unit), "align": "right", "valign": "top"}
    charged_line, final_line = line, line + 1
    letter_date = iso_date_words(charged_letter_date)
    charged_text = (
        f"opkrævet på {basis_words(charged_basis)}"
        + (f", opkrævning dateret {letter_date}" if letter_date else "")
        if row.charged
        else f"ikke opkrævet på {basis_words(charged_basis)}"
    )
    final_text = (
        f"endeligt opgjort på {basis_words(final_basis)}"
        if row.final
        else f"indgår ikke i den endelige opgørelse ({basis_words(final_basis)})"
    )
    for number, label, amount, text in (
        (charged_line, CHARGED_LABEL, row.charged_ore, charged_text),
        (final_line, FINAL_LABEL, row.final_ore, final_text),
    ):
        book.text(sheet, number, 1, label, valign="top", **_BOLD)
        book.number(sheet, number, 2, kroner(amount), **money)
        book.text(sheet, number, 3, text, indent=1, **_WRAP)
        fit_row(sheet, number, [(text, _WIDTHS[2] - 2, False)])
    line = final_line + 1
    book.text(sheet, line, 1, DIFFERENCE_LABEL, top=1, valign="top", **_BOLD)
    difference = Fraction(row.amount_ore, ORE_PER_KRONE)
    formula = f"=B{final_line}-B{charged_line}"
    book.formula(sheet, line, 2, formula, difference, top=1, **money, **_BOLD)
    what = kind_words(row) + (f" ({note(row)})" if note(row) else "")
    book.text(sheet, line, 3, what, top=1, indent=1, **_WRAP, **_BOLD)  # _WRAP: valign top
    fit_row(sheet, line, [(what, _WIDTHS[2] - 2, True)])
    line += 1
    book.text(sheet, line, 1, "Efterregulering = endeligt beløb − opkrævet; positiv: "
              "efteropkrævning, negativ: tilgodehavende.")  # fmt: skip
    sheet.merge_range(line - 1, 0, line - 1, 2, "")
    if book.amounts_as_text:
        line += 1
        _label_and_text(book, line, "", AMOUNTS_AS_TEXT_NOTE)
    return line


def _payment(
    settlement: Settlement, row: SettlementRow, einvoice: PayerEinvoice | None
) -> list[tuple[str, str]]:
    """How and by when to pay an extra charge, or by which credit note a credit comes
    (nothing for another credit or no change)."""
    if row.kind != EXTRA and einvoice is None:
        return []
    programme = settlement.final.programme
    rows = payment_rows(programme.payment.instruction(settlement_reference(row)), einvoice)
    if row.kind == CREDIT:  # headed as the settlement letter heads a credit
        return [("Tilbagebetaling", text) for _label, text in rows]
    return rows


def _label_and_text(book: Book, line: int, label: str, value: str, bold: bool = True) -> None:
    """A label in column A and a text across columns B and C, the row as tall as needed."""
    sheet = book.workbook.get_worksheet_by_name(SHEET)
    assert sheet is not None
    if label:
        book.text(sheet, line, 1, label, **(_BOLD if bold else {}), **_WRAP)
    sheet.merge_range(line - 1, 1, line - 1, 2, "")
    book.text(sheet, line, 2, value, align="left", **_WRAP)
    width = _WIDTHS[1] + _WIDTHS[2]
    fit_row(sheet, line, [(label, _WIDTHS[0], bold), (value, width, False)])
