"""``costshare run``: the annex package end to end (issue #3).

The "done when" of the issue, one test each: 30 letters and 31 workbooks; every letter
states the split's amount; the region's letter states 525.000 kr.; a second run is
byte-identical; the manifest's hashes match; a rerun without --force changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
from pathlib import Path

import pytest
from annex_helpers import EXAMPLES, build_package, pdf_text, run_cli, tree_digest
from openpyxl import load_workbook

from costshare.base.money import parse_amount
from costshare.documents.xlsx.workbooks import HEADER_ROW, HEADERS, OVERVIEW_SHEET, TOTAL_LABEL
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import (
    ANNEX_FILE,
    MANIFEST_FILE,
    OVERVIEW_FILE,
    PROGRAMME_FOLDER,
    REVIEW_FILE,
    official_name,
)

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

TELEHJERTE = EXAMPLES / "telehjerte-2025.toml"
# The seed case's 2025K1 figures came out after the meeting of 3 February 2025 (issue #10).
DECISION_WARNING = (
    "Warning: population 2025K1 was published by Statistics Denmark around mid-February 2025 "
    "(its release rule), after the decision date 2025-02-03; the meeting could not have seen "
    "these figures (informational)\n"
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The TeleHjerte package, built once for this module."""
    return build_package("telehjerte-2025", tmp_path_factory.mktemp("run") / "out")


def letter_amount(text: str) -> tuple[str, int]:
    """The payer and the amount in a letter's highlighted line ``X's andel 20.415 kr.``."""
    matches = re.findall(r"^(.+) andel ([\d.]+(?:,\d\d)?) kr\.$", text, flags=re.MULTILINE)
    assert len(matches) == 1, f"expected one amount line, found {matches}"
    who, amount = matches[0]
    return who, parse_amount(amount.replace(".", "").replace(",", "."))  # Danish: 1.234,50


def test_package_has_30_letters_and_31_workbooks(package: Path) -> None:
    letters = [p for p in package.glob("*.pdf") if p.name not in (ANNEX_FILE, REVIEW_FILE)]
    assert len(letters) == 30
    assert (package / ANNEX_FILE).is_file()
    assert (package / REVIEW_FILE).is_file()
    assert len(list(package.glob("*.xlsx"))) == 31
    assert (package / OVERVIEW_FILE).is_file()
    assert (package / "157-gentofte.pdf").is_file()
    assert (package / "084-region-hovedstaden.xlsx").is_file()
    assert sorted(p.name for p in package.iterdir() if p.suffix not in (".pdf", ".xlsx")) == [
        "einvoices",
        MANIFEST_FILE,
        PROGRAMME_FOLDER,
    ]
    # The example ships with [invoicing]: OIOUBL and Peppol for each of the 30 payers (#22).
    assert len(list((package / "einvoices").glob("*.xml"))) == 60
    # The package carries its programme and the payer register it names (issue #20).
    copies = sorted(p.name for p in (package / PROGRAMME_FOLDER).iterdir())
    assert copies == ["telehjerte-2025-modtagere.csv", "telehjerte-2025.toml"]
    assert (package / PROGRAMME_FOLDER / "telehjerte-2025.toml").read_bytes() == (
        TELEHJERTE.read_bytes()
    )


def test_every_letter_states_the_split_amount(package: Path) -> None:
    result = compute(load_programme(TELEHJERTE))
    split = result.municipal
    for code, name in zip(split.population.codes, split.population.names, strict=True):
        pdf = next(package.glob(f"{code}-*.pdf"))
        who, amount_ore = letter_amount(pdf_text(pdf))
        assert who == official_name(code, name) + "s"
        assert amount_ore == split.share_ore(code), pdf.name
    assert letter_amount(pdf_text(package / "157-gentofte.pdf")) == ("Gentofte Kommunes", 2041500)


def test_region_letter_states_525000_and_the_cofinancing(package: Path) -> None:
    text = pdf_text(package / "084-region-hovedstaden.pdf")
    assert letter_amount(text) == ("Region Hovedstadens", 52500000)
    assert "Region Hovedstaden 50 % 525.000 kr." in text
    assert "Kommunerne i KKR Hovedstaden 50 % 525.000 kr." in text
    assert "I alt 1.050.000 kr." in text


def test_manifest_hashes_match_the_files(package: Path) -> None:
    manifest = json.loads((package / MANIFEST_FILE).read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    on_disk -= {MANIFEST_FILE}
    assert set(listed) == on_disk
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256((package / name).read_bytes()).hexdigest(), name
    assert manifest["totals"] == {
        "total": "1050000",
        "parties": {"084": "525000", "kommuner": "525000"},
        "municipalities": "525000",
        "payers": 30,
    }
    assert listed["157-gentofte.pdf"]["amount"] == "20415"
    assert manifest["what_if"] == []


def test_second_run_is_byte_identical(package: Path, tmp_path: Path) -> None:
    # Zip entry times have a two-second resolution, so wait longer than that: any
    # wall-clock time leaking into a file would show.
    time.sleep(2.1)
    again = build_package("telehjerte-2025", tmp_path / "again")
    assert tree_digest(again) == tree_digest(package)


def test_rerun_into_the_same_folder_without_force_changes_nothing(package: Path) -> None:
    before = tree_digest(package)
    result = run_cli("run", str(TELEHJERTE), "--out", str(package))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {package}: the folder is not empty; add --force to replace it, "
        "or choose another --out\n"
    )
    assert tree_digest(package) == before
    assert [p.name for p in package.parent.iterdir()] == [package.name]  # no staging left


def test_force_replaces_an_earlier_package(tmp_path: Path) -> None:
    out = build_package("telehjerte-2025", tmp_path / "out")
    build_package("syddanmark-mixed-2025", out, "--force")
    assert (out / "083-region-syddanmark.pdf").is_file()
    assert not (out / "157-gentofte.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_force_refuses_a_folder_that_is_not_a_package(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "budget.xlsx").write_bytes(b"precious")
    result = run_cli("run", str(TELEHJERTE), "--out", str(out), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: has no manifest.json, so it is not an earlier package and --force will "
        "not replace it; empty it yourself or choose another --out\n"
    )
    assert (out / "budget.xlsx").read_bytes() == b"precious"


def test_empty_folder_is_filled(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    build_package("telehjerte-2025", out)
    assert (out / MANIFEST_FILE).is_file()


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "file.txt"
    out.write_text("x")
    result = run_cli("run", str(TELEHJERTE), "--out", str(out))
    assert result.exit_code != 0
    assert out.read_text() == "x"


def test_a_failing_letter_leaves_out_untouched(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "letter.typ.j2").write_text("#let x = (\n{{ amount }}\n", encoding="utf-8")
    out = build_package("telehjerte-2025", tmp_path / "out")
    before = tree_digest(out)
    result = run_cli(
        "run", str(TELEHJERTE), "--out", str(out), "--force", "--templates", str(templates)
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: letter.typ.j2: typst could not typeset the letter for 101 København: "
    )
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "templates"]


def test_source_date_epoch_sets_the_file_dates(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01 00:00 UTC
    first = tree_digest(build_package_env(tmp_path / "a", env))
    second = tree_digest(build_package_env(tmp_path / "b", env))
    plain = tree_digest(build_package("telehjerte-2025", tmp_path / "c"))
    assert first == second
    assert first["157-gentofte.pdf"] != plain["157-gentofte.pdf"]
    workbook = load_workbook(tmp_path / "a" / "157-gentofte.xlsx")
    assert workbook.properties.created.isoformat() == "2026-01-01T00:00:00"
    default = load_workbook(tmp_path / "c" / "157-gentofte.xlsx")
    assert default.properties.modified.isoformat() == "2025-02-17T00:00:00"  # letter_date


def build_package_env(out: Path, env: dict[str, str]) -> Path:
    result = run_cli("run", str(TELEHJERTE), "--out", str(out), env=env)
    assert result.exit_code == 0, result.stderr
    return out


def test_bad_source_date_epoch(tmp_path: Path) -> None:
    result = run_cli(
        "run", str(TELEHJERTE), "--out", str(tmp_path / "o"), env={"SOURCE_DATE_EPOCH": "soon"}
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: SOURCE_DATE_EPOCH 'soon' is not a whole number of seconds; unset it or fix it\n"
    )
    assert not (tmp_path / "o").exists()


def test_what_if_amount_and_population(tmp_path: Path) -> None:
    out = build_package(
        "telehjerte-2025", tmp_path / "o", "--amount", "1.100.000", "--population", "2024K1"
    )
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["totals"]["total"] == "1100000"
    assert manifest["totals"]["municipalities"] == "550000"
    assert manifest["population"]["basis"] == "2024K1"
    assert manifest["what_if"] == [
        "samlet udgift 1.100.000 kr. (--amount)",
        "befolkning 2024K1 (--population)",
    ]
    text = pdf_text(out / "157-gentofte.pdf")
    flat = " ".join(text.split())
    assert "UDKAST – ikke en opkrævning" in flat
    assert "Udkast: TeleHjerte, forlængelse 2025" in flat
    assert "Opkrævning" not in flat
    assert "samlet udgift 1.100.000 kr. i stedet for de besluttede 1.050.000 kr." in flat
    assert "befolkningstal fra Danmarks Statistik, FOLK1A, 1. januar 2024 (2024K1)" in flat
    assert "Udkastet skal ikke betales" in flat
    result = compute(
        load_programme(TELEHJERTE), population_override="2024K1", amount_override_ore=110000000
    )
    assert letter_amount(text)[1] == result.municipal.share_ore("157")


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    result = run_cli("run", str(TELEHJERTE), "--out", str(tmp_path / "o"))
    assert result.stderr == DECISION_WARNING
    assert result.stdout == (
        f"Wrote {tmp_path / 'o'}: 31 workbooks (1 overview), 30 letters, 60 e-invoices, the "
        "annex and review PDFs and manifest.json; total 1.050.000 kr., letters dated 17. februar 2025\n"
    )


def test_same_amount_in_split_overview_workbook_and_letter(package: Path) -> None:
    """For every payer: `costshare split` CSV = overview row = own workbook = letter."""
    split = run_cli(
        "split",
        "--amount",
        "525000",
        "--region",
        "Hovedstaden",
        "--population",
        "2025K1",
        "--format",
        "csv",
    )
    assert split.exit_code == 0
    from_split = {
        row["code"]: parse_amount(row["share"]) for row in csv.DictReader(io.StringIO(split.stdout))
    }
    assert len(from_split) == 29

    sheet = load_workbook(package / OVERVIEW_FILE)[OVERVIEW_SHEET]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[: len(HEADERS)] == list(HEADERS)  # Reference, CVR, EAN may follow
    code_column, amount_column = header.index("Kode"), header.index("Beløb (kr.)")
    from_overview = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        if row[1] == TOTAL_LABEL:
            break
        from_overview[row[code_column]] = int(row[amount_column]) * 100
    assert from_overview == from_split

    for code, amount_ore in from_split.items():
        stem = next(package.glob(f"{code}-*.xlsx")).stem
        workbook = load_workbook(package / f"{stem}.xlsx")["Beløb"]
        labels = {row[0]: row[1] for row in workbook.iter_rows(values_only=True) if row[0]}
        assert int(labels["Beløb (kr.)"]) * 100 == amount_ore, stem
        assert letter_amount(pdf_text(package / f"{stem}.pdf"))[1] == amount_ore, stem

    region = load_workbook(package / "084-region-hovedstaden.xlsx")["Beløb"]
    assert {row[0]: row[1] for row in region.iter_rows(values_only=True) if row[0]}[
        "Beløb (kr.)"
    ] == 525000


def test_verify_accepts_the_overview(package: Path) -> None:
    """`costshare verify` (issue #4) reads the overview and finds every payer's amount."""
    result = run_cli("verify", str(TELEHJERTE), str(package / OVERVIEW_FILE))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith(
        f"OK: {package / OVERVIEW_FILE} matches TeleHjerte, forlængelse 2025: all 29 "
        "municipalities and Region Hovedstaden agree, 1.050.000 kr. in all"
    )


@pytest.mark.parametrize(
    ("party", "file"), [("157", "157-gentofte.xlsx"), ("084", "084-region-hovedstaden.xlsx")]
)
def test_workbook_working_is_what_explain_prints(package: Path, party: str, file: str) -> None:
    """Issue #4: "The same working appears in the party's workbook"."""
    sheet = load_workbook(package / file).worksheets[0]
    cells = [(row[0].value, row[1].value) for row in sheet.iter_rows(max_col=2)]
    working = cells[[label for label, _ in cells].index("Beregning") + 1 :]
    explained = run_cli("explain", str(TELEHJERTE), party).stdout
    steps = [f"{label}: {value}" for label, value in working if label]
    assert steps
    assert all(line in explained.splitlines() for line in steps)
    own_amount = "Beløb: 20.415 kr." if party == "157" else "Region Hovedstaden (50 %): 525.000 kr."
    assert own_amount in steps


@pytest.mark.parametrize("example", ["national-2026", "syddanmark-mixed-2025"])
def test_other_examples_render(example: str, tmp_path: Path) -> None:
    out = build_package(example, tmp_path / "o")
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    letters = [entry for entry in manifest["files"] if entry["kind"] == "letter"]
    assert len(letters) == manifest["totals"]["payers"]
    total_ore = sum(parse_amount(entry["amount"]) for entry in letters)
    assert total_ore == parse_amount(manifest["totals"]["total"])


def test_a_relative_out_in_two_working_folders_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """typst's child outlives a run and is kept for the next: the folders it is given (the
    staged package the review reads its letters from) are absolute, so a second run with
    ``--out out`` from another folder reads its own letters."""
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        build_package("telehjerte-2025", Path("out"))
        assert (tmp_path / name / "out" / REVIEW_FILE).is_file()
