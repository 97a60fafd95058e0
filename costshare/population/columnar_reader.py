"""Large CSV files of recipients as polars columns, from reading to writing (issue #15).

:func:`costshare.population.userfile.load_file` reads any population file into a
:class:`~costshare.population.packaged.Population` of Python tuples: right for the 98
municipalities, and the reference for every rule. For a CSV of many recipients (schools,
institutions, households) those tuples are the cost: a million rows become three
million Python objects, checked in several passes. :func:`read_columnar` reads such a
file straight into three polars columns (``code``, ``name``, ``population``) and checks
it with expressions over the columns, so :mod:`costshare.shares.column_split` can split it
and :mod:`costshare.documents.text.split_report` write it without a row ever becoming a tuple.

It takes only the plain case, which every file written by a program is: a UTF-8 CSV
of at least :data:`MIN_BYTES` whose first line is the header, with exactly a code
column, a population column and optionally a name column (any accepted spelling), whole
numbers written as digits, unique non-empty codes that are not all municipality codes.
For anything else, including every file with a mistake in it, it returns ``None`` and
the caller reads the file with :func:`~costshare.population.userfile.load_file`, which
holds the rules and writes the error messages. So both paths give the same figures,
the same notes and the same one-line errors by construction, and
tests/population/test_columnar.py checks it with Hypothesis on generated files, bad rows included.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from costshare.base.limits import MAX_FIELD_CHARS, MAX_TABLE_BYTES, MAX_TABLE_ROWS
from costshare.base.text import FORBIDDEN_CLASS
from costshare.population.messages import other_recipients_note
from costshare.population.packaged import Population, is_quarter

if TYPE_CHECKING:
    import polars as pl

# Below 64 KiB (some 2 500 recipients) the file is read by load_file directly: a file
# of the 98 municipalities (a few KiB) would only be read twice. Above it the columns
# are quicker at any size (bench/RESULTS.md), and a file they leave costs a second read
# of a few milliseconds.
MIN_BYTES = 1 << 16
_ROLES = ("code", "name", "population")
_HEADER_BYTES = 1 << 16  # a header line longer than this is not a plain file
_NOT_CSV = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class ColumnarPopulation:
    """Recipients as polars columns ``code`` (text), ``name`` (text), ``population``
    (Int64), in the file's order; the same recipients :func:`load_file` reads.

    Recipients in a columnar file are never municipalities (no regions, no date), and
    never carry factors (a file with a factor column is load_file's). Which keys are split
    on the columns is :func:`costshare.shares.column_split.takes`'s to say, whoever calls.
    """

    basis: str
    source: str
    frame: pl.DataFrame
    notes: tuple[str, ...] = ()
    sha256: str = ""
    """The SHA-256 of the bytes that were parsed, as load_file records it."""

    def to_population(self) -> Population:
        """The same recipients as a :class:`Population`, for what needs Python rows
        (a table, JSON, another key or method); equal to what :func:`load_file` gives."""
        frame = self.frame
        return Population(
            basis=self.basis,
            codes=tuple(frame["code"].to_list()),
            names=tuple(frame["name"].to_list()),
            counts=tuple(frame["population"].to_list()),
            source=self.source,
            municipal=False,
            notes=self.notes,
            sha256=self.sha256,
        )


def read_columnar(path: str | Path, *, min_bytes: int | None = None) -> ColumnarPopulation | None:
    """The recipients of a large plain CSV file as columns, or ``None``: read it with
    :func:`~costshare.population.userfile.load_file` (see the module docstring).

    Never raises :class:`InputError`: a file with a problem is left to ``load_file``,
    which names the row and column. ``min_bytes`` (default :data:`MIN_BYTES`) is the
    smallest file it takes.
    """
    file = Path(path)
    if is_quarter(str(path)) or file.suffix.casefold() in _NOT_CSV:
        return None
    try:
        size = file.stat().st_size if file.is_file() else 0
        # Below the smallest worth the columns, or over a limit (base/limits.py): load_file
        # reads it, or refuses it with the message that names the limit.
        if size < (MIN_BYTES if min_bytes is None else min_bytes) or size > MAX_TABLE_BYTES:
            return None
        with file.open("rb") as handle:
            start = handle.read(_HEADER_BYTES)
    except OSError:
        return None
    header = _header(start)
    if header is None:
        return None
    separator, roles = header
    try:
        data = file.read_bytes()  # read once: what is parsed is what is hashed
    except OSError:
        return None
    frame = _read(data, separator, roles)
    if frame is None:
        return None
    checked = _checked(frame)
    if checked is None:
        return None
    frame, notes = checked
    source = f"{file.name}, egen fil fra brugeren"
    digest = hashlib.sha256(data).hexdigest()
    return ColumnarPopulation(str(path), source, frame, notes, digest)


def _header(start: bytes) -> tuple[str, list[str]] | None:
    """The separator and each column's role, when the first line is a plain header."""
    from costshare.population.tables import _SEPARATORS
    from costshare.population.userfile import ACCEPTED

    end = start.find(b"\n")
    if end < 0:
        return None
    try:
        line = start[:end].removesuffix(b"\r").decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not line.strip() or '"' in line or "\r" in line:
        return None
    separator = max(_SEPARATORS, key=line.count)
    roles: list[str] = []
    for cell in line.split(separator):
        key = unicodedata.normalize("NFC", cell.strip().strip("\ufeff").strip()).casefold()
        role = next((r for r in _ROLES if key in ACCEPTED[r]), None)
        # Any other column (a period, a factor, no header) is load_file's to judge.
        if role is None or role in roles:
            return None
        roles.append(role)
    if "code" not in roles or "population" not in roles:
        return None
    return separator, roles


def _read(data: bytes, separator: str, roles: list[str]) -> pl.DataFrame | None:
    """The data rows as text; ``None`` where polars refuses them (a row wider than
    the header, bytes that are not UTF-8, an unclosed quote…)."""
    import polars as pl

    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            skip_rows=1,
            separator=separator,
            schema=dict.fromkeys(roles, pl.String),
            infer_schema=False,
            encoding="utf8",
        )
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError, ValueError):
        return None
    if "name" not in roles:
        frame = frame.with_columns(name=pl.lit(None, dtype=pl.String))
    return frame


def _checked(frame: pl.DataFrame) -> tuple[pl.DataFrame, tuple[str, ...]] | None:
    """The columns as load_file makes them, and its notes; ``None`` on anything it would
    refuse or read otherwise."""
    cleaned = _cleaned(frame)
    if cleaned is None:
        return None
    notes = _recipient_notes(cleaned)
    return None if notes is None else (cleaned, notes)


def _cleaned(frame: pl.DataFrame) -> pl.DataFrame | None:
    """The cells as load_file reads them (``code``, ``name``, Int64 ``population``), or
    ``None`` on a cell it would refuse or read otherwise.

    Every check is an expression over a column, all of them in one pass. A file
    written by a program needs no cleaning, so the first pass only asks whether any
    cell does (a space around a value, a leading zero, an empty name); only then are
    the cells rewritten as load_file does.
    """
    import polars as pl

    from costshare.population.userfile import MAX_DIGITS

    control = f"{FORBIDDEN_CLASS}|\r"  # "\r": load_file reads "\r\n" in a quoted cell as "\n"
    # A code beyond ASCII may be a compatibility form (full-width "１０１"): load_file reads it
    # as every command does (costshare.base.codes.read_code).
    foreign = "[^\\x00-\\x7f]"
    odd = f"{control}|^\\s|\\s$"
    code, name, text = pl.col("code"), pl.col("name"), pl.col("population")
    blank = pl.all_horizontal([pl.col(role).is_null() for role in _ROLES])
    flags = frame.select(
        rows=pl.len(),
        code_odd=code.is_null().any()
        | (code == "").any()
        | code.str.contains(f"{odd}|^0|{foreign}").any(),
        name_odd=name.str.contains(odd).any(),
        name_missing=(name.is_null() | (name == "")).any(),
        # Digits only: load_file's thousands separators and spaces are left to it.
        # A blank line is a row of nulls: its code is null, so it is dropped below.
        longest=pl.max_horizontal([pl.col(role).str.len_chars().max() for role in _ROLES]),
        population_odd=~(
            text.str.contains(f"^[0-9]{{1,{MAX_DIGITS}}}$").fill_null(False) | blank
        ).all(),
    ).row(0, named=True)
    if flags["rows"] == 0 or flags["population_odd"] or flags["rows"] > MAX_TABLE_ROWS:
        return None
    if flags["longest"] is not None and flags["longest"] > MAX_FIELD_CHARS:
        return None  # load_file names the cell over the limit
    refused = pl.lit(False)
    if flags["code_odd"]:
        refused = refused | code.str.contains(f"{control}|{foreign}").any()
        # load_file drops blank lines (a row of spaces lands here as an empty code and
        # goes to load_file).
        frame = frame.filter(~blank)
        stripped = code.str.strip_chars().fill_null("")
        refused = refused | (stripped == "").any()
        # "0101" is "101", as load_file's ^0+([0-9]+)$ makes it.
        digits = stripped.str.contains("^[0-9]+$")
        unpadded = stripped.str.strip_chars_start("0")
        code = (
            pl.when(digits & (unpadded == ""))
            .then(pl.lit("0"))
            .when(digits)
            .then(unpadded)
            .otherwise(stripped)
        )
    if flags["name_odd"]:
        refused = refused | name.str.contains(control).any()
        name = name.str.strip_chars()
    if flags["name_missing"] or flags["name_odd"]:
        name = pl.when(name.is_null() | (name == "")).then(code).otherwise(name)
    if frame.select(refused).item():
        return None
    return frame.select(
        code.alias("code"), name.alias("name"), text.cast(pl.Int64).alias("population")
    )


def _recipient_notes(frame: pl.DataFrame) -> tuple[str, ...] | None:
    """load_file's notes on the cleaned columns, or ``None`` where it reads them otherwise
    (a repeated code, only municipalities, every weight zero)."""
    import polars as pl

    from costshare.population.names import municipality_names

    as_number = pl.col("code").cast(pl.Int64, strict=False)
    known = list(municipality_names())
    summary = frame.select(
        rows=pl.len(),
        # Codes as numbers where they all are (quicker to compare); two spellings of one
        # number would only be a false alarm, which load_file then settles.
        not_numbers=as_number.null_count(),
        distinct=as_number.n_unique(),
        unknown=(~pl.col("code").is_in(known)).sum(),
        weight=pl.col("population").max(),
    ).row(0, named=True)
    if summary["not_numbers"]:
        summary["distinct"] = frame["code"].n_unique()
    if summary["distinct"] < summary["rows"]:
        return None
    # All municipalities: regions, names and dates from the list; all zero: an error.
    if summary["unknown"] == 0 or not summary["weight"]:
        return None
    notes: tuple[str, ...] = ()
    if summary["unknown"] < summary["rows"]:
        first = frame.filter(~pl.col("code").is_in(known)).head(3)["code"].to_list()
        notes = (other_recipients_note(summary["unknown"], first),)
    return notes
