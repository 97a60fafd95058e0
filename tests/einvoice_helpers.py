"""Helpers for the e-invoice tests: a TeleHjerte programme with [invoicing], and payers
filled the way the payer register fills them (EAN, CVR, address, references)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from lxml import etree

from costshare.base.identifiers import gln_check_digit
from costshare.documents.einvoice.charge import Attachment, charge_for
from costshare.documents.einvoice.formats import WRITERS
from costshare.programme.model import ProgrammeResult, compute, load_programme
from costshare.programme.payers import Payer, payers

EXAMPLES = Path(__file__).parent.parent / "examples"
INVOICING = """
[invoicing]
formats = ["oioubl", "peppol"]
seller_cvr = "12345674"
vat = "{vat}"
number = "{{case_number}}-{{code}}"
"""
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def programme_file(
    folder: Path,
    *,
    vat: str = "outside-scope",
    amount: str = "1050000",
    bank: str = 'reg_no = "1234"\naccount_no = "1234567890"',
) -> Path:
    """The TeleHjerte example with bank details (instead of its account text) and an
    [invoicing] table."""
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", folder)  # the register beside it
    text = without_invoicing((EXAMPLES / "telehjerte-2025.toml").read_text(encoding="utf-8"))
    text = text.replace('amount = "1050000"', f'amount = "{amount}"')
    text = with_bank(text, bank)
    path = folder / "telehjerte-einvoice.toml"
    path.write_text(text + INVOICING.format(vat=vat), encoding="utf-8")
    return path


def without_invoicing(programme: str) -> str:
    """A programme's text without its own ``[invoicing]`` table (and the comment above it),
    so a test can give its own."""
    lines = programme.splitlines()
    if "[invoicing]" not in lines:
        return programme
    start = end = lines.index("[invoicing]")
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    end += 1
    while end < len(lines) and not lines[end].startswith("["):
        end += 1
    return "\n".join(lines[:start] + lines[end:]) + "\n"


def with_bank(programme: str, bank: str) -> str:
    """A programme's text with ``bank`` as the account under [payment], in place of the
    example's own ``account = "…"`` line."""
    lines = [line for line in programme.splitlines() if not line.startswith("account = ")]
    return "\n".join(lines).replace("[payment]\n", f"[payment]\n{bank}\n") + "\n"


def ean_for(code: str) -> str:
    """A valid (made-up) EAN for a payer code."""
    digits = "5798000" + f"{int(code):05d}" if code.isdigit() else "579800099999"
    return digits + str(gln_check_digit(digits))


def registered(payer: Payer, **changes: str) -> Payer:
    """The payer as a register with every field would give it."""
    fields = {
        "ean": ean_for(payer.code),
        "cvr": "29189897",
        "attention": f"Økonomi {payer.code}",
        "order_reference": f"PO-{payer.code}",
        "reference": f"REF-{payer.code}",
        "address": payer.address or "Rådhuspladsen 1",
        # The register's postcode and city, where it gives an address; else a made-up one.
        "postcode": payer.postcode or ("" if payer.address else "1550"),
        "city": payer.city or ("" if payer.address else "København V"),
    }
    return dataclasses.replace(payer, **(fields | changes))


def registered_payers(result: ProgrammeResult) -> list[Payer]:
    return [registered(payer) for payer in payers(result)]


def load(path: Path) -> ProgrammeResult:
    return compute(load_programme(path))


def documents(
    result: ProgrammeResult,
    everyone: list[Payer] | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> dict[str, bytes]:
    """Every payer's documents by ``code-format``, unvalidated, each carrying
    ``attachments``."""
    invoicing = result.programme.invoicing
    assert invoicing is not None
    out = {}
    for payer in everyone if everyone is not None else registered_payers(result):
        charge = charge_for(result, payer, attachments=attachments)
        if charge is None:
            continue
        for name in invoicing.formats:
            out[f"{payer.code}-{name}"] = WRITERS[name](charge)
    return out


def payable_ore(xml: bytes) -> int:
    """A document's PayableAmount in øre, negative for a credit note."""
    root = etree.fromstring(xml)
    text = root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS)
    assert text is not None
    kroner, _, ore = text.partition(".")
    assert len(ore) == 2, text
    value = int(kroner) * 100 + int(ore)
    return -value if etree.QName(root).localname == "CreditNote" else value


def settlement_programmes(folder: Path, *, final_amount: str = "1100000") -> tuple[Path, Path]:
    """The TeleHjerte settlement example (charged on 2024K1, final on 2025K1) with the payer
    register, bank details and [invoicing] in both programmes: (charged, final)."""
    shutil.copy(EXAMPLES / "telehjerte-2025-modtagere.csv", folder)
    written = []
    for stem in ("telehjerte-2025-foreloebig", "telehjerte-2025-endelig"):
        text = (EXAMPLES / f"{stem}.toml").read_text(encoding="utf-8")
        if stem.endswith("endelig"):
            text = text.replace('amount = "1100000"', f'amount = "{final_amount}"')
        text = text.replace(
            "letter_date =", 'register = "telehjerte-2025-modtagere.csv"\nletter_date =', 1
        )
        text = with_bank(text, 'reg_no = "1234"\naccount_no = "1234567890"')
        path = folder / f"{stem}.toml"
        path.write_text(text + INVOICING.format(vat="outside-scope"), encoding="utf-8")
        written.append(path)
    return written[0], written[1]


def settlement_documents(folder: Path) -> dict[str, bytes]:
    """The e-invoices of a settlement package by ``code-format``."""
    return {
        path.stem.split("-")[0] + "-" + path.stem.rsplit("-", 1)[1]: path.read_bytes()
        for path in sorted((folder / "einvoices").glob("*.xml"))
    }
