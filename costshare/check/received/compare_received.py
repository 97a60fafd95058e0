"""Comparing a received document with a re-derivation of its run (:class:`.outcome.Expected`).

Each ``check_…`` function takes what a reader of this package found in a document (a
PDF's data and text, a workbook's visible cells, an e-invoice's fields) and returns a
:class:`.outcome.Checked` naming every difference with the expected and the found value.
What a document *says* (the data it carries) and what it *shows* (its text, its cells)
are both compared, each with the re-derivation, never with each other: a PDF whose data
and text were changed alike is still caught.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from costshare.base.danish import format_kr
from costshare.base.i18n import Text, lazy
from costshare.check.received.einvoice_file import Einvoice
from costshare.check.received.embedded import Embedded, Run
from costshare.check.received.outcome import Checked, Difference, Expected, ExpectedPayer
from costshare.check.received.pdf_file import PdfFile
from costshare.check.received.pdf_text import (
    annex_text,
    letter_amount,
    letter_amounts,
    settlement_amounts,
    settlement_differences,
    shown_fingerprint,
    shown_reference,
    shown_references,
    shows_amount,
)
from costshare.check.received.workbook_file import (
    OVERVIEW,
    PAYER,
    SETTLEMENT_OVERVIEW,
    Workbook,
)

if TYPE_CHECKING:  # the annex reader needs polars; a letter is checked without it
    from costshare.check.annex import Annex


class _Found:
    """The differences of one document, in the order found."""

    def __init__(self, source: str, shows_ore: bool) -> None:
        self.source = source
        self.shows_ore = shows_ore
        self.differences: list[Difference] = []
        self.notes: list[Text | str] = []

    def amount(self, what: Text, found: int | None, expected: int | None) -> None:
        if found != expected:
            self.differences.append(
                Difference(self.source, what, self._kr(expected), self._kr(found))
            )

    def _kr(self, ore: int | None) -> str:
        return str(lazy("(blank)")) if ore is None else format_kr(ore, self.shows_ore)

    def value(self, what: Text, found: object, expected: object) -> None:
        if found != expected:
            shown = (repr(x) if isinstance(x, str) else str(x) for x in (expected, found))
            self.differences.append(Difference(self.source, what, *shown))

    def other(self, what: Text) -> None:
        self.differences.append(Difference(self.source, what))

    def checked(self, kind: str, payer: ExpectedPayer | str = "", detail: str = "") -> Checked:
        if isinstance(payer, ExpectedPayer):
            name, code = payer.addressed, payer.code
        else:
            name, code = payer, ""
        return Checked(
            self.source, kind, name, code, detail, tuple(self.differences), tuple(self.notes)
        )


# --- the data a PDF carries -------------------------------------------------------------
def _run(found: _Found, run: Run, inputs: tuple[tuple[str, str], ...]) -> None:
    """The run a PDF carries against the re-derivation's inputs (its copies must be the
    files their SHA-256 names, and its inputs the re-derivation's)."""
    for item in run.files:
        if item.data is not None and hashlib.sha256(item.data).hexdigest() != item.sha256:
            found.other(
                lazy(
                    "the copy of {file} in the PDF's data does not match its SHA-256",
                    file=repr(item.given),
                )
            )
    for (what, digest), (_, derived) in zip(run.inputs, inputs, strict=False):
        found.value(lazy("the SHA-256 of {input} in the PDF's data", input=what), digest, derived)
    found.value(lazy("the number of inputs in the PDF's data"), len(run.inputs), len(inputs))


def _data(found: _Found, data: Embedded, expected: Expected) -> None:
    _run(found, data.run, expected.inputs)
    found.value(lazy("the fingerprint in the PDF's data"), data.fingerprint, expected.fingerprint)
    found.amount(lazy("the total in the PDF's data"), data.total_ore, expected.result.total_ore)


def _fingerprint_shown(found: _Found, pdf: PdfFile, expected: Expected) -> None:
    shown = shown_fingerprint(pdf.text)
    if shown is not None:
        found.value(lazy("the fingerprint on the letter"), shown, expected.fingerprint)


def _payer_of(found: _Found, code: str, expected: Expected) -> ExpectedPayer | None:
    payer = expected.payer(code)
    if payer is None:
        found.other(
            lazy(
                "names payer {code}, who is not a payer of the programme it was computed from",
                code=repr(code),
            )
        )
    return payer


# --- letters ----------------------------------------------------------------------------
def check_letter(pdf: PdfFile, data: Embedded, expected: Expected) -> Checked:
    """A charge letter: its data's claim and its text against the re-derivation."""
    found = _Found(pdf.source, expected.shows_ore)
    assert data.payer is not None  # a letter's data names its payer (read_embedded)
    claim = data.payer
    _data(found, data, expected)
    payer = _payer_of(found, claim.code, expected)
    if payer is None:
        return found.checked("letter", claim.name)
    found.amount(lazy("the amount in the PDF's data"), claim.amount_ore, payer.amount_ore)
    found.value(lazy("the reference in the PDF's data"), claim.reference, payer.reference)
    shown = letter_amount(pdf.text)
    if shown is not None:
        line, amount = shown
        what = lazy("the amount in the letter's text (line {line})", line=line)
        found.amount(what, amount, payer.amount_ore)
    elif not shows_amount(pdf.text, format_kr(payer.amount_ore, expected.shows_ore)):
        found.other(_not_shown(format_kr(payer.amount_ore, expected.shows_ore)))
    _reference_shown(found, pdf, payer.reference)
    _fingerprint_shown(found, pdf, expected)
    return found.checked("letter", payer)


def _not_shown(amount: str) -> Text:
    return lazy("the letter's text does not show the amount {amount}", amount=amount)


def _reference_shown(found: _Found, pdf: PdfFile, reference: str) -> None:
    shown = shown_reference(pdf.text)
    if shown is not None:
        found.value(lazy("the reference in the letter's text"), shown, reference)


def check_settlement_letter(
    pdf: PdfFile, data: Embedded, expected: Expected, charged_inputs: tuple[tuple[str, str], ...]
) -> Checked:
    """A settlement letter: charged, final and difference, in its data and its text."""
    found = _Found(pdf.source, expected.shows_ore)
    assert data.payer is not None and data.charged_run is not None
    claim = data.payer
    _data(found, data, expected)
    _run(found, data.charged_run, charged_inputs)
    payer = _payer_of(found, claim.code, expected)
    if payer is None:
        return found.checked("settlement-letter", claim.name)
    amounts = (
        ("Opkrævet", claim.charged_ore, payer.charged_ore),
        ("Endeligt beløb", claim.final_ore, payer.final_ore),
        ("Efterregulering", claim.amount_ore, payer.amount_ore),
    )
    shown = settlement_amounts(pdf.text)
    for label, claimed, derived in amounts:
        what = lazy("{label} in the PDF's data", label=repr(label))
        found.amount(what, claimed, derived)
        if label in shown:
            line, amount = shown[label]
            what = lazy("{label} in the letter's text (line {line})", label=repr(label), line=line)
            found.amount(what, amount, derived)
        elif derived is not None and not shows_amount(
            pdf.text, format_kr(abs(derived), expected.shows_ore)
        ):
            found.other(_not_shown(format_kr(derived, expected.shows_ore)))
    found.value(lazy("the reference in the PDF's data"), claim.reference, payer.reference)
    _reference_shown(found, pdf, payer.reference)
    _fingerprint_shown(found, pdf, expected)
    return found.checked("settlement-letter", payer)


# --- the annex and the review copy ------------------------------------------------------
def _claims(found: _Found, data: Embedded, expected: Expected) -> None:
    """Every payer's amount in a PDF for everyone (the annex, the review copy)."""
    _data(found, data, expected)
    claims = {claim.code: claim for claim in data.payers}
    for payer in expected.payers:
        claim = claims.pop(payer.code, None)
        what = lazy("the amount of {payer} in the PDF's data", payer=_who(payer))
        found.amount(what, claim.amount_ore if claim else None, payer.amount_ore)
    for code in claims:
        _payer_of(found, code, expected)


def check_review(pdf: PdfFile, data: Embedded, expected: Expected) -> Checked:
    """The review copy of every letter: each letter's amount and reference, in order."""
    found = _Found(pdf.source, expected.shows_ore)
    _claims(found, data, expected)

    def amount_in(payer: ExpectedPayer, line: int) -> Text:
        return lazy(
            "the amount in the letter to {payer} (line {line})", payer=_who(payer), line=line
        )

    _letters_in_order(found, expected, letter_amounts(pdf.text), pdf.text, amount_in)
    return found.checked("review")


def check_settlement_review(pdf: PdfFile, data: Embedded, expected: Expected) -> Checked:
    """A settlement's review copy of its letters: every payer's charged and final amounts
    and difference in its data, and each letter's difference and reference, in order."""
    found = _Found(pdf.source, expected.shows_ore)
    _claims(found, data, expected)
    claims = {claim.code: claim for claim in data.payers}
    for payer in expected.payers:
        claim = claims.get(payer.code)
        for what, claimed, derived in (
            (lazy("the charged amount of {payer} in the PDF's data", payer=_who(payer)),
             claim.charged_ore if claim else None, payer.charged_ore),
            (lazy("the final amount of {payer} in the PDF's data", payer=_who(payer)),
             claim.final_ore if claim else None, payer.final_ore),
        ):  # fmt: skip
            found.amount(what, claimed, derived)

    def settlement_in(payer: ExpectedPayer, line: int) -> Text:
        return lazy(
            "the settlement in the letter to {payer} (line {line})", payer=_who(payer), line=line
        )

    _letters_in_order(found, expected, settlement_differences(pdf.text), pdf.text, settlement_in)
    return found.checked("settlement-review")


def _letters_in_order(
    found: _Found,
    expected: Expected,
    amounts: list[tuple[int, int]],
    text: str,
    what: Callable[[ExpectedPayer, int], Text],
) -> None:
    """The letters a review copy repeats, in the payers' order: each one's amount (a line
    of ``amounts``, named by ``what``) and its reference (the heading's ``Reference:``
    line, not the payment paragraph's quoted one)."""
    references = [shown for shown in shown_references(text) if not shown.startswith("»")]
    for number, payer in enumerate(expected.payers):
        line, amount = amounts[number] if number < len(amounts) else (0, None)
        found.amount(what(payer, line), amount, payer.amount_ore)
        reference = references[number] if number < len(references) else ""
        named = lazy("the reference in the letter to {payer}", payer=_who(payer))
        found.value(named, reference, payer.reference)
    if len(amounts) > len(expected.payers):
        found.value(lazy("the number of letters"), len(amounts), len(expected.payers))


def check_annex_pdf(pdf: PdfFile, data: Embedded, expected: Expected) -> Checked:
    """The annex PDF: every payer's amount in its data and in its table, and the totals."""
    found = _Found(pdf.source, expected.shows_ore)
    _claims(found, data, expected)
    parties = tuple(payer.name for payer in expected.payers if not payer.municipal)
    shown = annex_text(pdf.text, pdf.source, parties)
    _annex_rows(found, shown.annex, expected, lazy("line"))
    for payer in expected.payers:
        if not payer.municipal:
            line, amount = shown.parties.get(payer.name, (0, None))
            what = lazy("the amount of {payer} (line {line})", payer=_who(payer), line=line)
            found.amount(what, amount, payer.amount_ore)
    if shown.total is not None:
        line, amount = shown.total
        what = lazy("the total (line {line})", line=line)
        found.amount(what, amount, expected.result.total_ore)
    return found.checked("annex")


def _annex_rows(found: _Found, annex: Annex | None, expected: Expected, unit: Text) -> None:
    """An annex's rows, as ``costshare verify PROGRAMME ANNEX`` compares them."""
    from costshare.check.verify import verify

    assert annex is not None  # an overview's workbook holds its annex (read_workbook)
    check = verify(expected.result, annex, find_quarter=False, explain=False)
    for mismatch in check.mismatches:
        what = lazy(
            "the amount of {payer} ({unit} {row})",
            payer=_who(mismatch.payer),
            unit=unit,
            row=mismatch.row,
        )
        found.amount(what, mismatch.found_ore, mismatch.payer.amount_ore)
    for payer in check.missing:
        found.other(lazy("has no row for {payer}", payer=repr(f"{payer.code} {payer.name}")))
    for row in check.unexpected:
        found.other(
            lazy(
                "{unit} {row} ({label}) is not a payer",
                unit=unit,
                row=row.row,
                label=repr(row.label),
            )
        )
    found.differences += [Difference(found.source, conflict) for conflict in check.conflicts]
    for total in check.totals:
        if not total.adds_up:
            what = lazy("the total ({unit} {row})", unit=unit, row=total.row)
            found.amount(what, total.stated_ore, total.rows_sum_ore)


def _who(payer: object) -> str:
    return repr(f"{getattr(payer, 'code', '')} {getattr(payer, 'name', '')}")


# --- workbooks --------------------------------------------------------------------------
def check_workbook(workbook: Workbook, expected: Expected) -> Checked:
    """A payer's workbook, the overview or a settlement's overview, as a person sees it."""
    found = _Found(workbook.source, expected.shows_ore)
    for (listed, digest), (_, derived) in zip(workbook.inputs, expected.inputs, strict=False):
        found.value(lazy("the SHA-256 of {input} (sheet Metode)", input=listed), digest, derived)
    if workbook.kind == OVERVIEW:
        _annex_rows(found, workbook.annex, expected, lazy("row"))
        return found.checked(OVERVIEW)
    if workbook.kind == SETTLEMENT_OVERVIEW:
        _settled_rows(found, workbook, expected)
        return found.checked(SETTLEMENT_OVERVIEW)
    assert workbook.kind == PAYER
    payer = _payer_of(found, workbook.code, expected)
    if payer is None:
        return found.checked(PAYER, workbook.payer)
    found.value(lazy("the payer"), workbook.payer, payer.addressed)
    if workbook.amount is None:
        found.other(lazy("shows no amount (Beløb (kr.))"))
    else:
        what = lazy("the amount (row {row})", row=workbook.amount.row)
        found.amount(what, workbook.amount.amount_ore, payer.amount_ore)
    found.value(lazy("the reference"), workbook.reference, payer.reference)
    return found.checked(PAYER, payer)


def _settled_rows(found: _Found, workbook: Workbook, expected: Expected) -> None:
    seen = set()
    for row in workbook.settled:
        payer = _payer_of(found, row.code, expected)
        if payer is None:
            continue
        seen.add(payer.code)
        for shown, derived, label in (
            (row.charged, payer.charged_ore, "Opkrævet"),
            (row.final, payer.final_ore, "Endelig"),
            (row.difference, payer.amount_ore, "Efterregulering"),
        ):
            what = lazy(
                "{label} of {payer} (row {row})", label=label, payer=_who(payer), row=shown.row
            )
            found.amount(what, shown.amount_ore, derived)
    for payer in expected.payers:
        if payer.code not in seen:
            found.other(lazy("has no row for {payer}", payer=_who(payer)))
    for _label, charged, final, difference in workbook.settled_totals[:1]:
        for shown, derived in (
            (charged, expected.charged_total_ore),
            (final, expected.final_total_ore),
            (difference, expected.final_total_ore - expected.charged_total_ore),
        ):
            what = lazy("the total (row {row})", row=shown.row)
            found.amount(what, shown.amount_ore, derived)


# --- e-invoices -------------------------------------------------------------------------
def einvoice_payer(invoice: Einvoice, expected: Expected) -> ExpectedPayer | None:
    """The payer an e-invoice is for: by its number, else by the name it addresses."""
    by_number = [
        p for p in expected.payers if p.invoice_number and p.invoice_number == invoice.number
    ]
    if by_number:
        return by_number[0]
    return next((p for p in expected.payers if p.addressed == invoice.buyer_name), None)


_FORMATS = {"oioubl": "OIOUBL", "peppol": "Peppol"}


def check_einvoice(
    invoice: Einvoice, expected: Expected, written: tuple[tuple[str, str], ...] | None = None
) -> Checked:
    """An e-invoice or credit note: its number, type and payable amount, and, where the
    caller re-derived the document costshare writes for the payer (``written``, its
    :func:`~costshare.check.received.einvoice_file.einvoice_fields`), every other field."""
    found = _Found(invoice.source, expected.shows_ore)
    detail = f"{invoice.number} ({_FORMATS.get(invoice.format, invoice.format)})"
    kind = "credit-note" if invoice.credit else "einvoice"
    payer = einvoice_payer(invoice, expected)
    if payer is None:
        found.other(
            lazy(
                "is for {buyer} (number {number}), who gets no e-invoice in the programme it "
                "was computed from",
                buyer=repr(invoice.buyer_name),
                number=repr(invoice.number),
            )
        )
        return found.checked(kind, invoice.buyer_name, detail)
    if not payer.invoice_number:
        found.other(lazy("is for a payer who gets no e-invoice in this run"))
        return found.checked(kind, payer, detail)
    found.value(lazy("the number (ID)"), invoice.number, payer.invoice_number)
    kinds = {True: str(lazy("credit note")), False: str(lazy("invoice"))}
    found.value(lazy("the kind of document"), kinds[invoice.credit], kinds[payer.invoice_credit])
    if invoice.payable_ore is None:
        found.value(
            lazy("the payable amount (PayableAmount)"),
            invoice.payable_text,
            format_kr(payer.invoice_payable_ore or 0, expected.shows_ore),
        )
    else:
        what = lazy("the payable amount (PayableAmount)")
        found.amount(what, invoice.payable_ore, payer.invoice_payable_ore)
    if written is not None:
        _fields(found, invoice.fields, written)
    return found.checked(kind, payer, detail)


_NAMED_ABOVE = {"cbc:ID", "cac:LegalMonetaryTotal/cbc:PayableAmount"}
_FIELDS_SHOWN = 10  # a document unlike any costshare writes differs everywhere


def _fields(
    found: _Found, received: tuple[tuple[str, str], ...], written: tuple[tuple[str, str], ...]
) -> None:
    """Every field the e-invoice states against the one costshare writes (the VAT, the
    amounts, the parties, the account, the dates), each difference by its path."""
    got, expected = dict(received), dict(written)
    differing: list[tuple[str, str | None, str | None]] = [
        (path, got.get(path), value)
        for path, value in written
        if path not in _NAMED_ABOVE and got.get(path) != value
    ]
    differing += [(path, value, None) for path, value in received if path not in expected]
    for path, was, should in differing[:_FIELDS_SHOWN]:
        if was is None:
            found.other(
                lazy("has no {field}; costshare writes {value}", field=path, value=repr(should))
            )
        elif should is None:
            found.other(
                lazy(
                    "has {field} {value}, which costshare does not write",
                    field=path,
                    value=repr(was),
                )
            )
        else:
            found.value(lazy("the field {field}", field=path), was, should)
    if len(differing) > _FIELDS_SHOWN:
        found.other(lazy("and {count} more fields differ", count=len(differing) - _FIELDS_SHOWN))
