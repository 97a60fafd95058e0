"""A programme's basis named by rule, and the refusal of figures published after the
decision (issue #21, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import EXAMPLES

from costshare.base.errors import InputError
from costshare.cli import cli
from costshare.programme.model import compute, load_programme, programme_population

SEED = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")


def seed_with(tmp_path: Path, population: str, extra: str = "") -> Path:
    """The seed case (decided 3 February 2025, year 2025) with another basis."""
    text = SEED.replace('population = "2025K1"', f"population = {population!r}".replace("'", '"'))
    text = text.replace('key = "population"', f'key = "population"\n{extra}')
    path = tmp_path / "programme.toml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "telehjerte-2025-modtagere.csv").write_bytes(
        (EXAMPLES / "telehjerte-2025-modtagere.csv").read_bytes()
    )
    return path


def test_the_budget_years_rule_gives_the_seed_cases_amounts(tmp_path: Path) -> None:
    result = compute(load_programme(seed_with(tmp_path, "1. januar i budgetåret")))
    assert result.municipal.share_ore("157") == 2_041_500  # 20.415 kr., as decided
    assert result.municipal.population.basis == "2025K1"
    assert "(1. januar i budgetåret: 2025K1;" in result.municipal.population.source


def test_the_newest_published_rule_gives_the_quarter_the_meeting_could_see(tmp_path: Path) -> None:
    path = seed_with(tmp_path, "senest offentliggjorte før beslutningen")
    result = compute(load_programme(path))
    assert result.municipal.population.basis == "2024K4"
    assert result.municipal.share_ore("157") == 2_043_000


def test_a_quarter_published_after_the_decision_is_refused(tmp_path: Path) -> None:
    """The init bug's programme: decided 3 February 2025 on 2026K1 (Gentofte 20.251 kr.)."""
    with pytest.raises(InputError) as caught:
        load_programme(seed_with(tmp_path, "2026K1"))
    message = str(caught.value)
    assert "key 'municipalities.population'" in message
    assert "2026K1 was published by Statistics Denmark around mid-February 2026" in message
    assert "the newest is 2024K4" in message and "population_after_decision = true" in message


def test_a_later_quarter_the_decision_named_is_taken(tmp_path: Path) -> None:
    path = seed_with(tmp_path, "2025K3", "population_after_decision = true")
    assert compute(load_programme(path)).municipal.population.basis == "2025K3"
    with pytest.raises(
        InputError, match="2025K3 was published by Statistics Denmark on 2025-08-11"
    ):
        load_programme(seed_with(tmp_path, "2025K3"))


@pytest.mark.parametrize("quarter", ["2025K1", "2024K1", "2024K4", "2022K1:65-"])
def test_customary_and_earlier_quarters_pass(tmp_path: Path, quarter: str) -> None:
    assert load_programme(seed_with(tmp_path, quarter)).population_basis == quarter


def test_a_rule_costshare_does_not_know_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"'1\. jan 2025' is not a rule costshare knows"):
        load_programme(seed_with(tmp_path, "1. jan 2025"))


def test_an_override_may_be_a_rule(tmp_path: Path) -> None:
    programme = load_programme(seed_with(tmp_path, "2025K1"))
    population = programme_population(programme, "1. januar året før")
    assert population.basis == "2024K1"
    assert "1. januar året før budgetåret: 2024K1" in population.source


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--lang", "en", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


INIT = [
    "--title", "TeleHjerte", "--case-number", "SAG-2024-05018", "--body", "KKR Hovedstaden",
    "--decision-date", "2025-02-03", "--amount", "1.050.000", "--region", "Hovedstaden",
    "--region-share", "50", "--key", "population",
]  # fmt: skip


def test_init_proposes_figures_the_meeting_had(tmp_path: Path) -> None:
    code, out, err = invoke("init", str(tmp_path / "a.toml"), *INIT, stdin="\n")
    assert code == 0, err
    assert "[2024K4]" in out
    text = (tmp_path / "a.toml").read_text(encoding="utf-8")
    assert 'population = "2024K4"' in text
    assert '# population = "1. januar i budgetåret"' in text  # the rule, if it was decided
    assert compute(load_programme(tmp_path / "a.toml")).municipal.share_ore("157") == 2_043_000


def test_init_refuses_figures_published_after_the_decision(tmp_path: Path) -> None:
    code, _out, err = invoke("init", str(tmp_path / "a.toml"), *INIT, "--population", "2026K1")
    assert code == 1 and "2026K1 was published" in err
    assert not (tmp_path / "a.toml").exists()
