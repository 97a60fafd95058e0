"""Reading a received workbook as a person sees it: a payer's workbook, the overview (the
annex) or a settlement's overview, and the SHA-256 of the programme its "Metode" sheet
names.

Every workbook is read through the one table reader
(:func:`costshare.population.tables.read_table`), so its rules hold here too: a hidden
sheet, row or column, a merged cell in the table or a number format that hides a value is
refused, naming the cell, and what is compared is what a person sees. A workbook is
recognised by its table's header: ``Betaler`` (a payer's workbook), the annex's
``Kode``/``Kommune`` and ``Beløb`` (the overview, read as ``costshare verify`` reads any
annex), or ``Opkrævet``/``Efterregulering`` (a settlement's overview). A workbook with
none of them is not one costshare wrote, and is refused as such.

A payer's workbook of a settlement lays its facts out for reading (merged cells beside
the labels), not as a table; :func:`read_workbook` says so rather than reading around the
table reader's rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.base.limits import RECEIVED
from costshare.check.annex_amounts import parse_column
from costshare.check.received.labels import (
    AMOUNT_LABEL,
    CHARGED_LABEL,
    CODE_LABEL,
    DIFFERENCE_LABEL,
    METHOD_FIRST_LABEL,
    OVERVIEW_FINAL_LABEL,
    PAYER_LABEL,
    PROGRAMME_INPUT,
    REFERENCE_LABEL,
    SETTLEMENT_REFERENCE_LABEL,
    SETTLEMENT_SHEET,
    SHA256_LABEL,
)

if TYPE_CHECKING:  # the table reader needs polars: imported when a workbook is read
    from costshare.check.annex import Annex

PAYER, OVERVIEW, SETTLEMENT_OVERVIEW = "workbook", "overview", "settlement-overview"


@dataclass(frozen=True)
class Shown:
    """A value a workbook shows: its row, and the amount in øre (None: blank)."""

    row: int
    amount_ore: int | None


@dataclass(frozen=True)
class SettledRow:
    """A row of a settlement's overview: the payer and its three amounts."""

    row: int
    code: str
    name: str
    charged: Shown
    final: Shown
    difference: Shown


@dataclass(frozen=True)
class Workbook:
    """A received workbook: its kind, what it shows, and the programme it names."""

    source: str
    kind: str
    """:data:`PAYER`, :data:`OVERVIEW` or :data:`SETTLEMENT_OVERVIEW`."""
    payer: str = ""
    """A payer's workbook: the name it addresses (``Betaler``)."""
    code: str = ""
    reference: str = ""
    amount: Shown | None = None
    """A payer's workbook: its ``Beløb (kr.)``."""
    annex: Annex | None = None
    settled: tuple[SettledRow, ...] = ()
    settled_totals: tuple[tuple[str, Shown, Shown, Shown], ...] = ()
    inputs: tuple[tuple[str, str], ...] = ()
    """The inputs and SHA-256 its "Metode" sheet lists (programme first)."""

    @property
    def programme_sha256(self) -> str | None:
        return self.inputs[0][1] if self.inputs else None


def _kind(header: Sequence[Any]) -> str | None:
    from costshare.check.annex import is_annex_header

    cells = [str(cell or "").strip() for cell in header]
    if cells and cells[0] == PAYER_LABEL:
        return PAYER
    if DIFFERENCE_LABEL in cells and CHARGED_LABEL in cells:
        return SETTLEMENT_OVERVIEW
    return OVERVIEW if is_annex_header(header) else None


def read_workbook(path: Path, source: str) -> Workbook:
    """The workbook at ``path`` (named ``source`` in messages), as a person sees it.

    Raises :class:`InputError`: for a workbook that is not one costshare wrote, what a
    received workbook was expected to be; for one whose table hides something, the table
    reader's error naming the cell.
    """
    from costshare.population.tables import read_table

    seen: list[str] = []

    def accept(header: Sequence[str]) -> bool:
        kind = _kind(header)
        if kind is not None:
            seen.append(kind)
        return kind is not None

    try:
        table = read_table(path, accept, RECEIVED)
    except InputError as error:
        if seen[:1] == [PAYER] and _has_settlement_sheet(path):
            raise _settlement_workbook(source) from None
        raise (error if seen else _not_ours(source)).said_of(source) from None
    kind = _kind(table.header)
    if kind is None:
        raise _not_ours(source)
    inputs = _method_inputs(path, source)
    if kind == OVERVIEW:
        from costshare.check.annex import annex_of

        annex = annex_of(table)
        assert annex is not None  # its header was accepted as an annex's
        return Workbook(source, kind, annex=annex, inputs=inputs)
    if kind == SETTLEMENT_OVERVIEW:
        return _settlement_overview(table, source)
    labels = [str(label or "").strip() for label in table.values(0)]
    if SETTLEMENT_REFERENCE_LABEL in labels or CHARGED_LABEL in labels:
        raise _settlement_workbook(source)
    values = table.values(1)
    records = table.frame["_rec"].to_list()

    def shown(label: str) -> Shown | None:
        if label not in labels:
            return None
        index = labels.index(label)
        number = table.row_number(records[index])
        return Shown(number, parse_column([values[index]], label, source, [number])[0])

    def text(label: str) -> str:
        return str(values[labels.index(label)] or "").strip() if label in labels else ""

    return Workbook(
        source,
        kind,
        payer=str(table.header[1] or "").strip() if len(table.header) > 1 else "",
        code=text(CODE_LABEL),
        reference=text(REFERENCE_LABEL),
        amount=shown(AMOUNT_LABEL),
        inputs=inputs,
    )


def _has_settlement_sheet(path: Path) -> bool:
    """Whether the workbook (already read once, so a bounded zip) has the sheet of a
    payer's settlement workbook: its names only, from the workbook's index."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 1_000_000:
                return False
            index = archive.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f'name="{SETTLEMENT_SHEET}"' in index


def _method_inputs(path: Path, source: str) -> tuple[tuple[str, str], ...]:
    """The inputs the "Metode" sheet lists with their SHA-256 (none if it has none)."""
    from costshare.population.tables import read_table

    def accept(header: Sequence[str]) -> bool:
        return bool(header) and str(header[0] or "").strip() == METHOD_FIRST_LABEL

    try:
        table = read_table(path, accept, RECEIVED)
    except InputError:
        return ()  # no readable method sheet: the programme is found by other means
    if not accept(table.header):
        return ()
    prefix, _, suffix = SHA256_LABEL.partition("{what}")
    found = []
    for label, value in zip(table.values(0), table.values(1), strict=True):
        label, value = str(label or "").strip(), str(value or "").strip()
        if label.startswith(prefix) and label.endswith(suffix):
            found.append((label[len(prefix) : len(label) - len(suffix)], value))
    first = PROGRAMME_INPUT.partition("{name}")[0]
    return tuple(found) if found and found[0][0].startswith(first) else ()


def _settlement_overview(table: Any, source: str) -> Workbook:
    import polars as pl

    header = [str(cell or "").strip() for cell in table.header]
    columns = [
        header.index(label) for label in (CHARGED_LABEL, OVERVIEW_FINAL_LABEL, DIFFERENCE_LABEL)
    ]
    code, name = header.index(CODE_LABEL), header.index(PAYER_LABEL)
    both = pl.concat([table.frame, table.totals]).sort("_rec")
    records = both["_rec"].to_list()
    numbers = [table.row_number(rec) for rec in records]
    amounts = [
        parse_column(table.values(column, both), header[column], source, numbers)
        for column in columns
    ]
    totals = set(table.totals["_rec"].to_list())
    codes, names = table.values(code, both), table.values(name, both)
    rows: list[SettledRow] = []
    found_totals: list[tuple[str, Shown, Shown, Shown]] = []
    for i, (rec, number) in enumerate(zip(records, numbers, strict=True)):
        charged, final, difference = (Shown(number, amounts[c][i]) for c in range(3))
        label = str(names[i] or codes[i] or "").strip()
        if rec in totals:
            found_totals.append((label, charged, final, difference))
        elif any(shown.amount_ore is not None for shown in (charged, final, difference)):
            # A payer's row has amounts; a note below the table (first column) has none.
            code_text = str(codes[i] or "").strip()
            rows.append(SettledRow(number, code_text, label, charged, final, difference))
    return Workbook(
        source, SETTLEMENT_OVERVIEW, settled=tuple(rows), settled_totals=tuple(found_totals)
    )


def _not_ours(source: str) -> InputError:
    return InputError(
        lazy(
            "is a workbook, but not one costshare wrote: a payer's workbook (Betaler, Beløb), "
            "the overview (Kode, Kommune, Beløb) or a settlement's overview was expected"
        ),
        source=source,
    )


def _settlement_workbook(source: str) -> InputError:
    return InputError(
        lazy(
            "is a payer's settlement workbook, laid out for reading rather than as a table "
            "costshare checks; verify the settlement letter beside it, or the whole settlement "
            "package"
        ),
        source=source,
    )
