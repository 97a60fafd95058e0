"""Issue #24, item 9: a package's bytes do not depend on the machine's time zone.

Every date inside a PDF or a workbook (a zip) comes from the programme's ``letter_date`` or
``SOURCE_DATE_EPOCH``, in UTC. The runs are separate processes, because a process reads its
time zone from ``TZ`` when it starts. The zones are POSIX rules (``XST+05`` is five hours
behind UTC), which need no time-zone database on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from annex_helpers import tree_digest
from einvoice_helpers import programme_file

# Full packages in subprocesses: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

ZONES = ("UTC0", "XST+05", "KST-14")


def run_in_zone(programme: Path, out: Path, zone: str, epoch: str | None = None) -> Path:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["TZ"] = zone
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    command = [sys.executable, "-m", "costshare", "run", str(programme), "--out", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("epoch", [None, "1767225600"])
def test_two_time_zones_give_identical_packages(tmp_path: Path, epoch: str | None) -> None:
    """Letters, annex, review, workbooks, e-invoices and manifest: the same bytes."""
    programme = programme_file(tmp_path)
    first, *others = [
        tree_digest(run_in_zone(programme, tmp_path / f"out-{index}", zone, epoch))
        for index, zone in enumerate(ZONES)
    ]
    assert any(name.endswith(".xml") for name in first)  # the e-invoices are in it
    for other in others:
        assert sorted(other) == sorted(first)
        assert [name for name in first if other[name] != first[name]] == []
