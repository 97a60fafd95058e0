"""``costshare init`` writes a programme file that ``run`` accepts; ``costshare examples``
copies the shipped examples (issue #11). Both speak Danish first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.cli import cli
from costshare.programme.model import compute, load_programme

TELEHJERTE = [
    "--title", "TeleHjerte", "--case-number", "SAG-2024-05018", "--body", "KKR Hovedstaden",
    "--decision-date", "2025-02-03", "--amount", "1.050.000 kr.", "--region", "Region H",
    "--region-share", "50", "--key", "population", "--population", "2025K1",
]  # fmt: skip


@pytest.fixture(autouse=True)
def danish(monkeypatch: pytest.MonkeyPatch) -> None:
    """These commands are tested as a Danish user meets them (the default language)."""
    monkeypatch.setenv("COSTSHARE_LANG", "da")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="costshare")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def test_init_with_options_gives_the_seed_case(here: Path) -> None:
    code, out, err = invoke("init", "hjerte.toml", *TELEHJERTE)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Skrev hjerte.toml: TeleHjerte."
    result = compute(load_programme(here / "hjerte.toml"))
    # The same split as the shipped example: 525.000 kr. to each side, 20.415 kr. Gentofte.
    assert result.party_parts_ore == {"084": 52_500_000, "kommuner": 52_500_000}
    assert result.municipal.share_ore("157") == 2_041_500
    code, out, err = invoke("run", "hjerte.toml", "--out", "pakke")
    assert code == 0, err
    assert (
        len(list((here / "pakke").glob("*.pdf"))) == 32
    )  # 30 letters, the annex and the review PDF


def test_init_asks_in_danish_for_what_is_missing(here: Path) -> None:
    answers = "Hjerte\nS-2\nKKR Sjælland\n3.2.2025\n200.000\nSjælland\n25\nmixed\n30 %\n2025K1\n"
    code, out, err = invoke("init", "hjerte.toml", stdin=answers)
    assert (code, err) == (0, ""), err
    for question in ["Titel", "Sagsnummer", "Besluttet af", "Dato for beslutningen",
                     "Samlet udgift", "Region/KKR", "Regionens andel", "Fordelingsnøgle",
                     "Den del der fordeles lige", "Befolkningstal"]:  # fmt: skip
        assert question in out
    programme = load_programme(here / "hjerte.toml")
    text = (here / "hjerte.toml").read_text(encoding="utf-8")
    assert 'weight = "25 %"' in text and 'weight = "75 %"' in text
    assert 'equal_part = "30 %"' in text and "date = 2025-02-03" in text
    assert programme.short_title == "Hjerte"
    result = compute(programme)
    assert sum(result.party_parts_ore.values()) == 20_000_000
    assert len(result.municipal.population.codes) == 17  # Region Sjælland


def test_init_for_the_whole_country_has_no_cofinancing(here: Path) -> None:
    answers = "Hele landet\nS-3\nKL\n2026-01-05\n980.000\nalle\npopulation\n2026K1\n"
    code, _out, err = invoke("init", "land.toml", stdin=answers)
    assert (code, err) == (0, "")
    result = compute(load_programme(here / "land.toml"))
    assert len(result.municipal.population.codes) == 98
    assert "[[parties]]" not in (here / "land.toml").read_text(encoding="utf-8")


def test_init_keeps_oere_exact(here: Path) -> None:
    code, _out, err = invoke("init", "p.toml", *TELEHJERTE[:8], "--amount", "1050000,50",
                             "--region", "alle", "--key", "equal", "--population", "2025K1")  # fmt: skip
    assert (code, err) == (0, "")
    result = compute(load_programme(here / "p.toml"))
    assert sum(result.municipal.shares_ore().values()) == 105_000_050


def test_init_never_overwrites(here: Path) -> None:
    (here / "hjerte.toml").write_text("# mine\n", encoding="utf-8")
    code, out, err = invoke("init", "hjerte.toml", *TELEHJERTE)
    assert (code, out) == (1, "")
    assert err == (
        "Fejl: hjerte.toml: findes allerede; vælg et andet filnavn, eller slet filen først\n"
    )
    assert (here / "hjerte.toml").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--amount", "mange"), "Fejl: beløbet 'mange' er ikke et tal; skriv cifre som 525000 eller 525000,00\n"),
        (("--decision-date", "2025-02-30"), "Fejl: datoen '2025-02-30' kan ikke læses; skriv den som 2025-02-03, 3.2.2025 eller 3. februar 2025\n"),
        (("--region", "Fyn"), "Fejl: ukendt region 'Fyn'; brug en af Hovedstaden, Midtjylland, Nordjylland, Sjælland, Syddanmark\n"),
        (("--region-share", "140"), "Fejl: regionens andel '140' skal ligge mellem 0 og 100 %\n"),
        (("--population", "2099K1"), "Fejl: hjerte.toml: nøgle 'municipalities.population': befolkningsgrundlaget '2099K1' er ikke et medfølgende kvartal; brug et, som costshare data list viser (kvartaler 2016K1–2026K1, måneder 2021M10–2026M02, aldersgrupper som 2022K1:65-), hent det med costshare data fetch, eller angiv en CSV- eller Excel-fil\n"),
        (("--title", " "), "Fejl: hjerte.toml: nøgle 'title' er tom; udfyld den\n"),
    ],
)  # fmt: skip
def test_init_refuses_a_bad_answer_and_writes_nothing(
    here: Path, change: tuple[str, str], message: str
) -> None:
    args = list(TELEHJERTE)
    args[args.index(change[0]) + 1] = change[1]
    code, out, err = invoke("init", "hjerte.toml", *args)
    assert (code, out, err) == (1, "", message)
    assert list(here.iterdir()) == []


def test_examples_copies_what_run_and_verify_need(here: Path) -> None:
    code, out, err = invoke("examples", "eksempler")
    assert (code, err) == (0, "")
    shipped = sorted(p.name for p in (ROOT / "examples").iterdir() if p.suffix in (".toml", ".csv"))
    assert sorted(p.name for p in (here / "eksempler").iterdir()) == sorted([*shipped, "skabelon"])
    template = (here / "eksempler" / "skabelon" / "letter.typ.j2").read_bytes()
    assert template == (ROOT / "templates" / "letter.typ.j2").read_bytes()
    assert out.splitlines()[0] == f"Kopierede {len(shipped)} eksempler til eksempler:"
    for name in shipped:
        assert (here / "eksempler" / name).read_bytes() == (ROOT / "examples" / name).read_bytes()
    code, out, err = invoke(
        "verify", "eksempler/telehjerte-2025.toml", "eksempler/telehjerte-2025-bilag.csv"
    )
    assert code == 0, err
    code, out, err = invoke(  # the copied template is one run takes as it is
        "run",
        "eksempler/telehjerte-2025.toml",
        "--out",
        "pakke",
        "--templates",
        "eksempler/skabelon",
    )
    assert code == 0, err


def test_examples_never_overwrites(here: Path) -> None:
    (here / "eksempler").mkdir()
    (here / "eksempler" / "telehjerte-2025.toml").write_text("# mine\n", encoding="utf-8")
    code, out, err = invoke("examples", "eksempler")
    assert (code, out) == (1, "")
    assert err == (
        "Fejl: eksempler: telehjerte-2025.toml findes allerede; vælg en anden mappe, "
        "eller slet filerne først\n"
    )
    assert [p.name for p in (here / "eksempler").iterdir()] == ["telehjerte-2025.toml"]


# Words that are English and never Danish: a comment holding one is not written in Danish.
ENGLISH_WORDS = re.compile(r"\b(the|and|of|is|are|with|which|this|that|its)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "example", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.name
)
def test_the_examples_comments_are_danish(example: Path) -> None:
    """A finance officer opens the copied examples in Notepad: their comments are Danish
    (issue #22, item 8), commands and key names aside."""
    for number, line in enumerate(example.read_text(encoding="utf-8").splitlines(), 1):
        comment = line.partition("#")[2] if "#" in line else ""
        assert not ENGLISH_WORDS.search(comment), f"{example.name}:{number}: {comment}"


def test_the_seed_case_warns_in_danish_that_its_ean_numbers_are_examples() -> None:
    text = (ROOT / "examples" / "telehjerte-2025.toml").read_text(encoding="utf-8")
    comments = " ".join(line.partition("#")[2] for line in text.splitlines() if "#" in line)
    assert "EAN-NUMRENE ER EKSEMPLER" in " ".join(comments.split())
