"""Where a DIAN signature goes: the empty ExtensionContent of the document's last UBLExtension.

Found two ways. In a parsed document, by walking the tree (`tree_slot`). In a canonical draft
(inclusive C14N 1.0 bytes, as `ubl.build_draft` writes them), from the bytes alone
(`canonical_slot`), but only where the bytes prove it: a canonical document has no XML
declaration, DTD, CDATA or self-closed element, escapes "<" in text, and writes every
namespace declaration as `xmlns…="…"`, so a few exact byte patterns settle the questions the
tree walk answers. When they do not settle them, `canonical_slot` answers None and the
signer parses the document instead, which decides and says what is wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from services.countries.co.namespaces import DS_NS, EXT, EXT_NS
from services.countries.co.xades_template import SignatureContext

_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
# A canonical start tag: one space before each attribute, values in double quotes with any
# '"' inside escaped (so `[^"]*` reads exactly one value), no space before '>'.
_START_TAG = re.compile(rb'<([^\s/>!?]+)(?: [^\s=]+="[^"]*")*>')
_EXTENSIONS = b"<ext:UBLExtensions"
_EXTENSIONS_OPEN = b"<ext:UBLExtensions>"
_EXTENSIONS_CLOSE = b"</ext:UBLExtensions>"
_FREE_LAST_EXTENSION = (
    b"<ext:UBLExtension><ext:ExtensionContent></ext:ExtensionContent></ext:UBLExtension>"
)
_AFTER_SLOT = b"</ext:ExtensionContent></ext:UBLExtension>"
_DS_NS_BYTES = DS_NS.encode()


def parser() -> etree.XMLParser:
    """The parser for documents to sign: no DTD, entities or network; nothing normalised."""
    # A new parser per call: lxml parsers must not be shared between threads. No whitespace
    # changes (the document is signed as drafted), and CDATA kept as written (an
    # AttachedDocument carries documents in CDATA; C14N reads it as text).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
        strip_cdata=False,
    )


@lru_cache(maxsize=64)
def _root_context(start_tag: bytes, name: bytes) -> SignatureContext | None:
    """The namespaces a canonical root start tag declares, if the fast path can sign under it."""
    try:
        root = etree.fromstring(start_tag + b"</" + name + b">", parser())
    except etree.XMLSyntaxError:
        return None
    if root.nsmap.get("ext") != EXT_NS or root.nsmap.get(None) == DS_NS:
        return None  # the byte patterns below assume ext: and a prefixed signature namespace
    if any(key.startswith(_XML_NS) for key in root.attrib):
        return None  # inherited by the signature's subtrees: tree_context refuses it
    return SignatureContext.of(root.nsmap)


def canonical_slot(xml: bytes) -> tuple[int, SignatureContext] | None:
    """Where the Signature's bytes go in a canonical draft, and the namespaces in scope there.

    None when the bytes do not prove the slot sound; the caller then parses the document.
    """
    start = _START_TAG.match(xml)  # at offset 0: no declaration, DTD, comment or PI first
    if start is None:
        return None
    context = _root_context(start.group(0), start.group(1))
    head = start.end()
    if context is None or not xml.startswith(_EXTENSIONS_OPEN, head):
        return None
    close = xml.find(_EXTENSIONS_CLOSE, head)
    if (
        close < 0
        # The last extension is free: its ExtensionContent is empty (no text, no child).
        or not xml.endswith(_FREE_LAST_EXTENSION, head, close)
        # No declaration before the slot, so ext: means the root's EXT_NS up to it, the
        # slot's ancestors declare nothing the root does not, and no UBLExtensions nests.
        or xml.find(b"xmlns", head, close) >= 0
        or xml.find(_EXTENSIONS, head + len(_EXTENSIONS_OPEN), close) >= 0
        # Not signed already: the signature namespace is declared only by the root, and no
        # element of it appears ("<" in text is escaped in canonical form).
        or xml.count(_DS_NS_BYTES) != start.group(0).count(_DS_NS_BYTES)
        or any(xml.find(f"<{p}:".encode()) >= 0 for p, uri in context.namespaces if uri == DS_NS)
    ):
        return None
    return close - len(_AFTER_SLOT), context


def tree_slot(root: etree._Element) -> etree._Element:
    """The ExtensionContent of the last UBLExtension, which must be empty."""
    extensions = root.find(f"{EXT}UBLExtensions")
    content = (
        None
        if extensions is None or not len(extensions)
        else extensions[-1].find(f"{EXT}ExtensionContent")
    )
    free = content is not None and not len(content) and not (content.text or "").strip()
    if content is None or (not free and len(extensions) < 2):
        # An invoice's only extension holds DianExtensions; a container (AttachedDocument)
        # may have just the empty one.
        raise ValueError(
            "a DIAN document needs UBLExtensions with a last, empty extension for the signature"
        )
    if not free:
        raise ValueError(
            "the last UBLExtension must hold an empty ExtensionContent for the signature"
        )
    if root.find(f".//{{{DS_NS}}}Signature") is not None:
        raise ValueError("the document is already signed")
    return content


def tree_context(slot: etree._Element) -> SignatureContext:
    """The namespaces in scope at `slot`; refused if an ancestor sets an xml:* attribute."""
    for node in (slot, *slot.iterancestors()):
        if any(str(key).startswith(_XML_NS) for key in node.attrib):
            # Inclusive C14N 1.0 copies inherited xml:lang/xml:space/xml:base onto each
            # signed subtree, which lxml's subtree canonicalisation does not: the signature
            # would not verify, so it is not made.
            raise ValueError(
                "the signature's ancestors must not carry xml:* attributes "
                f"({etree.QName(node).localname} does)"
            )
    return SignatureContext.of(slot.nsmap)
