"""Reading XML that arrives from outside: no DTDs, no entities, no network, bounded trees."""

from __future__ import annotations

import re
import threading

from lxml import etree


class UnsafeXml(ValueError):
    """Not well-formed XML, or XML carrying a DTD (entity or external-reference attacks)."""


# A DOCTYPE may only appear in the prolog; looking for it in the first bytes is enough to refuse
# it before libxml2 reads any declaration.
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_PROLOG_SCAN = 65536  # the parsed tree is checked too, for a DOCTYPE behind a long prolog
_local = threading.local()


def _parser() -> etree.XMLParser:
    # lxml parsers hold per-parse state: one per thread.
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


def parse(data: bytes) -> etree._Element:
    """Parse untrusted XML and return its root; UnsafeXml when malformed or carrying a DTD."""
    if _DOCTYPE.search(data, 0, _PROLOG_SCAN):
        raise UnsafeXml("a DOCTYPE is not allowed")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise UnsafeXml(f"not well-formed XML: {error}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXml("a DOCTYPE is not allowed")
    return root


def parse_text(text: str) -> etree._Element:
    """Parse untrusted XML given as a string (a SOAP string parameter)."""
    return parse(text.encode("utf-8") if not text.lstrip().startswith("<?xml") else _recode(text))


def _recode(text: str) -> bytes:
    # A string that declares its own encoding must be handed to libxml2 as bytes in that
    # encoding; the declaration is rewritten to UTF-8 so the two agree.
    end = text.find("?>")
    declaration = re.sub(r"encoding=(['\"])[^'\"]*\1", 'encoding="UTF-8"', text[: end + 2])
    return (declaration + text[end + 2 :]).encode("utf-8")
