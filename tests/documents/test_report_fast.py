"""The fast paths of issue #6 change nothing a user sees, and load nothing they do not need.

* The vectorised CSV writer writes the same bytes as the row-by-row one.
* ``costshare split`` does not import openpyxl, jinja2 or typst, and on packaged data not
  even polars or numpy (a fresh interpreter, so other tests' imports do not count).

No timings are asserted here; bench/bench.py measures them.
"""

from __future__ import annotations

import io
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from unittest.mock import patch

import pytest

from costshare.base.money import Unit
from costshare.documents.text.split_report import iter_csv, write_csv
from costshare.population.packaged import Population
from costshare.shares.splitting import Key, split

TRICKY_NAMES = ["Plain", "Comma, Inc", 'Quote "Q"', "New\nline", "Carriage\rreturn", "", " spaced "]


def population(size: int) -> Population:
    names = [TRICKY_NAMES[i % len(TRICKY_NAMES)] + str(i) * (i % 2) for i in range(size)]
    names[3] = ""
    codes = [str(5000 - i) if i % 3 else f"x{i}" for i in range(size)]
    counts = [(i * 7919) % 13 for i in range(size)]
    return Population("test", tuple(codes), tuple(names), tuple(counts), "test figures")


@pytest.mark.parametrize(
    ("amount_ore", "unit", "key"),
    [
        (98765432100, Unit(), Key()),
        (-98765432199, Unit(1), Key()),
        (123456789, Unit(1), Key(fixed_ore=1)),
        (1_000_000, Unit(10_000), Key(equal=Fraction(2, 5), population=Fraction(3, 5))),
    ],
)
def test_polars_csv_equals_row_by_row_csv(amount_ore: int, unit: Unit, key: Key) -> None:
    result = split(amount_ore, population(60), unit=unit, key=key)
    with patch("costshare.allocation.vectorised.worth_vectorising", lambda rows: True):
        fast = io.StringIO()
        write_csv(result, fast)
    assert fast.getvalue() == "".join(iter_csv(result))


def test_many_recipients_split_exactly(tmp_path: Path) -> None:
    # Above both thresholds (fast allocation and fast CSV), checked with Fractions.
    from click.testing import CliRunner

    from costshare.cli import cli

    size = 6_000
    counts = [(i * 104_729) % 60_000 + 1 for i in range(size)]
    path = tmp_path / "many.csv"
    lines = [f"{100_000 + i},Modtager {i},{count}" for i, count in enumerate(counts)]
    path.write_text("code,name,population\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["split", "--amount", "987654321,37", "--unit", "0.01", "--population", str(path),
              "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shares = [
        int(line.rsplit(",", 1)[1].replace(".", "")) for line in result.stdout.splitlines()[1:]
    ]
    total, whole = 98765432137, sum(counts)
    assert sum(shares) == total
    exact = [Fraction(total * count, whole) for count in counts]
    assert all(int(q) <= share <= int(q) + 1 for q, share in zip(exact, shares, strict=True))


SPLIT_AND_REPORT = """
import sys
from click.testing import CliRunner
from costshare.cli import cli
for output in ("table", "csv", "json"):
    result = CliRunner().invoke(cli, ["split", "--amount", "525000", "--format", output, *sys.argv[1:]])
    assert result.exit_code == 0, result.output
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def loaded_after_split(*args: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", SPLIT_AND_REPORT, *args], capture_output=True, text=True, check=True
    )
    return set(run.stdout.split())


def test_split_on_packaged_data_loads_no_heavy_module() -> None:
    heavy = {"openpyxl", "jinja2", "typst", "polars", "numpy", "lxml", "saxonche", "facturx"}
    assert not loaded_after_split() & heavy


def test_split_on_a_user_csv_loads_no_document_module(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("kommunekode,indbyggertal\n101,667099\n147,105840\n", encoding="utf-8")
    assert not loaded_after_split("--population", str(path)) & {"openpyxl", "jinja2", "typst"}
