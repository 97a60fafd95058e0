"""Every published rule of issue #21 as an example programme, each checked against an
independent computation with :class:`~fractions.Fraction` written from the rule as the
body publishes it and from the packaged CSV read with the csv module (not costshare's
readers, keys or rounding).

The rules: KOMBIT (25 kr. per citizen, 50 % above 150.000), KFPLC (80,80 øre per
inhabitant, at most 100.000 counted), Region Hovedstaden's development contribution
(122 kr. per inhabitant in 2024), KL (3.709,41 kr. per 100 inhabitants on the population
frozen at 1 January 2014, distributed by 2019), Copydan (regions, 0,304 kr. per
inhabitant), Movia (80 % by service hours over the line's municipalities, 20 % by
population over the region's), GeoDanmark (50/50 with the state, the municipal half by a
key) and OS2 (a fee by size class by citizens on 1 January of the year before).
"""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from paths import EXAMPLES, POPULATION_DATA

from costshare.programme.model import compute, load_programme

K1 = POPULATION_DATA / "folk1a_municipalities_K1_2016-2026.csv"


def figures(quarter: str, region: str | None = None) -> dict[str, int]:
    """The packaged K1 figures of ``quarter``, read with the csv module."""
    with K1.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: int(row[quarter])
            for row in csv.DictReader(handle)
            if region is None or row["region"] == f"Region {region}"
        }


def half_up(value: Fraction) -> int:
    """To the nearest whole number, halves up (amounts here are never negative)."""
    return math.floor(value + Fraction(1, 2))


def largest_remainder(total: int, exact: dict[str, Fraction]) -> dict[str, int]:
    """Floors, then one unit each to the largest remainders, ties to the lower code."""
    shares = {code: math.floor(value) for code, value in exact.items()}
    left = total - sum(shares.values())
    order = sorted(exact, key=lambda code: (-(exact[code] - shares[code]), int(code)))
    for code in order[:left]:
        shares[code] += 1
    return shares


def computed(example: str) -> dict[str, int]:
    """The example's amounts in øre, per payer code, as costshare computes them."""
    result = compute(load_programme(EXAMPLES / f"{example}.toml"))
    amounts = dict(result.municipal.shares_ore())
    amounts |= {code: ore for code, ore in result.party_parts_ore.items() if code != "kommuner"}
    return amounts


def test_kombit_25_kr_per_citizen_half_above_150000() -> None:
    expected = {}
    for code, citizens in figures("2024K1").items():  # 1 January of the year before
        counted = (
            Fraction(citizens) if citizens <= 150_000 else 150_000 + Fraction(citizens - 150_000, 2)
        )
        expected[code] = 100 * half_up(25 * counted)  # whole kroner, halves up
    assert computed("kombit-infrastruktur-illustrativ") == expected
    assert expected["751"] == 646_368_800  # Aarhus: 25 × (150.000 + 217.095 / 2), 6.463.688 kr.


def test_kfplc_80_80_ore_per_inhabitant_at_most_100000() -> None:
    expected = {
        code: half_up(Fraction("80.80") * min(inhabitants, 100_000))  # øre, rounded to the øre
        for code, inhabitants in figures("2025K1").items()
    }
    assert computed("kfplc-kontingent-illustrativ") == expected
    assert expected["101"] == 8_080_000  # København: 100.000 counted, 80.800 kr.


def test_region_hovedstaden_development_contribution_122_kr_2024() -> None:
    expected = {code: 122 * 100 * n for code, n in figures("2023K1", "Hovedstaden").items()}
    assert computed("region-h-udviklingsbidrag-2024") == expected


@pytest.mark.parametrize(("year", "rate"), [(2022, 115), (2023, 118), (2024, 122)])
def test_region_hovedstaden_development_contribution_by_year(year: int, rate: int) -> None:
    from costshare.programme.years import load_plan

    plan = load_plan(EXAMPLES / "region-h-udviklingsbidrag-2022-2024.toml")
    result = compute(plan.year(year).programme)
    basis = f"{year - 1}K1"  # 1 January of the year before, resolved for each year
    expected = {code: rate * 100 * n for code, n in figures(basis, "Hovedstaden").items()}
    assert dict(result.municipal.shares_ore()) == expected


def test_kl_3709_41_per_100_on_a_frozen_2014_total_distributed_by_2019() -> None:
    population = figures("2019K1")
    whole = Fraction(Decimal("370941")) * 5_627_235 / 100  # øre: the rate on the frozen total
    expected = {
        code: half_up(whole * n / sum(population.values())) for code, n in population.items()
    }
    assert computed("kl-kontingent-2019") == expected
    assert abs(sum(expected.values()) - whole) <= len(expected) / 2


def test_copydan_regions_0_304_kr_per_inhabitant() -> None:
    with K1.open(encoding="utf-8", newline="") as handle:
        regions: dict[str, int] = {}
        for row in csv.DictReader(handle):
            regions[row["region"]] = regions.get(row["region"], 0) + int(row["2024K1"])
    codes = {"Region Nordjylland": "081", "Region Midtjylland": "082", "Region Syddanmark": "083",
             "Region Hovedstaden": "084", "Region Sjælland": "085"}  # fmt: skip
    expected = {codes[name]: half_up(Fraction("30.4") * n) for name, n in regions.items()}
    assert computed("copydan-regioner-illustrativ") == expected


def test_movia_80_by_service_hours_20_by_the_regions_population() -> None:
    hours = {"259": 4380, "336": 2920, "320": 1460}  # Køge, Stevns, Faxe (the example's file)
    population = figures("2025K1", "Sjælland")
    total = 1_200_000
    exact = {
        code: Fraction(4, 5) * total * Fraction(hours.get(code, 0), sum(hours.values()))
        + Fraction(1, 5) * total * Fraction(n, sum(population.values()))
        for code, n in population.items()
    }
    expected = {code: 100 * kr for code, kr in largest_remainder(total, exact).items()}
    assert computed("movia-linje-illustrativ") == expected


def test_geodanmark_half_by_the_state_half_by_the_key() -> None:
    with (EXAMPLES / "geodanmark-noegle-illustrativ.csv").open(encoding="utf-8") as handle:
        key = {
            row["kode"]: Fraction(Decimal(row["andel"].replace(",", ".")))
            for row in csv.DictReader(handle, delimiter=";")
        }
    municipal = 15_000_000
    exact = {code: municipal * share / sum(key.values()) for code, share in key.items()}
    expected = {code: 100 * kr for code, kr in largest_remainder(municipal, exact).items()}
    expected["SDFI"] = 100 * 15_000_000
    assert computed("geodanmark-illustrativ") == expected


def test_os2_fee_by_size_class_on_the_year_before() -> None:
    fees = [15_000, 30_000, 45_000, 60_000]

    def fee(citizens: int) -> int:  # under 25.000; 25.000–60.000; 60.000–120.000; over
        return fees[(citizens >= 25_000) + (citizens >= 60_000) + (citizens >= 120_000)]

    expected = {code: 100 * fee(n) for code, n in figures("2024K1").items()}
    assert computed("os2-kontingent-illustrativ") == expected


@pytest.mark.parametrize(
    "example",
    [
        "kombit-infrastruktur-illustrativ",
        "kfplc-kontingent-illustrativ",
        "region-h-udviklingsbidrag-2024",
        "kl-kontingent-2019",
        "copydan-regioner-illustrativ",
        "movia-linje-illustrativ",
        "geodanmark-illustrativ",
        "os2-kontingent-illustrativ",
    ],
)
def test_the_total_is_the_sum_of_the_payers(example: str) -> None:
    result = compute(load_programme(EXAMPLES / f"{example}.toml"))
    assert sum(result.municipal.shares_ore().values()) == result.municipal_part_ore
