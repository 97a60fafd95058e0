"""A user's population file checked against FOLK1A (issue #21, item 6).

The motivating case is Region Nordjylland's published table of the "Nordjyske kommuner":
FOLK1A 2020K1 in ten of its eleven rows, with Rebild printed as 31.113 instead of 30.113.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import DATA, EXAMPLES

from costshare.base.i18n import set_language
from costshare.cli import cli
from costshare.population.crosscheck import cross_check
from costshare.population.packaged import load_packaged
from costshare.population.userfile import load_file
from costshare.programme.model import compute, load_programme

NORTH = DATA / "nordjyske_kommuner_rebild_fejl.csv"
REBILD = "Rebild: 31.113 i filen, 30.113 i FOLK1A 2020K1"


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def write(path: Path, period: str | None, changes: dict[str, int], region: str = "H") -> Path:
    """The region's figures on ``period`` (2025K1 if None) as a file, with ``changes``."""
    official = load_packaged(period or "2025K1").select_region(region)
    header = "kode;indbyggere" + (";tid" if period else "")
    rows = [
        f"{code};{changes.get(code, count)}" + (f";{period}" if period else "")
        for code, count in zip(official.codes, official.counts, strict=True)
    ]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_nordjylland_table_names_rebild() -> None:
    found = cross_check(load_file(NORTH))
    assert found is not None
    assert (found.period, found.named, found.rows, found.matching) == ("2020K1", False, 11, 10)
    assert [(d.code, d.in_file, d.official) for d in found.differences] == [("840", 31113, 30113)]
    assert str(found.problem()).endswith("Rebild: 31,113 in the file, 30,113 in FOLK1A 2020K1")
    set_language("da")
    assert str(found.problem()) == (
        "1 række afviger fra Danmarks Statistiks FOLK1A 2020K1 (den periode, der passer bedst "
        f"med filen, 10 af 11 rækker): {REBILD}"
    )


def test_a_file_that_names_its_quarter_is_compared_with_it(tmp_path: Path) -> None:
    path = write(tmp_path / "b.csv", "2024K1", {"157": 75_000, "101": 1})
    found = cross_check(load_file(path))
    assert found is not None and found.named and found.period == "2024K1"
    assert [d.code for d in found.differences] == ["101", "157"]


def test_a_correct_file_has_no_differences(tmp_path: Path) -> None:
    found = cross_check(load_file(write(tmp_path / "c.csv", None, {})))
    assert found is not None and not found.differences and found.period == "2025K1"


def test_another_measure_is_not_compared(tmp_path: Path) -> None:
    """Hours of service, or an age group, match no period in most rows: not compared."""
    official = load_packaged("2025K1").select_region("H")
    hours = {
        code: count // 100 for code, count in zip(official.codes, official.counts, strict=True)
    }
    assert cross_check(load_file(write(tmp_path / "d.csv", None, hours))) is None
    assert cross_check(load_packaged("2025K1")) is None  # the official figures themselves


def test_split_warns_and_strict_refuses() -> None:
    runner = CliRunner()
    ok = runner.invoke(
        cli, ["--lang", "da", "split", "--amount", "100000", "--population", str(NORTH)]
    )
    assert ok.exit_code == 0 and REBILD in ok.stderr and ok.stderr.startswith("Advarsel: ")
    refused = runner.invoke(
        cli, ["--lang", "da", "split", "--amount", "100000", "--population", str(NORTH), "--strict"]
    )
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.startswith(f"Fejl: {NORTH}: 1 række afviger") and REBILD in refused.stderr


def test_a_programme_on_the_file_warns_and_strict_run_refuses(tmp_path: Path) -> None:
    text = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
    text = text.replace('population = "2025K1"', 'population = "nord.csv"')
    text = text.replace('region = "Hovedstaden"', 'region = "Nordjylland"')
    text = text.replace('register = "telehjerte-2025-modtagere.csv"', "")
    (tmp_path / "nord.csv").write_bytes(NORTH.read_bytes())
    (tmp_path / "p.toml").write_text(text, encoding="utf-8")
    differences = compute(load_programme(tmp_path / "p.toml")).figure_differences
    assert differences is not None and [d.name for d in differences.differences] == ["Rebild"]
    runner = CliRunner()
    args = ["--lang", "da", "run", str(tmp_path / "p.toml"), "--out", str(tmp_path / "out")]
    refused = runner.invoke(cli, [*args, "--strict"])
    assert refused.exit_code == 1 and REBILD in refused.stderr
    assert not (tmp_path / "out").exists()


def _with_a_wrong_file(tmp_path: Path, example: str, quarter: str) -> Path:
    """``example`` copied beside a file of ``quarter``'s Hovedstaden figures with
    Copenhagen's count 1,000 too high, the programme reading that file instead."""
    official = load_packaged(quarter).select_region("H")
    write(tmp_path / "h.csv", None, {"101": official.counts[0] + 1000}, "H")
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    text = text.replace(f'population = "{quarter}"', 'population = "h.csv"', 1)
    for carried in ("telehjerte-2025-modtagere.csv",):
        (tmp_path / carried).write_bytes((EXAMPLES / carried).read_bytes())
    programme = tmp_path / example
    programme.write_text(text, encoding="utf-8")
    return programme


def test_every_year_of_a_multi_year_run_is_cross_checked(tmp_path: Path) -> None:
    """--strict was ignored by a programme over several years, and its figures unchecked."""
    programme = _with_a_wrong_file(tmp_path, "telehjerte-2025-2027.toml", "2025K1")
    runner = CliRunner()
    args = ["--lang", "en", "run", str(programme), "--no-einvoices"]
    refused = runner.invoke(cli, [*args, "--out", str(tmp_path / "strict"), "--strict"])
    assert refused.exit_code == 1 and "København" in refused.stderr, refused.stderr
    assert not (tmp_path / "strict").exists()
    warned = runner.invoke(cli, [*args, "--out", str(tmp_path / "out")])
    assert warned.exit_code == 0, warned.stderr
    assert "Warning: 2025: " in warned.stderr and "København" in warned.stderr
    assert "was published by Statistics Denmark" in warned.stderr  # 2025K1 after the meeting


def test_settle_cross_checks_the_final_figures(tmp_path: Path) -> None:
    """settle had no --strict and said nothing of a final file that differs from FOLK1A."""
    runner = CliRunner()
    charged = tmp_path / "charged"
    first = ["run", str(EXAMPLES / "telehjerte-2025-foreloebig.toml"), "--out", str(charged)]
    assert runner.invoke(cli, ["--lang", "en", *first, "--no-einvoices"]).exit_code == 0
    final = _with_a_wrong_file(tmp_path, "telehjerte-2025-endelig.toml", "2025K1")
    args = ["--lang", "en", "settle", str(final), "--charged", str(charged), "--no-einvoices"]
    refused = runner.invoke(cli, [*args, "--out", str(tmp_path / "strict"), "--strict"])
    assert refused.exit_code == 1 and "København" in refused.stderr, refused.stderr
    assert not (tmp_path / "strict").exists()
    warned = runner.invoke(cli, [*args, "--out", str(tmp_path / "out")])
    assert warned.exit_code == 0 and "København" in warned.stderr, warned.stderr
    # final figures come after the decision by design: no warning that the meeting had not seen them
    assert "after the decision date" not in warned.stderr
