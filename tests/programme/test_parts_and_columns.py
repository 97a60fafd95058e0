"""Keys in parts with every kind of part key, co-financing before the parts, a rate per
unit of a figure column, and the errors around them (issue #21, items 1 and 2), each
against an independent Fraction computation."""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from paths import EXAMPLES, POPULATION_DATA

from costshare.base.errors import InputError
from costshare.programme.model import compute, load_programme

HEAD = """
title = "Dele"
case_number = "S-1"
year = 2022
letter_date = 2022-03-01
"""
TAIL = """
[decision]
body = "KKR Hovedstaden"
date = 2022-02-20

[sender]
name = "KKR Hovedstaden"
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "programme.toml"
    path.write_text(HEAD + body + "\n" + TAIL, encoding="utf-8")
    (tmp_path / "noegle.csv").write_bytes((EXAMPLES / "bloktilskud-illustrativ.csv").read_bytes())
    return path


def column(file: Path, quarter: str, region: str | None = None) -> dict[str, int]:
    with file.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: int(row[quarter])
            for row in csv.DictReader(handle)
            if region is None or row["region"] == region
        }


def largest_remainder(total: int, exact: dict[str, Fraction]) -> dict[str, int]:
    shares = {code: math.floor(value) for code, value in exact.items()}
    order = sorted(exact, key=lambda code: (-(exact[code] - shares[code]), int(code)))
    for code in order[: total - sum(shares.values())]:
        shares[code] += 1
    return shares


def test_parts_of_every_kind_after_co_financing(tmp_path: Path) -> None:
    """A region pays 25 %; the municipalities' 75 % goes 50 % equally among three
    municipalities, 30 % by the (illustrative) decimal key and 20 % by the inhabitants
    aged 65 and over on 1 January 2022."""
    path = write(
        tmp_path,
        """
amount = "1.000.000"

[[parties]]
name = "Region Hovedstaden"
weight = "25 %"

[[parties]]
name = "Kommunerne"
weight = "75 %"
municipalities = true

[municipalities]
population = "2022K1"
region = "Hovedstaden"

[[municipalities.parts]]
name = "Lige del"
weight = "50 %"
key = "equal"
include = ["101", "147", "157"]

[[municipalities.parts]]
name = "Nøglen"
weight = "30 %"
population = "noegle.csv"

[[municipalities.parts]]
name = "Ældre"
weight = "20 %"
population = "2022K1:65-"
""",
    )
    result = compute(load_programme(path))
    assert result.party_parts_ore == {"084": 25_000_000, "kommuner": 75_000_000}
    with (EXAMPLES / "bloktilskud-illustrativ.csv").open(encoding="utf-8") as handle:
        key = {
            row["kode"]: Fraction(Decimal(row["andel"].removesuffix(" %").replace(",", "."))) / 100
            for row in csv.DictReader(handle, delimiter=";")
        }
    ages = POPULATION_DATA / "folk1a_age65plus_80plus_K1_2008-2022.csv"
    with ages.open(encoding="utf-8", newline="") as handle:
        elderly = {row["code"]: int(row["age65plus_2022K1"]) for row in csv.DictReader(handle)}
    elderly = {code: elderly[code] for code in key}  # the 29 municipalities of the region
    total = 750_000
    exact = {
        code: Fraction(1, 2) * total * (Fraction(1, 3) if code in ("101", "147", "157") else 0)
        + Fraction(3, 10) * total * key[code] / sum(key.values())
        + Fraction(1, 5) * total * Fraction(elderly[code], sum(elderly.values()))
        for code in key
    }
    expected = {code: 100 * kr for code, kr in largest_remainder(total, exact).items()}
    assert dict(result.municipal.shares_ore()) == expected


def test_a_rate_per_unit_of_a_figure_column(tmp_path: Path) -> None:
    (tmp_path / "timer.csv").write_text(
        "kommune;indbyggere;køreplantimer\nKøge;63.335;4380\nStevns;23.612;2920,5\n",
        encoding="utf-8",
    )
    path = write(
        tmp_path,
        """
rate = "12,50 kr. pr. køreplantime"
unit = "0.01"

[municipalities]
population = "timer.csv"
column = "køreplantimer"
""",
    )
    result = compute(load_programme(path))
    assert dict(result.municipal.shares_ore()) == {"259": 5_475_000, "336": 3_650_625}
    assert result.municipal.rate is not None and result.municipal.rate.units == "køreplantimer"


def test_a_rate_per_inhabitant_on_a_figure_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "timer.csv").write_text("kommune;timer\nKøge;4380\n", encoding="utf-8")
    path = write(
        tmp_path,
        """
rate = "12,50 kr. pr. indbygger"

[municipalities]
population = "timer.csv"
column = "timer"
""",
    )
    with pytest.raises(
        InputError,
        match=r"key 'rate': the rate is 12,50 kr. pr. indbygger, but the figures are timer",
    ):
        compute(load_programme(path))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('amount = "100"\nrate = "1 kr. pr. indbygger"\n[municipalities]\npopulation = "2022K1"', "gives both amount and rate"),
        ('rate = "1 kr. pr. indbygger"\n[[parties]]\nname = "Region Hovedstaden"\nweight = 50\n[[parties]]\nname = "K"\nweight = 50\nmunicipalities = true\n[municipalities]\npopulation = "2022K1"', "rate charges each payer by its own figure, so parties does not apply"),
        ('amount = "100"\n[municipalities]\npopulation = "2022K1"\nkey = "mixed"\nequal_part = "40 %"\n[[municipalities.parts]]\nname = "a"\nweight = 1', "each part gives its own key"),
        ('amount = "100"\n[municipalities]\npopulation = "2022K1"\n[[municipalities.parts]]\nname = "a"\nweight = 1\n[[municipalities.parts]]\nname = "a"\nweight = 1', "two parts have the same name"),
        ('amount = "100"\n[municipalities]\npopulation = "2022K1"\nkey = "classes"\nclasses = { bounds = [60000, 25000], weights = [1, 2, 3] }', "must rise from one to the next"),
        ('amount = "100"\n[municipalities]\npopulation = "2022K1"\nkey = "classes"\nclasses = { bounds = [25000], weights = [1, 2, 3] }', "1 bounds make 2 classes, but 3 weights or fees are given"),
        ('amount = "100"\n[municipalities]\npopulation = "2022K1"\nfrozen_total = "2016K1"', "a frozen total is charged at a rate"),
    ],
)  # fmt: skip
def test_what_the_forms_cannot_take_is_named(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        compute(load_programme(write(tmp_path, body)))
