"""Writing SII XML: the DTE namespace, elements in it, and ISO-8859-1 bytes with their
declaration (the encoding the SII's schemas and uploads use, sii-chile.md §1.1)."""

from __future__ import annotations

from lxml import etree

SII_NS = "http://www.sii.cl/SiiDte"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ENCODING = "ISO-8859-1"
XML_DECLARATION = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'


def tag(name: str) -> str:
    """The Clark name of an element of the DTE namespace."""
    return f"{{{SII_NS}}}{name}"


def sub(parent: etree._Element, name: str, value: object = None) -> etree._Element:
    """A child in the DTE namespace with `value` as text (None: no text)."""
    child = etree.SubElement(parent, tag(name))
    if value is not None:
        child.text = str(value)
    return child


def optional(parent: etree._Element, name: str, value: object) -> None:
    """A child only when `value` is set (not empty, not 0, not None)."""
    if value:
        sub(parent, name, value)


def to_bytes(root: etree._Element) -> bytes:
    """The document in ISO-8859-1 with a double-quoted declaration, as the SII's files are."""
    return XML_DECLARATION + etree.tostring(root, encoding=ENCODING, xml_declaration=False)
