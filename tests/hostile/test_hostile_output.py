"""Issue #16: output paths. ``--out`` that is a link, a file or below a file is a one-line
error; ``--force`` replaces only costshare's own unchanged package; SIGTERM (like Ctrl-C)
leaves no staging folder behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from paths import ROOT

from costshare.cli import cli

EXAMPLES = ROOT / "examples"
TELEHJERTE = str(EXAMPLES / "telehjerte-2025.toml")


def run(out: Path, *options: str) -> Result:
    return CliRunner().invoke(cli, ["run", TELEHJERTE, "--out", str(out), *options])


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    return result.output.removeprefix("Error: ").strip()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "out"
    assert run(out).exit_code == 0
    return out


def copy_of(package: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(package, tmp_path / "out"))


def test_out_as_a_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "out"
    link.symlink_to(target)
    message = one_line_error(run(link))
    assert message == f"{link}: is a symbolic link; give the folder itself (or a new name) as --out"
    assert listing(target) == [] and listing(tmp_path) == ["elsewhere", "out"]


def test_out_below_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    out = tmp_path / "file.txt" / "sub" / "out"
    message = one_line_error(run(out))
    assert (
        message
        == f"{out}: is below {str(tmp_path / 'file.txt')!r}, which is a file, not a folder; choose another --out"
    )
    assert listing(tmp_path) == ["file.txt"]


def test_out_as_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    result = run(tmp_path / "file.txt")  # click's own check: a usage error, status 2
    assert result.exit_code == 2 and "is a file" in result.output
    assert (tmp_path / "file.txt").read_text() == "x"


def test_force_keeps_a_package_with_an_added_file(package: Path, tmp_path: Path) -> None:
    out = copy_of(package, tmp_path)
    (out / "noter.txt").write_text("mine")
    message = one_line_error(run(out, "--force"))
    assert message == (
        f"{out}: 'noter.txt' is not in its manifest.json, so --force will not replace the "
        "folder; move the file elsewhere or choose another --out"
    )
    assert (out / "noter.txt").read_text() == "mine"


def test_force_keeps_a_package_with_an_edited_file(package: Path, tmp_path: Path) -> None:
    out = copy_of(package, tmp_path)
    (out / "157-gentofte.pdf").write_bytes(b"edited")
    message = one_line_error(run(out, "--force"))
    assert "'157-gentofte.pdf' differs from its manifest.json (edited since?)" in message
    assert (out / "157-gentofte.pdf").read_bytes() == b"edited"


def test_force_keeps_a_folder_whose_manifest_is_not_costshares(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"generator": "other", "files": []}))
    (out / "data.csv").write_text("precious")
    message = one_line_error(run(out, "--force"))
    assert "manifest.json was not written by costshare" in message
    assert (out / "data.csv").read_text() == "precious"


def test_force_replaces_an_unchanged_package(package: Path, tmp_path: Path) -> None:
    out = copy_of(package, tmp_path)
    result = run(out, "--force", "--amount", "2100000")
    assert result.exit_code == 0, result.output
    assert listing(tmp_path) == ["out"]


def test_sigterm_leaves_no_staging_folder(tmp_path: Path) -> None:
    """A run of 99 letters, stopped by SIGTERM once it has started writing."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "costshare", "run", str(EXAMPLES / "national-2026.toml")]
    process = subprocess.Popen(
        [*command, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.3)  # let it write a few files
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert b"Traceback" not in stderr
    assert listing(tmp_path) == []
