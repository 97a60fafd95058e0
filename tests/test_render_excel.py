"""The workbooks: golden dumps, formulas that add up, text that stays text, LibreOffice."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from fractions import Fraction
from pathlib import Path

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
    soffice,
)
from openpyxl import load_workbook

from costshare.programme.model import compute, load_programme
from costshare.programme.payers import payers
from costshare.render.package import OVERVIEW_FILE
from costshare.render.workbooks import (
    HEADER_ROW,
    HEADERS,
    OVERVIEW_SHEET,
    TOTAL_LABEL,
    build_overview,
    build_party_workbook,
    workbook_bytes,
)

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
    header = table.index(list(HEADERS))
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
account = {q(HOSTILE[3])}
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


def test_amounts_in_ore_are_exact_decimals(tmp_path: Path) -> None:
    # The example names its payer register beside it.
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
