"""Interactive ``costshare init`` converses: an answer it cannot read is asked again, with
the reason and an example, and every earlier answer is kept (issue #22, item 4).

The answers are typed into click's ``CliRunner`` as a finance officer would, mistakes
included; options and ``--non-interactive`` never ask.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from costshare.cli import cli
from costshare.programme.model import compute, load_programme


@pytest.fixture(autouse=True)
def danish(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Asked in Danish (the default language), in a scratch folder."""
    monkeypatch.setenv("COSTSHARE_LANG", "da")
    monkeypatch.chdir(tmp_path)


def init(*args: str, answers: list[str]) -> tuple[int, str, str]:
    stdin = "".join(f"{answer}\n" for answer in answers)
    result = CliRunner().invoke(cli, ["init", *args], input=stdin, prog_name="costshare")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def test_a_user_who_mistypes_twice_is_asked_again_and_keeps_the_other_answers(
    tmp_path: Path,
) -> None:
    answers = [
        "TeleHjerte",
        "SAG-2024-05018",
        "KKR Hovedstaden",
        "3. febuar 2025",  # a typo in the month
        "3. februar 2025",
        "en million",  # words, not digits
        "1.050.000",
        "Hovedstaden",
        "50",
        "indbyggertal",  # the Danish word for the key
        "2025K1",
    ]
    code, out, err = init("hjerte.toml", answers=answers)
    assert (code, err) == (0, ""), out
    # Each question is asked once, except the two mistyped ones, asked twice.
    assert out.count("Dato for beslutningen") == 2
    assert out.count("Samlet udgift") == 2
    assert out.count("Titel") == out.count("Sagsnummer") == out.count("Besluttet af") == 1
    # The reason, and an example of what is read.
    assert "datoen '3. febuar 2025' kan ikke læses" in out
    assert "beløbet 'en million' er ikke et tal" in out
    assert out.count("Prøv igen, f.eks.:") == 2
    assert "Prøv igen, f.eks.: 3. februar 2025" in out
    assert "Prøv igen, f.eks.: 1.050.000" in out
    assert "Skrev hjerte.toml: TeleHjerte." in out
    programme = load_programme(tmp_path / "hjerte.toml")
    result = compute(programme)
    # The earlier answers were kept: the shipped example's split, 20.415 kr. to Gentofte.
    assert programme.case_number == "SAG-2024-05018"
    assert result.party_parts_ore == {"084": 52_500_000, "kommuner": 52_500_000}
    assert result.municipal.share_ore("157") == 2_041_500


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("indbyggertal", "population"),
        ("Efter indbyggertal", "population"),
        ("befolkning", "population"),
        ("ligeligt", "equal"),
        ("lige", "equal"),
        ("population", "population"),
        ("equal", "equal"),
    ],
)
def test_the_key_may_be_named_in_danish(tmp_path: Path, word: str, key: str) -> None:
    answers = ["Hjerte", "S-1", "KL", "2025-02-03", "980.000", "alle", word, "2025K1"]
    code, out, err = init("land.toml", answers=answers)
    assert (code, err) == (0, ""), out
    assert f'key = "{key}"' in (tmp_path / "land.toml").read_text(encoding="utf-8")


def test_blandet_asks_for_the_equal_part_and_a_bad_one_again(tmp_path: Path) -> None:
    answers = ["Hjerte", "S-2", "KKR Sjælland", "3.3.2025", "800.000 kr.", "Sjælland", "25",
               "blandet", "140 %", "40 %", "2025K1"]  # fmt: skip
    code, out, err = init("sag.toml", answers=answers)
    assert (code, err) == (0, ""), out
    assert "den del, der fordeles lige, '140 %' skal ligge mellem 0 og 100 %" in out
    assert "Prøv igen, f.eks.: 40 %" in out
    text = (tmp_path / "sag.toml").read_text(encoding="utf-8")
    assert 'key = "mixed"' in text and 'equal_part = "40 %"' in text


def test_an_unknown_key_word_is_asked_again_naming_the_danish_words(tmp_path: Path) -> None:
    answers = ["Hjerte", "S-1", "KL", "2025-02-03", "980.000", "alle",
               "efter areal", "ligeligt", "2025K1"]  # fmt: skip
    code, out, err = init("land.toml", answers=answers)
    assert (code, err) == (0, ""), out
    assert "fordelingsnøglen 'efter areal' findes ikke; brug indbyggertal, ligeligt eller blandet" in out  # fmt: skip
    assert 'key = "equal"' in (tmp_path / "land.toml").read_text(encoding="utf-8")


def test_a_region_a_share_and_figures_it_cannot_use_are_asked_again(tmp_path: Path) -> None:
    answers = ["Hjerte", "S-3", "KKR Syddanmark", "2025-02-03", "300000",
               "Fyn", "Syddanmark",  # no region of that name
               "halvdelen", "50",  # words, not a percentage
               "population",
               "2099K1", "2025K1"]  # fmt: skip  # a quarter costshare does not have
    code, out, err = init("syd.toml", answers=answers)
    assert (code, err) == (0, ""), out
    assert "ukendt region 'Fyn'" in out
    assert "regionens andel 'halvdelen' er ikke et tal" in out
    assert "befolkningsgrundlaget '2099K1' er ikke et medfølgende kvartal" in out
    assert out.count("Befolkningstal") == 2
    result = compute(load_programme(tmp_path / "syd.toml"))
    assert sum(result.party_parts_ore.values()) == 30_000_000
    assert len(result.municipal.population.codes) == 22  # Region Syddanmark


def test_an_option_it_cannot_use_is_an_error_not_a_question(tmp_path: Path) -> None:
    """Options are read as before: a bad one stops, and nothing is asked or written."""
    code, out, err = init("hjerte.toml", "--amount", "mange", answers=["Hjerte"] * 12)
    assert (code, out) == (1, "")
    assert err == "Fejl: beløbet 'mange' er ikke et tal; skriv cifre som 525000 eller 525000,00\n"
    assert list(tmp_path.iterdir()) == []


def test_non_interactive_asks_nothing_and_names_the_missing_option(tmp_path: Path) -> None:
    code, out, err = init("hjerte.toml", "--non-interactive", "--title", "Hjerte", answers=[])
    assert (code, out) == (1, "")
    assert err == (
        "Fejl: --case-number mangler; angiv det, eller udelad --non-interactive for at blive spurgt\n"
    )
    assert list(tmp_path.iterdir()) == []
    code, out, err = init(
        "hjerte.toml", "--non-interactive", "--title", "Hjerte", "--case-number", "S-1",
        "--body", "KL", "--decision-date", "2025-02-03", "--amount", "980.000", answers=[],
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    text = (tmp_path / "hjerte.toml").read_text(encoding="utf-8")
    # What is not given takes the question's default: all 98 municipalities, by population.
    assert 'key = "population"' in text and "[[parties]]" not in text
