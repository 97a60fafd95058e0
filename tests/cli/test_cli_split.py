"""End-to-end tests of ``costshare split`` against an independent computation."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT, TESTS

from costshare.cli import cli

DATA = ROOT / "population" / "folk1a_municipalities_K1_2016-2026.csv"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def independent_split(total: int, quarter: str, region: str | None) -> dict[str, int]:
    """Largest remainder from the raw CSV with Fractions: a second, naive implementation."""
    with DATA.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if region is None or r["region"] == region]
    weights = {r["code"]: int(r[quarter]) for r in rows}
    whole = sum(weights.values())
    sign, magnitude = (-1, -total) if total < 0 else (1, total)
    exact = {code: Fraction(magnitude * w, whole) for code, w in weights.items()}
    shares = {code: int(q) for code, q in exact.items()}
    by_remainder = sorted(weights, key=lambda c: (-(exact[c] - shares[c]), int(c)))
    for code in by_remainder[: magnitude - sum(shares.values())]:
        shares[code] += 1
    return {code: sign * share for code, share in shares.items()}


def csv_shares(stdout: str) -> dict[str, str]:
    reader = csv.DictReader(io.StringIO(stdout))
    assert reader.fieldnames == ["code", "name", "population", "share"]
    return {row["code"]: row["share"] for row in reader}


def test_telehjerte_csv_matches_independent_largest_remainder() -> None:
    code, out, err = invoke(
        "split",
        "--amount",
        "525000",
        "--region",
        "Hovedstaden",
        "--population",
        "2025K1",
        "--format",
        "csv",
    )
    assert (code, err) == (0, "")
    shares = csv_shares(out)
    assert len(shares) == 29
    assert sum(int(v) for v in shares.values()) == 525_000
    expected = independent_split(525_000, "2025K1", "Region Hovedstaden")
    assert {c: int(v) for c, v in shares.items()} == expected
    assert shares["157"] == "20415" and shares["101"] == "181399"


@pytest.mark.parametrize(
    ("amount", "unit", "quarter", "region", "total_minor", "factor"),
    [
        ("525000,00", "0.01", "2025K1", "Hovedstaden", 52_500_000, 100),
        ("-525000", "1", "2025K1", "hovedstaden", -525_000, 1),
        ("1.050.000", "1", "2024K1", None, 1_050_000, 1),
        ("3 000 000", "100", "2016K1", "Nordjylland", 30_000, 1),
        ("999999999999999999999", "1", "2026K1", None, 999999999999999999999, 1),
    ],
)
def test_other_units_signs_regions_and_quarters(
    amount: str, unit: str, quarter: str, region: str | None, total_minor: int, factor: int
) -> None:
    args = ["split", "--amount", amount, "--unit", unit, "--population", quarter, "--format", "csv"]
    if region:
        args += ["--region", region]
    code, out, err = invoke(*args)
    assert (code, err) == (0, "")
    shares = csv_shares(out)
    region_name = f"Region {region.capitalize()}" if region else None
    expected = independent_split(total_minor, quarter, region_name)
    if unit == "100":  # shares are whole hundreds of kroner
        assert {c: int(v) for c, v in shares.items()} == {c: 100 * s for c, s in expected.items()}
    elif factor == 100:  # øre: plain decimals with two places
        assert {c: v for c, v in shares.items()} == {
            c: f"{s // 100}.{s % 100:02d}" for c, s in expected.items()
        }
    else:
        assert {c: int(v) for c, v in shares.items()} == expected


def test_table_is_danish_with_total_row_and_basis() -> None:
    code, out, _ = invoke(
        "split", "--amount", "525000", "--region", "Hovedstaden", "--population", "2025K1"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Fordeling af 525.000 kr. efter indbyggertal, 29 kommuner"
    assert lines[1] == (
        "Befolkning: Danmarks Statistik, FOLK1A, 1. januar 2025 "
        "(2025K1; kontrolleret mod offentliggjorte tal)"
    )
    assert lines[2] == "Afrunding: største brøkdel (Hamilton), enhed 1 kr."
    assert "157   Gentofte            75.076    3,889 %   20.415 kr." in lines
    assert lines[-1].split() == ["I", "alt", "1.930.703", "100,000", "%", "525.000", "kr."]


def test_default_population_is_newest_quarter_and_said() -> None:
    code, out, _ = invoke(
        "split", "--amount", "1000", "--region", "Bornholm".replace("Bornholm", "Hovedstaden")
    )
    assert code == 0
    assert "(2026K1;" in out.splitlines()[1]


def test_json_has_rows_total_unit_method_basis() -> None:
    code, out, _ = invoke(
        "split", "--amount", "100", "--unit", "0.01", "--region", "Nordjylland", "--format", "json"
    )
    assert code == 0
    document = json.loads(out)
    assert document["total"] == "100.00"
    assert document["unit"] == "0.01"
    assert document["method"] == "largest-remainder"
    assert document["population_basis"] == "2026K1"
    assert len(document["rows"]) == 11
    assert sum(int(row["share"].replace(".", "")) for row in document["rows"]) == 10_000


def test_ties_are_reported() -> None:
    # 3 kr. among two municipalities of equal weight cannot split evenly: the unit goes to
    # the lower code, and the table says a tie was broken.
    from costshare.documents.text.split_report import render_table
    from costshare.population.packaged import Population
    from costshare.shares.splitting import split

    pair = Population("test", ("102", "101"), ("B", "A"), (5, 5), "testdata", municipal=False)
    result = split(300, pair)
    assert result.shares_ore() == {"102": 100, "101": 200}
    assert "lige store brøkdele afgjort efter kommunekode: A, B" in render_table(result)


def test_webster_and_mixed_key() -> None:
    code, out, _ = invoke(
        "split",
        "--amount",
        "800000",
        "--region",
        "Syddanmark",
        "--population",
        "2025K1",
        "--equal-part",
        "40",
        "--method",
        "webster",
        "--format",
        "csv",
    )
    assert code == 0
    shares = {c: int(v) for c, v in csv_shares(out).items()}
    assert len(shares) == 22 and sum(shares.values()) == 800_000
    # 40 % of 800.000 split equally is 14.545,45 each; the rest follows population.
    assert min(shares.values()) > 14_545


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--amount", "1234.567"],
            "Error: --amount '1234.567' has fractions of an øre; give at most two decimals\n",
        ),
        (
            ["--amount", "abc"],
            "Error: --amount 'abc' is not a number; write digits such as 525000 or 525000,00\n",
        ),
        (
            ["--amount", "10.5"],
            "Error: amount 10.50 is not a whole number of the rounding unit 1 kr.; change the amount or choose a smaller unit (e.g. 0.01)\n",
        ),
        (
            ["--amount", "100", "--unit", "0.001"],
            "Error: unit '0.001' must be a positive whole number of øre, such as 1 (kroner), 0.01 (øre) or 100\n",
        ),
        (
            ["--amount", "100", "--region", "Fyn"],
            "Error: unknown region 'Fyn'; use one of Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark\n",
        ),
    ],
)
def test_bad_input_gives_one_line_error(args: list[str], message: str) -> None:
    code, out, err = invoke("split", *args)
    assert (code, out, err) == (1, "", message)


def test_data_show_prints_figures_and_source() -> None:
    code, out, _ = invoke("data", "show", "2025k1", "--region", "hovedstaden")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 31
    assert lines[0].split() == ["101", "København", "667.099"]
    assert lines[-2].split() == ["I", "alt", "1.930.703"]
    assert lines[-1].startswith("Danmarks Statistik, FOLK1A, 1. januar 2025")


def test_data_list_names_quarters_and_checks() -> None:
    code, out, _ = invoke("data", "list")
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "2025K1 1. januar 2025 5.992.644 verified" in lines
    assert "2026K1 1. januar 2026 6.025.511 checked by sums" in lines
    assert "2021K4 1. oktober 2021 5.867.318 verified" in lines
    assert "2024M12 1. december 2024 5.995.538 checked by sums" in lines
    assert "2022K1:65- 1. januar 2022, 65 år og derover 1.195.195 checked by sums" in lines


DATA_DIR = TESTS / "data"


def test_statbank_export_splits_like_the_packaged_quarter() -> None:
    path = DATA_DIR / "statbank_hovedstaden_2025K1.csv"
    code, out, err = invoke(
        "split", "--amount", "525000", "--population", str(path), "--format", "csv"
    )
    assert (code, err) == (0, "")
    shares = {c: int(v) for c, v in csv_shares(out).items()}
    assert shares == independent_split(525_000, "2025K1", "Region Hovedstaden")


@pytest.mark.parametrize(
    "file", ["pop_semicolon_bom.csv", "pop_cp1252.csv", "pop_comma.csv", "schools.csv"]
)
def test_user_csv_files_split_exactly(file: str) -> None:
    from costshare.population.userfile import load_file

    path = DATA_DIR / file
    code, out, err = invoke(
        "split", "--amount", "525000", "--population", str(path), "--format", "csv"
    )
    assert (code, err) == (0, "")
    loaded = load_file(path)
    assert {c: int(v) for c, v in csv_shares(out).items()} == independent_split_of(
        525_000, loaded.weights()
    )


def test_xlsx_population_file(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Kommunekode", "Kommune", "Indbyggertal"])
    weights = {c: w for c, w in packaged_2025().items() if c in {"101", "147", "157"}}
    for c, w in weights.items():
        sheet.append([int(c), "", w])
    book.save(tmp_path / "pop.xlsx")
    code, out, err = invoke(
        "split", "--amount", "1000", "--population", str(tmp_path / "pop.xlsx"), "--format", "csv"
    )
    assert (code, err) == (0, "")
    assert {c: int(v) for c, v in csv_shares(out).items()} == independent_split_of(1000, weights)


def packaged_2025() -> dict[str, int]:
    with DATA.open(encoding="utf-8") as handle:
        return {r["code"]: int(r["2025K1"]) for r in csv.DictReader(handle)}


def independent_split_of(total: int, weights: dict[str, int]) -> dict[str, int]:
    whole = sum(weights.values())
    exact = {c: Fraction(total * w, whole) for c, w in weights.items()}
    shares = {c: int(q) for c, q in exact.items()}
    order = sorted(
        weights,
        key=lambda c: (-(exact[c] - shares[c]), (0, int(c), c) if c.isdecimal() else (1, 0, c)),
    )
    for c in order[: total - sum(shares.values())]:
        shares[c] += 1
    return shares


def test_csv_with_default_population_names_it_on_stderr() -> None:
    code, out, err = invoke("split", "--amount", "1000", "--format", "csv")
    assert code == 0
    assert err == "Population: 2026K1, the newest packaged quarter\n"
    assert len(out.splitlines()) == 99
