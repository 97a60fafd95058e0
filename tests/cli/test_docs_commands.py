"""Every command in README.md and docs/ runs, and prints what the page shows (issue #11).

The convention, for whoever writes a page:

* a fenced block marked ``sh`` (or ``powershell`` for Windows lines) holds commands, one
  per line; ``#`` starts a comment;
* each ``costshare …`` line is run (click's ``CliRunner``), in the order of the page, in
  a scratch folder that holds a copy of ``examples/``, as a reader following the page
  from the top would; so a page may first run ``costshare examples eksempler`` and then
  use ``eksempler/…``;
* the output is Danish on the pages in :data:`DANISH_PAGES` (the default language),
  English (``--lang en``) on the others;
* a bare fenced block (or one marked ``text``) right after a block of one command is
  what that command prints: each line of it must be printed, ``...`` stands for lines
  left out, and without ``...`` the output must be exactly that;
* the command must succeed, unless an ``<!-- exit: N -->`` comment stands just before
  its block;
* any other line must be one of the forms in :data:`INSTALL_FORMS`, each checked where
  it can be: install lines cannot run here (they install from outside), so
  tests/cli/test_packaging.py builds the wheel they name and installs it in a fresh
  environment, and .ci/run runs the quick start's ``pip`` line and the linters; the
  error catalogue's ``--write`` result is checked by test_error_catalogue.py, and
  ``make-images.sh`` is run below.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.cli import cli

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
WHEEL = "costshare-0.1.0-py3-none-any.whl"
# Pages that show what a Danish user sees (the default language); the others are written
# in English and show the output of ``--lang en``.
DANISH_PAGES = {"docs/brugervejledning.md"}

INSTALL_FORMS = [
    r"pip install \. && costshare .*",
    r"pip install -e '\.\[test\]' && pytest",
    r"pip install -e '\.\[test,bench\]' && python bench/bench\.py --readme",
    r"python3 -m venv \.venv",
    r"\. \.venv/bin/activate",
    r"\.venv\\Scripts\\activate",
    r"py -m venv \.venv",
    r"py -m pip install --user pipx",
    r"python3 -m pip install --user pipx",
    r"sudo apt install pipx",
    r"brew install pipx",
    r"(py -m |python3 -m )?pipx ensurepath",
    rf"(py -m )?pipx install {re.escape(WHEEL)}",
    rf"uv tool install {re.escape(WHEEL)}",
    r"pipx install \.",
    r"uv tool install \.",
    r"winget install --id=astral-sh\.uv -e",
    r"python3? -m pip install uv",
    r"ruff check costshare tests bench && mypy",
    r"pytest --update-golden",
    r"pytest -m \"not slow\"",
    r"python tests/cli/test_error_catalogue\.py --write",
    r"python tests/i18n_catalogue\.py --update",
    r"docs/images/make-images\.sh",
]
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"<!-- exit: (?P<code>[0-9]+) -->\s*$")


@dataclass(frozen=True)
class Command:
    line: str
    shown: tuple[str, ...] | None
    exit_code: int


def commands_of(text: str) -> tuple[list[Command], list[str]]:
    """The costshare commands of a page, with their shown output, and its other lines."""
    blocks = list(FENCE.finditer(text))
    commands: list[Command] = []
    others: list[str] = []
    for index, block in enumerate(blocks):
        if block["info"].strip() not in ("sh", "powershell"):
            continue
        lines = [line.split(" #", 1)[0].strip() for line in block["body"].splitlines()]
        lines = [line for line in lines if line and not line.startswith("#")]
        gap_before = text[blocks[index - 1].end() if index else 0 : block.start()]
        exit_match = EXIT.search(gap_before)
        shown = None
        if index + 1 < len(blocks) and len(lines) == 1:
            after = blocks[index + 1]
            if (
                after["info"].strip() in ("", "text")
                and not text[block.end() : after.start()].strip()
            ):
                shown = tuple(after["body"].strip("\n").splitlines())
        for line in lines:
            command = line.split(" && ")[-1]
            if command.startswith("costshare ") and not line.startswith("pip install -e"):
                code = int(exit_match["code"]) if exit_match else 0
                commands.append(Command(command, shown, code))
            if not command.startswith("costshare ") or " && " in line:
                others.append(line)
    return commands, others


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_command_on_the_page_runs_and_prints_what_is_shown(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands, _ = commands_of(page.read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    danish = page.relative_to(ROOT).as_posix() in DANISH_PAGES
    monkeypatch.setenv("COSTSHARE_LANG", "da" if danish else "en")
    for command in commands:
        result = CliRunner().invoke(cli, shlex.split(command.line)[1:], prog_name="costshare")
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command.line,
            result.exc_info,
        )
        assert result.exit_code == command.exit_code, (command.line, result.output)
        if command.shown is None:
            continue
        printed = result.output.splitlines()
        for line in command.shown:
            if line != "...":
                assert line in printed, (command.line, line)
        if "..." not in command.shown:
            assert printed == list(command.shown), command.line


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_other_line_is_a_known_install_form(page: Path) -> None:
    _, others = commands_of(page.read_text(encoding="utf-8"))
    for line in others:
        assert any(re.fullmatch(form, line) for form in INSTALL_FORMS), (
            f"{page.name}: {line!r} is neither a costshare command nor a known install form"
        )


def test_the_pages_show_commands() -> None:
    """The README and the Danish guide show the main job and checking a share."""
    for name in ("README.md", "docs/brugervejledning.md"):
        shown = [c.line.split()[1] for c in commands_of((ROOT / name).read_text("utf-8"))[0]]
        assert {"examples", "run", "explain", "verify"} <= set(shown), name


def test_the_readme_is_a_front_door() -> None:
    assert len((ROOT / "README.md").read_bytes()) <= 12_500


def test_links_between_pages_resolve() -> None:
    """Relative links point to files that exist, except the reference pages other work
    on issue #11's round adds (listed in docs/README.md as coming)."""
    coming = {"hostile-input.md", "programme-files.md", "workbooks.md", "keys-and-data.md", "einvoices.md"}  # fmt: skip
    for page in PAGES:
        for target in re.findall(r"\]\((?!https?:|#|mailto:)([^)#\s]+)", page.read_text("utf-8")):
            if Path(target).name in coming:
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("costshare")),
    reason="needs LibreOffice, pdftoppm and the costshare command",
)
def test_the_readme_pictures_are_rendered_by_the_script(tmp_path: Path) -> None:
    """docs/images/make-images.sh renders the pictures the README shows, small."""
    import subprocess

    result = subprocess.run(
        [str(ROOT / "docs" / "images" / "make-images.sh"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for name in ("letter-gentofte.png", "annex-telehjerte.png"):
        made, shown = (tmp_path / name).read_bytes(), (ROOT / "docs" / "images" / name).read_bytes()
        assert made[:8] == b"\x89PNG\r\n\x1a\n" and len(made) < 150_000
        assert made[16:24] == shown[16:24]  # the same width and height as the committed one


def test_the_pictures_show_the_example_as_it_is_now(tmp_path: Path) -> None:
    """The files the README's and the guide's pictures show are still what the example
    writes: else run docs/images/make-images.sh (issue #22, item 9). Cheap: one run, no
    LibreOffice, no rendering."""
    import hashlib

    out = tmp_path / "pakke"
    result = CliRunner().invoke(cli, ["run", str(ROOT / "examples" / "telehjerte-2025.toml"), "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    recorded = (ROOT / "docs" / "images" / "sources.sha256").read_text(encoding="utf-8")
    for line in recorded.splitlines():
        digest, name = line.split()
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, (
            f"{name} changed since the pictures were made: run docs/images/make-images.sh"
        )
    assert len(recorded.splitlines()) == 2


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_python_block_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python examples (the library page) run as shown, their asserts included."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for block in FENCE.finditer(page.read_text(encoding="utf-8")):
        if block["info"].strip() == "python":
            exec(compile(block["body"], f"{page.name} python block", "exec"), {})
