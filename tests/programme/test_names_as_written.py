"""Municipality and region names as people write them (issue #11): accepted when exactly one
municipality fits, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.base.errors import InputError
from costshare.cli import cli
from costshare.population.names import lookup_municipality
from costshare.population.packaged import resolve_region
from costshare.population.userfile import load_file


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Lyngby-Taarbæk", "173"),  # Statistics Denmark's spelling
        ("Lyngby-Tårbæk", "173"),
        ("Lyngby Taarbaek", "173"),
        ("Høje Taastrup", "169"),
        ("hoeje-taastrup kommune", "169"),
        ("Kobenhavn", "101"),
        ("Koebenhavn", "101"),
        ("Københavns Kommune", "101"),
        ("Århus", "751"),
        ("Aeroe", "492"),
        ("Ringkobing Skjern", "760"),
        ("Bornholms Regionskommune", "400"),
        ("Nordfyn", "480"),
    ],
)
def test_a_variant_of_one_municipality_is_accepted(written: str, code: str) -> None:
    assert lookup_municipality(written) == code


@pytest.mark.parametrize("written", ["Gotham", "Frederiks", "Høje", "Kbh"])
def test_a_name_that_fits_none_is_not_guessed(written: str) -> None:
    assert lookup_municipality(written) is None


def test_a_form_that_fits_two_is_refused_with_the_candidates() -> None:
    with pytest.raises(InputError) as caught:
        lookup_municipality("Tonder", {"1": "Tønder", "2": "Tonders", "3": "Odense"})
    assert str(caught.value) == (
        "'Tonder' fits more than one municipality: Tonders (2), Tønder (1); "
        "write the name as it is spelt"
    )


def test_an_exact_fit_wins_over_a_looser_one() -> None:
    assert lookup_municipality("Tonder", {"1": "Tønder", "2": "Tonder"}) == "2"


def test_a_population_file_with_written_names_loads(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text(
        "kommune;antal\nKobenhavn;10\nHøje Taastrup;20\nLyngby-Tårbæk Kommune;30\n",
        encoding="utf-8",
    )
    population = load_file(path)
    assert population.codes == ("101", "169", "173")
    assert population.names == ("København", "Høje-Taastrup", "Lyngby-Taarbæk")


def test_two_spellings_of_one_municipality_are_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("kommune;antal\nHøje-Taastrup;10\nHoeje Taastrup;20\n", encoding="utf-8")
    with pytest.raises(InputError, match="'Hoeje Taastrup' is on both row 2 and row 3"):
        load_file(path)


@pytest.mark.parametrize(
    "written",
    ["084", "84", "Region H", "region hovedstaden", "KKR Hovedstaden", "Hovedstaden"],
)
def test_region_hovedstaden_however_written(written: str) -> None:
    assert resolve_region(written) == "Region Hovedstaden"


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("081", "Region Nordjylland"),
        ("082", "Region Midtjylland"),
        ("083", "Region Syddanmark"),
        ("085", "Region Sjælland"),
        ("Region Sjaelland", "Region Sjælland"),
        ("Region Midt", "Region Midtjylland"),
    ],
)
def test_every_region_code(written: str, region: str) -> None:
    assert resolve_region(written) == region


@pytest.mark.parametrize("written", ["086", "80", "Region X"])
def test_no_other_region(written: str) -> None:
    with pytest.raises(InputError, match="unknown region"):
        resolve_region(written)


def test_split_with_region_code_and_explain_with_variant_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = CliRunner()
    split = runner.invoke(
        cli, ["split", "--amount", "525000", "--region", "084", "--population", "2025K1"]
    )
    assert split.exit_code == 0 and "29 kommuner" in split.stdout
    monkeypatch.chdir(ROOT)
    explain = runner.invoke(cli, ["explain", "examples/telehjerte-2025.toml", "Hoeje Taastrup"])
    assert explain.exit_code == 0, explain.stderr
    assert "Udregning for Høje-Taastrup (kode 169)" in explain.stdout
