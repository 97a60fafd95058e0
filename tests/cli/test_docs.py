"""The README stays true: its commands run, CI runs its test command, every command is documented."""

from __future__ import annotations

import re
import shlex

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


def test_quick_start_split_prints_what_the_readme_shows() -> None:
    command = quick_start()[0].split(" && ", 1)[1]
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    shown = README.split("The split prints:", 1)[1].split("```", 2)[1].strip().splitlines()
    printed = result.stdout.splitlines()
    for line in shown:
        if line.strip() != "...":
            assert line in printed, line


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
