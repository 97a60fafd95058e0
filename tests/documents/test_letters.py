"""The letters: golden texts, escaping of user text, user templates and their errors."""

from __future__ import annotations

import io
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest
from annex_helpers import EXAMPLES, assert_golden, build_package, pdf_text, run_cli

from costshare.base.errors import TemplateError
from costshare.documents.pdf.letters import (
    escape_markup,
    letter_context,
    make_environment,
    render_letter,
    template_root,
)
from costshare.documents.pdf.typesetter import Typesetter
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import ANNEX_FILE, REVIEW_FILE
from costshare.programme.payers import payers

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

# Which letters have golden texts: every TeleHjerte letter; for the illustrative examples
# the first two municipalities and the last payer (the region, where there is one).
GOLDEN_CASES = {"telehjerte-2025": None, "national-2026": 3, "syddanmark-mixed-2025": 3}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("letters")
    return {name: build_package(name, base / name) for name in GOLDEN_CASES}


def golden_letters(example: str, package: Path) -> list[Path]:
    letters = sorted(
        (p for p in package.glob("*.pdf") if p.name not in (ANNEX_FILE, REVIEW_FILE)),
        key=lambda p: p.name,
    )
    if GOLDEN_CASES[example] is None:
        return letters
    result = compute(load_programme(EXAMPLES / f"{example}.toml"))
    everyone = payers(result)
    chosen = [everyone[0], everyone[1], everyone[-1]]
    return [package / f"{payer.stem}.pdf" for payer in chosen]


@pytest.mark.parametrize("example", list(GOLDEN_CASES))
def test_letters_golden(example: str, packages: dict[str, Path], update_golden: bool) -> None:
    for letter in golden_letters(example, packages[example]):
        assert_golden(f"letters/{example}/{letter.stem}.txt", pdf_text(letter), update_golden)


def test_letter_is_danish_and_complete(packages: dict[str, Path]) -> None:
    text = pdf_text(packages["telehjerte-2025"] / "157-gentofte.pdf")
    for expected in [
        "Gentofte Kommune",  # recipient
        "KKR Hovedstaden",  # sender
        "17. februar 2025",  # date
        "Opkrævning: TeleHjerte, forlængelse 2025",  # subject
        "den 3. februar 2025 (punkt 3.8)",  # the decision and its date
        "SAG-2024-05018",
        "1.050.000 kr.",
        "Region Hovedstaden 50 % 525.000 kr.",
        "75.076",
        "3,889 %",
        "20.415 kr.",
        "e-faktura nr. SAG-2024-05018-157",  # the example ships with [invoicing]
        "senest 1. april 2025",
        "Reg.nr. 0000",
        "»SAG-2024-05018-157«",  # the payer's own reference
        "kkr-hovedstaden@kl.dk",
        "Danmarks Statistik, FOLK1A, 1. januar 2025",
        "æ",
        "ø",
    ]:
        assert expected in " ".join(text.split()), expected


def test_pdf_has_no_clock_time(packages: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(packages["telehjerte-2025"] / "157-gentofte.pdf")
    assert reader.metadata is not None
    assert reader.metadata.get("/CreationDate", "").startswith("D:20250217")
    assert reader.metadata.get("/Title") == "Opkrævning: TeleHjerte, forlængelse 2025"


NASTY = (
    "= *Fed* _kursiv_ #set page(width: 1cm) <x> @y $z$ // 1. a\\b `raw` ~ -- ... [k] {c} \"q\" 'a'"
)


def test_user_text_reaches_the_pdf_literally(tmp_path: Path) -> None:
    # The example names its payer register beside it.
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", tmp_path)
    text = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
    text = text.replace(
        'short_title = "TeleHjerte, forlængelse 2025"', f"short_title = {json.dumps(NASTY)}"
    )
    text = text.replace('name = "KKR Hovedstaden"', 'name = "KKR\\n= Hovedstaden #1"')
    programme = tmp_path / "nasty.toml"
    programme.write_text(text, encoding="utf-8")
    result = compute(load_programme(programme))
    payer = payers(result)[0]
    source = render_letter(make_environment(), letter_context(result, payer, None))
    (tmp_path / "no-fonts").mkdir()
    with (
        template_root(None) as root,
        Typesetter(root, datetime(2025, 2, 17), font_folder=tmp_path / "no-fonts") as typesetter,
    ):
        pdf = typesetter.pdf(source, "")
    extracted = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(extracted.split())
    assert f"Opkrævning: {NASTY}" in flat
    assert "KKR = Hovedstaden #1" in flat


def test_escape_markup_escapes_every_markup_character() -> None:
    assert escape_markup("a#b") == "a\\#b"
    assert escape_markup("line\n= heading") == "line \\= heading"
    assert escape_markup("Ærø 1.050.000 kr.") == "Ærø 1\\.050\\.000\xa0kr\\."  # no break before kr.


def run_with_templates(templates: Path, out: Path) -> Any:
    """``costshare run`` of the TeleHjerte example with a user's template folder."""
    return run_cli(
        "run",
        str(EXAMPLES / "telehjerte-2025.toml"),
        "--out",
        str(out),
        "--templates",
        str(templates),
    )


def write_template(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "letter.typ.j2").write_text(text, encoding="utf-8")
    return folder


def test_user_template_is_used(tmp_path: Path) -> None:
    templates = write_template(
        tmp_path / "t", '#set text(lang: "da")\nTil {{ recipient.name }}: {{ amount }}\n'
    )
    out = build_package("telehjerte-2025", tmp_path / "o", "--templates", str(templates))
    assert (
        " ".join(pdf_text(out / "157-gentofte.pdf").split()) == "Til Gentofte Kommune: 20.415 kr."
    )


def test_user_template_with_unknown_variable(tmp_path: Path) -> None:
    templates = write_template(tmp_path / "t", "Hej {{ recipient.nmae }}\n")
    result = run_with_templates(templates, tmp_path / "o")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: letter.typ.j2: 'dict object' has no attribute 'nmae' for 101 København; "
        "use only the variables that costshare guide breve lists\n"
    )
    assert not (tmp_path / "o").exists()


def test_user_template_cannot_escape_the_sandbox(tmp_path: Path) -> None:
    templates = write_template(
        tmp_path / "t", "{{ amount.__class__.__mro__[1].__subclasses__() }}\n"
    )
    environment = make_environment(templates)
    result = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    with pytest.raises(TemplateError, match="not allowed in a template"):
        render_letter(environment, letter_context(result, payers(result)[0], None))


def test_user_template_syntax_error(tmp_path: Path) -> None:
    templates = write_template(tmp_path / "t", "line one\n{% if %}\n")
    result = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    with pytest.raises(TemplateError, match=r"letter\.typ\.j2:2: .*; fix the template syntax"):
        render_letter(make_environment(templates), letter_context(result, payers(result)[0], None))


def test_user_template_cannot_include_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.j2").write_text("hemmelig")
    templates = write_template(tmp_path / "t", '{% include "../secret.j2" %}\n')
    result = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    with pytest.raises(TemplateError) as raised:
        render_letter(make_environment(templates), letter_context(result, payers(result)[0], None))
    assert str(raised.value) == (
        "letter.typ.j2: uses the template '../secret.j2', which is not in the template folder; "
        "put it beside letter.typ.j2"
    )


def test_templates_folder_without_letter(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    with pytest.raises(TemplateError) as raised:
        make_environment(tmp_path / "t")
    assert str(raised.value) == (
        f"{tmp_path / 't'}: no letter.typ.j2 in this folder; copy the shipped one "
        "there (costshare examples DIR writes it to DIR/skabelon) and edit it"
    )


def test_typst_cannot_read_outside_the_template_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("hemmelig")
    templates = write_template(tmp_path / "t", '#read("../secret.txt")\n')
    result = run_with_templates(templates, tmp_path / "o")
    assert result.exit_code == 1
    assert "typst could not typeset the letter" in result.stderr
