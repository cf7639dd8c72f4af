"""The SII's "flattened" form of an element, the exact bytes the TED's FRMT and the CAF's FRMA
sign (sii-chile.md §3.2, §4.2).

1. No namespace declarations, even when the element sits in `http://www.sii.cl/SiiDte` inside
   a DTE (the stamp is computed as if in a namespace-less document);
2. everything between a closing tag and the next opening tag is removed, but the text inside
   leaf elements is kept as is (internal double spaces survive: `<RSR>EMPRESA  LTDA</RSR>`);
3. C14N escaping of text (`&amp;`, `&lt;`, `&gt;`) and empty elements written `<X></X>`;
4. encoded in ISO-8859-1, not UTF-8.
"""

from __future__ import annotations

import re

from lxml import etree


class NotFlattenable(ValueError):
    """The element holds text between elements (mixed content): the SII's data never does."""


# In an element's inclusive C14N bytes, whatever flattening would change or refuse: namespace
# declarations, prefixed element or attribute names, text before an opening tag or after a
# closing one (whitespace between elements, or mixed content), comments and processing
# instructions. C14N writes `<` only as markup and every attribute value in double quotes
# with `"` escaped, so these patterns cannot miss; they may match harmless text, which only
# sends the element the slow way.
_NOT_FLAT = re.compile(rb'xmlns|<[^\s>"]*:| [^\s="]*:[^\s="]*="|>[^<]+<[^/]|</[^>]*>[^<]|<[!?]')

# The deepest SII structure flattened is DD/CAF/DA/RNG/D: a cap far above it refuses hostile
# nesting before Python's recursion limit does.
_MAX_DEPTH = 16


def _plain_copy(element: etree._Element, depth: int = 0) -> etree._Element:
    """A namespace-free copy with the whitespace between elements removed."""
    if depth > _MAX_DEPTH:
        raise NotFlattenable(f"elements nested deeper than {_MAX_DEPTH} levels")
    copy = etree.Element(etree.QName(element).localname)
    for name, value in element.attrib.items():
        copy.set(etree.QName(name).localname, value)
    children = [child for child in element if isinstance(child.tag, str)]
    if len(children) != len(element):
        raise NotFlattenable(f"<{copy.tag}> holds comments or processing instructions")
    if children:
        for piece in [element.text, *(child.tail for child in children)]:
            if piece is not None and piece.strip():
                raise NotFlattenable(
                    f"<{copy.tag}> mixes text {piece.strip()[:20]!r} with elements"
                )
        for child in children:
            copy.append(_plain_copy(child, depth + 1))
    else:
        copy.text = element.text
    return copy


def flattened(element: etree._Element) -> bytes:
    """The element flattened as the SII signs it: namespace-free, no inter-tag space, Latin-1."""
    # The copy is the root of its own document, so lxml's C14N of it is exact (the subtree bug
    # of §5.5 needs an ancestor declaring a default namespace).
    canonical = etree.tostring(_plain_copy(element), method="c14n")
    return canonical.decode("utf-8").encode("iso-8859-1")


def flattened_text(element: etree._Element) -> str:
    """The flattened element as text (what is copied into a TED, and printed in PDF417)."""
    return flattened(element).decode("iso-8859-1")


def flattened_canonical(canonical: bytes) -> bytes | None:
    """`flattened` of an element given as its C14N bytes inside its document (no namespace
    declarations of its own), or None when they hold anything flattening would change.

    The signer reads the DD this way from a canonical draft instead of parsing it; None sends
    it to `flattened`. Flattening's nesting cap is not checked here: this reads no tree.
    """
    if _NOT_FLAT.search(canonical) is not None:
        return None
    # Same C14N escaping, no namespaces, no space between elements: only the encoding differs.
    return canonical.decode("utf-8").encode("iso-8859-1")
