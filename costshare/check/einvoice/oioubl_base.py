"""The frame for costshare's OIOUBL rules: a rule under its invoice and credit note ids,
the XPath contexts the rules share, and small value helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from costshare.check.einvoice.findings import Rule, text

DOC = "/*"
SUPPLIER = "/*/cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "/*/cac:AccountingCustomerParty/cac:Party"
PARTIES = f"{SUPPLIER} | {CUSTOMER}"
MEANS = "/*/cac:PaymentMeans"
CATEGORIES = "//cac:TaxCategory"
TOTALS = "/*/cac:LegalMonetaryTotal"
LINES = "/*/cac:InvoiceLine | /*/cac:CreditNoteLine"


@dataclass(frozen=True)
class PairedRule:
    """A rule with its invoice id (``F-INV…``) and credit note id (``F-CRN…``); common
    rules (``F-LIB…``) have the same id for both. ``credit_text`` where the credit note's
    official text differs."""

    invoice_id: str
    credit_id: str
    rule: Rule
    credit_text: str = ""


class RuleList(list[PairedRule]):
    """The rules of one family, in the order they are checked."""

    def add(
        self,
        invoice_id: str,
        credit_id: str,
        context: str,
        fails: Callable[[etree._Element], bool],
        text_: str | Callable[[etree._Element], str],
        credit_text: str = "",
    ) -> None:
        self.append(
            PairedRule(invoice_id, credit_id, Rule(invoice_id, context, fails, text_), credit_text)
        )


def decimal_at(node: etree._Element, path: str) -> Decimal | None:
    try:
        return Decimal(text(node, path))
    except InvalidOperation:
        return None


def cvr_bad(value: str) -> bool:
    return len(value) != 10 or not value.startswith("DK")
