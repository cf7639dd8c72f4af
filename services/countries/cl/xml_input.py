"""Reading XML that comes from outside (CAF files, signed DTEs, envelopes) with the platform's
one hardened parser: no entities, no DTD, no network, bounded size and depth."""

from __future__ import annotations

from lxml import etree

from services.core.untrusted_xml import MAX_BYTES, UnsafeXml, parse

MAX_INPUT = MAX_BYTES

# The Chilean modules name the refusal this way; it is the platform's one.
UnreadableXml = UnsafeXml


def parse_xml(content: bytes, *, limit: int = MAX_INPUT) -> etree._Element:
    """The root element of `content`; UnreadableXml when malformed, too big or with a DTD."""
    return parse(content, limit=limit)
