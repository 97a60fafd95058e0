"""The VAT rate has one owner (issue #19, item 4): ``costshare.programme.invoicing``.

The charge's VAT amount and the rate both e-invoice formats state come from the same
table, so a change of the rate (or a test that pretends one) reaches every document; before,
each writer stated "25" itself beside the charge's own constant.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from einvoice_helpers import NS, documents, load, programme_file
from lxml import etree

from costshare.programme import invoicing


@pytest.mark.parametrize("rate", [25, 20])
def test_every_format_states_the_rate_the_vat_was_computed_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rate: int
) -> None:
    monkeypatch.setitem(invoicing.VAT_RATE_PERCENT, "standard", rate)
    written = documents(load(programme_file(tmp_path, vat="standard")))
    assert written
    for name, xml in written.items():
        root = etree.fromstring(xml)
        subtotal = root.find("cac:TaxTotal/cac:TaxSubtotal", NS)
        assert subtotal is not None, name
        taxable = subtotal.findtext("cbc:TaxableAmount", namespaces=NS)
        tax = subtotal.findtext("cbc:TaxAmount", namespaces=NS)
        percent = subtotal.findtext("cac:TaxCategory/cbc:Percent", namespaces=NS)
        assert percent == str(rate), name
        taxable_ore = int(str(taxable).replace(".", ""))
        assert int(str(tax).replace(".", "")) == (taxable_ore * rate + 50) // 100, name


@pytest.mark.parametrize("vat", ["outside-scope", "zero-rated"])
def test_no_vat_outside_the_standard_rate(vat: str) -> None:
    assert invoicing.vat_ore(123456, vat) == 0
    assert invoicing.vat_ore(123456, "standard") == 30864  # 25 %, half up
