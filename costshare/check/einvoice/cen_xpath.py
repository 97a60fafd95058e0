"""The few XPath 2.0 steps the CEN rules take, as they behave on costshare's documents.

:mod:`.cen_model` and :mod:`.cen_codes` write each published rule's test with these, in
the test's own terms (``normalize-space``, ``xs:decimal``, ``round``, ``sum``), on a tree
that :mod:`.cen_shape` has admitted: every element at most once where costshare writes
it once, leaves holding text only, amounts written as plain decimals.

A path is a sequence of Clark names from a context element, child by child; ``text()`` is
the string value of the first element found ("" for none, as XPath's string of an empty
sequence). A number is ``None`` where XPath has the empty sequence: a comparison with it
is false, and arithmetic on it stays ``None``.

>>> normalize_space("  a \\t b\\n")
'a b'
>>> rounded(Decimal("2.5")), rounded(Decimal("-2.5"))
(Decimal('3'), Decimal('-2'))
>>> in_code_list(" DKK ", " DKK EUR ")
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from lxml import etree

CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
CREDIT_NOTE = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
_XML_SPACE = re.compile("[ \t\r\n]+")
_HALF = Decimal("0.5")
PRECISION = 60
"""Digits of decimal arithmetic: an amount the shape admits has at most 17, and a sum of
them, times 100, stays far inside (Saxon's decimals are exact)."""


def normalize_space(text: str) -> str:
    """XPath's ``normalize-space``: XML white space collapsed to one space, ends trimmed."""
    return _XML_SPACE.sub(" ", text).strip(" ")


def path(node: etree._Element, *names: str) -> list[etree._Element]:
    """The elements at ``names`` below ``node``, child by child, in document order."""
    found = [node]
    for name in names:
        found = [child for parent in found for child in parent if child.tag == name]
    return found


def exists(node: etree._Element, *names: str) -> bool:
    return bool(path(node, *names))


def text(node: etree._Element, *names: str) -> str:
    """The string value of the first element at ``names`` ("" if there is none)."""
    found = path(node, *names)
    return (found[0].text or "") if found else ""


def decimal(node: etree._Element, *names: str) -> Decimal | None:
    """``xs:decimal`` of the first element at ``names``; None for none (the shape admits
    only plain decimals where a rule casts)."""
    found = path(node, *names)
    return Decimal(found[0].text or "") if found else None


def total(elements: list[etree._Element], *names: str) -> Decimal:
    """XPath's ``sum()`` of ``xs:decimal`` of the elements at ``names`` below each."""
    return sum((Decimal(e.text or "") for n in elements for e in path(n, *names)), Decimal(0))


def rounded(value: Decimal) -> Decimal:
    """XPath's ``round``: the nearest whole number, halves towards positive infinity."""
    with localcontext() as context:
        context.prec = PRECISION
        return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def cents(value: Decimal) -> Decimal:
    """``round(value * 10 * 10) div 100``, the rules' rounding to the cent."""
    with localcontext() as context:
        context.prec = PRECISION
        return rounded(value * 100) / 100


def is_vat(category: etree._Element) -> bool:
    """``[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']`` (the shape admits only
    ASCII scheme ids, whose upper case is unambiguous)."""
    return any(
        normalize_space((scheme_id.text or "").upper()) == "VAT"
        for scheme_id in path(category, CAC + "TaxScheme", CBC + "ID")
    )


def category_is(category: etree._Element, code: str) -> bool:
    """``[normalize-space(cbc:ID) = code]``."""
    return any(normalize_space(i.text or "") == code for i in path(category, CBC + "ID"))


def in_code_list(value: str, codes: str) -> bool:
    """The published code-list test: ``not(contains(normalize-space(v), ' ')) and
    contains(codes, concat(' ', normalize-space(v), ' '))``."""
    code = normalize_space(value)
    return " " not in code and f" {code} " in codes


def double_at_least(value: str, bound: int, *, strictly: bool = False) -> bool:
    """An untyped value compared with a whole number, as XPath compares them: as doubles."""
    number = float(value)
    return number > bound if strictly else number >= bound


Test = Callable[[etree._Element], bool]


@dataclass(frozen=True)
class Context:
    """A rule of the published stylesheet: the elements it takes and its asserts.

    It takes an element named ``name`` whose ancestors are named ``parents`` (innermost
    last; ``ROOT`` for the document's root element) and for which ``when`` holds; its
    asserts are (rule id, does it hold?) in the published order.
    """

    name: str
    asserts: tuple[tuple[str, Test], ...]
    parents: tuple[str, ...] = ()
    when: Test | None = None

    def matches(self, element: etree._Element) -> bool:
        node: etree._Element | None = element
        for parent in reversed(self.parents):
            node = node.getparent() if node is not None else None
            if node is None:
                return False
            if (node.getparent() is not None) if parent == ROOT else (node.tag != parent):
                return False
        return self.when is None or self.when(element)


ROOT = "/*"
"""A parent that is the document's root element, whatever its name."""


def filled(*names: str) -> Test:
    """``normalize-space(names) != ''``."""
    return lambda node: normalize_space(text(node, *names)) != ""


def present(*names: str) -> Test:
    """``exists(names)``."""
    return lambda node: exists(node, *names)


def is_root(element: etree._Element) -> bool:
    return element.getparent() is None


def document(element: etree._Element) -> etree._Element:
    """The document's root element."""
    return element.getroottree().getroot()


def everywhere(element: etree._Element, tag: str) -> list[etree._Element]:
    """``//tag``: every element of that name in the document."""
    return list(document(element).iter(tag))
