"""Price-and-wage indexing (PL-fremskrivning): moving an amount from its price level to a year.

A programme may fix its amounts "in 2024 prices" (``price_level = 2024``) and name an index
table: inline in the programme file (``[indexing] index = { 2024 = "100,0", 2025 = "103,1" }``)
or a CSV file of KL's price-and-wage index (``[indexing] file = "pl-indeks.csv"`` with its
``source`` and ``version`` recorded on every document). A what-if run may replace the table
with ``--index FILE``.

**Arithmetic.** The index figures are read as exact decimals (``"103,1"`` is 1031/10, never
a float) and the amount is moved with exact rational arithmetic::

    amount in year Y = base amount × index(Y) / index(price level)

and rounded **once**, to the programme's rounding unit (whole kroner by default), half
away from zero (``half-up``: 0,5 kr. goes up). Only the result is rounded, never the ratio,
so chaining two index steps is not the same as one and is never done.

>>> table = inline_table({"2024": "100,0", "2025": "103,1"}, "prog.toml")
>>> index_amount(100_000_000, table, 2024, 2025, unit_ore=100).result_ore
103100000
>>> index_amount(33_333_300, table, 2024, 2025, unit_ore=100).result_ore  # 343.666,32… kr.
34366600
>>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(-5, 2)), round_half_up(Fraction(7, 3))
(3, -3, 2)
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from costshare.base.danish import format_kr
from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy, mark
from costshare.base.limits import MAX_TABLE_BYTES, read_regular_file
from costshare.base.money import parse_decimal

INDEX_TABLE = mark("index table")  # what the file is, in the limits' messages

# Headings a PL-index CSV may use for its two columns (Danish or English, any case).
_YEAR_HEADINGS = ("år", "aar", "year")
_INDEX_HEADINGS = ("indeks", "pl-indeks", "index", "pl")


@dataclass(frozen=True)
class IndexTable:
    """Index figures by year, as written (``"103,1"``) and exactly (``Fraction(1031, 10)``).

    ``source`` and ``version`` say where the figures come from (e.g. ``KL, PL-skøn``,
    ``juni 2025``); ``file`` and ``sha256`` identify a CSV table (empty for an inline one).
    """

    figures: dict[int, Fraction]
    texts: dict[int, str]
    source: str
    version: str = ""
    file: str = ""
    sha256: str = ""
    path: Path | None = None
    """Where a CSV table was read (a package carries a copy); never written into a file."""

    def figure(self, year: int, where: str) -> Fraction:
        """The index for ``year``; raises :class:`InputError` naming ``where`` if absent."""
        if year not in self.figures:
            years = ", ".join(str(known) for known in sorted(self.figures))
            raise InputError(
                lazy(
                    "{where}: the index table has no figure for {year} (it has {years}); add the year to the index table",
                    where=where,
                    year=year,
                    years=years,
                )
            )
        return self.figures[year]

    def describe(self) -> str:
        """The table's origin in Danish, for documents: ``KL, PL-skøn, version juni 2025``."""
        text = self.source
        if self.version:
            text += f", version {self.version}"
        if self.file:
            text += f", fil {self.file}"
        return text


@dataclass(frozen=True)
class Indexation:
    """One amount moved from its price level to a year: the inputs, the figures and the result."""

    base_ore: int
    price_level: int
    year: int
    base_index: str
    year_index: str
    exact_ore: Fraction
    result_ore: int
    table: IndexTable

    def describe(self, decimals: bool = False) -> str:
        """``1.000.000 kr. i 2024-priser × 103,1 / 100,0 = 1.031.000 kr.``"""
        return (
            f"{format_kr(self.base_ore, decimals)} i {self.price_level}-priser "
            f"× {self.year_index} / {self.base_index} = {format_kr(self.result_ore, decimals)}"
        )


def round_half_up(value: Fraction) -> int:
    """``value`` rounded to a whole number, halves away from zero (the documented rule)."""
    magnitude = (abs(value) * 2 + 1) // 2
    return int(magnitude) if value >= 0 else -int(magnitude)


def index_amount(
    base_ore: int, table: IndexTable, price_level: int, year: int, unit_ore: int, where: str = ""
) -> Indexation:
    """Move ``base_ore`` from ``price_level`` to ``year``, rounded once to ``unit_ore``.

    Raises :class:`InputError` naming ``where`` if either year is not in the table.
    """
    base_figure = table.figure(price_level, where)
    year_figure = table.figure(year, where)
    exact = Fraction(base_ore) * year_figure / base_figure
    result = round_half_up(exact / unit_ore) * unit_ore
    return Indexation(
        base_ore,
        price_level,
        year,
        table.texts[price_level],
        table.texts[year],
        exact,
        result,
        table,
    )


def inline_table(index: dict[str, Any], source: str, what: str = "indexing.index") -> IndexTable:
    """The table written in the programme file: ``{ 2024 = "100,0", 2025 = "103,1" }``.

    Raises :class:`InputError` naming the programme file and key for a year or a figure
    that is not valid.
    """
    figures: dict[int, Fraction] = {}
    texts: dict[int, str] = {}
    for year_text, value in index.items():
        key = f"{what}.{year_text}"
        year = _year(year_text, source, key=key)
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise InputError(lazy('must be text in quotes such as "103,1"'), source=source, key=key)
        figures[year], texts[year] = _figure(str(value), source, key=key)
    if not figures:
        raise InputError(
            lazy('is empty; give the index by year, e.g. { 2024 = "100,0", 2025 = "103,1" }'),
            source=source,
            key=what,
        )
    return IndexTable(figures, texts, source="programfilen")


def _read_text(path: Path) -> tuple[bytes, str]:
    """The index table's bytes and text: a regular file of bounded size, UTF-8."""
    name = str(path)
    if not path.exists():
        raise InputError(lazy("{name}: no such file; check the path of the index table", name=name))
    raw = read_regular_file(path, INDEX_TABLE, MAX_TABLE_BYTES)  # a FIFO would block
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            lazy("{name}: not UTF-8 text; save the index table as UTF-8 CSV", name=name)
        ) from None


def read_index_csv(path: Path, source: str = "", version: str = "") -> IndexTable:
    """A CSV of index figures: a heading row ``år;indeks`` (or ``year,index``), then a row a year.

    ``;`` or ``,`` separates the columns (a Danish spreadsheet saves ``;``). Raises
    :class:`InputError` naming the file, row and column for anything not valid.
    """
    name = str(path)
    raw, text = _read_text(path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(
            lazy(
                "{name}: the file is empty; give a heading row 'år;indeks' and a row a year",
                name=name,
            )
        )
    delimiter = ";" if ";" in lines[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    headings = [cell.strip().casefold() for cell in rows[0]]
    year_column = next((i for i, h in enumerate(headings) if h in _YEAR_HEADINGS), None)
    index_column = next((i for i, h in enumerate(headings) if h in _INDEX_HEADINGS), None)
    if year_column is None or index_column is None:
        raise InputError(
            lazy(
                "no 'år' and 'indeks' columns in the heading row (found {heading}); name the columns år;indeks",
                heading=shown(lines[0]),
            ),
            source=name,
            row=1,
        )
    figures: dict[int, Fraction] = {}
    texts: dict[int, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(year_column, index_column):
            raise InputError(
                lazy("the row has too few columns; give a year and an index"),
                source=name,
                row=number,
            )
        year = _year(row[year_column], name, row=number, column=rows[0][year_column].strip())
        if year in figures:
            raise InputError(
                lazy("the year {year} is given twice; keep one row", year=year),
                source=name,
                row=number,
            )
        figures[year], texts[year] = _figure(
            row[index_column], name, row=number, column=rows[0][index_column].strip()
        )
    if not figures:
        raise InputError(
            lazy("{name}: has a heading row but no years; add a row a year", name=name)
        )
    return IndexTable(
        figures,
        texts,
        source=source or "indekstabel",
        version=version,
        file=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
    )


def _year(text: str, source: str, **where: Any) -> int:
    text = str(text).strip()
    if not text.isdecimal() or not 1900 <= int(text) <= 2200:
        raise InputError(
            lazy("{value} is not a year; write e.g. 2025", value=shown(text)),
            source=source,
            **where,
        )
    return int(text)


def _figure(text: str, source: str, **where: Any) -> tuple[Fraction, str]:
    """An index figure, exactly, and as it is shown on documents (Danish decimal comma)."""
    try:
        number = parse_decimal(text, "index", '"103,1"')
    except InputError as error:
        raise InputError(error, source=source, **where) from None
    if number <= 0:
        raise InputError(
            lazy("index {value} must be greater than zero", value=shown(text.strip())),
            source=source,
            **where,
        )
    return Fraction(number), format(number, "f").replace(".", ",")
