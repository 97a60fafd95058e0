"""The five regions as payers, summed from the packaged municipalities (issue #21, item 5)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import POPULATION_DATA

from costshare.base.errors import InputError
from costshare.cli import cli
from costshare.population.basis import load_basis

CODES = {"Region Nordjylland": "081", "Region Midtjylland": "082", "Region Syddanmark": "083",
         "Region Hovedstaden": "084", "Region Sjælland": "085"}  # fmt: skip


@pytest.mark.parametrize("quarter", ["2016K1", "2020K1", "2025K1", "2026K1"])
def test_each_region_is_the_sum_of_its_municipalities(quarter: str) -> None:
    sums = dict.fromkeys(CODES.values(), 0)
    with (POPULATION_DATA / "folk1a_municipalities_K1_2016-2026.csv").open(
        encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            sums[CODES[row["region"]]] += int(row[quarter])
    regions = load_basis(f"regioner:{quarter}")
    assert dict(zip(regions.codes, regions.counts, strict=True)) == sums
    assert regions.names[3] == "Region Hovedstaden" and not regions.municipal
    assert regions.source.endswith("; summeret pr. region, uden Christiansø)")
    assert f"({quarter};" in regions.source
    assert load_basis(f"regions:{quarter}").counts == regions.counts


def test_a_file_of_some_municipalities_gives_no_regions(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("kode;indbyggere\n101;5\n147;6\n", encoding="utf-8")
    with pytest.raises(InputError, match="the regions are summed from all 98 municipalities"):
        load_basis(f"regioner:{path}")


def test_data_show_and_split_over_the_regions() -> None:
    shown = CliRunner().invoke(cli, ["--lang", "en", "data", "show", "regioner:2025K1"])
    assert " 084  Region Hovedstaden  1.930.703" in shown.output
    split = CliRunner().invoke(
        cli, ["--lang", "en", "split", "--amount", "1000", "--population", "regioner:2025K1"]
    )
    assert (
        split.exit_code == 0
        and "084   Region Hovedstaden   1.930.703   32,218 %    322 kr." in split.output
    )
