"""Fuzzing the input parsers: any input gives a valid result or one clean InputError.

Hypothesis feeds the amount parser, the programme loader, and the CSV and Excel population
loaders both raw noise and inputs shaped like the real thing (TOML documents built from the
programme schema with wrong types, CSV rows, workbook cells). The property is the same for
all: the result is valid, or the error is an :class:`InputError` whose message is one line
and names the file or the value; never any other exception. Example counts are kept
moderate so the module runs in a few seconds.
"""

from __future__ import annotations

import string
import tempfile
from datetime import date, datetime, time
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from paths import ROOT

from costshare.allocation.methods import allocate
from costshare.base.danish import format_kr
from costshare.base.errors import InputError
from costshare.base.money import Unit, format_plain, parse_amount, parse_percent
from costshare.population.packaged import load_packaged
from costshare.population.userfile import load_file
from costshare.programme.model import Programme, compute, load_programme
from costshare.programme.schema import _SCHEMA
from costshare.shares.splitting import split

EXAMPLE = ROOT / "examples" / "telehjerte-2025.toml"
FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(error: InputError, names: str) -> None:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message
    assert names in message


# --- amounts -----------------------------------------------------------------------------

AMOUNT_ALPHABET = string.digits + ".,- _+\u2212\u00a0kKrRdD" + "eE١٢"


@FUZZ
@given(st.one_of(st.text(max_size=40), st.text(AMOUNT_ALPHABET, max_size=25)))
@example("1e999")
@example("NaN")
@example("-")
@example("kr.")
@example("\x1b[31m5")
def test_any_text_is_an_amount_or_an_input_error(text: str) -> None:
    try:
        amount_ore = parse_amount(text, "--amount")
    except InputError as error:
        assert_clean(error, "--amount")
        return
    assert isinstance(amount_ore, int)
    # Whatever was accepted has one reading: the plain form gives the same amount back.
    assert parse_amount(format_plain(amount_ore)) == amount_ore


@FUZZ
@given(st.integers(min_value=-(10**32), max_value=10**32))
def test_every_amount_reads_back_from_its_unambiguous_forms(amount_ore: int) -> None:
    plain = format_plain(amount_ore, Unit(1))
    danish = format_kr(amount_ore, decimals=True)  # 20.415,50 kr.
    english = danish.replace(".", "_").replace(",", ".").replace("_", ",")  # 20,415.50 kr,
    for text in (plain, danish, english.removesuffix(","), plain.replace(".", ",")):
        assert parse_amount(text) == amount_ore, text


@FUZZ
@given(st.text(string.digits + ".,% -", max_size=12))
def test_any_text_is_a_percentage_or_an_input_error(text: str) -> None:
    try:
        part = parse_percent(text, "--equal-part")
    except InputError as error:
        assert_clean(error, "--equal-part")
        return
    assert 0 <= part <= 1


def test_a_huge_amount_splits_exactly() -> None:
    """10**30 kr.: no float anywhere, so the shares are the exact quotients, rounded once."""
    total_ore = 10**30 * 100
    kkr = load_packaged("2025K1").select_region("Hovedstaden")
    result = split(total_ore, kkr)
    shares = result.shares_ore()
    assert sum(shares.values()) == total_ore
    for code, share in shares.items():
        exact = Fraction(10**30 * kkr.count_of(code), kkr.total)
        assert abs(Fraction(share, 100) - exact) < 1
    assert allocate(10**40, {"a": 1, "b": 2}).shares == {"a": 3333333333333333333333333333333333333333, "b": 6666666666666666666666666666666666666667}  # fmt: skip


# --- programme files ---------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A minimal TOML writer for the fuzz documents (no tomli_w dependency)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in value) + '"'  # fmt: skip
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + "}"
    return str(value)


def toml_document(document: dict[str, Any]) -> str:
    return "".join(f'"{key}" = {toml_value(value)}\n' for key, value in document.items())


SCALARS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["525000", "525.000", "50 %", "2025K1", "Hovedstaden", "mixed", "0", "-1"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


def from_schema(schema: Any, top: bool = False) -> st.SearchStrategy[Any]:
    """Documents shaped by the programme schema, where any value may have the wrong type."""
    if isinstance(schema, dict):
        wrong_keys = st.dictionaries(
            st.sampled_from(["ammount", "titel", "x"]), SCALARS, max_size=1
        )
        right = st.fixed_dictionaries({}, optional={k: from_schema(v) for k, v in schema.items()})
        table = st.builds(lambda a, b: {**a, **b}, right, wrong_keys)
        return table if top else st.one_of(table, SCALARS)
    if isinstance(schema, list):
        return st.one_of(st.lists(from_schema(schema[0]), max_size=3), SCALARS)
    return SCALARS


def check_programme(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prog.toml"
        path.write_bytes(raw)
        try:
            programme = load_programme(path)
            result = compute(programme)
        except InputError as error:
            assert_clean(error, str(Path(folder)))
            event("InputError")
            return
    event("a programme")
    assert isinstance(programme, Programme)
    assert sum(result.party_parts_ore.values()) == programme.amount_ore


@FUZZ
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
@example(b"\xef\xbb\xbf")
@example(b'title = "x"\ndate = 2025-02-30\n')
@example(b"a = 1\na = 2\n")
def test_any_bytes_give_a_programme_or_an_input_error(raw: bytes) -> None:
    check_programme(raw)


@FUZZ
@given(from_schema(_SCHEMA, top=True))
def test_schema_shaped_documents_give_a_programme_or_an_input_error(
    document: dict[str, Any],
) -> None:
    check_programme(toml_document(document).encode())


@FUZZ
@given(
    key=st.sampled_from(["amount", "unit", "year", "letter_date", "title", "method"]),
    value=SCALARS,
)
def test_one_wrong_value_in_the_example_is_named(key: str, value: Any) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith(f"{key} =")]
    check_programme((f"{key} = {toml_value(value)}\n" + "\n".join(lines)).encode())


# --- population files --------------------------------------------------------------------

HEADERS = ["kommune", "kode", "antal", "indbyggertal", "name", "code", "population", "tid", ""]
CELLS = st.one_of(
    st.sampled_from(["København", "Gentofte", "101", "0147", "12.5", "-3", "1.000", "", " "]),
    st.integers(min_value=-5, max_value=10**20).map(str),
    st.text(max_size=8),
)


def check_population(path: Path) -> None:
    try:
        population = load_file(path)
    except InputError as error:
        assert_clean(error, str(path))
        event("InputError")
        return
    event("a population")
    assert len(population.codes) == len(population.names) == len(population.counts)
    assert len(set(population.codes)) == len(population.codes)
    assert all(count >= 0 for count in population.counts) and population.total > 0


MUNICIPALITIES = [("101", "København"), ("147", "Frederiksberg"), ("157", "Gentofte"), ("259", "Køge")]  # fmt: skip
LAYOUTS = [["kommune", "antal"], ["kode", "antal"], ["code", "name", "population"]]


@st.composite
def tables(draw: st.DrawFn, cells: st.SearchStrategy[Any]) -> list[list[Any]]:
    """A valid table of municipalities, then up to two cells (or the header) changed."""
    layout = draw(st.sampled_from(LAYOUTS))
    chosen = draw(st.lists(st.sampled_from(MUNICIPALITIES), min_size=1, max_size=4, unique=True))
    rows: list[list[Any]] = [list(layout)]
    for code, name in chosen:
        count = draw(st.integers(min_value=0, max_value=10**6))
        by_role = {"kommune": name, "name": name, "kode": code, "code": code}
        rows.append([by_role.get(column, count) for column in layout])
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        row = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        column = draw(st.integers(min_value=0, max_value=len(layout)))  # one past: a long row
        value = draw(st.sampled_from(HEADERS) if row == 0 else cells)
        rows[row][column : column + 1] = [value]
    if draw(st.booleans()):  # or something else entirely
        header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=4))
        rows = [header, *draw(st.lists(st.lists(cells, max_size=5), max_size=6))]
    return rows


@FUZZ
@given(
    separator=st.sampled_from([",", ";", "\t"]),
    rows=tables(CELLS),
    quote=st.booleans(),
)
def test_csv_shaped_text_gives_a_population_or_an_input_error(
    separator: str, rows: list[list[Any]], quote: bool
) -> None:
    def line(cells: list[Any]) -> str:
        return separator.join(f'"{c}"' if quote and c != "" else str(c) for c in cells)

    text = "\n".join(line(cells) for cells in rows) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pop.csv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        check_population(path)


WORKBOOK_CELLS = st.one_of(
    st.none(),
    CELLS,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.sampled_from(["=1+1", "=B2/0", '=HYPERLINK("x")', "#DIV/0!"]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    rows=tables(WORKBOOK_CELLS),
    hide_row=st.sampled_from([None, None, None, 2, 6]),
    merge=st.sampled_from([False, False, False, True]),
    second_sheet=st.sampled_from([False, False, False, True]),
)
def test_workbook_cells_give_a_population_or_an_input_error(
    rows: list[list[Any]],
    hide_row: int | None,
    merge: bool,
    second_sheet: bool,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for cells in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    if hide_row:
        sheet.row_dimensions[hide_row].hidden = True
    if merge:
        sheet.merge_cells("A2:A3")
    if second_sheet:
        book.create_sheet("Andet").append(rows[0])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pop.xlsx"
        book.save(path)
        check_population(path)
