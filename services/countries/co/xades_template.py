"""DIAN's ds:Signature as a template: built and canonicalised once, filled in per document.

Everything in a DIAN signature is constant for one certificate except six values: the Id,
the SigningTime, the three digests and the SignatureValue. So the Signature is built once
with lxml, with a marker in place of each of them, and kept as four byte templates: the
inclusive C14N 1.0 forms of KeyInfo, SignedProperties and SignedInfo (what gets digested
and signed) and the serialisation of the whole Signature (what gets written). Signing a
document is then string filling, hashing and one RSA operation.

The C14N of a subtree includes every namespace declaration in scope from its ancestors, so
a template is only valid for the namespaces in scope where the Signature will sit (its
`SignatureContext`); the signer keeps one template per context. The filled-in values (hex
UUIDs, base64, ISO times) never need escaping, so a filled template is exactly what lxml
would have produced for the same tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from services.countries.co.namespaces import DS, DS_NS, XADES, XADES_NS

C14N_1_0 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"
POLICY_URL = "https://facturaelectronica.dian.gov.co/politicadefirma/v2/politicadefirmav2.pdf"
POLICY_DESCRIPTION = "Política de firma para facturas electrónicas de la República de Colombia."
POLICY_SHA256 = "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y="
SUPPLIER_ROLE = "supplier"

# The values filled in per document.
ID, TIME, DOCUMENT, KEY_INFO, PROPERTIES, VALUE = (
    "id", "time", "document", "key_info", "properties", "value"
)  # fmt: skip
_FIELDS = frozenset((ID, TIME, DOCUMENT, KEY_INFO, PROPERTIES, VALUE))
# A private-use character: valid XML, written as is by lxml's serialiser and by C14N, and not
# found in certificates' names; a constant that did carry it would be caught in `_Template`.
_MARK = "\ue000"
_MARK_BYTES = _MARK.encode()
_START, _END = "start", "end"


def _hole(name: str) -> str:
    return f"{_MARK}{name}{_MARK}"


@dataclass(frozen=True)
class SignatureContext:
    """The namespace declarations in scope where the Signature is placed."""

    namespaces: tuple[tuple[str, str], ...]  # (prefix, URI), sorted; "" is the default

    @classmethod
    def of(cls, nsmap: Mapping[str | None, str]) -> SignatureContext:
        """The context of an element whose in-scope namespaces are `nsmap` (lxml's form)."""
        return cls(tuple(sorted((prefix or "", uri) for prefix, uri in nsmap.items())))

    def nsmap(self) -> dict[str | None, str]:
        """The declarations in lxml's form."""
        return {prefix or None: uri for prefix, uri in self.namespaces}


@dataclass(frozen=True)
class CertificateFacts:
    """What the signature says about the signing certificate, computed once per signer."""

    der_base64: str  # ds:X509Certificate
    digest: str  # base64 SHA-256 of the DER certificate (xades:CertDigest)
    issuer_name: str  # RFC 4514, the string form XMLDSig names for X509IssuerName
    serial: str  # decimal


class _Template:
    """Bytes with named holes, split once so that filling them in is a join."""

    def __init__(self, text: bytes) -> None:
        parts = text.split(_MARK_BYTES)
        names = [part.decode() for part in parts[1::2]]
        if len(parts) % 2 == 0 or not set(names) <= _FIELDS:
            raise ValueError("the signature's constant values must not contain U+E000")
        self._literals = parts[0::2]
        self._names = names

    def fill(self, values: Mapping[str, bytes]) -> bytes:
        """The template with each hole replaced by its value."""
        literals = self._literals
        out = [literals[0]]
        for name, literal in zip(self._names, literals[1:], strict=True):
            out.append(values[name])
            out.append(literal)
        return b"".join(out)


@dataclass(frozen=True, eq=False)
class SignatureTemplate:
    """The four forms of one signer's Signature in one context (see the module docstring)."""

    key_info: _Template  # C14N of ds:KeyInfo: digested by the second reference
    signed_properties: _Template  # C14N of xades:SignedProperties: the third reference
    signed_info: _Template  # C14N of ds:SignedInfo: what the RSA key signs
    signature: _Template  # ds:Signature as written into the document


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    node = etree.SubElement(parent, tag, attrib)
    node.text = text
    return node


def _c14n(node: etree._Element) -> bytes:
    # lxml canonicalises a subtree with the namespaces in scope from its ancestors, as
    # XMLDSig's same-document references require (dian-colombia.md §5).
    return etree.tostring(node, method="c14n", exclusive=False, with_comments=False)


def _signed_info(signature: etree._Element) -> etree._Element:
    sig_id = _hole(ID)
    info = _sub(signature, f"{DS}SignedInfo")
    _sub(info, f"{DS}CanonicalizationMethod", Algorithm=C14N_1_0)
    _sub(info, f"{DS}SignatureMethod", Algorithm=RSA_SHA256)
    references = (
        # URI="" carries the enveloped-signature transform alone (DIAN's samples); the
        # implicit node-set-to-octets step is then inclusive C14N 1.0.
        ({"URI": "", "Id": f"{sig_id}-ref0"}, DOCUMENT),
        ({"URI": f"#{sig_id}-keyinfo"}, KEY_INFO),
        ({"URI": f"#{sig_id}-signedprops", "Type": SIGNED_PROPERTIES_TYPE}, PROPERTIES),
    )
    for attrib, digest in references:
        reference = _sub(info, f"{DS}Reference", **attrib)
        if digest == DOCUMENT:
            _sub(_sub(reference, f"{DS}Transforms"), f"{DS}Transform", Algorithm=ENVELOPED)
        _sub(reference, f"{DS}DigestMethod", Algorithm=SHA256)
        _sub(reference, f"{DS}DigestValue", _hole(digest))
    return info


def _signed_properties(signature: etree._Element, cert: CertificateFacts) -> etree._Element:
    sig_id = _hole(ID)
    qualifying = _sub(
        _sub(signature, f"{DS}Object"), f"{XADES}QualifyingProperties", Target=f"#{sig_id}"
    )
    signed = _sub(qualifying, f"{XADES}SignedProperties", Id=f"{sig_id}-signedprops")
    properties = _sub(signed, f"{XADES}SignedSignatureProperties")
    # Colombian local time: DIAN compares the signing date with cbc:IssueDate (FAD09e).
    _sub(properties, f"{XADES}SigningTime", _hole(TIME))
    # XAdES 1.3.2's SigningCertificate (v1: CertDigest + IssuerSerial), as DIAN's policy asks.
    xades_cert = _sub(_sub(properties, f"{XADES}SigningCertificate"), f"{XADES}Cert")
    digest = _sub(xades_cert, f"{XADES}CertDigest")
    _sub(digest, f"{DS}DigestMethod", Algorithm=SHA256)
    _sub(digest, f"{DS}DigestValue", cert.digest)
    issuer_serial = _sub(xades_cert, f"{XADES}IssuerSerial")
    _sub(issuer_serial, f"{DS}X509IssuerName", cert.issuer_name)
    _sub(issuer_serial, f"{DS}X509SerialNumber", cert.serial)
    policy = _sub(
        _sub(properties, f"{XADES}SignaturePolicyIdentifier"), f"{XADES}SignaturePolicyId"
    )
    policy_id = _sub(policy, f"{XADES}SigPolicyId")
    _sub(policy_id, f"{XADES}Identifier", POLICY_URL)
    _sub(policy_id, f"{XADES}Description", POLICY_DESCRIPTION)
    policy_hash = _sub(policy, f"{XADES}SigPolicyHash")
    _sub(policy_hash, f"{DS}DigestMethod", Algorithm=SHA256)
    _sub(policy_hash, f"{DS}DigestValue", POLICY_SHA256)
    roles = _sub(_sub(properties, f"{XADES}SignerRole"), f"{XADES}ClaimedRoles")
    _sub(roles, f"{XADES}ClaimedRole", SUPPLIER_ROLE)
    return signed


def build_template(context: SignatureContext, cert: CertificateFacts) -> SignatureTemplate:
    """The Signature of `cert`'s signer as it reads where `context`'s namespaces are in scope."""
    nsmap = context.nsmap()
    default = nsmap.get(None)
    # A stand-in for the Signature's ancestors: only their namespace declarations matter.
    scratch = etree.Element(f"{{{default}}}scratch" if default else "scratch", nsmap=nsmap)
    own = {
        prefix: uri
        for prefix, uri in (("ds", DS_NS), ("xades", XADES_NS))
        if nsmap.get(prefix) != uri
    }
    signature = etree.SubElement(scratch, f"{DS}Signature", {"Id": _hole(ID)}, nsmap=own or None)
    signed_info = _signed_info(signature)
    _sub(signature, f"{DS}SignatureValue", _hole(VALUE), Id=f"{_hole(ID)}-sigvalue")
    # X509Data with the signing certificate only, base64 on one line (DIAN's samples).
    key_info = _sub(signature, f"{DS}KeyInfo", Id=f"{_hole(ID)}-keyinfo")
    _sub(_sub(key_info, f"{DS}X509Data"), f"{DS}X509Certificate", cert.der_base64)
    signed_properties = _signed_properties(signature, cert)

    # Markers around the Signature delimit its serialisation within the scratch root's.
    scratch.text = _hole(_START)
    signature.tail = _hole(_END)
    written = etree.tostring(scratch, encoding="UTF-8", xml_declaration=False)
    start = written.index(_hole(_START).encode()) + len(_hole(_START).encode())
    end = written.index(_hole(_END).encode(), start)
    return SignatureTemplate(
        key_info=_Template(_c14n(key_info)),
        signed_properties=_Template(_c14n(signed_properties)),
        signed_info=_Template(_c14n(signed_info)),
        signature=_Template(written[start:end]),
    )
