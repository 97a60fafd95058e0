"""costshare's own CEN EN 16931 rules for the Peppol documents it writes, proven equal to the
published stylesheet on them.

The published rules (CEN/TC 434's ``EN16931-UBL-validation.xslt``, an XSLT 2.0 stylesheet)
run in Saxon-HE, which compiles them anew in every process: about half a second and
170 MB before the first document, which Saxon-HE cannot save (exporting a compiled
stylesheet needs Saxon-EE). The rules a document of costshare's shape (:mod:`.cen_shape`)
can break are written here in Python (:mod:`.cen_model`, :mod:`.cen_document`,
:mod:`.cen_codes`), each under its published id, text and flag, and run in a millisecond.

:func:`own_cen_findings` gives the findings in the order the stylesheet's report has
them (pattern by pattern, elements in document order, asserts in order), or ``None``
where it does not apply: a document outside the shape, or an installed stylesheet that is
not the one these rules were proven against (:data:`.cen_facts.PROVEN_STYLESHEET_SHA256`).
The caller then runs the published stylesheet. tests/check/test_cen_rules.py runs both on
every example and on documents changed by Hypothesis, and requires the same findings.
"""

from __future__ import annotations

import functools

from lxml import etree

from costshare.check.einvoice.cen_codes import CODES, SYNTAX
from costshare.check.einvoice.cen_facts import cen_facts
from costshare.check.einvoice.cen_model import MODEL
from costshare.check.einvoice.cen_shape import in_shape
from costshare.check.einvoice.cen_xpath import Context
from costshare.check.einvoice.findings import Finding

_PATTERNS = (MODEL, SYNTAX, CODES)


@functools.cache
def _by_name() -> tuple[dict[str, tuple[Context, ...]], ...]:
    """Each pattern's contexts by the element name they take, in priority order."""
    patterns = []
    for contexts in _PATTERNS:
        names: dict[str, list[Context]] = {}
        for context in contexts:
            names.setdefault(context.name, []).append(context)
        patterns.append({name: tuple(found) for name, found in names.items()})
    return tuple(patterns)


def own_cen_findings(root: etree._Element) -> list[Finding] | None:
    """The CEN rules ``root`` breaks, or None where costshare's own rules do not apply
    (see the module docstring). ``root`` must be valid against the UBL 2.1 schema."""
    facts = cen_facts()
    if facts is None or not in_shape(root):
        return None
    found = []
    for pattern in _by_name():
        for element in root.iter(etree.Element):
            for context in pattern.get(element.tag, ()):
                if context.matches(element):
                    for rule, holds in context.asserts:
                        if not holds(element):
                            published = facts[rule]
                            found.append(Finding(rule, published.text, published.flag))
                    break
    return found


def implemented_rules() -> set[str]:
    """The ids of the CEN rules costshare writes itself (for the documentation and tests)."""
    return {rule for contexts in _PATTERNS for context in contexts for rule, _ in context.asserts}
