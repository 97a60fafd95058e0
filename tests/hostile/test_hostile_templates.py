"""Issue #16: a template folder is a boundary, and a broken template is a one-line error.

Symbolic links out of the folder, devices, crafted font collections and typst packages are
refused before anything is written; any exception while rendering a user's template
(``1/0``, a type error, runaway recursion or repetition) is a one-line template error.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from paths import TESTS

from costshare.cli import cli

VALID = TESTS / "catalogue" / "programmes" / "valid.toml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("prog.toml").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "letter.typ.j2").write_text("Kære {{ recipient.name }}\n", encoding="utf-8")
    return templates


def run() -> Result:
    return CliRunner().invoke(cli, ["run", "prog.toml", "--out", "out", "--templates", "templates"])


def refused(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert not Path("out").exists()
    assert not [p for p in Path().iterdir() if p.name.startswith(".out")]  # no staging left
    return result.output.removeprefix("Error: ").strip()


def test_a_symlink_to_a_file_outside_is_refused(folder: Path) -> None:
    secret = folder.parent / "secret.txt"
    secret.write_text("hemmelig")
    (folder / "part.typ").symlink_to(secret)
    (folder / "letter.typ.j2").write_text('{% include "part.typ" %}#read("part.typ")\n')
    message = refused(run())
    assert message == (
        "templates: part.typ is a symbolic link; a template folder may hold only its own "
        "files, so copy the file in instead"
    )


def test_a_symlinked_subfolder_is_refused(folder: Path) -> None:
    (folder / "etc").symlink_to("/etc")
    assert refused(run()).startswith("templates: etc is a symbolic link")


def test_a_fifo_in_the_folder_is_refused(folder: Path) -> None:
    os.mkfifo(folder / "pipe.typ")
    assert refused(run()) == "templates: pipe.typ is not a regular file; remove it"


def test_a_crafted_font_collection_is_refused(folder: Path) -> None:
    (folder / "evil.ttc").write_bytes(b"ttcf" + struct.pack(">HHI", 1, 0, 0xFFFFFFFF) + b"\0" * 64)
    message = refused(run())
    assert message.startswith(
        "templates: evil.ttc is a font collection whose header claims 4,294,967,295 fonts"
    )


def test_a_font_in_the_folder_is_still_used(folder: Path) -> None:
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not font.exists():
        pytest.skip("no DejaVu Serif on this machine")
    (folder / "serif.ttf").write_bytes(font.read_bytes())
    (folder / "letter.typ.j2").write_text(
        '#set text(font: "DejaVu Serif", fallback: false)\nKære {{ recipient.name }}\n'
    )
    result = run()
    assert result.exit_code == 0, result.output
    assert "unknown font" not in result.output


@pytest.mark.parametrize(
    "template",
    [
        '#import "@preview/cetz:0.3.1": canvas\n',
        '#let p = "@" + "preview/cetz:0.3.1"\n#import p\n',
    ],
)
def test_typst_packages_are_refused(folder: Path, template: str) -> None:
    (folder / "letter.typ.j2").write_text(template)
    assert refused(run()).startswith("letter.typ.j2: imports a typst package")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 1/0 }}", "letter.typ.j2: ZeroDivisionError: division by zero for "),
        ("{{ recipient.name + 1 }}", "letter.typ.j2: TypeError: "),
        (
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
            "letter.typ.j2: recursion too deep for ",
        ),
        ('{{ "x" * 10**10 }}', "letter.typ.j2: not allowed in a template: repeating a text"),
        (
            "{% set n = 10**9 %}{{ 2 ** n }}",
            "letter.typ.j2: not allowed in a template: a power over 1000",
        ),
    ],
)
def test_any_exception_in_a_template_is_one_line(
    folder: Path, template: str, expected: str
) -> None:
    (folder / "letter.typ.j2").write_text(template + "\n")
    assert refused(run()).startswith(expected)
