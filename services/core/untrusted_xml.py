"""Parsing XML that comes from outside (documents, envelopes, CAF files, SOAP requests): no DTD,
no entities, no network, bounded size and depth, so a hostile file cannot expand (billion
laughs), fetch (XXE) or smuggle anything. One parser for every country and simulator."""

from __future__ import annotations

import re
import threading

from lxml import etree

# An EnvioDTE of 2,000 large DTEs (the largest document anyone sends) stays far below this.
MAX_BYTES = 64 * 1024 * 1024

_PROLOG_ENDS = {b"<?": b"?>", b"<!--": b"-->"}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_local = threading.local()


class UnsafeXml(ValueError):
    """Not XML timbra accepts: malformed, too big, or carrying a DTD or entities. The message
    says why, never the content."""


def _parser() -> etree.XMLParser:
    # lxml parsers keep per-parse state: one per thread, reused.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            # libxml2's own limits stay on: 256 levels, 10 MB per text node.
            huge_tree=False,
            remove_blank_text=False,  # signatures digest the document exactly as written
            remove_comments=False,
        )
        _local.parser = parser
    return parser


def declares_doctype(data: bytes) -> bool:
    """Whether the prolog (BOM, declaration, comments, processing instructions) has a DOCTYPE."""
    # Checked on the bytes, so that libxml2 never reads an entity declaration at all.
    if data.startswith(_BOMS[1:]):
        # UTF-16: scan its decoded form (the byte scan below reads single-byte encodings).
        return declares_doctype(data.decode("utf-16", errors="replace").encode("utf-8"))
    position = 3 if data.startswith(_BOMS[0]) else 0
    while True:
        while position < len(data) and data[position : position + 1].isspace():
            position += 1
        if data[position : position + 9].upper() == b"<!DOCTYPE":
            return True
        opening = next((o for o in _PROLOG_ENDS if data.startswith(o, position)), None)
        if opening is None:
            return False
        end = data.find(_PROLOG_ENDS[opening], position + len(opening))
        if end < 0:
            return False
        position = end + len(_PROLOG_ENDS[opening])


def parse(data: bytes, *, limit: int = MAX_BYTES) -> etree._Element:
    """Parse untrusted XML and return its root; UnsafeXml when it is not acceptable."""
    if len(data) > limit:
        raise UnsafeXml(f"the input is {len(data)} bytes; at most {limit} are accepted")
    if declares_doctype(data):
        raise UnsafeXml("a DOCTYPE is not allowed")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeXml(f"not well-formed XML (line {error.lineno}): {error.msg}") from None
    except ValueError as error:  # e.g. a declared encoding the bytes do not match
        raise UnsafeXml(f"not well-formed XML: {error}") from None
    # Documents and envelopes never need a DTD: one here is an entity or external-reference
    # attack, so it is refused whatever it declares.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXml("a DOCTYPE is not allowed")
    for _ in root.iter(etree.Entity):
        raise UnsafeXml("entity references are not allowed")
    return root


def parse_text(text: str, *, limit: int = MAX_BYTES) -> etree._Element:
    """Parse untrusted XML given as a string (e.g. a SOAP string parameter)."""
    if not text.lstrip().startswith("<?xml"):
        return parse(text.encode("utf-8"), limit=limit)
    # A string that declares its own encoding reaches libxml2 as bytes in that encoding, so
    # the declaration is rewritten to UTF-8 for the two to agree.
    end = text.find("?>")
    declaration = re.sub(r"encoding=(['\"])[^'\"]*\1", 'encoding="UTF-8"', text[: end + 2])
    return parse((declaration + text[end + 2 :]).encode("utf-8"), limit=limit)
