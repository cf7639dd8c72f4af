"""XMLDSig core validation of an SII signature with libxmlsec1 (python-xmlsec), part by part.

libxmlsec1's `verify` says only "valid" or "invalid". When it says invalid, the Reference digest
is recomputed by libxmlsec1 as well — a copy of the document is signed with a throwaway key,
which makes libxmlsec1 write the digest of the referenced element as it now stands — and the
SignatureValue is checked on its own over the canonical SignedInfo, so a document changed after
signing and a forged signature are told apart. Only same-document references and the transforms
the SII's profile uses are enabled: a hostile file cannot make libxmlsec1 read anything else.
"""

from __future__ import annotations

import base64
import binascii
import copy
import threading
from dataclasses import dataclass

import xmlsec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.cl.sii_xml import DS_NS
from services.countries.cl.xml_input import UnreadableXml, parse_xml

_C = xmlsec.constants
_NS = {"ds": DS_NS}
_REFERENCE_TRANSFORMS = (
    _C.TransformEnveloped,
    _C.TransformInclC14N,
    _C.TransformInclC14NWithComments,
    _C.TransformExclC14N,
    _C.TransformExclC14NWithComments,
    _C.TransformSha1,
)
_SIGNATURE_TRANSFORMS = (_C.TransformInclC14N, _C.TransformRsaSha1)
# What a Reference of an SII signature may say (the profile check refuses anything else).
TRANSFORMS = frozenset(t.href for t in _REFERENCE_TRANSFORMS if t is not _C.TransformSha1)
CANONICALIZATION = _C.TransformInclC14N.href
SIGNATURE_METHOD = _C.TransformRsaSha1.href
DIGEST_METHOD = _C.TransformSha1.href


@dataclass(frozen=True)
class CoreResult:
    """libxmlsec1's verdict, and which part broke when it is negative."""

    verified: bool
    digest_matches: bool
    value_matches: bool
    problem: str = ""  # why the parts could not be told apart, or why the whole still fails


_key_lock = threading.Lock()
_throwaway: list[bytes] = []


def _throwaway_key() -> bytes:
    # Only makes libxmlsec1 compute digests; what it signs with it is thrown away.
    with _key_lock:
        if not _throwaway:
            key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
            _throwaway.append(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        return _throwaway[0]


def _context(key: xmlsec.Key) -> xmlsec.SignatureContext:
    context = xmlsec.SignatureContext()
    for transform in _REFERENCE_TRANSFORMS:
        context.enable_reference_transform(transform)
    for transform in _SIGNATURE_TRANSFORMS:
        context.enable_signature_transform(transform)
    context.key = key
    return context


def _certificate_key(certificate_der: bytes) -> xmlsec.Key:
    return xmlsec.Key.from_memory(certificate_der, _C.KeyDataFormatCertDer)


def _verify(root: etree._Element, signature: etree._Element, certificate_der: bytes) -> bool:
    try:
        xmlsec.tree.add_ids(root, ["ID"])
        _context(_certificate_key(certificate_der)).verify(signature)
    except xmlsec.Error:
        return False
    return True


def _position(root: etree._Element, node: etree._Element) -> list[int]:
    steps = []
    while node is not root:
        parent = node.getparent()
        steps.append(parent.index(node))
        node = parent
    return steps[::-1]


def _recomputed_digest(root: etree._Element, signature: etree._Element) -> str:
    """The Reference's digest over the document as it stands, computed by libxmlsec1."""
    twin = copy.deepcopy(root)
    twin_signature = twin
    for step in _position(root, signature):
        twin_signature = twin_signature[step]
    xmlsec.tree.add_ids(twin, ["ID"])
    key = xmlsec.Key.from_memory(_throwaway_key(), _C.KeyDataFormatPem)
    _context(key).sign(twin_signature)
    return _compact(twin_signature.findtext("ds:SignedInfo/ds:Reference/ds:DigestValue", "", _NS))


def _compact(value: str) -> str:
    return "".join(value.split())


def canonical(element: etree._Element) -> bytes:
    """Inclusive C14N 1.0 (no comments) of `element` in its document's namespace context.

    lxml's C14N of an element below a default-namespaced ancestor writes spurious `xmlns=""`
    (sii-chile.md §5.5); serialising the element on its own first copies the namespaces in
    scope onto it, and the C14N of that new root is exact.
    """
    alone = parse_xml(etree.tostring(element, with_tail=False))
    return etree.tostring(alone, method="c14n", exclusive=False, with_comments=False)


def _value_matches(signature: etree._Element, certificate_der: bytes) -> bool:
    signed_info = signature.find("ds:SignedInfo", _NS)
    if signed_info is None:
        return False
    try:
        value = base64.b64decode(
            _compact(signature.findtext("ds:SignatureValue", "", _NS)), validate=True
        )
        _context(_certificate_key(certificate_der)).verify_binary(
            canonical(signed_info), _C.TransformRsaSha1, value
        )
    except (binascii.Error, ValueError, UnreadableXml, xmlsec.Error):
        return False
    return True


def core_validation(
    root: etree._Element, signature: etree._Element, certificate_der: bytes
) -> CoreResult:
    """Verify a one-Reference rsa-sha1 signature with the certificate's key; say what broke."""
    if _verify(root, signature, certificate_der):
        return CoreResult(True, True, True)
    written = _compact(signature.findtext("ds:SignedInfo/ds:Reference/ds:DigestValue", "", _NS))
    try:
        digest = _recomputed_digest(root, signature) == written
    except (xmlsec.Error, ValueError) as error:
        return CoreResult(
            False, False, False, f"libxmlsec1 could not digest the reference: {error}"
        )
    value = _value_matches(signature, certificate_der)
    if digest and value:
        return CoreResult(False, True, True, "libxmlsec1 rejected the signature as a whole")
    return CoreResult(False, digest, value)
