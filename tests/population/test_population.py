"""Contract tests over the packaged data: it loads, matches its checksum and its sources."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from paths import ROOT

from costshare.base.errors import InputError
from costshare.population import datasets
from costshare.population import packaged as population

QUARTERS = population.quarters()


def test_packaged_quarters_are_2016_to_2026_and_every_quarter_from_2021k4() -> None:
    expected = {f"{year}K1" for year in range(2016, 2027)}
    expected |= {f"{year}K{q}" for year in range(2022, 2026) for q in (2, 3, 4)} | {"2021K4"}
    assert sorted(expected) == QUARTERS
    assert population.latest_quarter() == "2026K1"


def test_months_and_age_groups_are_bases() -> None:
    periods = population.periods()
    assert [p for p in periods if "M" in p][:2] == ["2021M10", "2021M11"]
    assert "2026M02" in periods and "2022K1:65-" in periods and "2008K1:80-" in periods
    december = population.load_packaged("2024m12")
    assert december.as_of == date(2024, 12, 1) and december.basis == "2024M12"
    assert "FOLK1AM, 1. december 2024" in december.source
    old = population.load_packaged("2022K1:65-")
    assert "65 år og derover" in old.source and old.total == 1_195_195
    assert population.load_packaged("2022K1:80-").total == 291_483


def test_checksum_matches_sidecar() -> None:
    assert population.packaged_checksum() == population.source()["sha256"]


@pytest.mark.parametrize("name", datasets.PACKAGED)
def test_sidecar_names_every_period_once(name: str) -> None:
    dataset = datasets.packaged(name)
    info = dataset.info
    periods = sorted({basis.split(":")[0] for basis in dataset.columns})
    assert sorted(info["verified"] + info["checked_by_sums"]) == periods
    assert info["table"] in ("FOLK1A", "FOLK1AM")
    assert "Danmarks Statistik" in info["citation"]


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_quarter_has_98_unique_positive_municipalities(quarter: str) -> None:
    figures = population.load_packaged(quarter)
    assert len(figures.codes) == 98
    assert len(set(figures.codes)) == 98
    assert len(set(figures.names)) == 98
    assert all(isinstance(count, int) and count > 0 for count in figures.counts)
    assert figures.as_of == datasets.basis_date(quarter)
    assert quarter in figures.source


@pytest.mark.parametrize(
    ("quarter", "national", "hovedstaden"),
    [
        ("2024K1", 5_961_158, 1_910_976),
        ("2025K1", 5_992_644, 1_930_703),
        ("2026K1", 6_025_511, 1_947_120),
    ],
)
def test_sums_match_sources_md(quarter: str, national: int, hovedstaden: int) -> None:
    figures = population.load_packaged(quarter)
    assert figures.total == national
    assert figures.select_region("Hovedstaden").total == hovedstaden


def test_kkr_hovedstaden_is_29_municipalities_with_bornholm() -> None:
    kkr = population.load_packaged("2025K1").select_region("KKR Hovedstaden")
    assert len(kkr.codes) == 29
    assert "400" in kkr.codes and kkr.name_of("400") == "Bornholm"


@pytest.mark.parametrize(
    ("code", "name", "count"),
    [
        ("101", "København", 667_099),
        ("173", "Lyngby-Taarbæk", 58_713),
        ("169", "Høje-Taastrup", 59_059),
        ("400", "Bornholm", 38_966),
    ],
)
def test_spot_checks_2025(code: str, name: str, count: int) -> None:
    figures = population.load_packaged("2025K1")
    assert figures.name_of(code) == name
    assert figures.count_of(code) == count


def test_regions_have_the_expected_sizes() -> None:
    figures = population.load_packaged("2025K1")
    sizes = {region: len(figures.select_region(region).codes) for region in population.regions()}
    assert sizes == {
        "Region Hovedstaden": 29,
        "Region Midtjylland": 19,
        "Region Nordjylland": 11,
        "Region Sjælland": 17,
        "Region Syddanmark": 22,
    }


@pytest.mark.parametrize(
    "text", ["hovedstaden", "Region Hovedstaden", "KKR HOVEDSTADEN", " region  hovedstaden "]
)
def test_region_names_in_any_case(text: str) -> None:
    assert population.resolve_region(text) == "Region Hovedstaden"


def test_unknown_region_lists_valid_ones() -> None:
    with pytest.raises(InputError) as error:
        population.resolve_region("Fyn")
    assert str(error.value) == (
        "unknown region 'Fyn'; use one of Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark"
    )


def test_unknown_quarter_lists_packaged_ones() -> None:
    with pytest.raises(
        InputError,
        match=r"population '2027K1' is not a packaged quarter; use one that costshare data list shows \(quarters 2016K1–2026K1",
    ):
        population.load_packaged("2027K1")


def test_sources_md_ships_with_the_data() -> None:
    text = population.sources_text()
    assert "FOLK1A" in text and "Christiansø" in text


def test_sidecar_checksum_is_of_the_repository_copy() -> None:

    repo_copy = ROOT / "population" / f"{population.DATASET}.csv"
    assert hashlib.sha256(repo_copy.read_bytes()).hexdigest() == population.source()["sha256"]
