"""A what-if run is a draft, and every document says so (issue #22, item 5).

Drafts are made to be looked at before a meeting; each of their documents may travel
alone (a workbook mailed on, a page printed), so each carries the mark: the overview and
every payer workbook (title and page header of every sheet), the annex and review PDFs
(every page), every letter (every page) and the manifest. A draft is not a claim: it
writes no e-invoice, though the example has ``[invoicing]``, and the run says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from annex_helpers import EXAMPLES, build_package, run_cli
from openpyxl import load_workbook

from costshare.package.manifest_schema import problem
from costshare.programme.naming import ANNEX_FILE, MANIFEST_FILE, OVERVIEW_FILE, REVIEW_FILE

pytestmark = pytest.mark.slow

WHAT_IF = ("--amount", "1.100.000")


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package("telehjerte-2025", tmp_path_factory.mktemp("draft") / "udkast", *WHAT_IF)


def pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def title(path: Path) -> str:
    metadata = pypdf.PdfReader(path).metadata
    assert metadata is not None
    return str(metadata.get("/Title", ""))


def workbooks(package: Path) -> list[Path]:
    return sorted(package.glob("*.xlsx"))


def test_every_workbook_has_a_draft_title_and_a_draft_header_on_every_sheet(
    draft: Path,
) -> None:
    assert len(workbooks(draft)) == 31  # the overview and a workbook per payer
    for path in workbooks(draft):
        book = load_workbook(path)
        first = book.worksheets[0]
        assert str(first["A1"].value).startswith("Udkast: "), path.name
        for sheet in book.worksheets:
            assert "UDKAST" in str(sheet.oddHeader.right.text), (path.name, sheet.title)


def test_the_overview_title_names_the_annex(draft: Path) -> None:
    sheet = load_workbook(draft / OVERVIEW_FILE).worksheets[0]
    assert sheet["A1"].value == "Udkast: Finansiering pr. kommune"


def test_every_page_of_every_pdf_is_marked(draft: Path) -> None:
    letters = [p for p in draft.glob("*.pdf") if p.name not in (ANNEX_FILE, REVIEW_FILE)]
    assert len(letters) == 30
    for path in letters:
        assert title(path).startswith("Udkast: "), path.name
        assert all("UDKAST – ikke en opkrævning" in page for page in pages(path)), path.name
    assert title(draft / ANNEX_FILE).startswith("Udkast: ")
    assert all("UDKAST – ikke besluttet" in page for page in pages(draft / ANNEX_FILE))
    assert title(draft / REVIEW_FILE).startswith("Udkast: ")
    assert all("UDKAST" in page for page in pages(draft / REVIEW_FILE))


def test_the_manifest_says_draft(draft: Path) -> None:
    manifest = json.loads((draft / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["draft"] is True
    assert problem(manifest) is None


def test_a_draft_writes_no_einvoice_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "udkast"
    result = run_cli("run", str(EXAMPLES / "telehjerte-2025.toml"), "--out", str(out), *WHAT_IF)
    assert result.exit_code == 0, result.output
    assert not (out / "einvoices").exists()
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert not [entry for entry in manifest["files"] if entry["kind"] == "einvoice"]
    assert "e-faktura" not in pages(out / "157-gentofte.pdf")[0]
    assert result.stdout.splitlines()[-1] == (
        "No e-invoices: a draft is not a claim (the run has --amount, --population or --index)."
    )


def test_the_decided_run_carries_no_draft_mark(tmp_path: Path) -> None:
    out = build_package("telehjerte-2025", tmp_path / "pakke")
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert "draft" not in manifest
    assert len(list((out / "einvoices").glob("*.xml"))) == 60
    for path in workbooks(out):
        book = load_workbook(path)
        assert not str(book.worksheets[0]["A1"].value).startswith("Udkast")
        assert all(not sheet.oddHeader.right.text for sheet in book.worksheets)
    assert not any("UDKAST" in page for page in pages(out / REVIEW_FILE))
