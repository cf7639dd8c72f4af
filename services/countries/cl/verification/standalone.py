"""Each DTE of an envelope as the standalone document it was signed as.

The SII checks a DTE's signature with the DTE detached from the envelope (sii-chile.md §5.4):
its bytes as they stand in the envelope, cut out by the pack (`envelope.signed_dtes`). Those
bytes are checked to be the very DTE the envelope's tree holds at that place — otherwise a
genuine signed DTE hidden in a comment could vouch for a forged one next to it. Issuers differ
on the namespace a DTE was signed in (the SII's own example without one, its portal with
`xmlns` that envelopes then drop), so the other form is offered too, as the SII accepts both.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from services.countries.cl import envelope
from services.countries.cl.sii_xml import SII_NS
from services.countries.cl.verification.reading import DOCUMENT_ELEMENTS
from services.countries.cl.xml_input import UnreadableXml, parse_xml

_START = re.compile(rb"<DTE(?=[\s>])[^>]*>")
_DECLARED = re.compile(rb"""\sxmlns\s*=\s*(["'])""" + re.escape(SII_NS.encode()) + rb"\1")
AS_WRITTEN = "as it stands in the envelope"


@dataclass(frozen=True)
class SignedForm:
    """A DTE parsed as a document of its own, and how it was cut out."""

    how: str
    root: etree._Element


def signed_element(root: etree._Element) -> etree._Element | None:
    """The signed document element of a standalone DTE, in the SII namespace or in none."""
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname in DOCUMENT_ELEMENTS:
            return child
    return None


def _fingerprint(dte: etree._Element) -> bytes:
    """The DTE's content whatever namespace context it sits in (exclusive C14N, no SII ns)."""
    alone = copy.deepcopy(dte)  # a document of its own: lxml's C14N of a root is exact
    for element in alone.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{SII_NS}}}"):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(alone)
    return etree.tostring(alone, method="c14n", exclusive=True, with_comments=False)


def _other_form(piece: bytes) -> tuple[str, bytes] | None:
    start = _START.search(piece)
    if start is None:
        return None
    tag = start.group(0)
    if _DECLARED.search(tag):
        changed, how = _DECLARED.sub(b"", tag, count=1), "without the SII namespace"
    else:
        changed = tag[:4] + f' xmlns="{SII_NS}"'.encode() + tag[4:]
        how = "with the SII namespace declared on DTE"
    return how, piece[: start.start()] + changed + piece[start.end() :]


def _alternatives(first: SignedForm, piece: bytes, expected: bytes) -> Iterator[SignedForm]:
    yield first
    # Made only when asked for: the form as written verifies for almost every DTE.
    other = _other_form(piece)
    if other is None:
        return
    how, content = other
    try:
        root = parse_xml(content)
    except UnreadableXml:
        return
    if _fingerprint(root) == expected:
        yield SignedForm(how, root)


def _forms(piece: bytes, dte: etree._Element) -> Iterator[SignedForm] | str:
    try:
        root = parse_xml(piece)
    except UnreadableXml as error:
        return f"the DTE's bytes cannot be read as a document of their own: {error}"
    expected = _fingerprint(dte)
    if _fingerprint(root) != expected:
        return "the bytes cut out for this DTE are not the DTE the envelope holds here"
    return _alternatives(SignedForm(AS_WRITTEN, root), piece, expected)


def envelope_forms(data: bytes, dtes: Sequence[etree._Element]) -> list[Iterator[SignedForm] | str]:
    """Each DTE of the envelope `data`, in order: its standalone forms, or why there are none."""
    try:
        pieces = envelope.signed_dtes(data)
    except ValueError as error:
        problem = f"the DTEs cannot be cut out as the documents they were signed as: {error}"
        return [problem for _ in dtes]
    if len(pieces) != len(dtes):
        return [f"{len(pieces)} DTE texts for {len(dtes)} DTE elements" for _ in dtes]
    return [_forms(piece, dte) for piece, dte in zip(pieces, dtes, strict=True)]
