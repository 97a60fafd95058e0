"""A chosen figure column of a user's file (issue #21): service hours, kilometres."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from costshare.base.errors import InputError
from costshare.population.userfile import load_file


def test_a_whole_number_column_is_the_figures(tmp_path: Path) -> None:
    path = tmp_path / "timer.csv"
    path.write_text(
        "kommune;indbyggere;Køreplantimer\nKøge;61.000;1.234\nStevns;23.000;456\n", encoding="utf-8"
    )
    hours = load_file(path, column="køreplantimer")
    assert hours.codes == ("259", "336") and hours.counts == (1234, 456)
    assert hours.measure == "køreplantimer" and hours.weight_scale == 1
    assert load_file(path).counts == (61_000, 23_000)  # without the column: the population


def test_a_decimal_column_is_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "km.csv"
    path.write_text("kode;km vej\n259;12,5\n336;0,25\n", encoding="utf-8")
    roads = load_file(path, column="Km vej")
    assert roads.figures() == (Fraction(25, 2), Fraction(1, 4))


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "timer.csv"
    path.write_text("kommune;timer\nKøge;12\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"has no column 'køreplantimer' \(its headers are 'kommune', 'timer'\)"
    ):
        load_file(path, column="køreplantimer")


def test_a_bad_cell_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "timer.csv"
    path.write_text("kommune;timer\nKøge;12\nStevns;tolv\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"timer.csv:3:timer: the figure must be a whole number"):
        load_file(path, column="timer")


def test_thousands_and_decimal_marks_in_one_column_are_refused(tmp_path: Path) -> None:
    """'4.380' beside '2920,5' could be 4380 or 4,38: never guessed."""
    path = tmp_path / "timer.csv"
    path.write_text("kommune;timer\nKøge;4.380\nStevns;2920,5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"timer.csv:2:timer: the column has both '.' and ','"):
        load_file(path, column="timer")
