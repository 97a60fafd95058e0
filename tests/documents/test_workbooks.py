"""The workbooks: golden dumps, formulas that add up, text that stays text, LibreOffice."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import subprocess
import warnings
import zipfile
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pypdf
import pytest
from annex_helpers import (
    EXAMPLES,
    assert_golden,
    build_package,
    dump_json,
    dump_workbook,
    evaluate,
    formulas,
    recalculate_with_libreoffice,
    run_cli,
    soffice,
)
from openpyxl import load_workbook

from costshare.documents.xlsx.cells import MAX_FOOTER_CASE, amount_text, fits_a_cell, footer
from costshare.documents.xlsx.method_sheet import AMOUNTS_AS_TEXT_NOTE
from costshare.documents.xlsx.workbooks import (
    HEADER_ROW,
    HEADERS,
    OVERVIEW_SHEET,
    TOTAL_LABEL,
    build_overview,
    build_party_workbook,
    workbook_bytes,
)
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import OVERVIEW_FILE
from costshare.programme.payers import payers

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

EXAMPLE_NAMES = ["telehjerte-2025", "national-2026", "syddanmark-mixed-2025"]
# Our own formulas, and only these, may appear in a workbook.
OUR_FORMULAS = re.compile(
    r"^=(SUM\([A-G]\d+:[A-G]\d+\)|ROUND\(SUM\(F\d+:F\d+\),3\)|C\d+/\$C\$\d+|G\d+-E\d+|G\d+)$"
)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("excel")
    return {name: build_package(name, base / name) for name in EXAMPLE_NAMES}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_overview_golden(example: str, packages: dict[str, Path], update_golden: bool) -> None:
    dump = dump_workbook(packages[example] / OVERVIEW_FILE)
    assert_golden(f"excel/{example}.json", dump_json(dump), update_golden)


@pytest.mark.parametrize("stem", ["157-gentofte", "084-region-hovedstaden"])
def test_party_workbook_golden(stem: str, packages: dict[str, Path], update_golden: bool) -> None:
    dump = dump_workbook(packages["telehjerte-2025"] / f"{stem}.xlsx")
    assert_golden(f"excel/telehjerte-2025-{stem}.json", dump_json(dump), update_golden)


def totals(sheet: object) -> dict[str, int]:
    """Row numbers of the header, the "I alt" row and the co-financing total."""
    labels = {cell.value: cell.row for cell in sheet["B"] if isinstance(cell.value, str)}  # type: ignore[index]
    return {"total": labels[TOTAL_LABEL], "grand": labels["Samlet udgift"]}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_formulas_add_up_without_libreoffice(example: str, packages: dict[str, Path]) -> None:
    """Evaluate every formula exactly (fractions) against the stored values."""
    result = compute(load_programme(EXAMPLES / f"{example}.toml"))
    sheet = load_workbook(packages[example] / OVERVIEW_FILE)[OVERVIEW_SHEET]
    rows = totals(sheet)
    for coordinate, formula in formulas(sheet).items():
        assert OUR_FORMULAS.match(formula), f"{coordinate}: unexpected formula {formula!r}"
        evaluate(sheet, coordinate)  # every formula can be computed
    total_row = rows["total"]
    assert evaluate(sheet, f"G{total_row}") * 100 == result.municipal_part_ore
    assert evaluate(sheet, f"C{total_row}") == result.municipal.population.total
    assert evaluate(sheet, f"D{total_row}") == 1
    assert abs(evaluate(sheet, f"E{total_row}") * 100 - result.municipal_part_ore) < Fraction(
        1, 1000
    )
    assert evaluate(sheet, f"F{total_row}") == 0
    assert evaluate(sheet, f"G{rows['grand']}") * 100 == sum(result.party_parts_ore.values())
    for row in range(HEADER_ROW + 1, total_row):
        exact, adjustment, amount = (evaluate(sheet, f"{c}{row}") for c in "EFG")
        assert adjustment == amount - exact
        assert abs(adjustment) < 1  # largest remainder stays within quota


@pytest.mark.skipif(
    soffice() is None,
    reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-calc",
)
def test_libreoffice_recalculates_the_overview(packages: dict[str, Path], tmp_path: Path) -> None:
    sheets = recalculate_with_libreoffice(packages["telehjerte-2025"] / OVERVIEW_FILE, tmp_path)
    table = sheets[OVERVIEW_SHEET]
    for sheet in sheets.values():
        for row in sheet:
            for value in row:
                assert not re.match(r"^(#[A-Z/0!?]+|Err:\d+)", value), (
                    f"LibreOffice error {value!r}"
                )
    # The table's own columns first; the register adds Reference, CVR and EAN after them.
    header = next(i for i, row in enumerate(table) if row[: len(HEADERS)] == list(HEADERS))
    by_label = {row[1]: row for row in table[header:] if len(row) > 1 and row[1]}
    assert by_label[TOTAL_LABEL][HEADERS.index("Beløb (kr.)")] == "525000"
    assert by_label[TOTAL_LABEL][HEADERS.index("Indbyggere")] == "1930703"
    assert by_label[TOTAL_LABEL][HEADERS.index("Afrunding (kr.)")] == "0"
    assert float(by_label[TOTAL_LABEL][HEADERS.index("Præcis andel (kr.)")]) == pytest.approx(
        525000, abs=1e-3
    )
    assert by_label["I alt kommuner"][6] == "525000"
    assert by_label["Region Hovedstaden"][:1] == ["084"]
    assert by_label["Region Hovedstaden"][6] == "525000"
    assert by_label["Samlet udgift"][6] == "1050000"
    gentofte = next(row for row in table if row[0] == "157")
    assert gentofte[6] == "20415"
    assert float(gentofte[5]) == pytest.approx(0.208082, abs=1e-6)


HOSTILE = [
    '=HYPERLINK("http://evil.example","klik")',
    "+1+2",
    "-3",
    "@SUM(A1)",
    "=1+1",
]


def hostile_programme(tmp_path: Path) -> Path:
    """A programme whose free texts look like formulas."""
    q = json.dumps  # a JSON string is a valid TOML basic string
    path = tmp_path / "hostile.toml"
    path.write_text(
        f"""
title = {q(HOSTILE[4])}
short_title = {q(HOSTILE[0])}
case_number = "SAG-1"
year = 2025
amount = "1050000"
letter_date = 2025-02-17
[decision]
body = "KKR Hovedstaden"
date = 2025-02-03
[[parties]]
name = {q(HOSTILE[1])}
code = "084"
weight = "50 %"
[[parties]]
name = "Kommunerne"
weight = "50 %"
municipalities = true
[municipalities]
population = "2025K1"
region = "Hovedstaden"
[sender]
name = "KKR"
[payment]
due = 2025-04-01
how = {q(HOSTILE[3])}
reference = {q(HOSTILE[2])}
""",
        encoding="utf-8",
    )
    return path


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    result = compute(load_programme(hostile_programme(tmp_path)))
    stamp = datetime(2025, 2, 17)
    # The payer's reference is the programme's text with its code: '-3-084'.
    region = next(payer for payer in payers(result) if payer.code == "084")
    seen = set()
    for name, workbook in [
        ("overview", build_overview(result, None)),
        ("region", build_party_workbook(result, region, None)),
    ]:
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(workbook_bytes(workbook, stamp))
        for sheet in load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert OUR_FORMULAS.match(cell.value), (
                            f"{name}!{cell.coordinate}: {cell.value!r}"
                        )
                    elif isinstance(cell.value, str):
                        for hostile in HOSTILE:
                            if hostile in cell.value:
                                seen.add(hostile)
                                if cell.value.startswith(("=", "+", "-", "@")):
                                    assert cell.quotePrefix, f"{name}!{cell.coordinate}"
    assert seen == set(HOSTILE)


def test_workbook_bytes_do_not_depend_on_the_clock() -> None:
    result = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    stamp = datetime(2025, 2, 17)
    first = workbook_bytes(build_overview(result, None), stamp)
    import time

    time.sleep(2.1)  # zip times have a two-second resolution
    assert workbook_bytes(build_overview(result, None), stamp) == first
    assert workbook_bytes(build_overview(result, None), datetime(2026, 1, 1)) != first
    gentofte = next(p for p in payers(result) if p.code == "157")
    party = [workbook_bytes(build_party_workbook(result, gentofte, None), stamp) for _ in "ab"]
    assert party[0] == party[1]


def test_amounts_in_ore_are_exact_decimals(tmp_path: Path) -> None:
    # The example names its payer register beside it.
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", tmp_path)
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", tmp_path)
    text = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
    text = text.replace('amount = "1050000"', 'amount = "1050000,01"').replace(
        'unit = "1"', 'unit = "0.01"'
    )
    path = tmp_path / "ore.toml"
    path.write_text(text, encoding="utf-8")
    result = compute(load_programme(path))
    out = tmp_path / "o.xlsx"
    out.write_bytes(workbook_bytes(build_overview(result, None), datetime(2025, 2, 17)))
    sheet = load_workbook(out)[OVERVIEW_SHEET]
    amounts = [sheet.cell(row, 7) for row in range(HEADER_ROW + 1, HEADER_ROW + 30)]
    assert all(cell.number_format == "#,##0.00" for cell in amounts)
    stored = sum(Fraction(str(cell.value)) for cell in amounts)
    assert stored * 100 == result.municipal_part_ore
    assert evaluate(sheet, f"G{totals(sheet)['grand']}") * 100 == 105000001


# --- issue #10: values cached, print layout; issue #16: exact at the extremes ----------


def workbook_paths(package: Path) -> list[Path]:
    """The overview, one municipality's and the region's workbook of a package."""
    paths = [package / OVERVIEW_FILE]
    paths += sorted(p for p in package.glob("*.xlsx") if p.name != OVERVIEW_FILE)[:1]
    paths += [p for p in package.glob("084-*.xlsx")]
    return paths


def test_previewers_read_the_totals(packages: dict[str, Path]) -> None:
    """Issue #10: ``data_only=True`` (what a previewer shows) reads the totals."""
    path = packages["telehjerte-2025"] / OVERVIEW_FILE
    sheet = load_workbook(path, data_only=True)[OVERVIEW_SHEET]
    rows = totals(sheet)
    assert sheet[f"G{rows['total']}"].value == 525000
    assert sheet[f"C{rows['total']}"].value == 1930703
    assert sheet[f"D{rows['total']}"].value == 1
    assert sheet[f"F{rows['total']}"].value == 0
    assert sheet[f"G{rows['total'] + 3}"].value == 525000  # "I alt kommuner"
    assert sheet[f"G{rows['grand']}"].value == 1050000
    gentofte = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "157")
    assert gentofte[3] == pytest.approx(75076 / 1930703, rel=1e-15)
    assert gentofte[5] == pytest.approx(0.208082, abs=1e-12)
    verified = run_cli("verify", str(EXAMPLES / "telehjerte-2025.toml"), str(path))
    assert verified.exit_code == 0, verified.stdout
    assert "no saved value" not in verified.stdout


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_every_formula_has_its_value_cached(example: str, packages: dict[str, Path]) -> None:
    """The cached value of every formula is what the formula computes (exactly, for money)."""
    checked = 0
    for path in workbook_paths(packages[example]):
        cached_book = load_workbook(path, data_only=True)
        for sheet in load_workbook(path).worksheets:
            cached_sheet = cached_book[sheet.title]
            for coordinate in formulas(sheet):
                exact = evaluate(sheet, coordinate)
                cached = cached_sheet[coordinate].value
                assert isinstance(cached, (int, float)), f"{path.name}!{coordinate}: {cached!r}"
                if exact.denominator == 1:
                    assert cached == exact, f"{path.name}!{coordinate}"
                else:
                    error = abs(Fraction(cached) - exact)
                    assert error <= abs(exact) / 10**15, f"{path.name}!{coordinate}"
                checked += 1
    assert checked > 2 * 20  # two per payer row, and the totals


def every_sheet(path: Path) -> list[Any]:
    return load_workbook(path).worksheets


def test_every_sheet_prints_one_page_wide(packages: dict[str, Path], tmp_path: Path) -> None:
    diff = tmp_path / "diff.xlsx"
    compared = run_cli(
        "compare",
        str(EXAMPLES / "telehjerte-2025.toml"),
        "--population",
        "2024K1",
        "--out",
        str(diff),
    )
    assert compared.exit_code == 0
    for path in [*workbook_paths(packages["telehjerte-2025"]), diff]:
        for sheet in every_sheet(path):
            where = f"{path.name}!{sheet.title}"
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            assert sheet.page_setup.fitToWidth in (None, 1), where  # None: the default, 1
            one_page = sheet.title in ("Diagram", "Kilder")
            assert sheet.page_setup.fitToHeight == (None if one_page else 0), where
            assert sheet.page_setup.paperSize == 9, where
            assert sheet.oddFooter.right.text == "Side &P af &N", where
    overview = load_workbook(packages["telehjerte-2025"] / OVERVIEW_FILE)[OVERVIEW_SHEET]
    assert overview.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert load_workbook(diff)["Sammenligning"].print_title_rows == "$5:$5"


def chart_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/charts/chart1.xml").decode("utf-8")


@pytest.mark.parametrize(("example", "count"), [("telehjerte-2025", 29), ("national-2026", 98)])
def test_the_chart_names_every_payer(example: str, count: int, packages: dict[str, Path]) -> None:
    """Issue #10: 29 bars showed 15 names; now one label per bar, the chart sized to fit."""
    xml = chart_xml(packages[example] / OVERVIEW_FILE)
    assert '<c:barDir val="bar"/>' in xml  # horizontal bars
    assert '<c:tickLblSkip val="1"/>' in xml
    assert f'<c:ptCount val="{count}"/>' in xml
    names = re.findall(r"<c:pt idx=\"\d+\"><c:v>([^<]*)</c:v>", xml)
    sheet = load_workbook(packages[example] / OVERVIEW_FILE)[OVERVIEW_SHEET]
    table_names = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert names[:count] == table_names[:count]
    with zipfile.ZipFile(packages[example] / OVERVIEW_FILE) as archive:
        drawing = archive.read("xl/drawings/drawing1.xml").decode("utf-8")
    anchor = re.search(
        r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>.*?<xdr:to>.*?<xdr:row>(\d+)</xdr:row>"
        r"<xdr:rowOff>(\d+)</xdr:rowOff>",
        drawing,
    )
    assert anchor is not None
    first_row, last_row, offset = (int(group) for group in anchor.groups())
    height = (last_row - first_row) * 20 + offset / 9525  # pixels; rows of 20 pixels
    assert height >= 16 * count  # room for every name


def big_programme(tmp_path: Path, amount: str, case: str | None = None) -> Path:
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", tmp_path)
    text = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
    text = text.replace('amount = "1050000"', f'amount = "{amount}"')
    if case is not None:
        text = re.sub(r'case_number = "[^"]*"', f'case_number = "{case}"', text)
    path = tmp_path / "big.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_amounts_beyond_15_digits_are_exact_text(tmp_path: Path) -> None:
    """Issue #16: a 31-digit amount was written as 1.065516172600254e+30."""
    total = 1065516172600254000000000000000
    result = compute(load_programme(big_programme(tmp_path, str(total))))
    gentofte = next(p for p in payers(result) if p.code == "157")
    stamp = datetime(2025, 2, 17)
    for name, book in [
        ("overview", build_overview(result, None)),
        ("gentofte", build_party_workbook(result, gentofte, None)),
    ]:
        path = tmp_path / f"{name}.xlsx"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # XlsxWriter warns instead of failing
            path.write_bytes(workbook_bytes(book, stamp))
        texts = []
        for sheet in every_sheet(path):
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}!{cell.coordinate}: a formula over text"
                    if isinstance(cell.value, (int, float)):
                        assert fits_a_cell(Decimal(repr(cell.value))), f"{name}!{cell.coordinate}"
                    elif isinstance(cell.value, str):
                        texts.append(cell.value)
        assert AMOUNTS_AS_TEXT_NOTE in texts
    sheet = load_workbook(tmp_path / "overview.xlsx")[OVERVIEW_SHEET]
    rows = totals(sheet)
    amounts = {row[0]: row[6] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    for code, _name, _count, share_ore in result.municipal.rows():
        assert amounts[code] == amount_text(share_ore // 100)
    assert sheet[f"G{rows['total']}"].value == amount_text(total // 2)
    assert sheet[f"G{rows['grand']}"].value == amount_text(total)
    assert sheet[f"F{rows['total']}"].value == 0
    exact = Fraction(
        sheet["E6"].value.replace(".", "").replace(",", ".")
    )  # six decimals kept in text (unit: 1 kr.)
    assert abs(exact - result.municipal.allocation.working("101").exact) < Fraction(1, 10**6)
    gentofte_sheet = load_workbook(tmp_path / "gentofte.xlsx")["Beløb"]
    labels = {row[0]: row[1] for row in gentofte_sheet.iter_rows(values_only=True) if row[0]}
    assert labels["Beløb (kr.)"] == amount_text(gentofte.amount_ore // 100)


def test_fifteen_digits_stay_numbers(tmp_path: Path) -> None:
    """The largest amounts a spreadsheet holds exactly stay numbers with live formulas."""
    result = compute(load_programme(big_programme(tmp_path, "999999999999998")))
    path = tmp_path / "o.xlsx"
    path.write_bytes(workbook_bytes(build_overview(result, None), datetime(2025, 2, 17)))
    sheet = load_workbook(path, data_only=True)[OVERVIEW_SHEET]
    assert sheet[f"G{totals(sheet)['grand']}"].value == 999999999999998
    assert formulas(load_workbook(path)[OVERVIEW_SHEET])


def footers(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        )
    return [html.unescape(footer) for footer in re.findall(r"<oddFooter>(.*?)</oddFooter>", xml)]


def test_a_300_character_case_number_fits_the_page_footer(tmp_path: Path) -> None:
    """Issue #16: Excel allows 255 characters in a header or footer."""
    case = "SAG-" + "x" * 290 + "-&-END"
    result = compute(load_programme(big_programme(tmp_path, "1050000", case)))
    gentofte = next(p for p in payers(result) if p.code == "157")
    for name, book in [
        ("overview", build_overview(result, None)),
        ("gentofte", build_party_workbook(result, gentofte, None)),
    ]:
        path = tmp_path / f"{name}.xlsx"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            path.write_bytes(workbook_bytes(book, datetime(2025, 2, 17)))
        found = footers(path)
        assert len(found) == len(every_sheet(path))  # no sheet lost its footer
        for text in found:
            assert len(text) <= len("&L") + MAX_FOOTER_CASE + len("&RSide &P af &N") <= 255
            assert text.startswith("&LSAG-xxx") and text.endswith("…&RSide &P af &N")
        method = {
            row[0]: row[1] for row in load_workbook(path)["Metode"].iter_rows(values_only=True)
        }
        assert case in method["Sag"]  # the whole case number is still in the workbook
    assert footer("A & B") == "&LA && B&RSide &P af &N"


def test_payer_reference_and_identifiers_are_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #10: each payer's reference (and CVR/EAN when known) in both workbooks."""
    result = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    filled = [
        dataclasses.replace(
            payer,
            reference=f"SAG-2024-05018-{payer.code}",
            cvr="19438414" if payer.code == "157" else "",
            ean="5798000428506" if payer.code == "157" else "",
        )
        for payer in payers(result)
    ]
    monkeypatch.setattr("costshare.documents.xlsx.workbooks.payers", lambda _result: filled)
    path = tmp_path / "bilag.xlsx"
    path.write_bytes(workbook_bytes(build_overview(result, None), datetime(2025, 2, 17)))
    sheet = load_workbook(path)[OVERVIEW_SHEET]
    assert [cell.value for cell in sheet[HEADER_ROW]] == [*HEADERS, "Reference", "CVR", "EAN"]
    gentofte = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "157")
    assert gentofte[7:] == ("SAG-2024-05018-157", "19438414", "5798000428506")
    assert sheet.page_setup.orientation == "landscape"
    verified = run_cli("verify", str(EXAMPLES / "telehjerte-2025.toml"), str(path))
    assert verified.exit_code == 0, verified.stdout

    payer = next(p for p in filled if p.code == "157")
    book = tmp_path / "157.xlsx"
    book.write_bytes(
        workbook_bytes(build_party_workbook(result, payer, None), datetime(2025, 2, 17))
    )
    labels = {row[0]: row[1] for row in load_workbook(book)["Beløb"].iter_rows(values_only=True)}
    assert labels["Reference"] == "SAG-2024-05018-157"
    assert labels["CVR"] == "19438414" and labels["EAN"] == "5798000428506"
    assert "{" not in "".join(str(v) for v in labels.values())  # no reference pattern shown


def test_compare_workbook_bytes_are_reproducible(tmp_path: Path) -> None:
    import time

    written = []
    for attempt in range(2):
        out = tmp_path / f"diff{attempt}.xlsx"
        result = run_cli(
            "compare",
            str(EXAMPLES / "telehjerte-2025.toml"),
            "--population",
            "2024K1",
            "--out",
            str(out),
        )
        assert result.exit_code == 0
        written.append(out.read_bytes())
        time.sleep(2.1)  # zip times have a two-second resolution
    assert written[0] == written[1]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_printed_pages(packages: dict[str, Path], tmp_path: Path) -> None:
    """As LibreOffice prints them: the overview on 3 pages (table, chart, method), a
    payer's workbook on 2, the comparison on 2 (it took 4); the chart page names all 29."""
    diff = tmp_path / "diff.xlsx"
    run_cli(
        "compare",
        str(EXAMPLES / "telehjerte-2025.toml"),
        "--population",
        "2024K1",
        "--out",
        str(diff),
    )
    package = packages["telehjerte-2025"]
    files = [package / OVERVIEW_FILE, package / "157-gentofte.xlsx", diff]
    pdfs = convert_to_pdf(files, tmp_path)
    pages = {name: len(pypdf.PdfReader(pdf).pages) for name, pdf in pdfs.items()}
    assert pages == {OVERVIEW_FILE: 3, "157-gentofte.xlsx": 2, "diff.xlsx": 2}
    chart_page = pypdf.PdfReader(pdfs[OVERVIEW_FILE]).pages[1].extract_text()
    sheet = load_workbook(package / OVERVIEW_FILE)[OVERVIEW_SHEET]
    names = [
        row[1]
        for row in sheet.iter_rows(
            min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 29, values_only=True
        )
    ]
    missing = [name for name in names if name not in chart_page]
    assert not missing


def convert_to_pdf(files: list[Path], work: Path) -> dict[str, Path]:
    binary = soffice()
    assert binary is not None
    profile = work / "profile"
    out = work / "pdf"
    subprocess.run(
        [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return {file.name: out / f"{file.stem}.pdf" for file in files}
