"""One staging protocol for every command that writes a package (issues #19 item 2, #24 item 3).

Single-year ``run``, multi-year ``run`` and ``settle`` go through the same failure cases and
must give the same one-line error and leave nothing behind: an ``--out`` that cannot be
made (below a broken link, a name too long, a folder without permission, a read-only file
system, a full disk), SIGTERM mid-run, two payers whose files would have the same name,
``--no-einvoices`` and ``--max-payers``, a second run to the same ``--out`` while the first
is writing, and a folder created or filled by someone else between start and install.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from einvoice_helpers import INVOICING, programme_file, settlement_programmes, with_bank
from paths import EXAMPLES

from costshare.cli import cli
from costshare.documents.xlsx.cells import Book

pytestmark = pytest.mark.slow

COMMANDS = ("run", "years", "settle")


@dataclass(frozen=True)
class Programmes:
    """The three commands' inputs: each with a payer register and [invoicing]."""

    single: Path
    years: Path
    final: Path
    charged: Path
    national: Path
    national_charged: Path


def _years_programme(folder: Path) -> Path:
    text = (EXAMPLES / "telehjerte-2025-2027.toml").read_text(encoding="utf-8")
    text = text.replace(
        "letter_date =", 'register = "telehjerte-2025-modtagere.csv"\nletter_date =', 1
    )
    text = with_bank(text, 'reg_no = "1234"\naccount_no = "1234567890"')
    path = folder / "telehjerte-2025-2027-einvoice.toml"
    path.write_text(text + INVOICING.format(vat="outside-scope"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def programmes(tmp_path_factory: pytest.TempPathFactory) -> Programmes:
    folder = tmp_path_factory.mktemp("programmes")
    single = programme_file(folder)
    years = _years_programme(folder)
    preliminary, final = settlement_programmes(folder)
    charged = folder / "charged"
    assert invoke("run", str(preliminary), "--out", str(charged)).exit_code == 0
    national_charged = folder / "national-charged"
    national = EXAMPLES / "national-2026.toml"
    assert invoke("run", str(national), "--out", str(national_charged)).exit_code == 0
    return Programmes(single, years, final, charged, national, national_charged)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def command_args(command: str, programmes: Programmes, out: Path, *options: str) -> list[str]:
    if command == "run":
        return ["run", str(programmes.single), "--out", str(out), *options]
    if command == "years":
        return ["run", str(programmes.years), "--out", str(out), *options]
    charged = str(programmes.charged)
    return ["settle", str(programmes.final), "--charged", charged, "--out", str(out), *options]


def run_command(command: str, programmes: Programmes, out: Path, *options: str) -> Result:
    return invoke(*command_args(command, programmes, out, *options))


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert result.stdout == ""
    return result.stderr.removeprefix("Error: ").strip()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def every_file(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# --- an --out that cannot be made or written ---------------------------------------------
def _broken_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    out = link / "sub" / "out"
    return out, f"{out}: is below {str(link)!r}, a symbolic link to nothing; choose another --out"


def _too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    out = tmp_path / ("x" * 300)
    return out, f"{out}: the folder cannot be created (File name too long); choose another --out"


def _failing_mkdir(
    monkeypatch: pytest.MonkeyPatch, fails: Callable[[Path], bool], code: int
) -> None:
    real = os.mkdir

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if fails(Path(os.fsdecode(path))):
            raise OSError(code, os.strerror(code), os.fsdecode(path))
        real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)


def _no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    out = tmp_path / "new" / "out"
    _failing_mkdir(monkeypatch, lambda path: path == tmp_path / "new", errno.EACCES)
    return out, f"{out}: the folder cannot be created (Permission denied); choose another --out"


def _read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    out = tmp_path / "out"
    _failing_mkdir(monkeypatch, lambda path: path.name.startswith(".out.tmp-"), errno.EROFS)
    return out, (
        f"{out}: cannot be written (Read-only file system); check the folder's permissions "
        "and free space, or choose another --out"
    )


def _disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    out = tmp_path / "out"
    real = Path.write_bytes
    written: list[Path] = []

    def write_bytes(self: Path, data: Any) -> int:
        if ".out.tmp-" in str(self):
            written.append(self)
            if len(written) > 3:  # a few files in: the disk fills up
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return out, (
        f"{out}: cannot be written (No space left on device); check the folder's permissions "
        "and free space, or choose another --out"
    )


IMPOSSIBLE_OUT = {
    "below a broken link": _broken_link,
    "name too long": _too_long,
    "no permission": _no_permission,
    "read-only": _read_only,
    "disk full": _disk_full,
}


@pytest.mark.parametrize("case", IMPOSSIBLE_OUT)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_out_that_cannot_be_written_is_one_line_and_leaves_nothing(
    command: str,
    case: str,
    programmes: Programmes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, expected = IMPOSSIBLE_OUT[case](tmp_path, monkeypatch)
    before = every_file(tmp_path)
    assert one_line_error(run_command(command, programmes, out)) == expected
    assert every_file(tmp_path) == before


# --- SIGTERM --------------------------------------------------------------------------------
def _sigterm_args(command: str, programmes: Programmes, out: Path) -> list[str]:
    """Runs long enough to be stopped (90 or 99 letters)."""
    if command == "run":
        return ["run", str(programmes.national), "--out", str(out)]
    if command == "years":
        return ["run", str(programmes.years), "--out", str(out)]
    charged = str(programmes.national_charged)
    return ["settle", str(programmes.national), "--charged", charged, "--out", str(out)]


@pytest.mark.parametrize("command", COMMANDS)
def test_sigterm_mid_run_leaves_nothing(
    command: str, programmes: Programmes, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "costshare", *_sigterm_args(command, programmes, out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)  # let it write a few files
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert b"Traceback" not in stderr
    assert listing(tmp_path) == []


# --- two payers, one file name --------------------------------------------------------------
CLASHING_PARTY = '\n[[parties]]\nname = "Gentofte"\ncode = "157."\nweight = "1 %"\n'


def _with_clash(path: Path, folder: Path) -> Path:
    """The programme with a party whose file name is Gentofte's (code '157.')."""
    text = path.read_text(encoding="utf-8").replace(
        "\n[municipalities]", CLASHING_PARTY + "\n[municipalities]", 1
    )
    clashing = folder / f"clash-{path.name}"
    clashing.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", folder)
    return clashing


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_name_clash_is_refused(command: str, programmes: Programmes, tmp_path: Path) -> None:
    clashing = Programmes(
        _with_clash(programmes.single, tmp_path),
        _with_clash(programmes.years, tmp_path),
        _with_clash(programmes.final, tmp_path),
        programmes.charged,
        programmes.national,
        programmes.national_charged,
    )
    out = tmp_path / "out"
    before = every_file(tmp_path)
    assert one_line_error(run_command(command, clashing, out)) == (
        "'Gentofte' and 'Gentofte' would both be written as 157-gentofte.xlsx; give the "
        "payers codes or names that differ in their letters or digits"
    )
    assert every_file(tmp_path) == before


# --- every option passed through -------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS)
def test_no_einvoices_writes_none(command: str, programmes: Programmes, tmp_path: Path) -> None:
    with_invoices, without = tmp_path / "with", tmp_path / "without"
    assert run_command(command, programmes, with_invoices).exit_code == 0
    assert any(path.suffix == ".xml" for path in with_invoices.rglob("*"))
    result = run_command(command, programmes, without, "--no-einvoices")
    assert result.exit_code == 0, result.output
    assert not [path for path in without.rglob("*") if "einvoices" in path.parts]
    manifests = "".join(p.read_text("utf-8") for p in without.rglob("manifest.json"))
    assert '"kind": "einvoice"' not in manifests


@pytest.mark.parametrize("command", COMMANDS)
def test_max_payers_is_the_same_limit(command: str, programmes: Programmes, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert one_line_error(run_command(command, programmes, out, "--max-payers", "5")) == (
        "the programme has 30 payers, over the limit of 5 per run (a workbook and a letter "
        "each); check the population file, or raise the limit with --max-payers"
    )
    assert listing(tmp_path) == []


# --- the destination is the protocol's until it is done ----------------------------------
@pytest.fixture
def while_writing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[list[Callable[[], None]]]:
    """Actions to take once, while a package is being written: at the first workbook
    made once the staging folder beside ``tmp_path / "out"`` exists."""
    actions: list[Callable[[], None]] = []
    real = Book.to_bytes

    def to_bytes(self: Book, timestamp: Any) -> bytes:
        staging = any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir())
        while actions and staging:
            actions.pop(0)()
        return real(self, timestamp)

    monkeypatch.setattr(Book, "to_bytes", to_bytes)
    yield actions


@pytest.mark.parametrize("command", COMMANDS)
def test_a_second_run_to_the_same_out_waits_its_turn(
    command: str,
    programmes: Programmes,
    tmp_path: Path,
    while_writing: list[Callable[[], None]],
) -> None:
    out = tmp_path / "out"
    second: list[Result] = []
    while_writing.append(lambda: second.append(run_command(command, programmes, out)))
    first = run_command(command, programmes, out)
    assert first.exit_code == 0, first.output
    assert one_line_error(second[0]) == (
        f"{out}: another costshare run is writing to this folder; wait for it to finish, "
        "or choose another --out"
    )
    assert listing(tmp_path) == ["out"]


def _fill(out: Path) -> None:
    out.mkdir(exist_ok=True)
    (out / "notes.txt").write_text("mine", encoding="utf-8")


@pytest.mark.parametrize("empty_at_start", [False, True])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_filled_while_writing_is_left_as_it_is(
    command: str,
    empty_at_start: bool,
    programmes: Programmes,
    tmp_path: Path,
    while_writing: list[Callable[[], None]],
) -> None:
    out = tmp_path / "out"
    if empty_at_start:
        out.mkdir()
    while_writing.append(lambda: _fill(out))
    assert one_line_error(run_command(command, programmes, out)) == (
        f"{out}: was created or changed by another program or person while costshare was "
        "writing; it is left as it is; run again, or choose another --out"
    )
    assert listing(tmp_path) == ["out"] and listing(out) == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("command", COMMANDS)
def test_force_keeps_an_earlier_package_added_to_while_writing(
    command: str,
    programmes: Programmes,
    tmp_path: Path,
    while_writing: list[Callable[[], None]],
) -> None:
    out = tmp_path / "out"
    assert run_command(command, programmes, out).exit_code == 0
    earlier = every_file(out)
    while_writing.append(lambda: _fill(out))
    assert one_line_error(run_command(command, programmes, out, "--force")) == (
        f"{out}: was created or changed by another program or person while costshare was "
        "writing; it is left as it is; run again, or choose another --out"
    )
    assert every_file(out) == sorted([*earlier, "notes.txt"])
    assert listing(tmp_path) == ["out"]


@pytest.mark.parametrize("command", COMMANDS)
def test_force_replaces_an_unchanged_earlier_package(
    command: str, programmes: Programmes, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run_command(command, programmes, out).exit_code == 0
    first = {path: (out / path).read_bytes() for path in every_file(out) if (out / path).is_file()}
    result = run_command(command, programmes, out, "--force")
    assert result.exit_code == 0, result.output
    assert {path: (out / path).read_bytes() for path in first} == first
    assert listing(tmp_path) == ["out"]
