"""Issue #16: a template folder is a boundary, and a broken template is a one-line error.

Symbolic links out of the folder, devices and crafted font collections are refused before
anything is written; any exception while rendering a user's template (``1/0``, a type
error, runaway recursion) and any work past a bound (loop steps, the size of a text or
list, a format's width: issue #24) is a one-line template error.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from costshare.cli import cli

TOO_LONG = (
    "letter.typ.j2: not allowed in a template: a text or list of more than 1,000,000 "
    "characters or items is not allowed"
)
WIDE = "letter.typ.j2: not allowed in a template: a format width or precision over 1,000"


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
        # Issue #24: every kind of work is bounded, not only * and **.
        (
            "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
            "letter.typ.j2: not allowed in a template: the loops ran more than 100,000 steps",
        ),
        (
            "{% for x in range(10) recursive %}{% if loop.depth < 7 %}{{ loop(range(10)) }}"
            "{% endif %}{% endfor %}",
            "letter.typ.j2: not allowed in a template: the loops ran more than 100,000 steps",
        ),
        ("{{ 'x'|center(3000000) }}", TOO_LONG),
        ("{{ ('a' * 1000)|replace('a', 'b' * 2000) }}", TOO_LONG),
        ("{{ ('a' * 1000).replace('a', 'b' * 2000) }}", TOO_LONG),
        ("{{ ('a\n' * 10000)|indent(500) }}", TOO_LONG),
        ("{{ ('ab ' * 1000)|wordwrap(1, wrapstring='z' * 1000) }}", TOO_LONG),
        ("{{ (range(2000)|map('string')|list)|join('x' * 999) }}", TOO_LONG),
        ("{{ ('x' * 1000).join(range(2000)|map('string')) }}", TOO_LONG),
        ("{{ ('{0}' * 1000).format('x' * 10000) }}", TOO_LONG),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(21) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            TOO_LONG,
        ),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(21) %}"
            "{% set ns.s = ns.s + ns.s %}{% endfor %}",
            TOO_LONG,
        ),
        ("{% for i in range(20000) %}" + "y" * 100 + "{% endfor %}", TOO_LONG),
        (
            "{% set ns = namespace(l=[]) %}{% for i in range(100) %}"
            "{% set ns.l = ns.l + ['x' * 900000 ~ i] %}{% endfor %}",
            "letter.typ.j2: not allowed in a template: the template made more than "
            "20,000,000 characters in all for one letter",
        ),
        ("{{ '%0999999d'|format(1) }}", WIDE),
        ("{{ '%0999999d' % 1 }}", WIDE),
        ("{{ '{:>999999}'.format('x') }}", WIDE),
        ("{% set l = [] %}{{ l.append(1) }}", "letter.typ.j2: not allowed in a template: "),
        ("{{ lipsum(1000) }}", "letter.typ.j2: 'lipsum' is undefined"),
    ],
)
def test_any_exception_in_a_template_is_one_line(
    folder: Path, template: str, expected: str
) -> None:
    (folder / "letter.typ.j2").write_text(template + "\n")
    assert refused(run()).startswith(expected)
