"""Letters, annex, workbooks and explain under the published rules of issue #21: a rate
("X kr. pr. indbygger × N indbyggere"), a frozen total, the regions, fees by size class
and a key in parts. Golden texts of the letters and of an annex, the phrases each form
must say, and ``costshare verify`` accepting each package's own overview."""

from __future__ import annotations

from pathlib import Path

import pytest
from annex_helpers import EXAMPLES, assert_golden, build_package, pdf_text, run_cli
from openpyxl import load_workbook

from costshare.programme.naming import ANNEX_FILE, OVERVIEW_FILE

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

GOLDEN_LETTERS = {
    "kombit-infrastruktur-illustrativ": "751-aarhus",
    "kl-kontingent-2019": "259-koege",
    "copydan-regioner-illustrativ": "084-region-hovedstaden",
    "movia-linje-illustrativ": "253-greve",
    "os2-kontingent-illustrativ": "157-gentofte",
}


def flat(text: str) -> str:
    """The text with every run of white space (line breaks, no-break spaces) as one space."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("rules")
    examples = [*GOLDEN_LETTERS, "kfplc-kontingent-illustrativ"]
    return {example: build_package(example, out / example) for example in examples}


@pytest.mark.parametrize("example", list(GOLDEN_LETTERS))
def test_letter_golden(example: str, packages: dict[str, Path], update_golden: bool) -> None:
    letter = packages[example] / f"{GOLDEN_LETTERS[example]}.pdf"
    assert_golden(f"letters/rules/{example}.txt", pdf_text(letter), update_golden)


def test_parts_annex_golden(packages: dict[str, Path], update_golden: bool) -> None:
    annex = packages["movia-linje-illustrativ"] / ANNEX_FILE
    assert_golden("letters/rules/movia-linje-illustrativ-annex.txt", pdf_text(annex), update_golden)


@pytest.mark.parametrize(
    ("example", "letter", "phrases"),
    [
        (
            "kombit-infrastruktur-illustrativ",
            "751-aarhus",
            [
                "Bidraget er 25 kr. pr. borger for hver af de 98 kommuner.",
                "25 kr. pr. borger × 258.547,5 borgere = 6.463.687,50 kr.",
                "(halve kroner op)",
                "6.463.688 kr.",
            ],
        ),
        (
            "kfplc-kontingent-illustrativ",
            "101-koebenhavn",
            [
                "tælles højst med 100.000",
                "80,80 øre pr. indbygger × 100.000 indbyggere = 80.800 kr.",
            ],
        ),
        (
            "kl-kontingent-2019",
            "259-koege",
            [
                "3.709,41 kr. pr. 100 indbyggere af landets indbyggertal 1. januar 2014",
                "5.627.235 indbyggere",
            ],
        ),
        (
            "copydan-regioner-illustrativ",
            "084-region-hovedstaden",
            ["betales af regionerne", "for hver af de 5 regioner", "summeret pr. region"],
        ),
        (
            "movia-linje-illustrativ",
            "259-koege",
            [
                "fordeles i 2 dele",
                "Køreplantimer på linjen: 4.380 af 8.760 køreplantimer (50,000 %), dvs. 480.000 kr.",
                "Delene er lagt sammen for hver kommune og derefter afrundet én gang",
            ],
        ),
        (
            "os2-kontingent-illustrativ",
            "157-gentofte",
            ["så kommunen er i klassen 60.000 til under 120.000 indbyggere og betaler 45.000 kr."],
        ),
    ],
)
def test_each_form_says_what_it_did(
    example: str, letter: str, phrases: list[str], packages: dict[str, Path]
) -> None:
    text = flat(pdf_text(packages[example] / f"{letter}.pdf"))
    for phrase in phrases:
        assert phrase in text


@pytest.mark.parametrize("example", [*GOLDEN_LETTERS, "kfplc-kontingent-illustrativ"])
def test_verify_accepts_the_packages_own_overview(example: str, packages: dict[str, Path]) -> None:
    result = run_cli(
        "verify", str(EXAMPLES / f"{example}.toml"), str(packages[example] / OVERVIEW_FILE)
    )
    assert result.exit_code == 0, result.output


def test_the_overview_has_a_column_per_part(packages: dict[str, Path]) -> None:
    sheet = load_workbook(packages["movia-linje-illustrativ"] / OVERVIEW_FILE).worksheets[0]
    header = [cell.value for cell in sheet[5]]
    assert header[-2:] == [
        "Del 1: Køreplantimer på linjen (kr.)",
        "Del 2: Indbyggertal i regionen (kr.)",
    ]


def test_explain_shows_the_rate_and_the_parts() -> None:
    rate = run_cli(
        "--lang", "da", "explain", str(EXAMPLES / "kombit-infrastruktur-illustrativ.toml"), "Aarhus"
    )
    assert (
        "Beløb før afrunding: 25 kr. pr. borger × 258.547,5 borgere = 6.463.687,50 kr."
        in rate.output
    )
    parts = run_cli(
        "--lang", "da", "explain", str(EXAMPLES / "movia-linje-illustrativ.toml"), "Greve"
    )
    assert (
        "Del 1: Køreplantimer på linjen (80 %): 960.000 kr.; Greve er ikke med i denne del: 0 kr."
        in parts.output
    )
    classes = run_cli(
        "--lang", "da", "explain", str(EXAMPLES / "os2-kontingent-illustrativ.toml"), "Gentofte"
    )
    assert "Størrelsesklasse: 60.000 til under 120.000 indbyggere: 45.000 kr." in classes.output


def test_a_package_carries_the_files_of_its_parts_and_settles_from_them(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    """The hours file of a part travels in programfil/ with the programme, so the charge
    can be re-derived from the package alone (a settlement against it)."""
    charged = packages["movia-linje-illustrativ"]
    assert sorted(p.name for p in (charged / "programfil").iterdir()) == [
        "movia-linje-illustrativ-timer.csv",
        "movia-linje-illustrativ.toml",
    ]
    final = EXAMPLES / "movia-linje-illustrativ.toml"
    result = run_cli(
        "--lang",
        "en",
        "settle",
        str(final),
        "--charged",
        str(charged),
        "--out",
        str(tmp_path / "s"),
    )
    assert result.exit_code == 0, result.output
    assert "17 unchanged" in result.output or "17 uændrede" in result.output
