"""TOML syntax errors in a programme file are said in Danish, with line and column (#22).

tomllib words its errors in English for people who know the TOML spec. Each of its
messages has a plain wording in ``costshare.programme.schema._PLAIN``; a test reads the
messages tomllib can raise from its own source, so a new one in a later Python fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from pathlib import Path

import pytest

from costshare.base import i18n
from costshare.base.errors import InputError
from costshare.programme.model import load_programme
from costshare.programme.schema import _PLAIN

# One programme line for each of tomllib's messages (by the start of the message).
PROVOKED = {
    "Cannot overwrite a value": 'title = "a"\ntitle = "b"\n',
    "Cannot declare": "[decision]\n[decision]\n",
    "Cannot redefine namespace": "[a.b]\n[a]\nb.c = 1\n",
    "Cannot mutate immutable namespace": "a = {b = 1}\na.c = 2\n",
    "Duplicate inline table key": "a = {b = 1, b = 2}\n",
    "Illegal character '\\n'": 'title = "a\nb"\n',
    "Illegal character": 'title = "a\x01b"\n',
    "Found invalid character": "title = 'x\x7f'\n",
    "Invalid value": "title = TeleHjerte\n",
    "Invalid date or datetime": "a = 1979-02-30T10:00:00\n",
    "Invalid statement": "= 1\n",
    "Invalid initial character for a key part": "a. = 1\n",
    "Invalid hex value": 'title = "C:\\Users"\n',
    "Escaped character is not a Unicode scalar value": 'title = "\\uD800"\n',
    "Expected '=' after a key": "title\n",
    "Expected ']' at the end of a table declaration": "[decision\n",
    "Expected ']]' at the end of an array declaration": "[[years]\n",
    "Expected newline or end of document after a statement": "title = 'a' b\n",
    "Unclosed array": "a = [1, 2\n",
    "Unclosed inline table": "a = {b = 1\n",
    "Unescaped '\\' in a string": 'title = "C:\\q"\n',
    "Unterminated string": 'title = """abc\n',
}


def tomllib_messages() -> set[str]:
    """The start of every message tomllib's parser can raise, read from its source."""
    source = inspect.getsource(tomllib._parser)
    found = re.findall(r'suffixed_err\(\s*src,\s*pos,\s*f?"([^"{]+)', source)
    return {ast.literal_eval(f'"{text}"').strip() for text in found}


def test_every_tomllib_message_has_a_plain_wording() -> None:
    missing = [
        m for m in tomllib_messages() if not any(m.startswith(p) or p.startswith(m) for p in _PLAIN)
    ]
    assert missing == []


def test_every_plain_wording_is_provoked() -> None:
    assert set(PROVOKED) == set(_PLAIN)


@pytest.mark.parametrize("start", sorted(PROVOKED))
def test_the_error_is_danish_with_its_place(start: str, tmp_path: Path) -> None:
    path = tmp_path / "prog.toml"
    path.write_text(PROVOKED[start], encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError) as raw:
        tomllib.loads(PROVOKED[start])
    assert str(raw.value).startswith(start), str(raw.value)
    with pytest.raises(InputError) as caught:
        load_programme(path)
    i18n.set_language("da")
    danish = str(caught.value)
    assert danish.startswith(str(path)), danish
    english_words = str(raw.value).split(" (at ")[0]
    assert english_words not in danish, danish
    assert "TOML" in danish or "dato" in danish, danish


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("amount = 1.050.000", 'skriv beløbet i anførselstegn: amount = "1.050.000"'),
        ("amount = 525.000,50 kr.", 'skriv beløbet i anførselstegn: amount = "525.000,50 kr."'),
        ("amount = 525000,50", 'skriv beløbet i anførselstegn: amount = "525000,50"'),
    ],
)
def test_an_unquoted_danish_amount_gets_a_hint(line: str, hint: str, tmp_path: Path) -> None:
    path = tmp_path / "prog.toml"
    path.write_text(f'title = "x"\n{line}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_programme(path)
    i18n.set_language("da")
    assert str(caught.value) == f"{path}:2:10: {hint}"
