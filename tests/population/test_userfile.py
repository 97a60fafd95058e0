"""Tests for reading user population files (costshare.population.userfile).

The StatBank fixture is generated from the packaged data; regenerate it with
``.venv/bin/python tests/population/test_userfile.py`` if the packaged CSV ever changes.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import ROOT, TESTS

from costshare.base.errors import InputError
from costshare.population.packaged import Population, load_packaged
from costshare.population.userfile import load_file

DATA = TESTS / "data"
PACKAGED = ROOT / "population" / "folk1a_municipalities_K1_2016-2026.csv"
STATBANK = DATA / "statbank_hovedstaden_2025K1.csv"


def statbank_export() -> bytes:
    """Region Hovedstaden in 2025K1 as a StatBank 'CSV (semicolon)' download would be.

    Windows-1252, CRLF, header ``OMRÅDE;TID;INDHOLD``, names instead of codes, and the
    total rows first. ``Hele landet`` is the sum of the 98 packaged municipalities (the real
    figure also counts Christiansø); it is skipped on reading either way.
    """
    with PACKAGED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    hovedstaden = [row for row in rows if row["region"] == "Region Hovedstaden"]
    lines = [
        "OMRÅDE;TID;INDHOLD",
        f"Hele landet;2025K1;{sum(int(row['2025K1']) for row in rows)}",
        f"Region Hovedstaden;2025K1;{sum(int(row['2025K1']) for row in hovedstaden)}",
        *(f"{row['name']};2025K1;{row['2025K1']}" for row in hovedstaden),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a fresh folder, so files are named as a user would name them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str, encoding: str = "utf-8") -> str:
    Path(name).write_bytes(text.encode(encoding))
    return name


def error_of(path: str | Path) -> str:
    with pytest.raises(InputError) as caught:
        load_file(path)
    return str(caught.value)


def workbook(name: str, sheets: dict[str, list[list[object]]]) -> str:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(name)
    return name


# --- CSV: separators and encodings -------------------------------------------------------


def test_comma_csv_with_codes_and_names() -> None:
    path = DATA / "pop_comma.csv"
    assert load_file(path) == Population(
        basis=str(path),
        codes=("101", "147", "151"),
        names=("København", "Frederiksberg", "Ballerup"),
        counts=(667099, 105840, 52939),
        source="pop_comma.csv, egen fil fra brugeren",
        regions=("Region Hovedstaden",) * 3,
        as_of=None,
        municipal=True,
        notes=(),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),  # the bytes that were read
    )


def test_semicolon_csv_with_bom_names_only_and_separators() -> None:
    population = load_file(str(DATA / "pop_semicolon_bom.csv"))
    assert population.basis == str(DATA / "pop_semicolon_bom.csv")
    assert population.codes == ("101", "147", "151")
    # Names are matched through the packaged list and given as Statistics Denmark writes them.
    assert population.names == ("København", "Frederiksberg", "Ballerup")
    assert population.counts == (667099, 105840, 52939)
    assert population.municipal is True
    assert population.regions == ("Region Hovedstaden",) * 3


def test_windows_1252_csv() -> None:
    population = load_file(DATA / "pop_cp1252.csv")
    assert population.codes == ("185", "253", "492")
    assert population.names == ("Tårnby", "Greve", "Ærø")
    assert population.counts == (44034, 53536, 5881)
    assert population.regions == ("Region Hovedstaden", "Region Sjælland", "Region Syddanmark")


def test_tab_separated_with_blank_lines_and_trailing_separators(here: Path) -> None:
    write("pop.tsv", "\n\n KODE \tAntal\t\n101\t10\t\n\t\t\n147\t20\t\n\n")
    population = load_file("pop.tsv")
    assert (population.codes, population.counts) == (("101", "147"), (10, 20))


def test_header_matching_ignores_case_space_and_nfd(here: Path) -> None:
    write("pop.csv", "\ufeff Omra\u030ade ;TID;Indhold\nBallerup;2025K1;1\n")
    assert load_file("pop.csv").codes == ("151",)


# --- StatBank export -----------------------------------------------------------------------


def test_statbank_fixture_is_generated_from_the_packaged_data() -> None:
    assert STATBANK.read_bytes() == statbank_export()


def test_statbank_export_loads_as_it_is() -> None:
    population = load_file(STATBANK)
    packaged = load_packaged("2025K1").select_region("hovedstaden")
    assert population.codes == packaged.codes
    assert population.names == packaged.names
    assert population.counts == packaged.counts
    assert population.regions == packaged.regions
    assert (len(population.codes), population.total) == (29, 1930703)
    assert population.basis == f"{STATBANK} (2025K1)"
    assert population.source == "statbank_hovedstaden_2025K1.csv (2025K1), egen fil fra brugeren"
    assert population.as_of == date(2025, 1, 1)
    assert population.municipal is True
    assert population.notes == (
        "skipped 2 rows that are not municipalities: Hele landet, Region Hovedstaden",
    )


def test_statbank_totals_landsdele_and_christianso_are_skipped(here: Path) -> None:
    write(
        "folk.csv",
        "OMRÅDE;TID;INDHOLD\nLandsdel Bornholm;2025K1;39000\nBornholm;2025K1;38951\n"
        "Christiansø;2025K1;90\nRegion Sjælland;2025K1;850000\nKøge;2025K1;61000\n"
        "Landsdel Østsjælland;2025K1;250000\nRegion Syddanmark;2025K1;1\nHele landet;2025K1;2\n",
        "cp1252",
    )
    population = load_file("folk.csv")
    assert population.codes == ("400", "259")
    assert population.notes == (
        "skipped 6 rows that are not municipalities: Landsdel Bornholm, Christiansø, "
        "Region Sjælland, Landsdel Østsjælland, Region Syddanmark, Hele landet",
    )


def test_statbank_with_several_quarters(here: Path) -> None:
    write("folk.csv", "OMRÅDE;TID;INDHOLD\nKøge;2024K4;1\nKøge;2025K1;2\n", "cp1252")
    assert error_of("folk.csv") == (
        "folk.csv: column 'TID' holds several periods (2024K4, 2025K1); export a single quarter"
    )


def test_a_period_that_is_not_a_quarter_goes_in_the_basis_without_a_date(here: Path) -> None:
    write("folk.csv", "OMRÅDE;TID;INDHOLD\nKøge;2025;2\n")
    population = load_file("folk.csv")
    assert (population.basis, population.as_of) == ("folk.csv (2025)", None)


# --- population values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ("52939", 52939),
        ("52.939", 52939),
        ("52 939", 52939),
        ('"52,939"', 52939),
        ("52\u00a0939", 52939),
        ("1.234.567", 1234567),
        ('"1,234,567"', 1234567),
        (" 007 ", 7),
        ("0", 0),
        ("999999999999999999", 999999999999999999),
    ],
)
def test_population_forms(here: Path, cell: str, count: int) -> None:
    write("pop.csv", f"code,population\n101,{cell}\n147,1\n")
    assert load_file("pop.csv").counts == (count, 1)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("12.5", "population must be a whole number, got '12.5'; correct the cell"),
        ("12,5", "population must be a whole number, got '12,5'; correct the cell"),
        ("1.234,00", "population must be a whole number, got '1.234,00'; correct the cell"),
        ("52.9390", "population must be a whole number, got '52.9390'; correct the cell"),
        ("abc", "population must be a whole number, got 'abc'; correct the cell"),
        ("1e3", "population must be a whole number, got '1e3'; correct the cell"),
        ("٣", "population must be a whole number, got '٣'; correct the cell"),
        ("-5", "population must not be negative, got '-5'; correct the cell"),
        ("", "the population is empty; fill it in or delete the row"),
        ("   ", "the population is empty; fill it in or delete the row"),
        (
            "1234567890123456789",
            "population '1234567890123456789' is too large (over 18 digits); correct the cell",
        ),
    ],
)
def test_bad_population_is_located(here: Path, cell: str, problem: str) -> None:
    write("pop.csv", f"code;population\n101;1\n147;{cell}\n151;3\n")
    assert error_of("pop.csv") == f"pop.csv:3:population: {problem}"


def test_row_numbers_count_blank_lines_and_quoted_line_breaks(here: Path) -> None:
    write("pop.csv", '\n\nname,population\n"Skole\nA",1\n\nB,2.5\n')
    assert error_of("pop.csv") == (
        "pop.csv:7:population: population must be a whole number, got '2.5'; correct the cell"
    )
    write("plain.csv", "\ncode,indbyggere\n101,1\n\n147,x\n")
    assert error_of("plain.csv") == (
        "plain.csv:5:indbyggere: population must be a whole number, got 'x'; correct the cell"
    )


def test_all_zero(here: Path) -> None:
    write("pop.csv", "code,population\n101,0\n147,0\n")
    assert error_of("pop.csv") == "pop.csv: every population is 0; a split needs one above 0"


@pytest.mark.slow
def test_a_million_rows(here: Path) -> None:
    lines = "".join(f"S{i},{i % 1000}.{i % 1000:03d}\n" for i in range(1_000_000))
    write("big.csv", "code,population\n" + lines)
    population = load_file("big.csv")
    assert len(population.codes) == 1_000_000
    assert population.counts[1234] == 234234
    assert population.municipal is False


# --- codes and names -----------------------------------------------------------------------


def test_non_municipal_schools_file() -> None:
    population = load_file(DATA / "schools.csv")
    assert population.codes == ("S01", "S02", "S03")
    assert population.names == ("Nørrebro Skole", "Valby Skole", "Ørestad Skole")
    assert population.counts == (412, 388, 0)
    assert (population.municipal, population.regions, population.notes) == (False, (), ())


def test_names_only_non_municipal_recipients_are_their_own_codes(here: Path) -> None:
    write("pop.csv", "navn,antal\nRegion Hovedstaden,3\n  Region Sjælland ,2\n")
    population = load_file("pop.csv")
    assert population.codes == population.names == ("Region Hovedstaden", "Region Sjælland")
    assert (population.municipal, population.regions) == (False, ())


def test_municipal_codes_without_names_get_packaged_names(here: Path) -> None:
    write("pop.csv", "kommunenr;folketal\n0101;1\n400;2\n")
    population = load_file("pop.csv")
    assert population.names == ("København", "Bornholm")
    assert population.regions == ("Region Hovedstaden", "Region Hovedstaden")


def test_some_unknown_codes_make_other_recipients_with_a_note(here: Path) -> None:
    write("pop.csv", "code,name,population\n101,Kbh,1\n9999,Andet,2\n,,\n")
    population = load_file("pop.csv")
    assert (population.codes, population.names) == (("101", "9999"), ("Kbh", "Andet"))
    assert (population.municipal, population.regions) == (False, ())
    assert population.notes == (
        "1 codes (9999) are not municipality codes, so the recipients are read as other "
        "than municipalities, without regions",
    )


def test_duplicate_codes_name_both_rows(here: Path) -> None:
    write("pop.csv", "code,population\n0101,1\n147,2\n101,3\n")
    assert error_of("pop.csv") == (
        "pop.csv:4:code: code '101' is on both row 2 and row 4; give it once"
    )


def test_blank_code(here: Path) -> None:
    write("pop.csv", "code,name,population\n101,A,1\n ,B,2\n")
    assert error_of("pop.csv") == "pop.csv:3:code: the code is empty; fill it in or delete the row"


def test_misspelt_municipality_gets_a_suggestion(here: Path) -> None:
    write("pop.csv", "kommune;indbyggertal\nBallerup;1\nKøbenhvn;2\n")
    assert error_of("pop.csv") == (
        "pop.csv:3:kommune: 'Københvn' is not a municipality; did you mean 'København'?"
    )


def test_unknown_name_among_municipalities(here: Path) -> None:
    write("pop.csv", "kommune;indbyggertal\nBallerup;1\nSkolen;2\n")
    assert error_of("pop.csv") == (
        "pop.csv:3:kommune: 'Skolen' is not a municipality, though other names in the file "
        "are; correct it, or add a code column for recipients that are not municipalities"
    )


def test_duplicate_names(here: Path) -> None:
    write("pop.csv", "kommune;antal\nBallerup;1\nKøge;1\nballerup kommune;2\n")
    assert error_of("pop.csv") == (
        "pop.csv:4:kommune: 'ballerup kommune' is on both row 2 and row 4; give it once"
    )
    write("schools.csv", "name;antal\nSkole A;1\nSkole a;1\n")
    assert error_of("schools.csv") == (
        "schools.csv:3:name: 'Skole a' is on both row 2 and row 3; give it once"
    )


def test_blank_name(here: Path) -> None:
    write("pop.csv", "name;antal\nSkole A;1\n;1\n")
    assert error_of("pop.csv") == "pop.csv:3:name: the name is empty; fill it in or delete the row"


# --- headers and unreadable files ----------------------------------------------------------

ACCEPTED_TEXT = (
    "the first row must name the columns, accepted headers are population: population, "
    "indbyggertal, folketal, antal, indbyggere, indhold, weight; code: code, kommunekode, "
    "kode, kommunenr; name: name, kommune, navn, område, omraade, municipality, recipient"
)


def test_missing_population_column(here: Path) -> None:
    write("pop.csv", "kommune,indbyggere i alt\nKøge,1\n")
    assert error_of("pop.csv") == (
        "pop.csv: no population column among the headers ('kommune', 'indbyggere i alt'); "
        + ACCEPTED_TEXT
    )


def test_missing_code_and_name_columns(here: Path) -> None:
    write("pop.csv", "101,52939\n147,1\n")
    assert error_of("pop.csv") == (
        "pop.csv: no population column and no code or name column among the headers "
        "('101', '52939'); " + ACCEPTED_TEXT
    )
    write("antal.csv", "id;antal\n1;2\n")
    assert error_of("antal.csv") == (
        "antal.csv: no code or name column among the headers ('id', 'antal'); " + ACCEPTED_TEXT
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty"),
        (b"\xa0\n", "the file is empty"),
        (b"code,population\r\n", "has a header but no rows; add the recipients"),
        (b"code,population\n,\n , \n", "has a header but no rows; add the recipients"),
        (b"code,population\n101,\x001\n", "is a binary file, not CSV text; save it as CSV"),
        (b"PK\x03\x04rest", "is an Excel workbook, not CSV; rename it to .xlsx"),
        (
            b"code,population\n\x81\xff,1\n",
            "unreadable encoding (neither UTF-8 nor Windows-1252); save as UTF-8",
        ),
    ],
)
def test_unreadable_csv(here: Path, content: bytes, problem: str) -> None:
    Path("pop.csv").write_bytes(content)
    assert error_of("pop.csv") == f"pop.csv: {problem}"


def test_missing_path_and_folder(here: Path) -> None:
    assert error_of("nope.csv") == "nope.csv: no such file; check the path"
    Path("folder.csv").mkdir()
    assert error_of("folder.csv") == "folder.csv: is a folder, not a file; give a CSV or Excel file"
    Path("old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert error_of("old.xls") == "old.xls: old .xls workbooks are not read; save it as .xlsx"


# --- Excel ---------------------------------------------------------------------------------


def test_xlsx_numbers_text_and_integral_floats(here: Path) -> None:
    workbook("pop.xlsx", {"Ark1": [["Kode", "Navn", "Indbyggertal"], [101, None, 667099.0],
                                   ["0147", "Frb.", "105.840"], [151.0, "Ballerup", 52939]]})  # fmt: skip
    population = load_file("pop.xlsx")
    assert population == Population(
        basis="pop.xlsx",
        codes=("101", "147", "151"),
        names=("København", "Frb.", "Ballerup"),
        counts=(667099, 105840, 52939),
        source="pop.xlsx, egen fil fra brugeren",
        regions=("Region Hovedstaden",) * 3,
        municipal=True,
        sha256=hashlib.sha256(Path("pop.xlsx").read_bytes()).hexdigest(),
    )


def test_xlsm_first_sheet_with_headers_is_used_and_noted(here: Path) -> None:
    workbook("pop.xlsm", {"Forside": [["Befolkning 2025"], ["se næste ark"]],
                          "Tom": [],
                          "Data": [[], [None, "kommune", "antal"], [None, "Køge", 61000],
                                   [], [None, "Solrød", 1.5]]})  # fmt: skip
    assert error_of("pop.xlsm") == (
        "pop.xlsm:5:antal: population must be a whole number, got '1.5'; correct the cell"
    )
    workbook("ok.xlsx", {"Forside": [["note"]], "Data": [["kommune", "antal"], ["Køge", 1]]})
    population = load_file("ok.xlsx")
    assert (population.codes, population.notes) == (
        ("259",),
        ("read sheet 'Data' of the 2 sheets",),
    )


def test_xlsx_formula_without_saved_value_is_computed(here: Path) -> None:
    """Issue #24: costshare computes a formula itself (here one with no saved value)."""
    workbook("pop.xlsx", {"Ark1": [["code", "population"], [101, 3], [147, "=B2*2+SUM(B2:B2)"]]})
    population = load_file("pop.xlsx")
    assert dict(zip(population.codes, population.counts, strict=True)) == {"101": 3, "147": 9}


def test_xlsx_formula_costshare_does_not_compute(here: Path) -> None:
    workbook("pop.xlsx", {"Ark1": [["code", "population"], [101, 1], [147, "=VLOOKUP(A2,A:B,2)"]]})
    assert error_of("pop.xlsx") == (
        "pop.xlsx:3:population: costshare does not compute the formula =VLOOKUP(A2,A:B,2) "
        "(the function VLOOKUP); replace it by its value, or use only numbers, cells of this "
        "sheet, +, -, *, /, SUM and ROUND"
    )


def test_xlsx_empty_cell_is_not_called_a_formula(here: Path) -> None:
    workbook("pop.xlsx", {"Ark1": [["code", "population"], [101, 1], [147, None]]})
    assert error_of("pop.xlsx") == (
        "pop.xlsx:3:population: the population is empty; fill it in or delete the row"
    )


def test_xlsx_without_recognised_headers_reports_the_first_sheet(here: Path) -> None:
    workbook("pop.xlsx", {"A": [["x", "y"], [1, 2]], "B": [["kommune"], ["Køge"]]})
    assert error_of("pop.xlsx") == (
        "pop.xlsx: no population column and no code or name column among the headers "
        "('x', 'y'); " + ACCEPTED_TEXT
    )


@pytest.mark.parametrize(
    ("sheets", "problem"),
    [
        ({"A": [], "B": [[None, None]]}, "the workbook is empty"),
        ({"A": [["code", "population"]]}, "has a header but no rows; add the recipients"),
    ],
)
def test_xlsx_empty(here: Path, sheets: dict[str, list[list[object]]], problem: str) -> None:
    workbook("pop.xlsx", sheets)
    assert error_of("pop.xlsx") == f"pop.xlsx: {problem}"


@pytest.mark.parametrize("content", [b"code,population\n101,1\n", b"PK\x03\x04broken", b""])
def test_corrupt_xlsx(here: Path, content: bytes) -> None:
    Path("pop.xlsx").write_bytes(content)
    assert error_of("pop.xlsx").startswith("pop.xlsx: is not a readable Excel workbook (")
    assert error_of("pop.xlsx").endswith(
        "); open it in Excel and save it as .xlsx, or save it as CSV"
    )


# --- fuzz ----------------------------------------------------------------------------------

_HEADERS = st.sampled_from(["code,population\n", "kommune;antal\n", "name\tweight\n", ""])


@settings(max_examples=200)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.tuples(_HEADERS, st.text(max_size=200)).map(lambda p: (p[0] + p[1]).encode()),
        st.tuples(_HEADERS, st.binary(max_size=200)).map(lambda p: p[0].encode() + p[1]),
    )
)
def test_any_bytes_give_a_population_or_an_input_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(content)
        try:
            population = load_file(path)
        except InputError as error:
            assert "\n" not in str(error)
            assert str(error).startswith(str(path))
            return
    assert len(population.codes) == len(population.names) == len(population.counts)
    assert len(set(population.codes)) == len(population.codes)
    assert all(count >= 0 for count in population.counts) and population.total > 0


if __name__ == "__main__":
    STATBANK.write_bytes(statbank_export())
