"""A failed rule, and the small helpers the rule modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


@dataclass(frozen=True)
class Finding:
    """One failed rule: its official id, its text, and whether it rejects the document."""

    rule: str
    text: str
    flag: str = "fatal"
    """``fatal`` rejects the document; ``warning`` does not."""

    def __str__(self) -> str:
        return f"{self.rule} [{self.flag}]: {self.text}"


@dataclass(frozen=True)
class Rule:
    """A costshare check under an official rule id.

    ``fails(node)`` is true where the rule is broken; it is asked for every node that
    ``context`` (an XPath from the document root) selects.
    """

    rule: str
    context: str
    fails: Callable[[etree._Element], bool]
    text: str | Callable[[etree._Element], str]
    flag: str = "fatal"

    def check(self, document: etree._Element) -> Iterator[Finding]:
        for node in document.xpath(self.context, namespaces=NS):
            if self.fails(node):
                text = self.text if isinstance(self.text, str) else self.text(node)
                yield Finding(self.rule, text, self.flag)


def find(node: etree._Element, path: str) -> list[etree._Element]:
    """The elements under ``node`` at ``path`` (prefixed XPath)."""
    return list(node.xpath(path, namespaces=NS))


def text(node: etree._Element, path: str) -> str:
    """The text of the first element at ``path``, stripped; "" if there is none."""
    found = find(node, path)
    return " ".join((found[0].text or "").split()) if found else ""


def attribute(node: etree._Element, path: str, name: str) -> str:
    found = find(node, path)
    return str(found[0].get(name, "")) if found else ""


def number(node: etree._Element, path: str) -> Decimal:
    """The sum of the amounts at ``path`` (0 where absent or not a number), as XPath's
    ``sum()`` would give it."""
    total = Decimal(0)
    for element in find(node, path):
        try:
            total += Decimal((element.text or "").strip())
        except InvalidOperation:
            continue
    return total


def cents(value: Decimal) -> Decimal:
    """Rounded to two decimals, as XSLT's ``format-number(x, '#0.00')``."""
    return value.quantize(Decimal("0.01"))
