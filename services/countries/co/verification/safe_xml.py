"""Parsing XML that arrives from outside: no entities, no DTDs, no network, no huge trees."""

from __future__ import annotations

import threading

from lxml import etree


class UnsafeXml(ValueError):
    """The bytes are not well-formed XML, or they carry a DTD (entities, external references)."""


_PROLOG_ENDS = {b"<?": b"?>", b"<!--": b"-->"}
# lxml parsers keep per-parse state, so each worker thread gets its own.
_local = threading.local()


def _parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_blank_text=False,  # signatures digest the document exactly as written
        )
        _local.parser = parser
    return parser


def declares_doctype(data: bytes) -> bool:
    """Whether the prolog (BOM, declaration, comments, processing instructions) has a DOCTYPE."""
    # Checked on the bytes, so that libxml2 never reads an entity declaration at all.
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while position < len(data) and data[position : position + 1].isspace():
            position += 1
        if data.startswith(b"<!DOCTYPE", position):
            return True
        opening = next((o for o in _PROLOG_ENDS if data.startswith(o, position)), None)
        if opening is None:
            return False
        end = data.find(_PROLOG_ENDS[opening], position + len(opening))
        if end < 0:
            return False
        position = end + len(_PROLOG_ENDS[opening])


def parse(data: bytes) -> etree._Element:
    """Parse untrusted XML and return its root; refuse anything with a DOCTYPE."""
    if declares_doctype(data):
        raise UnsafeXml("a DOCTYPE is not allowed")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise UnsafeXml(f"not well-formed XML: {error}") from None
    # Documents and envelopes never need a DTD; one here is an entity or external-reference
    # attack (billion laughs, XXE), so it is refused whatever it declares.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXml("a DOCTYPE is not allowed")
    return root
