"""One wording of the key for every document and every key kind (issue #19, item 4).

``costshare.programme.key_wording`` words the key; letters, the annex, the workbooks'
method sheet, ``explain``, ``split`` and the e-invoices call it. Before, the e-invoice kept
a three-case copy (a decimal key's line said "andel efter indbyggertal") and ``explain``,
the method sheet and ``split`` knew neither an age group nor a date other than 1 January.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from annex_helpers import run_cli
from paths import EXAMPLES

from costshare.documents.einvoice.charge import charge_for
from costshare.documents.pdf.letter_basis import municipal_basis_line
from costshare.documents.pdf.letters import letter_context
from costshare.documents.text.split_report import render_json
from costshare.documents.xlsx.method_sheet import method_rows
from costshare.population.packaged import load_packaged
from costshare.programme.invoicing import Invoicing
from costshare.programme.key_wording import Wording, charge_words, describe_key
from costshare.programme.model import ProgrammeResult, compute, load_programme
from costshare.programme.payers import Payer, find_payer, payers
from costshare.programme.payment import BankAccount, PaymentTerms
from costshare.programme.working import party_working

TELEHJERTE = (EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8")
INVOICING = Invoicing(
    formats=("peppol",),
    seller_cvr="12345674",
    seller_ean="",
    vat="outside-scope",
    number="{case_number}-{code}",
)
PAYMENT = PaymentTerms(date(2025, 6, 1), BankAccount(reg_no="1234", account_no="1234567890"))


def charge_of(result: ProgrammeResult, payer: Payer) -> Any:
    """The payer's e-invoice, the programme given e-invoicing settings and bank details."""
    programme = replace(result.programme, invoicing=INVOICING, payment=PAYMENT)
    return charge_for(replace(result, programme=programme), payer)


# Key kinds as programme changes of the TeleHjerte example; "decimal" and "capped" are
# the block-grant and membership-fee examples themselves.
KINDS = {
    "population": ("", ""),
    "equal": ('key = "population"', 'key = "equal"'),
    "mixed": ('key = "population"', 'key = "mixed"\nequal_part = "40 %"'),
    "fixed": ('key = "population"', 'key = "population"\nfixed = "10000"'),
    "age": ('population = "2025K1"', 'population = "2022K1:65-"'),
    "month": ('population = "2025K1"', 'population = "2024M12"'),
    "factor": ('key = "population"', 'key = "population"\nfactor = true'),
    "mixed-capped": (
        'key = "population"',
        'key = "mixed"\nequal_part = "25 %"\ncap = 60000\n'
        'discount = { above = 100000, rate = "5 %" }',
    ),
}


def _factor_file(path: Path) -> None:
    population = load_packaged("2025K1").select_region("Region Hovedstaden")
    lines = ["kode;kommune;indbyggertal;faktor"]
    for code, name, count in zip(
        population.codes, population.names, population.counts, strict=True
    ):
        lines.append(f"{code};{name};{count};{'0,85' if code == '157' else '1'}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def kind_result(folder: Path, kind: str) -> ProgrammeResult:
    if kind in ("decimal", "capped"):
        name = "bloktilskud-illustrativ" if kind == "decimal" else "kontingent-loft-rabat"
        return compute(load_programme(EXAMPLES / f"{name}.toml"))
    old, new = KINDS[kind]
    text = TELEHJERTE.replace('register = "telehjerte-2025-modtagere.csv"\n', "")
    if kind == "factor":
        _factor_file(folder / "factor.csv")
        text = text.replace('population = "2025K1"', 'population = "factor.csv"')
    path = folder / f"{kind}.toml"
    path.write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return compute(load_programme(path))


@pytest.fixture(scope="module", params=[*KINDS, "decimal", "capped"])
def result(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return kind_result(tmp_path_factory.mktemp(request.param), request.param)


def test_the_e_invoice_line_of_a_decimal_key_names_the_key() -> None:
    result = compute(load_programme(EXAMPLES / "bloktilskud-illustrativ.toml"))
    charge = charge_of(result, find_payer(result, "157"))
    assert charge is not None
    assert charge.line_name == "Bloktilskudsnøgle (illustrativt): andel efter fordelingsnøglen"


def test_explain_names_the_age_group_and_the_date(tmp_path: Path) -> None:
    steps = {s.label: s.value for s in party_working(kind_result(tmp_path, "age"), "157")}
    assert steps["Fordelingsnøgle"] == "efter antallet af indbyggere på 65 år og derover"
    steps = {s.label: s.value for s in party_working(kind_result(tmp_path, "month"), "157")}
    assert steps["Fordelingsnøgle"] == "efter indbyggertal pr. 1. december 2024"


def test_split_json_names_the_date_of_a_month() -> None:
    result = run_cli(
        "split", "--amount", "525000", "--region", "Hovedstaden",
        "--population", "2024M12", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["key"] == "efter indbyggertal pr. 1. december 2024"


def test_every_document_words_the_key_alike(result: ProgrammeResult) -> None:
    split = result.municipal
    key = describe_key(split)
    assert "\xa0" not in key  # plain text: the no-break spaces are for typst letters only
    assert {s.label: s.value for s in party_working(result, "157")}["Fordelingsnøgle"] == key
    assert dict(method_rows(result, None))["Fordelingsnøgle"] == key
    assert json.loads(render_json(split))["key"] == key
    gentofte = find_payer(result, "157")
    assert letter_context(result, gentofte, None)["key"] == key
    charge = charge_of(result, gentofte)
    assert charge is not None
    assert charge.line_name == f"{result.programme.short_title}: {charge_words(split)}"
    words = Wording.of(split)
    line = municipal_basis_line(result).replace("\xa0", " ")
    assert (words.by.replace("\xa0", " ") in line) == bool(split.key.population)


def test_the_short_words_of_each_kind(tmp_path: Path) -> None:
    expected = {
        "population": "andel efter indbyggertal",
        "equal": "lige store andele",
        "mixed": "andel efter fordelingsnøgle",
        "fixed": "andel efter indbyggertal",
        "age": "andel efter antallet af indbyggere på 65 år og derover",
        "month": "andel efter indbyggertal pr. 1. december 2024",
        "factor": "andel efter indbyggertal",
        "mixed-capped": "andel efter fordelingsnøgle",
        "decimal": "andel efter fordelingsnøglen",
        "capped": "andel efter indbyggertal",
    }
    found = {kind: charge_words(kind_result(tmp_path, kind).municipal) for kind in expected}
    assert found == expected


def test_a_co_financing_party_pays_its_own_part() -> None:
    result = compute(load_programme(EXAMPLES / "telehjerte-2025.toml"))
    region = next(payer for payer in payers(result) if not payer.municipal)
    charge = charge_of(result, region)
    assert charge is not None
    assert charge.line_name.endswith(": andel som medfinansierende part")
