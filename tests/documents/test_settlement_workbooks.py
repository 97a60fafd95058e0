"""The settlement package's workbook per payer and its per-payer settlement references (#14)."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from annex_helpers import EXAMPLES, build_package, pdf_text, run_cli
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from costshare.base.money import parse_amount
from costshare.documents.xlsx.settlement_workbook import (
    DIFFERENCE_LABEL,
    SHEET,
    build_settlement_workbook,
    settlement_reference,
)
from costshare.documents.xlsx.workbooks import workbook_bytes
from costshare.programme.model import compute, load_programme
from costshare.programme.payers import payers
from costshare.programme.provenance import Provenance
from costshare.programme.settlement import settle

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

FINAL = EXAMPLES / "telehjerte-2025-endelig.toml"
STAMP = datetime(2025, 2, 17)


@pytest.fixture(scope="module")
def settled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The TeleHjerte settlement written twice from the same charged package."""
    folder = tmp_path_factory.mktemp("settle-books")
    charged = build_package("telehjerte-2025-foreloebig", folder / "opkraevet")
    outs = []
    for name in ("a", "b"):
        out = folder / name
        result = run_cli("settle", str(FINAL), "--charged", str(charged), "--out", str(out))
        assert result.exit_code == 0, result.output
        outs.append(out)
    return outs[0], outs[1]


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _row_of(sheet: Worksheet, label: str) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return int(row[0].row)
    raise AssertionError(f"no row {label!r}")


def _ore(value: Any) -> int:
    """A cell's amount in kroner (a number, as saved) as exact øre."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    amount = Fraction(Decimal(str(value))) * 100
    assert amount.denominator == 1
    return int(amount)


def test_a_workbook_per_payer_whose_difference_is_the_manifest_amount(
    settled: tuple[Path, Path],
) -> None:
    out = settled[0]
    manifest = _manifest(out)
    books = {entry["code"]: entry for entry in manifest["files"] if entry["kind"] == "workbook"}
    letters = {e["code"]: e for e in manifest["files"] if e["kind"] == "settlement-letter"}
    assert set(books) == set(letters) and len(books) == 30
    for code, entry in books.items():
        assert entry["path"] == letters[code]["path"].replace(".pdf", ".xlsx")
        path = out / entry["path"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        values = load_workbook(path, data_only=True)[SHEET]
        formulas = load_workbook(path)[SHEET]
        row = _row_of(values, DIFFERENCE_LABEL)
        charged, final = row - 2, row - 1
        assert formulas.cell(row, 2).value == f"=B{final}-B{charged}"
        assert _ore(values.cell(row, 2).value) == parse_amount(entry["amount"])
        assert _ore(values.cell(charged, 2).value) == parse_amount(entry["charged"])
        assert _ore(values.cell(final, 2).value) == parse_amount(entry["final"])
        assert values.cell(row, 3).value == "Efteropkrævning"
        texts = [cell.value for line in values.iter_rows() for cell in line if cell.value]
        assert entry["reference"] in texts
        assert "Beregning af det endelige beløb" in texts


def test_settlement_package_is_reproducible(settled: tuple[Path, Path]) -> None:
    first, second = settled
    names = sorted(p.name for p in first.iterdir() if p.suffix == ".xlsx")
    assert len(names) == 31  # 30 payers and the overview
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "manifest.json").read_bytes() == (second / "manifest.json").read_bytes()


def test_each_payer_has_its_own_settlement_reference(settled: tuple[Path, Path]) -> None:
    out = settled[0]
    manifest = _manifest(out)
    references = [entry["reference"] for entry in manifest["payers"]]
    assert len(set(references)) == len(references) == 30
    assert all(reference.endswith("-EFT") for reference in references)
    gentofte = next(entry for entry in manifest["payers"] if entry["code"] == "157")
    assert gentofte["reference"] == "SAG-2024-05018-157-EFT"
    letter = " ".join(pdf_text(out / "157-gentofte.pdf").split())
    assert "»SAG-2024-05018-157-EFT«" in letter
    assert "157-gentofte.xlsx" in letter and "Bilag" in letter


def test_former_payer_gets_a_workbook_and_a_unique_reference() -> None:
    """A payer charged but not in the final split: a credit of everything, its own reference."""
    final = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    charged = {p.code: (p.name, p.amount_ore) for p in payers(final)}
    charged["253"] = ("Greve", 1000_00)
    settlement = settle(final, charged)
    references = [settlement_reference(row) for row in settlement.rows]
    assert len(set(references)) == len(references)
    greve = next(row for row in settlement.rows if row.payer.code == "253")
    assert settlement_reference(greve) == "SAG-2024-05018-253-EFT"
    provenance = Provenance("0", "p.toml", "2025K1", "", None, (), ())
    book = build_settlement_workbook(settlement, greve, "2024K1", "2025-02-17", provenance)
    sheet = load_workbook(io.BytesIO(workbook_bytes(book, STAMP)), data_only=True)[SHEET]
    row = _row_of(sheet, DIFFERENCE_LABEL)
    assert _ore(sheet.cell(row, 2).value) == -1000_00
    assert str(sheet.cell(row, 3).value).startswith("Tilgodehavende (ikke i den endelige")
