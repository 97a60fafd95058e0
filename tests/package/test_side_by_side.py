"""Work side by side writes the same bytes as one thing at a time (#23, item 4).

A run keeps typst's children busy while the main process renders the next letter and
makes the payer's workbook and e-invoices. The package written with one child and with
two, a charge with e-invoices and its settlement with e-invoices, is the same byte for
byte: no document depends on which child typeset it or on the order work finished in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from annex_helpers import run_cli, tree_digest
from einvoice_helpers import programme_file, settlement_programmes

from costshare.documents.pdf import typesetter

pytestmark = pytest.mark.slow


def written(monkeypatch: pytest.MonkeyPatch, processes: int, *args: str) -> dict[str, bytes]:
    monkeypatch.setattr(typesetter, "PROCESSES", processes)
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    out = Path(args[args.index("--out") + 1])
    return tree_digest(out)


def test_a_charge_with_einvoices_is_the_same_with_one_child_or_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = str(programme_file(tmp_path))
    one = written(monkeypatch, 1, "run", programme, "--out", str(tmp_path / "one"))
    two = written(monkeypatch, 2, "run", programme, "--out", str(tmp_path / "two"))
    assert len([name for name in one if name.startswith("einvoices/")]) == 60
    assert one == two


def test_a_settlement_with_einvoices_is_the_same_with_one_child_or_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    charged, final = settlement_programmes(tmp_path)
    written(monkeypatch, 1, "run", str(charged), "--out", str(tmp_path / "charged"))
    settle = ("settle", str(final), "--charged", str(tmp_path / "charged"))
    one = written(monkeypatch, 1, *settle, "--out", str(tmp_path / "one"))
    two = written(monkeypatch, 2, *settle, "--out", str(tmp_path / "two"))
    assert any(name.startswith("einvoices/") for name in one)
    assert one == two


@pytest.mark.parametrize("overlap", [0, 100])
def test_a_settlement_is_the_same_whichever_payers_wait_for_the_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overlap: int
) -> None:
    """The last payers' workbooks and e-invoices are made while typst composes the
    review (REVIEW_OVERLAP); none, or every payer's, gives the same bytes. And the charge's
    workbook check gives the same package forked or in the main process."""
    from costshare.package import settlement_package, side_process

    charged, final = settlement_programmes(tmp_path)
    written(monkeypatch, 1, "run", str(charged), "--out", str(tmp_path / "charged"))
    settle = ("settle", str(final), "--charged", str(tmp_path / "charged"))
    usual = written(monkeypatch, 1, *settle, "--out", str(tmp_path / "usual"))
    monkeypatch.setattr(settlement_package, "REVIEW_OVERLAP", overlap)
    if overlap:  # in the main process (the other case forks where this process may)
        monkeypatch.setattr(side_process, "forks_here", lambda: False)
    other = written(monkeypatch, 1, *settle, "--out", str(tmp_path / "other"))
    assert any(name.startswith("einvoices/") for name in usual)
    assert other == usual
