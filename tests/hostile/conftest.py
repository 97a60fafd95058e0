"""Fixtures of the hostile-input tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import TESTS

VALID = TESTS / "catalogue" / "programmes" / "valid.toml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a valid programme (``prog.toml``) and a template folder
    (``templates``, returned) with a one-line letter; the current folder for the test."""
    monkeypatch.chdir(tmp_path)
    Path("prog.toml").write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "letter.typ.j2").write_text("Kære {{ recipient.name }}\n", encoding="utf-8")
    return templates
