"""The public library API and the two bugs of issue #9, each with a test that failed before.

- ``compare --format csv`` wrote a name holding ``"`` or a carriage return unquoted.
- A co-financing party sharing a recipient's code was accepted.
"""

from __future__ import annotations

import csv
import importlib
import io
import shutil
import subprocess
import sys
import types
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

import costshare
from costshare import Key, compute, find_payer, load_packaged, load_programme, split
from costshare.base.money import Unit
from costshare.check.compare import Comparison, ComparisonRow, compare
from costshare.cli import cli
from costshare.documents.text.compare_report import csv_text

TELEHJERTE = ROOT / "examples" / "telehjerte-2025.toml"
AWKWARD_NAMES = ['School "North"', "Line\rbreak", "Comma, and more", "Plain"]


def _comparison(names: list[str]) -> Comparison:
    rows = tuple(
        ComparisonRow(str(i), name, True, 100 * i, 100 * i + 1) for i, name in enumerate(names, 1)
    )
    return Comparison("t", "a", "b", "sa", "sb", Unit(), rows)


def test_compare_csv_quotes_every_name_so_it_reads_back() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(_comparison(AWKWARD_NAMES)), newline="")))
    assert [row["name"] for row in rows] == AWKWARD_NAMES


def test_compare_csv_from_the_command_line_reads_back(tmp_path: Path) -> None:
    population = tmp_path / "schools.csv"
    population.write_text(
        'code,name,population\n1,"School ""North""",120\n2,"Comma, school",80\n', encoding="utf-8"
    )
    programme = tmp_path / "schools.toml"
    text = TELEHJERTE.read_text(encoding="utf-8")
    text = text.replace('register = "telehjerte-2025-modtagere.csv"', "")  # municipalities'
    text = text.replace(
        'population = "2025K1"\nregion = "Hovedstaden"', 'population = "schools.csv"'
    )
    programme.write_text(text, encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text(population.read_text().replace("120", "130"), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["compare", str(programme), "--population", str(other), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert names[:2] == ['School "North"', "Comma, school"]


def test_a_party_sharing_a_recipients_code_is_refused(tmp_path: Path) -> None:
    programme = tmp_path / "clash.toml"
    shutil.copy(TELEHJERTE.parent / "telehjerte-2025-modtagere.csv", tmp_path)
    text = TELEHJERTE.read_text(encoding="utf-8")
    text = text.replace(
        'name = "Region Hovedstaden"\n', 'name = "Region Hovedstaden"\ncode = "0157"\n'
    )
    programme.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["explain", str(programme), "157"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {programme}: key 'parties[1].code': the party 'Region Hovedstaden' has code "
        "'0157', which is also the code of 'Gentofte' in 2025K1; give the party a code of "
        "its own\n"
    )


def test_unknown_codes_raise_key_error_everywhere() -> None:
    result = compute(load_programme(TELEHJERTE))
    comparison = compare(result, result, "a", "b")
    population = result.municipal.population
    for lookup in (
        result.municipal.share_ore,
        comparison.row,
        population.name_of,
        population.count_of,
    ):
        with pytest.raises(KeyError):
            lookup("999")


@pytest.mark.parametrize("field", ["equal", "population"])
def test_a_key_refuses_floats(field: str) -> None:
    parts = {"equal": Fraction(1, 2), "population": Fraction(1, 2), field: 0.5}
    with pytest.raises(TypeError, match=field):
        Key(**parts)  # type: ignore[arg-type]


def test_options_are_keyword_only() -> None:
    population = load_packaged("2025K1").select_region("Hovedstaden")
    with pytest.raises(TypeError):
        split(52500000, population, Unit())  # type: ignore[misc]


def test_the_programme_workflow_is_reachable_from_the_top() -> None:
    result = compute(load_programme(TELEHJERTE))
    assert find_payer(result, "Region Hovedstaden").amount_ore == 52500000
    assert result.total_ore == 105000000
    for name in costshare.__all__:
        value = getattr(costshare, name)
        assert not isinstance(value, types.ModuleType), f"costshare.{name} is a module"
    assert callable(costshare.read_annex) and callable(costshare.load_file)


def test_no_public_name_shadows_a_module_of_the_package() -> None:
    for name in costshare.__all__:
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"costshare.{name}")


def test_importing_costshare_loads_no_heavy_library() -> None:
    code = "import sys, costshare; print(sorted({'polars', 'openpyxl', 'jinja2', 'typst'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_manifest_hash_is_of_the_bytes_that_were_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The population's SHA-256 comes from the bytes parsed, not from re-reading the file
    (which may have changed in between: here it changes right after the split)."""
    import hashlib

    from costshare import prepare
    from costshare.package import preparation as package

    population = tmp_path / "schools.csv"
    original = b"code,name,population\n1,North,120\n2,South,80\n"
    population.write_bytes(original)
    programme = tmp_path / "schools.toml"
    text = TELEHJERTE.read_text(encoding="utf-8")
    text = text.replace('register = "telehjerte-2025-modtagere.csv"', "")
    text = text.replace(
        'population = "2025K1"\nregion = "Hovedstaden"', 'population = "schools.csv"'
    )
    programme.write_text(text, encoding="utf-8")

    def compute_then_change(*args: object, **kwargs: object) -> object:
        computed = compute(*args, **kwargs)  # type: ignore[arg-type]
        population.write_bytes(original.replace(b"120", b"999"))
        return computed

    monkeypatch.setattr(package, "compute", compute_then_change)
    result, provenance = prepare(programme)
    assert result.municipal.population.sha256 == hashlib.sha256(original).hexdigest()
    recorded = dict(provenance.inputs)["befolkningsdata schools.csv"]
    assert recorded == hashlib.sha256(original).hexdigest()
