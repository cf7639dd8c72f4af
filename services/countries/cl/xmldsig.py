"""The XMLDSig signature the SII requires on a DTE's Documento and on an envelope's SetDTE.

Shape (SII's `xmldsignature_v10.xsd`, sii-chile.md §5.1): unprefixed `Signature` in the
xmldsig namespace; inclusive C14N 1.0; rsa-sha1; one Reference `URI="#<ID>"` with one C14N
Transform (the official SII example's layout); SHA-1 digest; KeyInfo with KeyValue/RSAKeyValue
and X509Data/X509Certificate. Made by signxml 5.2.0 in detached mode (stack.md §6.2), the
Signature then placed as the last child of the signed element's parent.

Namespace context (§5.4): inclusive C14N of SignedInfo includes every prefixed namespace
declared on the Signature's ancestors. A detached signature is computed before it is placed,
so the namespaces the ancestors will declare are given to `signature()` and declared on the
Signature: inside an EnvioDTE that is `xmlns:xsi`, inside a standalone DTE nothing (the SiiDte
default namespace is redeclared by the Signature's own). signxml digests the referenced
element after re-serialising it on its own, which carries its in-scope namespaces with it and
so matches what a verifier computes in context.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureMethod, XMLSigner, methods

from services.countries.cl.sii_xml import DS_NS


class _SiiSigner(XMLSigner):
    """signxml with the SII's algorithms: SHA-1, which signxml refuses by default."""

    def __init__(self, ancestor_namespaces: dict[str, str]) -> None:
        super().__init__(
            method=methods.detached,
            signature_algorithm=SignatureMethod.RSA_SHA1,
            digest_algorithm=DigestAlgorithm.SHA1,
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        )
        namespaces: dict[Any, str] = {None: DS_NS, **ancestor_namespaces}
        self.namespaces = namespaces

    def check_deprecated_methods(self) -> None:
        """Allow rsa-sha1 and sha1: the only algorithms the SII's schema accepts."""


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
    signer = _SiiSigner(ancestor_namespaces or {})
    return signer.sign(
        data,
        key=key,
        cert=[certificate],
        reference_uri=f"#{reference_id}",
        id_attribute="ID",
        always_add_key_value=True,
    )
