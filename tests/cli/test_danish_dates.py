"""Danish dates are read by one function, :func:`costshare.base.danish.parse_date`
(issue #19, item 4): ``costshare init`` and the programme file's date hints used two
copies that knew ISO and ``3.2.2025`` but not ``3. februar 2025``, the form the minutes use.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from annex_helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st
from paths import EXAMPLES

from costshare.base.danish import format_date, parse_date
from costshare.programme.model import load_programme

TELEHJERTE = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
INIT = [
    "--title", "TeleHjerte", "--case-number", "SAG-2024-05018", "--body", "KKR Hovedstaden",
    "--amount", "1.050.000 kr.", "--region", "Region H", "--region-share", "50",
    "--key", "population", "--population", "2025K1",
]  # fmt: skip


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_written_form_reads_back(day: date) -> None:
    for text in (
        format_date(day),
        format_date(day).upper(),
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        day.isoformat(),
    ):
        assert parse_date(text) == day, text


@pytest.mark.parametrize("text", ["30. februar 2025", "3. febuar 2025", "2025-13-01", "3.2.25", ""])
def test_what_is_no_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize("written", ["3. februar 2025", "3.2.2025", "2025-02-03"])
def test_init_takes_the_date_as_the_minutes_write_it(tmp_path: Path, written: str) -> None:
    path = tmp_path / "hjerte.toml"
    result = run_cli("init", str(path), *INIT, "--decision-date", written)
    assert result.exit_code == 0, result.stderr
    assert load_programme(path).decision_date == date(2025, 2, 3)


@pytest.mark.parametrize("written", ["17. marts 2025", "17.03.2025", '"17. marts 2025"'])
def test_a_date_the_programme_cannot_read_is_shown_converted(tmp_path: Path, written: str) -> None:
    path = tmp_path / "programme.toml"
    path.write_text(TELEHJERTE.replace("date = 2025-02-03", f"date = {written}"), "utf-8")
    result = run_cli("run", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "date = 2025-03-17" in result.stderr, result.stderr
