"""Read a population file supplied by the user: CSV, Excel or a StatBank export.

The file needs a header row with a population column and a code column, a name column
or both; headers are recognised in any case (see ``ACCEPTED``). Population figures are
whole numbers and may carry thousands separators (``52.939``, ``52 939``, ``52,939``).

* With a code column, codes are taken as they are (``0101`` is ``101``). If every code
  is a municipality code, the file is municipal and gets its regions from the packaged
  list; otherwise the recipients are anything (schools, regions…) with the file's codes.
* With names only, a file in which any name is a municipality must name only
  municipalities (a misspelling gets a suggestion); totals such as ``Hele landet``,
  ``Region …``, ``Landsdel …`` and ``Christiansø`` are skipped, with a note. A file in
  which no name is a municipality holds other recipients, and each name is its own code.
* A ``TID`` column (as in a StatBank export) must hold one period; a quarter such as
  ``2025K1`` becomes part of the basis and sets the date the figures count.

Every problem is an :class:`InputError` of the form ``file:row:column: problem; what to
do``, with the row number as the file shows it.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
>>> _ = path.write_text("kommunekode;indbyggertal\\n0101;667.099\\n147;105.840\\n")
>>> population = load_file(path)
>>> population.codes, population.names, population.counts, population.municipal
(('101', '147'), ('København', 'Frederiksberg'), (667099, 105840), True)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import polars as pl

from costshare.base.danish import normalise_name
from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy, mark, ntr
from costshare.population.figure_cells import MAX_DIGITS as MAX_DIGITS  # re-exported
from costshare.population.figure_cells import (
    check_totals,
    counts_of,
    decimals_of,
    empty_cell,
    figure_column,
)
from costshare.population.messages import other_recipients_note
from costshare.population.messages import shown_list as _shown
from costshare.population.names import lookup_municipality, municipality_names, suggest_municipality
from costshare.population.packaged import (
    Population,
    _municipality_regions,
    is_quarter,
    quarter_date,
)
from costshare.population.tables import Table, read_table

ACCEPTED: dict[str, tuple[str, ...]] = {
    "population": (
        "population", "indbyggertal", "folketal", "antal", "indbyggere", "indhold", "weight",
    ),
    "code": ("code", "kommunekode", "kode", "kommunenr"),
    "name": ("name", "kommune", "navn", "område", "omraade", "municipality", "recipient"),
    "period": ("tid",),
    # A decimal key instead of a population (issue #13): the block-grant key's shares.
    "share": ("andel", "share", "nøgle", "noegle", "fordelingsnøgle", "bloktilskudsnøgle", "vægt"),
    # A factor per recipient (integer or decimal), multiplied onto the counted figure.
    "factor": ("factor", "faktor"),
}  # fmt: skip
_TOTAL = re.compile(r"^(?:hele landet|region .*|landsdel .*|christiansø)$")

# Messages about one column's role, written out per role: the Danish words differ in
# gender and form ("koden er tom", "navnet er tomt"), so a role is never a field.
_TWO_COLUMNS = {
    "population": mark(
        "the columns {first} and {second} both hold the population; delete or rename the one that should not be used"
    ),
    "code": mark(
        "the columns {first} and {second} both hold the code; delete or rename the one that should not be used"
    ),
    "name": mark(
        "the columns {first} and {second} both hold the name; delete or rename the one that should not be used"
    ),
    "period": mark(
        "the columns {first} and {second} both hold the period; delete or rename the one that should not be used"
    ),
    "share": mark(
        "the columns {first} and {second} both hold the share; delete or rename the one that should not be used"
    ),
    "factor": mark(
        "the columns {first} and {second} both hold the factor; delete or rename the one that should not be used"
    ),
}


class _Recipients(NamedTuple):
    frame: pl.DataFrame  # the rows kept, in the order of ``codes``
    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str | None, ...]
    municipal: bool
    notes: tuple[str, ...]


def load_file(path: str | Path, column: str | None = None) -> Population:
    """Read a CSV (``,``/``;``/tab) or Excel (``.xlsx``/``.xlsm``) population file.

    ``column`` names the column of figures to split by instead of the population or
    share column (a figure column such as ``køreplantimer``: issue #21); its header
    becomes the figures' measure (``efter køreplantimer``).

    Raises :class:`InputError` naming the file (and the row and column, where there is
    one) for anything that is not a readable file of recipients with whole-number
    populations: unknown headers, bad or duplicate codes and names, fractional,
    negative or empty populations, a formula costshare cannot compute, several periods.
    """
    table = read_table(path, lambda header: _usable(_find_columns(header, column)))
    columns = _find_columns(table.header, column)
    if not _usable(columns):
        if column is not None and not any(
            _folded(cell) == _folded(column) for cell in table.header
        ):
            raise InputError(
                lazy(
                    "has no column {column} (its headers are {headers}); name one of them",
                    column=repr(column),
                    headers=", ".join(repr(cell) for cell in table.header if cell),
                ),
                source=table.source,
            )
        raise InputError(_header_problem(table.header, columns), source=table.source)
    _refuse_two_columns_for_one_role(table, column)
    if table.frame.is_empty():
        raise InputError(lazy("has a header but no rows; add the recipients"), source=table.source)
    basis, as_of = table.source, None
    period = _period(table, columns["period"]) if "period" in columns else None
    if period:
        basis = f"{table.source} ({period})"
        as_of = quarter_date(period.upper()) if is_quarter(period) else None
    if "code" in columns:
        recipients = _by_code(table, columns["code"], columns.get("name"))
    else:
        recipients = _by_name(table, columns["name"])
    counts, scale, measure = _figures(table, recipients.frame, columns)
    factors: tuple[Fraction, ...] = ()
    if "factor" in columns:
        factors = decimals_of(table, recipients.frame, columns["factor"], "factor", percent=False)
    return Population(
        basis=basis,
        codes=recipients.codes,
        names=recipients.names,
        counts=counts,
        source=f"{Path(path).name}{f' ({period})' if period else ''}, egen fil fra brugeren",
        regions=recipients.regions,
        as_of=as_of,
        municipal=recipients.municipal,
        notes=table.notes + recipients.notes,
        weight_scale=scale,
        factors=factors,
        measure=measure,
        sha256=table.sha256,
    )


def _figures(
    table: Table, frame: pl.DataFrame, columns: dict[str, int]
) -> tuple[tuple[int, ...], int, str]:
    """The figures to split by (as integers), their scale and their measure, from the
    population column, the decimal share column or a chosen figure column."""
    if "population" in columns and "share" in columns:
        population_header = table.header[columns["population"]]
        share_header = table.header[columns["share"]]
        raise InputError(
            lazy(
                "the columns {first} and {second} both hold the figures "
                "to split by; delete or rename the one that should not be used",
                first=repr(population_header),
                second=repr(share_header),
            ),
            source=table.source,
        )
    scale, measure = 1, "indbyggertal"
    if "figure" in columns:
        counts, scale = figure_column(table, frame, columns["figure"])
        measure = _folded(table.header[columns["figure"]])
    elif "share" in columns:
        shares = decimals_of(table, frame, columns["share"], "share", percent=True)
        scale = math.lcm(*(share.denominator for share in shares))
        counts = tuple(int(share * scale) for share in shares)
        measure = "andel i fordelingsnøglen"
    else:
        counts = counts_of(table, frame, columns["population"])
        check_totals(table, frame, counts, columns["population"])
    if not any(counts):
        if scale != 1 or "share" in columns:
            problem = lazy("every share is 0; a split needs one above 0")
        else:
            problem = lazy("every population is 0; a split needs one above 0")
        raise InputError(problem, source=table.source)
    return counts, scale, measure


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _find_columns(header: Sequence[str], figure: str | None = None) -> dict[str, int]:
    """Role (``population``, ``code``, ``name``, ``period``…) → index of its first column.

    With a chosen ``figure`` column, that column is the figures (role ``figure``) and the
    population and share columns are not looked for.
    """
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _folded(cell)
        if figure is not None and key == _folded(figure):
            found.setdefault("figure", index)
            continue
        for role, names in ACCEPTED.items():
            if figure is not None and role in ("population", "share"):
                continue
            if key in names:
                found.setdefault(role, index)
    return found


def _refuse_two_columns_for_one_role(table: Table, figure: str | None = None) -> None:
    """Two population (or code, or name) columns: which one is meant is never guessed
    (with a chosen figure column, other figure columns are simply not used)."""
    for role, names in ACCEPTED.items():
        if figure is not None and role in ("population", "share"):
            continue
        headers = [
            cell for cell in table.header if unicodedata.normalize("NFC", cell).casefold() in names
        ]
        if len(headers) > 1:
            problem = lazy(_TWO_COLUMNS[role], first=repr(headers[0]), second=repr(headers[1]))
            raise InputError(problem, source=table.source)


def _usable(columns: dict[str, int]) -> bool:
    has_figures = "population" in columns or "share" in columns or "figure" in columns
    return has_figures and ("code" in columns or "name" in columns)


def _header_problem(header: Sequence[str], columns: dict[str, int]) -> Text:
    no_names = "code" not in columns and "name" not in columns
    if "population" in columns:
        missing = lazy("no code or name column")
    elif no_names:
        missing = lazy("no population column and no code or name column")
    else:
        missing = lazy("no population column")
    found: str | Text = ", ".join(repr(cell) for cell in header if cell) or lazy("none")
    # A decimal share column is documented, not listed.
    accepted = lazy(
        "population: {population}; code: {code}; name: {name}",
        **{role: ", ".join(ACCEPTED[role]) for role in ("population", "code", "name")},
    )
    return lazy(
        "{missing} among the headers ({found}); the first row must name the "
        "columns, accepted headers are {accepted}",
        missing=missing,
        found=found,
        accepted=accepted,
    )


def _period(table: Table, index: int) -> str | None:
    cells = table.frame[table.column(index)].str.strip_chars()
    values = [v for v in cells.drop_nulls().unique(maintain_order=True).to_list() if v]
    if len(values) > 1:
        raise InputError(
            lazy(
                "column {column} holds several periods ({periods}); export a single quarter",
                column=repr(table.header[index]),
                periods=_shown(values, 4),
            ),
            source=table.source,
        )
    return values[0] if values else None


def _by_code(table: Table, index: int, name_index: int | None) -> _Recipients:
    # read_code's NFKC, in polars: a full-width "１０１" is "101", as in every other reader.
    code = pl.col(table.column(index)).str.normalize("NFKC").str.strip_chars()
    code = code.str.replace(r"^0+([0-9]+)$", "${1}")
    frame = table.frame.with_columns(code.fill_null("").alias("_code"))
    blank = frame.filter(pl.col("_code") == "")
    if not blank.is_empty():
        raise empty_cell(table, blank["_rec"][0], index, "code")
    repeated = frame.filter(pl.col("_code").is_duplicated())
    if not repeated.is_empty():
        first_code = repeated["_code"][0]
        first, second = repeated.filter(pl.col("_code") == first_code)["_rec"][:2].to_list()
        rows = table.row_number(first), table.row_number(second)
        problem = lazy(
            "code {code} is on both row {first} and row {second}; give it once",
            code=repr(first_code),
            first=rows[0],
            second=rows[1],
        )
        raise InputError(problem, source=table.source, row=rows[1], column=table.header[index])
    codes = tuple(frame["_code"].to_list())
    known = municipality_names()
    unknown = frame.filter(~pl.col("_code").is_in(list(known)))["_code"].to_list()
    given: list[str | None] = [None] * len(codes)
    if name_index is not None:
        given = frame[table.column(name_index)].str.strip_chars().to_list()
    if unknown:
        names = tuple(name or code for name, code in zip(given, codes, strict=True))
        notes: tuple[str, ...] = ()
        if len(unknown) < len(codes):
            notes = (other_recipients_note(len(unknown), unknown[:3]),)
        return _Recipients(frame, codes, names, (), False, notes)
    names = tuple(name or known[code] for name, code in zip(given, codes, strict=True))
    return _Recipients(frame, codes, names, _regions(codes), True, ())


def _by_name(table: Table, index: int) -> _Recipients:
    column = table.column(index)
    recs = table.frame["_rec"].to_list()
    names = [(name or "").strip() for name in table.frame[column].to_list()]
    for rec, name in zip(recs, names, strict=True):
        if not name:
            raise empty_cell(table, rec, index, "name")
    normal = [normalise_name(name) for name in names]
    found = [_municipality(table, rec, index, name) for rec, name in zip(recs, names, strict=True)]
    notes: tuple[str, ...] = ()
    municipal = any(code is not None for code in found)
    if municipal:
        keep = [i for i, key in enumerate(normal) if not _TOTAL.match(key)]
        if len(keep) < len(names):
            skipped = [names[i] for i in sorted(set(range(len(names))) - set(keep))]
            notes = (
                ntr(
                    "skipped {count} rows that are not municipalities: {names}",
                    "skipped {count} rows that are not municipalities: {names}",
                    len(skipped),
                    count=len(skipped),
                    names=_shown(skipped),
                ),
            )
        for i in keep:
            if found[i] is None:
                raise _not_municipality(table, recs[i], index, names[i])
        recs, names = [recs[i] for i in keep], [names[i] for i in keep]
        normal = [found[i] or "" for i in keep]  # a municipality's code: one key per spelling
    seen: dict[str, int] = {}
    for rec, key, name in zip(recs, normal, names, strict=True):
        if key in seen:
            rows = table.row_number(seen[key]), table.row_number(rec)
            problem = lazy(
                "{name} is on both row {first} and row {second}; give it once",
                name=repr(name),
                first=rows[0],
                second=rows[1],
            )
            raise InputError(problem, source=table.source, row=rows[1], column=table.header[index])
        seen[key] = rec
    frame = table.frame.filter(pl.col("_rec").is_in(recs)) if notes else table.frame
    if not municipal:
        return _Recipients(frame, tuple(names), tuple(names), (), False, notes)
    codes = tuple(normal)
    packaged = municipality_names()
    names = [packaged[code] for code in codes]
    return _Recipients(frame, codes, tuple(names), _regions(codes), True, notes)


def _municipality(table: Table, rec: int, index: int, name: str) -> str | None:
    """The code of the municipality a name cell means (any accepted spelling), or None."""
    try:
        return lookup_municipality(name)
    except InputError as error:
        raise InputError(
            error,
            source=table.source,
            row=table.row_number(rec),
            column=table.header[index],
        ) from None


def _regions(codes: Sequence[str]) -> tuple[str | None, ...]:
    regions = _municipality_regions()
    return tuple(regions[code] for code in codes)


def _not_municipality(table: Table, rec: int, index: int, name: str) -> InputError:
    suggestion = suggest_municipality(name)
    if suggestion:
        problem = lazy(
            "{name} is not a municipality; did you mean {suggestion}?",
            name=repr(name),
            suggestion=repr(suggestion),
        )
    else:
        problem = lazy(
            "{name} is not a municipality, though other names in the file are; correct "
            "it, or add a code column for recipients that are not municipalities",
            name=repr(name),
        )
    return InputError(
        problem, source=table.source, row=table.row_number(rec), column=table.header[index]
    )
