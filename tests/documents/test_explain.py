"""``costshare explain``: the working for one payer, by name or code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.cli import cli
from costshare.documents.text.explain import explain_steps
from costshare.programme.model import compute, load_programme
from costshare.programme.payers import find_payer
from costshare.programme.working import party_working

EXAMPLES = ROOT / "examples"
TELEHJERTE = str(EXAMPLES / "telehjerte-2025.toml")

GENTOFTE = "".join(
    line + "\n"
    for line in [
        "TeleHjerte, forlængelse 2025 (SAG-2024-05018)",
        "Udregning for Gentofte (kode 157)",
        "",
        "Samlet udgift: 1.050.000 kr.",
        "Kommunerne i KKR Hovedstaden (50 %): 525.000 kr.",
        "Fordelingsnøgle: efter indbyggertal",
        "Befolkning (Danmarks Statistik, FOLK1A, 1. januar 2025 (2025K1; "
        "kontrolleret mod offentliggjorte tal)): Gentofte 75.076 af 1.930.703 (29 kommuner)",
        "Andel: 75.076 / 1.930.703 = 3,888532 %",
        "Præcis andel: 525.000 kr. × 75.076 / 1.930.703 = 20.414,792 kr.",
        "Rundet ned: 20.414 kr.",
        "Afrunding: 14 enheder à 1 kr. gives til de 14 kommuner med største "
        "brøkdel; Gentofte er nr. 4 af 29 og får 1 enhed mere",
        "Beløb: 20.415 kr.",
    ]
)


@pytest.mark.parametrize("party", ["Gentofte", "gentofte", "GENTOFTE KOMMUNE", "157", "0157"])
def test_explain_gentofte_by_name_or_code(party: str) -> None:
    result = CliRunner().invoke(cli, ["explain", TELEHJERTE, party], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == GENTOFTE


def test_explain_shows_the_same_steps_as_the_workbook() -> None:
    result = compute(load_programme(TELEHJERTE))
    steps = explain_steps(result, find_payer(result, "157"))
    assert steps == party_working(result, "157")


def test_explain_a_party_that_gets_no_extra_unit() -> None:
    args = ["explain", TELEHJERTE, "Frederiksberg Kommune"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "Befolkning (Danmarks Statistik, FOLK1A, 1. januar 2025" in result.stdout
    assert "Frederiksberg 105.840 af 1.930.703 (29 kommuner)" in result.stdout
    assert "Frederiksberg er nr. 26 af 29 og får ingen ekstra enhed" in result.stdout
    assert result.stdout.endswith("Beløb: 28.780 kr.\n")


@pytest.mark.parametrize("party", ["Region Hovedstaden", "084", "84"])
def test_explain_the_region(party: str) -> None:
    result = CliRunner().invoke(cli, ["explain", TELEHJERTE, party], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "Udregning for Region Hovedstaden (kode 084)"
    assert "Region Hovedstaden (50 %): 525.000 kr." in result.stdout
    assert result.stdout.endswith("Beløb: 525.000 kr.\n")


def test_a_near_miss_gets_a_suggestion() -> None:
    result = CliRunner().invoke(cli, ["explain", TELEHJERTE, "Gentofe"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no payer called 'Gentofe' in TeleHjerte, forlængelse 2025; "
        "did you mean 'Gentofte' (157)?\n"
    )


def test_a_municipality_outside_the_programme_is_named() -> None:
    result = CliRunner().invoke(cli, ["explain", TELEHJERTE, "Aarhus"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no payer called 'Aarhus' in TeleHjerte, forlængelse 2025; Aarhus (751) does "
        "not pay in this programme; it has 29 municipalities and Region Hovedstaden (084)\n"
    )


def test_a_missing_programme_file() -> None:
    result = CliRunner().invoke(cli, ["explain", "nope.toml", "157"])
    assert result.exit_code == 1
    assert result.stderr == "Error: nope.toml: no such file; check the path\n"


def test_a_near_miss_outside_the_programme() -> None:
    result = CliRunner().invoke(cli, ["explain", TELEHJERTE, "Aarhuus"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no payer called 'Aarhuus' in TeleHjerte, forlængelse 2025; "
        "did you mean 'Aarhus'? it does not pay in this programme either\n"
    )
