"""A payer register is checked against the official one (issue #24, item 8).

A municipality's CVR must be the one the packaged register (``population/kommuner.csv``,
from the official CVR list, see its sidecar) gives it; a CVR that belongs to another
municipality is refused naming both; two payers with one EAN are refused (NemHandel would
deliver both invoices to one mailbox). Before, all three went through to the letters and
the e-invoices.
"""

from __future__ import annotations

import csv
import hashlib
import tomllib
from pathlib import Path

import pytest
from paths import EXAMPLES, POPULATION_DATA, ROOT

from costshare.base.errors import InputError
from costshare.population.municipalities import municipality
from costshare.programme.model import compute, load_programme

REGISTER = (EXAMPLES / "telehjerte-2025-modtagere.csv").read_text(encoding="utf-8")
GENTOFTE_ROW = (
    "157,,Økonomiafdelingen,Bernstorffsvej 161,2920,Charlottenlund,19438414,5798000157019,"
)


def with_register(folder: Path, register: str, population: str = "2025K1") -> Path:
    (folder / "telehjerte-2025-modtagere.csv").write_text(register, encoding="utf-8")
    text = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
    path = folder / "programme.toml"
    path.write_text(text.replace('population = "2025K1"', f'population = "{population}"'), "utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        compute(load_programme(path))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_example_register_is_plausible(tmp_path: Path) -> None:
    compute(load_programme(with_register(tmp_path, REGISTER)))


def test_another_municipalitys_cvr_is_refused_naming_both(tmp_path: Path) -> None:
    assert GENTOFTE_ROW in REGISTER
    wrong = REGISTER.replace(GENTOFTE_ROW, GENTOFTE_ROW.replace("19438414", "29189374"))
    message = refusal(with_register(tmp_path, wrong))
    assert "telehjerte-2025-modtagere.csv:7:cvr" in message
    assert "Køge Kommune (259)" in message and "Gentofte Kommune (157)" in message
    assert "19438414" in message


def test_a_cvr_that_is_no_municipalitys_is_refused(tmp_path: Path) -> None:
    wrong = REGISTER.replace(GENTOFTE_ROW, GENTOFTE_ROW.replace("19438414", "10000009"))
    message = refusal(with_register(tmp_path, wrong))
    assert "10000009" in message and "Gentofte Kommune" in message and "19438414" in message


def test_two_payers_with_one_ean_are_refused(tmp_path: Path) -> None:
    wrong = REGISTER.replace("5798000157019", "5798000101012")
    message = refusal(with_register(tmp_path, wrong))
    assert "5798000101012" in message
    assert "101" in message and "157" in message


def test_other_recipients_may_use_a_municipalitys_cvr(tmp_path: Path) -> None:
    """Schools under their municipality's CVR: only municipalities are checked."""
    (tmp_path / "skoler.csv").write_text(
        "kode;navn;antal\nS-1;Skole A;100\nS-2;Skole B;200\n", encoding="utf-8"
    )
    register = "kode,cvr,ean\nS-1,19438414,5798000000001\nS-2,19438414,\n"
    path = with_register(tmp_path, register, population="skoler.csv")
    path.write_text(path.read_text("utf-8").replace('region = "Hovedstaden"\n', ""), "utf-8")
    compute(load_programme(path))


def _shared_register() -> Path:
    """``shared/registers/kommuner_cvr.csv`` beside the checkout (or one of its parents).

    The project's source material is not part of the repository: a checkout without it
    (a clone elsewhere) skips this comparison; the packaged copy's own checksum is still
    checked against its sidecar whenever the register is loaded."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "registers" / "kommuner_cvr.csv"
        if candidate.is_file():
            return candidate
    pytest.skip("shared/registers/kommuner_cvr.csv is not beside this checkout")


def test_the_packaged_register_is_the_shared_one() -> None:
    shared = _shared_register()
    sidecar = tomllib.loads((POPULATION_DATA / "kommuner.source.toml").read_text("utf-8"))
    assert sidecar["source_sha256"] == hashlib.sha256(shared.read_bytes()).hexdigest()
    rows = list(csv.DictReader(shared.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 98
    for row in rows:
        packaged = municipality(row["code"])
        assert packaged is not None, row
        assert (packaged.cvr, packaged.official_name) == (
            row["cvr"],
            row["cvr_registered_name_in_source"],
        )
