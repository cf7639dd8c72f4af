"""Reading XML that comes from outside (CAF files, signed DTEs, envelopes): no entities, no
DTD, no network, bounded size, so a hostile file cannot expand, fetch or smuggle anything."""

from __future__ import annotations

from lxml import etree

MAX_INPUT = 64 * 1024 * 1024  # an EnvioDTE of 2,000 large DTEs stays far below this


class UnreadableXml(ValueError):
    """The bytes are not XML timbra accepts; the message says why (never the content)."""


def parser() -> etree.XMLParser:
    """A parser for outside input; a new one per call (lxml parsers are not thread-safe)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_blank_text=False,
        remove_comments=False,
    )


def parse_xml(content: bytes, *, limit: int = MAX_INPUT) -> etree._Element:
    """The root element of `content`; UnreadableXml when malformed, too big or with a DTD."""
    if len(content) > limit:
        raise UnreadableXml(f"the file is {len(content)} bytes; at most {limit} are accepted")
    try:
        root = etree.fromstring(content, parser())
    except etree.XMLSyntaxError as error:
        raise UnreadableXml(f"not well-formed XML (line {error.lineno}): {error.msg}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise UnreadableXml("a DOCTYPE is not accepted")
    for _ in root.iter(etree.Entity):
        raise UnreadableXml("entity references are not accepted")
    return root
