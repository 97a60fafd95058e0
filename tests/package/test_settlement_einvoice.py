"""E-invoices and credit notes in the settlement package (issue #14 with #12's writer).

The TeleHjerte settlement (charged on 2024K1 at 1.050.000 kr., final on 2025K1) with
[invoicing] and the payer register: an invoice per payer and format for an extra charge,
a credit note for a credit, nothing for no change; every document valid, its payable
amount the difference, and the documents together exactly final − charged.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from annex_helpers import run_cli, with_greve
from einvoice_helpers import NS, payable_ore, settlement_documents, settlement_programmes
from lxml import etree

from costshare.base.money import parse_amount
from costshare.check.einvoice.validate import validate_document

# Full packages, typst letters or workbooks: left out by pytest -m "not slow".
pytestmark = pytest.mark.slow


def settle_package(folder: Path, *options: str, final_amount: str = "1100000") -> Path:
    """Run the charge and settle it; the settlement package's folder."""
    charged, final = settlement_programmes(folder, final_amount=final_amount)
    result = run_cli("run", str(charged), "--out", str(folder / "opkraevet"))
    assert result.exit_code == 0, result.output
    out = folder / "efterregulering"
    result = run_cli(
        "settle", str(final), "--charged", str(folder / "opkraevet"), "--out", str(out), *options
    )
    assert result.exit_code == 0, result.output
    return out


def manifest(folder: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return document


def differences(folder: Path) -> dict[str, int]:
    return {row["code"]: parse_amount(row["amount"]) for row in manifest(folder)["payers"]}


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Final 1.100.000 kr.: every payer pays more."""
    return settle_package(tmp_path_factory.mktemp("extra"))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Final 1.050.000 kr. on 2025K1: populations moved, so some pay more, some less, the
    region (half the amount, unchanged) the same."""
    return settle_package(tmp_path_factory.mktemp("mixed"), final_amount="1050000")


def check_documents(folder: Path) -> dict[str, bytes]:
    """Every document valid, one per payer and format with a non-zero difference, its
    payable amount the difference; returns them."""
    written = settlement_documents(folder)
    amounts = differences(folder)
    assert set(written) == {
        f"{code}-{name}"
        for code, amount in amounts.items()
        if amount
        for name in ("oioubl", "peppol")
    }
    for name, xml in written.items():
        report = validate_document(xml)
        assert report.valid, (name, [str(finding) for finding in report.findings])
        assert payable_ore(xml) == amounts[name.split("-")[0]]
    total = sum(amounts.values())
    for name in ("oioubl", "peppol"):
        assert sum(payable_ore(xml) for key, xml in written.items() if key.endswith(name)) == total
    return written


def test_extra_charges_are_invoices(extra: Path) -> None:
    written = check_documents(extra)
    assert len(written) == 60
    assert sum(differences(extra).values()) == 50_000_00
    assert all(
        etree.QName(etree.fromstring(xml)).localname == "Invoice" for xml in written.values()
    )


def test_credits_are_credit_notes_and_no_change_no_document(mixed: Path) -> None:
    written = check_documents(mixed)
    amounts = differences(mixed)
    assert sum(amounts.values()) == 0 and amounts["084"] == 0
    kinds = {name: etree.QName(etree.fromstring(xml)).localname for name, xml in written.items()}
    credits = {name for name, kind in kinds.items() if kind == "CreditNote"}
    assert credits == {name for name in kinds if amounts[name.split("-")[0]] < 0}
    assert credits and len(credits) < len(kinds)
    assert "084-oioubl" not in written
    for name in credits:  # positive amounts, as both formats require
        root = etree.fromstring(written[name])
        assert not root.findtext(
            "cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS
        ).startswith("-")


def test_documents_name_the_settlement_and_the_original_invoice(mixed: Path) -> None:
    written = check_documents(mixed)
    code = next(name.split("-")[0] for name, xml in written.items() if b"<CreditNote" in xml)
    for name in ("oioubl", "peppol"):
        root = etree.fromstring(written[f"{code}-{name}"])
        assert root.findtext("cbc:ID", namespaces=NS) == f"SAG-2024-05018-{code}-EFT"
        reference = "cac:BillingReference/cac:InvoiceDocumentReference/"
        assert root.findtext(reference + "cbc:ID", namespaces=NS) == f"SAG-2024-05018-{code}"
        assert root.findtext(reference + "cbc:IssueDate", namespaces=NS) == "2025-02-17"
        assert root.findtext("cac:CreditNoteLine/cac:Item/cbc:Name", namespaces=NS) == (
            "TeleHjerte, forlængelse 2025: efterregulering af andel efter indbyggertal"
        )
        assert "Efterregulering af faktura" in (root.findtext("cbc:Note", namespaces=NS) or "")


def test_manifest_lists_the_documents_with_the_difference(mixed: Path) -> None:
    import hashlib

    entries = [entry for entry in manifest(mixed)["files"] if entry["kind"] == "einvoice"]
    amounts = differences(mixed)
    assert len(entries) == len(settlement_documents(mixed))
    for entry in entries:
        assert parse_amount(entry["amount"]) == amounts[entry["code"]]
        assert entry["document"] == ("credit note" if amounts[entry["code"]] < 0 else "invoice")
        assert entry["reference"] == f"SAG-2024-05018-{entry['code']}-EFT"
        assert entry["format"] in ("oioubl", "peppol")
        assert entry["sha256"] == hashlib.sha256((mixed / entry["path"]).read_bytes()).hexdigest()
    paths = [entry["path"] for entry in manifest(mixed)["files"]]
    assert paths == sorted(paths)


def test_settlement_documents_are_byte_reproducible(mixed: Path, tmp_path: Path) -> None:
    again = settle_package(tmp_path, final_amount="1050000")
    assert settlement_documents(again) == settlement_documents(mixed)
    assert (again / "manifest.json").read_bytes() == (mixed / "manifest.json").read_bytes()


def test_no_einvoices_option(tmp_path: Path) -> None:
    out = settle_package(tmp_path, "--no-einvoices")
    assert not (out / "einvoices").exists()
    assert not [entry for entry in manifest(out)["files"] if entry["kind"] == "einvoice"]


def test_charge_without_einvoices_gives_documents_without_a_reference(tmp_path: Path) -> None:
    charged, final = settlement_programmes(tmp_path, final_amount="1050000")
    result = run_cli("run", str(charged), "--out", str(tmp_path / "c"), "--no-einvoices")
    assert result.exit_code == 0, result.output
    out = tmp_path / "s"
    result = run_cli("settle", str(final), "--charged", str(tmp_path / "c"), "--out", str(out))
    assert result.exit_code == 0, result.output
    for xml in check_documents(out).values():
        assert b"BillingReference" not in xml
        assert b"Efterregulering af den tidligere opkr\xc3\xa6vning af 17. februar 2025" in xml


def test_settle_refuses_an_invalid_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import costshare.package.settlement_package as settlement

    original = settlement.differences

    def bad_gln(*args: Any) -> Any:
        everyone = original(*args)
        everyone[3] = dataclasses.replace(everyone[3], ean="5798000000002")
        return everyone

    charged, final = settlement_programmes(tmp_path)
    assert run_cli("run", str(charged), "--out", str(tmp_path / "c")).exit_code == 0
    monkeypatch.setattr(settlement, "differences", bad_gln)
    out = tmp_path / "s"
    result = run_cli("settle", str(final), "--charged", str(tmp_path / "c"), "--out", str(out))
    assert result.exit_code == 1
    assert "fails rule F-LIB181" in result.output or "PEPPOL-COMMON-R040" in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".s.tmp")] == []


def test_terminal_names_the_documents(tmp_path: Path) -> None:
    charged, final = settlement_programmes(tmp_path, final_amount="1050000")
    assert run_cli("run", str(charged), "--out", str(tmp_path / "c")).exit_code == 0
    result = run_cli(
        "settle", str(final), "--charged", str(tmp_path / "c"), "--out", str(tmp_path / "s")
    )
    assert "E-invoices:" in result.output and "credit notes" in result.output


def test_a_payer_that_left_is_credited_by_letter_and_named(tmp_path: Path) -> None:
    """Charged but not in the final split: credited everything by letter; the final
    programme's register cannot list it, so it gets no credit note and a warning says so."""
    charged, final = settlement_programmes(tmp_path)
    text = charged.read_text(encoding="utf-8")
    charged.write_text(with_greve(text, "1000", "1051000"), encoding="utf-8")
    assert run_cli("run", str(charged), "--out", str(tmp_path / "c")).exit_code == 0
    out = tmp_path / "s"
    result = run_cli("settle", str(final), "--charged", str(tmp_path / "c"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "no e-invoice for 1 payer(s) without an EAN in the payer register: 253 Greve" in (
        result.stderr
    )
    assert (out / "253-greve.pdf").exists()
    written = settlement_documents(out)
    assert "253-peppol" not in written and len(written) == 60
