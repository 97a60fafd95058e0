"""The shipped templates' compiled code kept between runs (issue #23).

The same letters with the cache as without it; a second run compiles nothing; a damaged
cache file, a folder that cannot be made or written, and code compiled under other
settings are no error and change nothing; a user's template is never kept.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import jinja2
import pytest
from paths import EXAMPLES

from costshare.documents.pdf.compiled_templates import code_key
from costshare.documents.pdf.letters import (
    LETTER_TEMPLATE,
    letter_context,
    make_environment,
    render_letter,
)
from costshare.package.template_cache import template_cache_folder
from costshare.programme.model import compute, load_programme
from costshare.programme.payers import payers

RESULT = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
CONTEXT = letter_context(RESULT, payers(RESULT)[1], None)
WITHOUT = render_letter(make_environment(None), CONTEXT)


def letter(folder: Path | None) -> str:
    return render_letter(make_environment(None, folder), CONTEXT)


def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja2 compiles from here on."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def spy(
        self: jinja2.Environment, source: str, name: str | None = None, *a: object, **k: object
    ) -> object:
        compiled.append(str(name))
        return original(self, source, name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return compiled


def test_a_second_run_compiles_nothing_and_writes_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = compiles(monkeypatch)
    assert letter(tmp_path) == WITHOUT
    assert compiled == [LETTER_TEMPLATE]
    assert len(list(tmp_path.glob("costshare-*-*.cache"))) == 1
    assert letter(tmp_path) == WITHOUT
    assert compiled == [LETTER_TEMPLATE]  # the kept code, not compiled again


def test_a_damaged_cache_file_is_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter(tmp_path)
    (kept,) = tmp_path.iterdir()
    for damage in (b"", b"not jinja", kept.read_bytes()[:40]):
        kept.write_bytes(damage)
        compiled = compiles(monkeypatch)
        assert letter(tmp_path) == WITHOUT
        assert compiled == [LETTER_TEMPLATE]


def test_code_compiled_under_other_settings_is_never_loaded() -> None:
    options = {
        "keep_trailing_newline": True,
        "finalize": test_code_compiled_under_other_settings_is_never_loaded,
    }
    assert code_key(options) != code_key({**options, "keep_trailing_newline": False})
    assert code_key(options) != code_key({**options, "finalize": letter})
    assert code_key(options) == code_key(dict(reversed(options.items())))


def test_a_folder_that_cannot_be_read_or_written_is_no_error(tmp_path: Path) -> None:
    """A file where the folder should be: nothing can be read or written there (as with
    a folder without permissions, which root would write anyway)."""
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("x")
    assert letter(not_a_folder) == WITHOUT
    assert not_a_folder.read_text() == "x"


def test_the_folder_is_the_users_own_and_one_that_cannot_be_made_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COSTSHARE_CACHE_DIR", str(tmp_path / "cache"))
    folder = template_cache_folder()
    assert folder == tmp_path / "cache" / "templates" and folder.is_dir()
    if os.name != "nt":
        assert folder.stat().st_mode & 0o077 == 0
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("COSTSHARE_CACHE_DIR", str(tmp_path / "file"))
    assert template_cache_folder() is None


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_folder_others_could_write_to_or_a_link_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept code is run: a shared folder where another user could plant some is not
    used (the templates are compiled instead), nor a link to another folder."""
    shared = tmp_path / "shared" / "templates"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.setenv("COSTSHARE_CACHE_DIR", str(tmp_path / "shared"))
    assert template_cache_folder() is None
    shared.chmod(0o755)
    assert template_cache_folder() == shared
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "templates").symlink_to(shared)
    monkeypatch.setenv("COSTSHARE_CACHE_DIR", str(tmp_path / "linked"))
    assert template_cache_folder() is None


def test_a_users_template_is_never_kept(tmp_path: Path) -> None:
    templates = tmp_path / "skabelon"
    templates.mkdir()
    shipped = resources.files("costshare.templates").joinpath(LETTER_TEMPLATE)
    (templates / LETTER_TEMPLATE).write_text(shipped.read_text("utf-8"), "utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    assert render_letter(make_environment(templates, cache), CONTEXT) == WITHOUT
    assert list(cache.iterdir()) == []
