"""The README's "Checking a share" section shows what explain, verify and compare print."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.cli import cli

SECTION = (
    (ROOT / "README.md")
    .read_text(encoding="utf-8")
    .split("## Checking a share (explain, verify, compare)", 1)[1]
    .split("\n## ", 1)[0]
)


def examples() -> list[tuple[str, list[str]]]:
    """Each ```sh command in the section with the output block that follows it."""
    found = []
    blocks = SECTION.split("```")
    for index, block in enumerate(blocks):
        if block.startswith("sh\n"):
            shown = blocks[index + 2].strip("\n").splitlines()
            found.append((block.removeprefix("sh\n").strip(), shown))
    return found


def test_the_section_has_an_example_for_each_command() -> None:
    commands = [command.split()[1] for command, _ in examples()]
    assert commands == ["explain", "verify", "verify", "compare"]


@pytest.mark.parametrize(("command", "shown"), examples(), ids=lambda v: str(v)[:60])
def test_readme_output_is_what_the_command_prints(
    command: str, shown: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The README's reader has the examples from `costshare examples eksempler`, not a clone.
    shutil.copytree(ROOT / "examples", tmp_path / "eksempler")
    monkeypatch.chdir(tmp_path)
    if " pakke/" in command:  # the package the README's quick start wrote
        run = ["run", "eksempler/telehjerte-2025.toml", "--out", "pakke"]
        assert CliRunner().invoke(cli, run, catch_exceptions=False).exit_code == 0
    result = CliRunner().invoke(cli, shlex.split(command)[1:], catch_exceptions=False)
    assert result.exit_code == (1 if "2024K1.csv" in command else 0)
    printed = result.stdout.splitlines()
    for line in shown:
        if line != "...":
            assert line in printed, line
    if "..." not in shown:
        assert printed == shown
