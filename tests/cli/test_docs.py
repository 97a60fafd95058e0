"""The README stays true: its commands run, CI runs its test command, every command is documented."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from paths import ROOT

from costshare.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && costshare ")
    assert commands[1].startswith("pip install")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start()[1] in ci.splitlines()


@pytest.mark.slow  # a full package: typst letters and workbooks
def test_quick_start_writes_the_package_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick start's first command, run in a clone, writes the annex package: every file
    the README's table names, letters, workbooks and e-invoices (issue #22, item 1)."""
    command = quick_start()[0].split(" && ", 1)[1]
    assert command.startswith("costshare run examples/")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(command)[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = README.split("The first prints:", 1)[1].split("```", 2)[1].strip().splitlines()
    assert result.output.splitlines() == shown
    package = tmp_path / shlex.split(command)[-1]
    table = README.split("holds:", 1)[1].split("\n\n", 2)[1]
    names = re.findall(r"^\| `([^`]+)`", table, flags=re.MULTILINE)
    assert len(names) == 7, names
    for name in names:
        pattern = name.replace("<code>-<name>", "*")
        assert list(package.glob(pattern)), f"the README names {name}; the package has none"
    assert len(list(package.glob("[0-9]*.pdf"))) == 30  # a letter per payer
    assert len(list(package.glob("[0-9]*.xlsx"))) == 30  # a workbook per payer
    assert len(list(package.glob("einvoices/*-oioubl.xml"))) == 30
    assert len(list(package.glob("einvoices/*-peppol.xml"))) == 30
    assert (package / "programfil" / "telehjerte-2025.toml").is_file()


def test_the_split_is_the_next_thing_to_try() -> None:
    """After the package, the README shows the split table (issue #22, item 1)."""
    after = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "costshare split --amount 525000 --region Hovedstaden --population 2025K1" in after


def all_commands() -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, group: click.Group) -> None:
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                walk(f"{prefix}{name} ", command)
            else:
                found.append((f"{prefix}{name}", command))

    walk("", cli)
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda value: str(value))
def test_every_command_has_help_with_example_and_is_in_readme(
    name: str, command: click.Command
) -> None:
    assert command.help and ("Example:" in command.help or "Eksempel:" in command.help)
    assert re.search(rf"costshare {re.escape(name)}\b", README), (
        f"README does not show 'costshare {name}'"
    )
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout
