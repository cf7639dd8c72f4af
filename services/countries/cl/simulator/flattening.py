"""The SII's "flattened" form of a signed fragment (reference §4.2): how FRMT and FRMA are checked.

The TED's DD and the CAF's DA are signed as namespace-free XML, with everything between a
closing tag and the next opening tag removed, text escaped as C14N escapes it, empty elements
written `<X></X>`, and the result encoded in ISO-8859-1. The simulator rebuilds that string from
the parsed element, so whatever whitespace or namespace declarations the document carries
around DD, the bytes checked are the ones the issuer had to sign. It is written apart from the
pack's own `flatten.py` on purpose: a mistake there must be caught here, not mirrored.
"""

from __future__ import annotations

from lxml import etree


class NotFlattenable(ValueError):
    """The fragment holds something the SII's flat form cannot carry (mixed content, a
    character outside ISO-8859-1)."""


def _text(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")
    )


def _attribute(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\t", "&#x9;")
        .replace("\n", "&#xA;")
        .replace("\r", "&#xD;")
    )


def _write(element: etree._Element, out: list[str]) -> None:
    name = etree.QName(element).localname
    attributes = "".join(
        f' {etree.QName(key).localname}="{_attribute(value)}"'
        for key, value in element.attrib.items()
    )
    out.append(f"<{name}{attributes}>")
    children = [child for child in element if isinstance(child.tag, str)]
    if children:
        if element.text and element.text.strip():
            raise NotFlattenable(f"{name}: mixed content")
        for child in children:
            _write(child, out)
            if child.tail and child.tail.strip():
                raise NotFlattenable(f"{name}: mixed content")
    else:
        # Leaf text is kept exactly, inner and outer spaces included (§4.2 step 2).
        out.append(_text(element.text or ""))
    out.append(f"</{name}>")


def flattened(element: etree._Element) -> bytes:
    """The ISO-8859-1 bytes of `element` in the SII's flattened, namespace-free form."""
    out: list[str] = []
    _write(element, out)
    try:
        return "".join(out).encode("iso-8859-1")
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        raise NotFlattenable(f"a character outside ISO-8859-1: {character!r}") from None
