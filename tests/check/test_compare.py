"""``costshare compare``: a programme's amounts on two bases."""

from __future__ import annotations

import csv
import io
import json
import shutil
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from paths import ROOT

from costshare.cli import cli

TELEHJERTE = str(ROOT / "examples" / "telehjerte-2025.toml")
DATA = ROOT / "population" / "folk1a_municipalities_K1_2016-2026.csv"


def naive_split(total: int, quarter: str) -> dict[str, int]:
    """Largest remainder over Region Hovedstaden from the raw CSV, independently."""
    with DATA.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region"] == "Region Hovedstaden"]
    weights = {r["code"]: int(r[quarter]) for r in rows}
    exact = {c: Fraction(total * w, sum(weights.values())) for c, w in weights.items()}
    shares = {c: int(q) for c, q in exact.items()}
    for code in sorted(weights, key=lambda c: (-(exact[c] - shares[c]), int(c)))[
        : total - sum(shares.values())
    ]:
        shares[code] += 1
    return shares


def compare(*args: str) -> Result:
    return CliRunner().invoke(cli, ["compare", TELEHJERTE, *args], catch_exceptions=False)


def test_compare_lists_every_municipality_with_its_change() -> None:
    result = compare("--population", "2024K1")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Sammenligning: TeleHjerte, forlængelse 2025"
    assert lines[5].split() == [
        "Kode", "Kommune", "Beløb", "2025K1", "Beløb", "2024K1", "Ændring", "kr.", "Ændring", "%"
    ]  # fmt: skip
    assert "157   Gentofte               20.415 kr.     20.614 kr.     +199 kr.    +0,97 %" in lines
    assert "101   København             181.399 kr.    181.142 kr.     -257 kr.    -0,14 %" in lines
    rows = [line for line in lines if line[:3].isdigit() and line[:3] != "084"]
    assert len(rows) == 29
    assert "      I alt kommuner        525.000 kr.    525.000 kr.        0 kr.     0,00 %" in lines
    assert (
        lines[-1]
        == "      I alt               1.050.000 kr.  1.050.000 kr.        0 kr.     0,00 %"
    )


def test_compare_csv_agrees_with_an_independent_computation() -> None:
    result = compare("--population", "2024K1", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    before, after = naive_split(525000, "2025K1"), naive_split(525000, "2024K1")
    municipal = [r for r in rows if r["kind"] == "municipality"]
    assert {r["code"]: int(r["before"]) for r in municipal} == before
    assert {r["code"]: int(r["after"]) for r in municipal} == after
    assert all(int(r["change"]) == int(r["after"]) - int(r["before"]) for r in rows)
    gentofte = next(r for r in rows if r["code"] == "157")
    assert gentofte == {
        "code": "157",
        "name": "Gentofte",
        "kind": "municipality",
        "before": "20415",
        "after": "20614",
        "change": "199",
        "change_percent": "0.9748",  # 199 / 20415 = 0.974773…
    }
    assert rows[-1]["code"] == "084" and rows[-1]["change"] == "0"


def test_compare_json_has_strings_for_amounts_and_totals() -> None:
    result = compare("--population", "2024K1", "--format", "json")
    document = json.loads(result.stdout)
    assert document["before"]["label"] == "2025K1"
    assert document["after"]["label"] == "2024K1"
    assert document["after"]["source"].startswith("Danmarks Statistik, FOLK1A, 1. januar 2024")
    assert len(document["rows"]) == 30
    assert document["rows"][0]["before"] == "181399"
    assert document["totals"][0] == {
        "name": "I alt kommuner",
        "before": "525000",
        "after": "525000",
        "change": "0",
        "change_percent": "0.0000",
    }


def test_compare_two_programme_files(tmp_path: Path) -> None:
    doubled = tmp_path / "telehjerte-2026.toml"
    # The example names its payer register beside it.
    shutil.copy(ROOT / "examples" / "telehjerte-2025-modtagere.csv", tmp_path)
    shutil.copy(Path(TELEHJERTE).parent / "telehjerte-2025-modtagere.csv", tmp_path)
    text = Path(TELEHJERTE).read_text(encoding="utf-8")
    doubled.write_text(text.replace('amount = "1050000"', 'amount = "2100000"'), encoding="utf-8")
    result = compare(str(doubled))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[5].split()[2:6] == ["Beløb", "telehjerte-2025", "Beløb", "telehjerte-2026"]
    assert lines[1].startswith("Befolkning telehjerte-2025: Danmarks Statistik")
    gentofte = next(line for line in lines if line.startswith("157"))
    assert gentofte.split()[2:] == [
        "20.415",
        "kr.",
        "40.830",
        "kr.",
        "+20.415",
        "kr.",
        "+100,00",
        "%",
    ]
    assert lines[-1].split() == [
        "I", "alt", "1.050.000", "kr.", "2.100.000", "kr.", "+1.050.000", "kr.", "+100,00", "%"
    ]  # fmt: skip


def test_compare_writes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "sammenligning.xlsx"
    result = compare("--population", "2024K1", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {out} (30 payers)\n"
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Sammenligning", "Kilder"]
    sheet = book["Sammenligning"]
    assert [c.value for c in sheet[5]] == [
        "Kode",
        "Kommune",
        "Beløb 2025K1 (kr.)",
        "Beløb 2024K1 (kr.)",
        "Ændring (kr.)",
        "Ændring (%)",
    ]
    gentofte = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "157")
    assert gentofte[:5] == ("157", "Gentofte", 20415, 20614, 199)
    assert gentofte[5] == pytest.approx(199 / 20415)
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "I alt kommuner")
    assert total[2:5] == (525000, 525000, 0)


def test_compare_writes_csv_by_extension(tmp_path: Path) -> None:
    out = tmp_path / "sammenligning.csv"
    assert compare("--population", "2024K1", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("code,name,kind,before,after,change")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Error: give the other side: --population QUARTER|FILE or OTHER.toml"),
        (
            (TELEHJERTE, "--population", "2024K1"),
            "Error: give a second programme file or --population, not both",
        ),
    ],
)
def test_compare_needs_exactly_one_other_side(args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(cli, ["compare", TELEHJERTE, *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def test_compare_on_an_unknown_quarter() -> None:
    result = CliRunner().invoke(cli, ["compare", TELEHJERTE, "--population", "2030K1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: population '2030K1' is not a packaged quarter")


def test_compare_refuses_an_unknown_output_type(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["compare", TELEHJERTE, "--population", "2024K1", "--out", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2
    assert "give a file ending in .xlsx, .csv or .json" in result.stderr


def test_compare_with_a_population_file(tmp_path: Path) -> None:
    with DATA.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region"] == "Region Hovedstaden"]
    figures = tmp_path / "befolkning-2024.csv"
    lines = ["kode;kommune;indbyggertal", *(f"{r['code']};{r['name']};{r['2024K1']}" for r in rows)]
    figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_file = compare("--population", str(figures), "--format", "csv").stdout
    from_quarter = compare("--population", "2024K1", "--format", "csv").stdout
    assert from_file == from_quarter
    table = compare("--population", str(figures)).stdout.splitlines()
    assert "Beløb befolkning-2024.csv" in table[5]
