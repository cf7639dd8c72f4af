"""Core XMLDSig validation with libxmlsec1 (python-xmlsec): every Reference and the SignatureValue.

Shared by the verifiers and simulators of every country (DIAN's XAdES, the SII's XMLDSig).
libxmlsec1's own `verify` says only "valid" or "invalid". To name what broke, each Reference
digest is recomputed by libxmlsec1 too: a copy of the document is signed with a throwaway key,
which makes libxmlsec1 write the digest of every Reference as the document now stands, and the
written digests are compared with the issuer's. The SignatureValue is then checked on its own
(libxmlsec1's verify_binary over the canonical SignedInfo), so a broken digest and a forged
signature are told apart. The verifier never reads anything but the document: only same-document
references and the transforms of the countries' profiles are enabled; each country's profile
check refuses, before this runs, any algorithm its authority does not accept.
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

from services.core.untrusted_xml import UnsafeXml, parse

NS = {"ds": "http://www.w3.org/2000/09/xmldsig#"}

_C = xmlsec.constants
# Only what the countries' profiles use. Anything else (XSLT, XPath, external URIs) is refused
# before libxmlsec1 could act on it: a hostile document must not make the verifier read files.
_REFERENCE_TRANSFORMS = (
    _C.TransformEnveloped,
    _C.TransformInclC14N,
    _C.TransformInclC14NWithComments,
    _C.TransformExclC14N,
    _C.TransformExclC14NWithComments,
    _C.TransformSha1,
    _C.TransformSha256,
    _C.TransformSha384,
    _C.TransformSha512,
)
_SIGNATURE_METHODS = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": _C.TransformRsaSha1,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": _C.TransformRsaSha256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": _C.TransformRsaSha384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": _C.TransformRsaSha512,
}
_SIGNATURE_TRANSFORMS = (
    _C.TransformInclC14N,
    _C.TransformInclC14NWithComments,
    _C.TransformExclC14N,
    _C.TransformExclC14NWithComments,
    *_SIGNATURE_METHODS.values(),
)
# CanonicalizationMethod URI -> (exclusive, with_comments) for lxml's C14N 1.0.
_CANONICALIZATIONS = {
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments": (True, True),
}


@dataclass(frozen=True)
class ReferenceResult:
    """One ds:Reference: what it points to and whether its digest still matches."""

    uri: str
    type: str
    digest_matches: bool


@dataclass(frozen=True)
class CoreResult:
    """libxmlsec1's verdict on the references and the SignatureValue."""

    verified: bool  # libxmlsec1's own verify of the whole signature
    references: tuple[ReferenceResult, ...] = ()
    signature_value_matches: bool = False
    problem: str = ""  # why the parts could not be checked one by one

    @property
    def broken_references(self) -> tuple[ReferenceResult, ...]:
        """The references whose digest no longer matches."""
        return tuple(r for r in self.references if not r.digest_matches)


_key_lock = threading.Lock()
_throwaway: list[bytes] = []


def _throwaway_key() -> bytes:
    # Only used to make libxmlsec1 compute digests; what it signs is thrown away.
    with _key_lock:
        if not _throwaway:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
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


def _verify(
    root: etree._Element, signature: etree._Element, certificate_der: bytes, id_attribute: str
) -> bool:
    try:
        key = xmlsec.Key.from_memory(certificate_der, _C.KeyDataFormatCertDer)
        xmlsec.tree.add_ids(root, [id_attribute])
        _context(key).verify(signature)
    except xmlsec.Error:
        return False
    return True


def _digests(signature: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (ref.get("URI", ""), ref.get("Type", ""), ref.findtext("ds:DigestValue", "", NS).strip())
        for ref in signature.findall("ds:SignedInfo/ds:Reference", NS)
    ]


def _same_element(
    twin: etree._Element, root: etree._Element, node: etree._Element
) -> etree._Element:
    """The element of `twin` (a deep copy of `root`) at the position of `node` in `root`."""
    steps = []
    while node is not root:
        parent = node.getparent()
        steps.append(parent.index(node))
        node = parent
    for step in reversed(steps):
        twin = twin[step]
    return twin


def _recomputed_digests(
    root: etree._Element, signature: etree._Element, id_attribute: str
) -> list[str]:
    """Each Reference's digest over the document as it stands, computed by libxmlsec1."""
    twin = copy.deepcopy(root)
    twin_signature = _same_element(twin, root, signature)
    key = xmlsec.Key.from_memory(_throwaway_key(), _C.KeyDataFormatPem)
    xmlsec.tree.add_ids(twin, [id_attribute])
    _context(key).sign(twin_signature)
    return [digest for _, _, digest in _digests(twin_signature)]


def _signature_value_matches(signature: etree._Element, certificate_der: bytes) -> bool:
    signed_info = signature.find("ds:SignedInfo", NS)
    method = signature.find("ds:SignedInfo/ds:SignatureMethod", NS)
    c14n = signature.find("ds:SignedInfo/ds:CanonicalizationMethod", NS)
    if signed_info is None or method is None or c14n is None:
        return False
    transform = _SIGNATURE_METHODS.get(method.get("Algorithm", ""))
    canonical = _CANONICALIZATIONS.get(c14n.get("Algorithm", ""))
    if transform is None or canonical is None:
        return False
    exclusive, comments = canonical
    try:
        data = canonical_form(signed_info, exclusive=exclusive, with_comments=comments)
        value = base64.b64decode("".join(signature.findtext("ds:SignatureValue", "", NS).split()))
        key = xmlsec.Key.from_memory(certificate_der, _C.KeyDataFormatCertDer)
        _context(key).verify_binary(data, transform, value)
    except (binascii.Error, ValueError, UnsafeXml, xmlsec.Error):
        return False
    return True


def canonical_form(
    element: etree._Element, *, exclusive: bool = False, with_comments: bool = False
) -> bytes:
    """C14N 1.0 of `element` in its document's namespace context.

    lxml's C14N of an element below a default-namespaced ancestor can write a spurious
    `xmlns=""` (sii-chile.md §5.5); serialising the element on its own first copies the
    namespaces in scope onto it, and the C14N of that new root is exact.
    """
    alone = parse(etree.tostring(element, with_tail=False))
    return etree.tostring(alone, method="c14n", exclusive=exclusive, with_comments=with_comments)


def core_validation(
    root: etree._Element,
    signature: etree._Element,
    certificate_der: bytes,
    *,
    id_attribute: str = "Id",
    detailed: bool = True,
) -> CoreResult:
    """Verify the signature with libxmlsec1; `detailed` also says which Reference or value broke.

    `id_attribute` names the attribute same-document references point at ("Id" in UBL and
    XAdES, "ID" in the SII's documents). Without details (a simulator that answers the same
    rejection either way) only libxmlsec1's verdict is computed: one verification instead of
    three operations.
    """
    verified = _verify(root, signature, certificate_der, id_attribute)
    if not detailed:
        return CoreResult(verified, signature_value_matches=verified)
    written = _digests(signature)
    try:
        recomputed = _recomputed_digests(root, signature, id_attribute)
    except (xmlsec.Error, ValueError) as error:
        return CoreResult(verified, problem=f"libxmlsec1 could not digest the references: {error}")
    references = tuple(
        ReferenceResult(uri, kind, digest == again)
        for (uri, kind, digest), again in zip(written, recomputed, strict=True)
    )
    value = _signature_value_matches(signature, certificate_der)
    if not verified and value and all(r.digest_matches for r in references):
        # Parts check out but the whole does not (e.g. a transform libxmlsec1 refused).
        return CoreResult(verified, references, value, "libxmlsec1 rejected the signature")
    return CoreResult(verified, references, value)
