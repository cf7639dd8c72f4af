"""The XMLDSig signature the SII requires on a DTE's Documento and on an envelope's SetDTE.

Shape (SII's `xmldsignature_v10.xsd`, sii-chile.md §5.1): unprefixed `Signature` in the
xmldsig namespace; inclusive C14N 1.0; rsa-sha1; one Reference `URI="#<ID>"` with one C14N
Transform (the official SII example's layout); SHA-1 digest; KeyInfo with KeyValue/RSAKeyValue
and X509Data/X509Certificate. Written by hand with `cryptography` (signxml refuses SHA-1 unless
patched, and re-serialises the document on every signature), as the Signature element's own
canonical bytes, to be placed as the last child of the signed element's parent.

Namespace context (§5.4): inclusive C14N of SignedInfo includes every prefixed namespace
declared on the Signature's ancestors, so the signer is told them (`ancestor_namespaces`): inside
an EnvioDTE that is `xmlns:xsi`, inside a standalone DTE nothing (the SiiDte default namespace
is redeclared by the Signature's own). The digest is over the referenced element's C14N in
context: with every namespace declaration in scope on it, as a verifier computes it.
"""

from __future__ import annotations

import base64
import hashlib
import textwrap
from collections.abc import Mapping

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from services.countries.cl.sii_xml import DS_NS

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA1 = f"{DS_NS}rsa-sha1"
SHA1 = f"{DS_NS}sha1"

# C14N's escaping of attribute values (namespace URIs included), C14N 1.0 §2.3.
_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;"}
)
_REFERENCE_HEAD = (
    f'<CanonicalizationMethod Algorithm="{C14N}"></CanonicalizationMethod>'
    f'<SignatureMethod Algorithm="{RSA_SHA1}"></SignatureMethod><Reference URI="#'
)
_REFERENCE_TAIL = (
    f'"><Transforms><Transform Algorithm="{C14N}"></Transform></Transforms>'
    f'<DigestMethod Algorithm="{SHA1}"></DigestMethod><DigestValue>'
)


def attribute_value(value: str) -> str:
    """`value` escaped as C14N writes an attribute value."""
    return value.translate(_ATTRIBUTE_ESCAPES)


def namespace_declarations(namespaces: Mapping[str | None, str]) -> str:
    """Namespace declarations as C14N writes them on an element: the default one first, then
    by prefix, each preceded by a space (`None` or "" is the default namespace)."""
    ordered = sorted(namespaces.items(), key=lambda item: item[0] or "")
    return "".join(
        f' xmlns{":" + prefix if prefix else ""}="{attribute_value(uri)}"'
        for prefix, uri in ordered
    )


def _b64_number(number: int) -> str:
    return base64.b64encode(number.to_bytes((number.bit_length() + 7) // 8, "big")).decode()


class SignatureWriter:
    """Writes SII-shaped Signatures with one key and certificate; create once, reuse.

    The KeyInfo and the algorithm identifiers never change for a signer, so they are written
    once here; a signature then costs one SHA-1 and one RSA operation.
    """

    def __init__(self, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> None:
        if not isinstance(key, rsa.RSAPrivateKey):
            raise TypeError("the SII signs with RSA (rsa-sha1): the key must be RSA")
        self._key = key
        numbers = key.public_key().public_numbers()
        der = certificate.public_bytes(serialization.Encoding.DER)
        # 64 columns as in the SII's own example; outside SignedInfo, so any wrapping verifies.
        wrapped = textwrap.fill(base64.b64encode(der).decode("ascii"), 64)
        self._key_info = (
            "<KeyInfo><KeyValue><RSAKeyValue>"
            f"<Modulus>{_b64_number(numbers.n)}</Modulus>"
            f"<Exponent>{_b64_number(numbers.e)}</Exponent>"
            "</RSAKeyValue></KeyValue>"
            f"<X509Data><X509Certificate>{wrapped}\n</X509Certificate></X509Data></KeyInfo>"
        ).encode("ascii")
        self._contexts: dict[tuple[tuple[str, str], ...], bytes] = {}

    def _signed_info_head(self, ancestor_namespaces: Mapping[str, str]) -> bytes:
        """`<SignedInfo` with the namespaces its C14N carries in place."""
        context = tuple(sorted(ancestor_namespaces.items()))
        head = self._contexts.get(context)
        if head is None:
            declarations = namespace_declarations({None: DS_NS, **dict(context)})
            head = f"<SignedInfo{declarations}>".encode()
            if len(self._contexts) < 16:  # a signer meets one or two contexts
                self._contexts[context] = head
        return head

    def signature(
        self,
        digest: bytes,
        reference_id: str,
        ancestor_namespaces: Mapping[str, str] | None = None,
    ) -> bytes:
        """The Signature element (canonical, ASCII) over the element whose ID is `reference_id`
        and whose C14N in context has SHA-1 `digest`; `ancestor_namespaces` are the prefixed
        declarations in scope where it will sit (prefix → URI, e.g. {"xsi": XSI_NS})."""
        body = (
            _REFERENCE_HEAD
            + attribute_value(reference_id)
            + _REFERENCE_TAIL
            + base64.b64encode(digest).decode("ascii")
            + "</DigestValue></Reference></SignedInfo>"
        ).encode("utf-8")
        # What is signed is SignedInfo's C14N in place: with the xmldsig default namespace and
        # the ancestors' prefixed ones; what is written is SignedInfo inheriting them.
        canonical = self._signed_info_head(ancestor_namespaces or {}) + body
        value = self._key.sign(canonical, padding.PKCS1v15(), hashes.SHA1())
        return b"".join(
            (
                f'<Signature xmlns="{DS_NS}"><SignedInfo>'.encode("ascii"),
                body,
                b"<SignatureValue>",
                base64.b64encode(value),
                b"</SignatureValue>",
                self._key_info,
                b"</Signature>",
            )
        )


def in_context(element: etree._Element) -> bytes:
    """The inclusive C14N 1.0 of an element in its document, as a verifier digests it.

    lxml's C14N of a subtree emits spurious `xmlns=""` under a default namespace (§5.5), so the
    element is serialised on its own first — which declares on it every namespace in scope —
    and the C14N is taken of that copy, a document root.
    """
    if element.getparent() is None:
        return etree.tostring(element, method="c14n", with_comments=False)
    written = etree.tostring(element, with_tail=False)
    copy = etree.fromstring(written, etree.XMLParser(huge_tree=True))
    return etree.tostring(copy, method="c14n", with_comments=False)


def signature(
    data: etree._Element,
    reference_id: str,
    key: rsa.RSAPrivateKey,
    certificate: x509.Certificate,
    *,
    ancestor_namespaces: dict[str, str] | None = None,
) -> etree._Element:
    """A Signature over the element of `data` whose ID is `reference_id`, to append to `data`.

    `ancestor_namespaces` are the prefixed namespace declarations in scope where the
    Signature will sit (prefix → URI), e.g. {"xsi": XSI_NS} for an EnvioDTE.
    """
    found = data.xpath("//*[@ID=$id]", id=reference_id)
    if len(found) != 1:
        raise ValueError(f"{len(found)} elements have ID {reference_id!r}; a Reference needs one")
    digest = hashlib.sha1(in_context(found[0])).digest()
    written = SignatureWriter(key, certificate).signature(digest, reference_id, ancestor_namespaces)
    return etree.fromstring(written)
