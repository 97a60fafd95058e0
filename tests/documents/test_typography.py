"""No amount breaks across lines, and every PDF is sound (issue #22, item 6).

"endeligt opgjort til 1.012.345" at the end of one line and "kr." at the start of the next
reads badly and invites a misreading. Every value a letter or the annex shows passes one
gate into typst (``escape_markup``), which puts a no-break space between a number and its
unit (``unbreakable_amounts``, beside ``format_kr``). Checked three ways: the typst source
of every example's letters has no breakable space before a unit; the text layer of the
packages' PDFs has no line that starts with a unit after a number; and every PDF passes
``qpdf --check`` and the letters and the annex are tagged.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from annex_helpers import EXAMPLES, build_package, run_cli

from costshare.documents.pdf.letters import escape_markup, letter_context, make_environment
from costshare.documents.pdf.letters import render_letter as render
from costshare.programme.model import compute, load_programme
from costshare.programme.naming import REVIEW_FILE
from costshare.programme.payers import payers

# A number, a breakable space, a unit: in typst markup the unit's "." and "%" are escaped.
BREAKABLE = re.compile(r"[0-9] \\?(?:kr\\?\.|%|pct\\?\.|øre)")
# In a PDF's text layer: a line ending in a number, the next line starting with its unit.
BROKEN = re.compile(r"[0-9]\s*\n\s*(?:kr\.|%|pct\.|øre)")
ONE_YEAR = [
    path
    for path in sorted(EXAMPLES.glob("*.toml"))
    if "[[years]]" not in path.read_text(encoding="utf-8")
]


def test_the_gate_into_typst_keeps_amounts_whole() -> None:
    markup = escape_markup("til 1.012.345 kr. og 3,889 %")
    assert "345\xa0kr" in markup and "889\xa0\\%" in markup
    assert not BREAKABLE.search(escape_markup("25 kr. pr. indbygger, 80,80 øre, 10 pct."))


@pytest.mark.parametrize("example", ONE_YEAR, ids=lambda path: path.stem)
def test_no_letter_source_has_a_breakable_amount(example: Path) -> None:
    result = compute(load_programme(example))
    environment = make_environment(None)
    for payer in payers(result):
        source = render(environment, letter_context(result, payer, None), "")
        found = BREAKABLE.findall(source)
        assert not found, (payer.code, found)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The charge package of the seed case, and the settlement example's package."""
    folder = tmp_path_factory.mktemp("typography")
    charge = build_package("telehjerte-2025", folder / "pakke")
    charged = build_package("telehjerte-2025-foreloebig", folder / "opkraevet")
    settled = folder / "efterregulering"
    final = EXAMPLES / "telehjerte-2025-endelig.toml"
    result = run_cli("settle", str(final), "--charged", str(charged), "--out", str(settled))
    assert result.exit_code == 0, result.output
    return sorted([*charge.glob("*.pdf"), *settled.glob("*.pdf")])


@pytest.mark.slow
def test_no_amount_in_any_pdf_is_broken_across_lines(pdfs: list[Path]) -> None:
    assert len(pdfs) == 32 + 31  # letters, annex, review; settlement letters, review
    for path in pdfs:
        for number, page in enumerate(pypdf.PdfReader(path).pages, 1):
            found = BROKEN.findall(page.extract_text())
            assert not found, (path.parent.name, path.name, number, found)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf (apt-get install qpdf)")
def test_every_pdf_passes_qpdf_check(pdfs: list[Path]) -> None:
    for path in pdfs:
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, (path.name, check.stdout, check.stderr)


@pytest.mark.slow
def test_letters_and_annex_are_tagged(pdfs: list[Path]) -> None:
    """Tagged for screen readers: a structure tree, marked content and a language. The
    review is pypdf's merge of tagged letters and is not (yet) tagged itself."""
    for path in pdfs:
        if path.name == REVIEW_FILE:
            continue
        root = pypdf.PdfReader(path).trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], path.name
        assert str(root["/Lang"]).startswith("da"), path.name
