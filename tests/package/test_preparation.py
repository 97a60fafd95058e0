"""A run reads its programme once and lists its payers once (issue #19, item 4).

Before, ``run`` parsed the programme file three times and rebuilt the payer list (with a
register look-up per payer) six or seven times; every writer now takes the one list made
in preparation.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paths import EXAMPLES

import costshare.programme.payers as payers_module
from costshare.cli import cli

pytestmark = pytest.mark.slow


def counting(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, counts: Callable[..., bool]
) -> list[int]:
    calls = [0]
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        if counts(*args, **kwargs):
            calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize(
    ("example", "payers"), [("telehjerte-2025", 30), ("telehjerte-2025-2027", 90)]
)
def test_run_parses_the_programme_once_and_lists_the_payers_once(
    example: str, payers: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = counting(monkeypatch, tomllib, "loads", lambda text, **_: "SAG-2024-05018" in text)
    # One register look-up per payer per list: the list is made once (a year).
    looked_up = counting(monkeypatch, payers_module, "_registered", lambda *_: True)
    programme = EXAMPLES / f"{example}.toml"
    result = CliRunner().invoke(cli, ["run", str(programme), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert parsed == [1]
    assert looked_up == [payers]
