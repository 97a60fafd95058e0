"""Parsing an e-invoice that came from elsewhere, so that no parser reaches outside.

An e-invoice is untrusted input. A DOCTYPE can name an external DTD (fetched over the
network, and able to send a local file's contents to a server inside a URL) or declare
entities that expand to gigabytes. UBL documents never carry a DOCTYPE, so one is refused
outright, before any rule runs; and the document is parsed once, here, by lxml with DTD
loading, entity resolution and network access switched off. Every later parser (Saxon, for
the published CEN rules) gets :func:`canonical_bytes` of that tree: UTF-8, no DOCTYPE, no
processing instructions, so it has nothing to resolve and no encoding to guess.

The declared encoding is honoured (lxml reads it from the XML declaration); the shape is
bounded (elements, attributes per element, depth) so a document cannot make the rule sets
walk millions of nodes.

>>> safe = parse_untrusted(b'<Invoice xmlns="urn:x"><ID>1</ID></Invoice>')
>>> safe.getroot().tag
'{urn:x}Invoice'
>>> parse_untrusted(b'<!DOCTYPE Invoice SYSTEM "http://example.org/x.dtd"><Invoice/>')
Traceback (most recent call last):
...
costshare.check.einvoice.untrusted.UntrustedXML: the document has a DOCTYPE (<!DOCTYPE ...>), which an e-invoice never has; it is not read
"""

from __future__ import annotations

from lxml import etree

from costshare.base.limits import MAX_EINVOICE_BYTES

MAX_ELEMENTS = 200_000  # a 1,000-line invoice has about 30,000
MAX_ATTRIBUTES = 32  # attributes of one element (UBL uses at most 4)
MAX_DEPTH = 64  # UBL nests about 10 deep


class UntrustedXML(ValueError):
    """The document was refused before any rule ran; the message says why."""


def safe_parser() -> etree.XMLParser:
    # A new parser each time: lxml parsers are not thread-safe, and the settings are the point.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_pis=True,
        remove_comments=False,
    )


def parse_untrusted(xml: bytes) -> etree._ElementTree:
    """Parse ``xml`` without reaching outside; raise :class:`UntrustedXML` if it is refused.

    Refused: more than :data:`MAX_EINVOICE_BYTES`, a DOCTYPE (internal or external), an
    entity reference, XML that is not well-formed, or a shape past the limits above.
    """
    if len(xml) > MAX_EINVOICE_BYTES:
        raise UntrustedXML(
            f"the document is {len(xml):,} bytes, over the limit of {MAX_EINVOICE_BYTES:,}"
        )
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError as error:
        raise UntrustedXML(f"not well-formed XML: {error}") from None
    tree = root.getroottree()
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UntrustedXML(
            "the document has a DOCTYPE (<!DOCTYPE ...>), which an e-invoice never has; "
            "it is not read"
        )
    _check_shape(root)
    return tree


def _check_shape(root: etree._Element) -> None:
    elements = depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        elements += 1
        if isinstance(element, etree._Entity):
            raise UntrustedXML(f"the document uses an entity ({element.text}); it is not read")
        if elements > MAX_ELEMENTS:
            raise UntrustedXML(f"the document has more than {MAX_ELEMENTS:,} elements")
        if depth > MAX_DEPTH:
            raise UntrustedXML(
                f"line {element.sourceline}: elements nest more than {MAX_DEPTH} deep"
            )
        if isinstance(element.tag, str) and len(element.attrib) > MAX_ATTRIBUTES:
            raise UntrustedXML(
                f"line {element.sourceline}: an element has more than {MAX_ATTRIBUTES} attributes"
            )


def canonical_bytes(tree: etree._ElementTree) -> bytes:
    """The parsed document as UTF-8 with no DOCTYPE: what a second parser may be given."""
    return bytes(etree.tostring(tree.getroot(), encoding="UTF-8", xml_declaration=True))
