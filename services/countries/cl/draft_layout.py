"""Where the signer's inputs and outputs sit in a drafted DTE written in canonical form.

A draft is the DTE's inclusive C14N 1.0 form (`dte.build_draft`), so its bytes are exactly
those a verifier will digest, and the pieces the signer fills have fixed places the XSD
dictates: the TED and TmstFirma are the Documento's last two children, FRMT the TED's last
child, and the Signature goes after the Documento, as the DTE's last child.

    <DTE xmlns="http://www.sii.cl/SiiDte" version="1.0"><Documento ID="T33F1">…
      <TED version="1.0"><DD>…<CAF version="1.0">…</CAF><TSTED>…</TSTED></DD>
      <FRMT algoritmo="SHA1withRSA"></FRMT></TED><TmstFirma>…</TmstFirma></Documento></DTE>

C14N writes `<` only as markup (text and attribute values escape it) and no comments here, so
finding these tags in the bytes finds the elements. The Documento's C14N in its document is its
slice with the DTE's namespace declarations on its start tag (C14N 1.0 §2.4: the apex of a
document subset carries every namespace in scope); nothing else is inherited, as the DTE's
start tag may carry no `xml:` attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from services.countries.cl.sii_xml import SII_NS, tag
from services.countries.cl.xml_input import parse_xml
from services.countries.cl.xmldsig import namespace_declarations

_STANDARD_ROOT = f'<DTE xmlns="{SII_NS}" version="1.0">'.encode("ascii")
_ROOT = re.compile(rb'<DTE(?: [^\s=]+="[^"]*")*>')
# An ID is an NCName (the XSD's type): no character C14N would escape in the Reference URI.
_DOCUMENTO = re.compile(rb'\s*(<Documento ID="([^"&<]+)">)')
FRMT_OPEN = b'<FRMT algoritmo="SHA1withRSA">'
# From FRMT's text to the end: whitespace between elements is kept where a draft has it.
_TAIL = re.compile(
    rb'<FRMT algoritmo="SHA1withRSA">[^<]*(</FRMT>\s*</TED>\s*<TmstFirma>)([^<]*)'
    rb"(</TmstFirma>\s*</Documento>)(\s*)</DTE>"
)
_SIGNED = re.compile(rb"</Documento>\s*<Signature[\s>]")
_TED_OPEN = re.compile(rb'<TED version="1\.0">\s*(<DD>)')
_TSTED = re.compile(rb"<TSTED>([^<]*)</TSTED>\s*</DD>")
NOT_DRAFTED = 'not a drafted DTE: <DTE xmlns="http://www.sii.cl/SiiDte"> with a <Documento ID=...>'
NO_STAMP = "the draft has no TED with a CAF to stamp"


@dataclass(frozen=True)
class RootContext:
    """What the DTE's start tag gives the elements it contains."""

    start_tag: bytes
    apex_namespaces: bytes  # the declarations C14N writes on an apex below it (" xmlns=…")
    prefixed: dict[str, str]  # its prefixed declarations, in scope for a Signature beside them


def _root_context(start_tag: bytes) -> RootContext:
    if start_tag == _STANDARD_ROOT:
        return _STANDARD
    root = parse_xml(start_tag + b"</DTE>")
    if root.tag != tag("DTE") or root.prefix is not None:
        raise ValueError(NOT_DRAFTED)
    if any(name.startswith("{http://www.w3.org/XML/1998/namespace}") for name in root.attrib):
        raise ValueError(
            "a drafted <DTE> carries no xml: attribute (its Documento would inherit it)"
        )
    prefixed = {prefix: uri for prefix, uri in root.nsmap.items() if prefix}
    declarations = namespace_declarations(root.nsmap).encode("utf-8")
    return RootContext(start_tag, declarations, prefixed)


_STANDARD = RootContext(_STANDARD_ROOT, f' xmlns="{SII_NS}"'.encode("ascii"), {})


@dataclass(frozen=True)
class DraftLayout:
    """A canonical draft cut where the signer works on it: the signed DTE is `root.start_tag`,
    `lead`, `head`, FRMT, `to_tmst`, TmstFirma, `documento_end`, `before_signature`, the
    Signature and `</DTE>`."""

    root: RootContext
    document_id: str
    lead: bytes  # whitespace before the Documento, if any
    head: bytes  # from `<Documento ID=…>` to FRMT's start tag included
    to_tmst: bytes  # from `</FRMT>` to `<TmstFirma>` included
    documento_end: bytes  # from `</TmstFirma>` to `</Documento>` included
    before_signature: bytes  # whitespace after the Documento, if any
    dd: bytes  # the TED's DD, as it stands in the document
    caf: bytes  # the CAF inside the DD
    stamped_at: str  # the DD's TSTED ("" when it has none)

    def documento_head_in_context(self) -> bytes:
        """The start of the Documento's C14N in its document (up to FRMT's text)."""
        return b"<Documento" + self.root.apex_namespaces + self.head[len(b"<Documento") :]

    def element(self, piece: bytes) -> etree._Element:
        """A piece of the draft (a whole element) parsed with the DTE's namespaces in scope."""
        return parse_xml(self.root.start_tag + piece + b"</DTE>")[0]


def _stamp(canonical: bytes, frmt: int) -> tuple[bytes, bytes, str]:
    """The DD and its CAF, and TSTED, of the TED whose FRMT starts at `frmt`."""
    dd_end = len(canonical[:frmt].rstrip())
    opening = canonical.rfind(b'<TED version="1.0">', 0, dd_end)
    ted = _TED_OPEN.match(canonical, opening) if opening >= 0 else None
    if ted is None or not canonical.endswith(b"</DD>", 0, dd_end):
        raise ValueError(NO_STAMP)
    dd = canonical[ted.start(1) : dd_end]
    caf_open, caf_close = dd.find(b"<CAF"), dd.rfind(b"</CAF>")
    if caf_open < 0 or caf_close < caf_open or dd[caf_open + 4 : caf_open + 5] not in b" >":
        raise ValueError(NO_STAMP)
    tsted = _TSTED.search(dd, caf_close)
    stamped_at = tsted.group(1).decode("utf-8") if tsted else ""
    return dd, dd[caf_open : caf_close + len(b"</CAF>")], stamped_at


def read_layout(canonical: bytes) -> DraftLayout:
    """Find the signer's pieces in a draft in canonical form; ValueError when it is not one."""
    root = _ROOT.match(canonical)
    documento = _DOCUMENTO.match(canonical, root.end()) if root is not None else None
    if root is None or documento is None:
        raise ValueError(NOT_DRAFTED)
    context = _root_context(root.group())
    frmt = canonical.rfind(FRMT_OPEN)
    tail = _TAIL.fullmatch(canonical, frmt) if frmt >= 0 else None
    if tail is None:
        if _SIGNED.search(canonical):
            raise ValueError("the DTE is already signed")
        if b"<TmstFirma>" not in canonical:
            raise ValueError("the draft has no TmstFirma")
        if b"</Documento>" in canonical and canonical.rstrip().endswith(b"</DTE>"):
            raise ValueError(NO_STAMP)
        raise ValueError(NOT_DRAFTED)
    dd, caf, stamped_at = _stamp(canonical, frmt)
    return DraftLayout(
        root=context,
        document_id=documento.group(2).decode("utf-8"),
        lead=canonical[root.end() : documento.start(1)],
        head=canonical[documento.start(1) : frmt + len(FRMT_OPEN)],
        to_tmst=tail.group(1),
        documento_end=tail.group(3),
        before_signature=tail.group(4),
        dd=dd,
        caf=caf,
        stamped_at=stamped_at,
    )
