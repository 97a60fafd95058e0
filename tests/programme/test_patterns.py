"""Invoice-number and reference patterns take plain fields only (issue #24, item 7).

``{case_number}``, ``{code}`` and ``{year}`` (and ``{number}`` in a reference), nothing
inside the braces but the name: no format specification (``{code:>99999999}`` makes a
string of any length), no conversion, attribute access or indexing, no positional field.
Anything else is one line naming the key. Before, a specification and a conversion were
taken, and ``{}`` in a reference stopped ``run`` with an IndexError traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from annex_helpers import run_cli
from einvoice_helpers import programme_file

from costshare.base.errors import InputError
from costshare.base.patterns import fill_pattern, pattern_fields
from costshare.programme.model import compute, load_programme
from costshare.programme.payers import payers

HOSTILE = [
    "{code:>99999999}",
    "{code!r}",
    "{code!s:^40}",
    "{code.__class__}",
    "{code[0]}",
    "{case_number:{year}}-{code}",
    "{}-{code}",
    "{0}-{code}",
    "{code}-{",
    "{code}}",
]


KEYS = {
    "invoicing.number": ('number = "{case_number}-{code}"', "number"),
    "payment.reference": ('reference = "{case_number}-{code}"', "reference"),
}


def with_pattern(folder: Path, key: str, pattern: str) -> Path:
    path = programme_file(folder)
    old, name = KEYS[key]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, f'{name} = "{pattern}"', 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", HOSTILE)
@pytest.mark.parametrize("key", KEYS)
def test_anything_but_a_plain_field_is_refused_naming_the_key(
    tmp_path: Path, pattern: str, key: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_programme(with_pattern(tmp_path, key, pattern))
    message = str(caught.value)
    assert f"key '{key}'" in message
    assert "\n" not in message


@pytest.mark.parametrize("key", KEYS)
def test_run_refuses_a_format_specification_in_one_line(tmp_path: Path, key: str) -> None:
    path = with_pattern(tmp_path, key, "{code!r}")
    result = run_cli("run", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: {path}: key '{key}': unknown field {{code!r}}; use only "
        + (
            "{case_number}, {code}, {year}"
            if key == "invoicing.number"
            else "{case_number}, {code}, {year}, {number}"
        )
        + ", with nothing else inside the braces\n"
    )
    assert not (tmp_path / "out").exists()


def test_plain_fields_and_escaped_braces_are_filled_without_format() -> None:
    fields = ("case_number", "code", "year")
    assert pattern_fields("{{x}} {case_number}/{code}-{year}", fields) == (
        "case_number",
        "code",
        "year",
    )
    values = {"case_number": "SAG-1", "code": "157", "year": 2025}
    assert fill_pattern("{{x}} {case_number}/{code}-{year}", values) == "{x} SAG-1/157-2025"
    with pytest.raises(InputError, match=r"unknown field \{code:>9\}"):
        pattern_fields("{code:>9}", fields)


def test_references_are_filled_from_the_plain_pattern(tmp_path: Path) -> None:
    path = programme_file(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('reference = "{case_number}-{code}"', 'reference = "{{{year}}}/{code}"'),
        encoding="utf-8",
    )
    assert payers(compute(load_programme(path)))[0].reference == "{2025}/101"
