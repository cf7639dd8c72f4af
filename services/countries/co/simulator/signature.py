"""Checking an invoice's XAdES-EPES signature the way DIAN does, with libxmlsec1 as the verifier.

libxmlsec1 (through python-xmlsec) does the core validation: every Reference digest and the
SignatureValue, with the public key of the certificate in KeyInfo. Around it, DIAN's profile:
the signature sits in a UBLExtension, covers the whole document, and is XAdES-EPES (signed
SignedProperties with a SignaturePolicyIdentifier whose hash is the policy's, and a
SigningCertificate digest that matches the certificate).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

import xmlsec
from cryptography import x509
from lxml import etree

from services.countries.co.simulator.findings import Finding

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {
    "ds": DS,
    "xades": XADES,
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

# Digest algorithms by URI, and the hash of DIAN's signature policy v2 under each (reference §5).
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
POLICY_HASHES = {
    "sha1": "sbcECQ7v+y/m3OcBCJyvmkBhtFs=",
    "sha256": "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y=",
    "sha384": "EQC0kiWPaAME6IsEZ7WuaTWJ97Zmf6hIO69rMCVURmQxBB9ebgLrjhL5BArQ0a0l",
    "sha512": (
        "Zcjw1Z9nGQn2j6NyGx8kAaLbOfJGd/fJxRTCeirlqAg7zRG27piJkJOpflGu7XACpMj9hC6dVMcCyzqHxxPZeQ=="
    ),
}
_C = xmlsec.constants
# Only what DIAN's policy allows. Anything else (XSLT, XPath, external URIs) is refused before
# libxmlsec1 could act on it: a hostile document must not make the verifier read files.
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
_SIGNATURE_TRANSFORMS = (
    _C.TransformInclC14N,
    _C.TransformInclC14NWithComments,
    _C.TransformExclC14N,
    _C.TransformExclC14NWithComments,
    _C.TransformRsaSha1,
    _C.TransformRsaSha256,
    _C.TransformRsaSha384,
    _C.TransformRsaSha512,
)
_LOCAL_REFERENCE = re.compile(r"#[A-Za-z_][\w.\-]*")

NOT_SIGNED = "Documento no firmado: no contiene ds:Signature."
NOT_EPES = "La firma no es XAdES-EPES: falta {} firmado."
BAD_VALUE = "Valor de la firma inválido."


@dataclass(frozen=True)
class SignatureCheck:
    """What the signature check found, and the signing time it read (for FAD09e)."""

    findings: tuple[Finding, ...]
    signing_time: str = ""


def _ze02(text: str) -> SignatureCheck:
    return SignatureCheck((Finding("ZE02", text),))


def _ze01(missing: str) -> SignatureCheck:
    return SignatureCheck((Finding("ZE01", NOT_EPES.format(missing)),))


def _certificate(signature: etree._Element) -> tuple[x509.Certificate, bytes] | None:
    node = signature.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)
    if node is None or not node.text:
        return None
    try:
        der = base64.b64decode("".join(node.text.split()), validate=True)
        return x509.load_der_x509_certificate(der), der
    except (binascii.Error, ValueError):
        return None


def _digest(holder: etree._Element) -> tuple[str | None, str]:
    """(hashlib name of ds:DigestMethod, ds:DigestValue) of a digest holder."""
    method = holder.find("ds:DigestMethod", NS)
    value = holder.findtext("ds:DigestValue", default="", namespaces=NS).strip()
    return DIGESTS.get(method.get("Algorithm", "") if method is not None else ""), value


def _certificate_digest_matches(cert_digest: etree._Element, der: bytes) -> bool:
    algorithm, value = _digest(cert_digest)
    if algorithm is None:
        return False
    return value == base64.b64encode(hashlib.new(algorithm, der).digest()).decode()


def _policy_hash_matches(policy: etree._Element) -> bool:
    holder = policy.find("xades:SigPolicyHash", NS)
    if holder is None:
        return False
    algorithm, value = _digest(holder)
    return algorithm is not None and value == POLICY_HASHES[algorithm]


def _core_validation(root: etree._Element, signature: etree._Element, der: bytes) -> bool:
    context = xmlsec.SignatureContext()
    for transform in _REFERENCE_TRANSFORMS:
        context.enable_reference_transform(transform)
    for transform in _SIGNATURE_TRANSFORMS:
        context.enable_signature_transform(transform)
    try:
        context.key = xmlsec.Key.from_memory(der, xmlsec.constants.KeyDataFormatCertDer)
        xmlsec.tree.add_ids(root, ["Id"])
        context.verify(signature)
    except xmlsec.Error:
        return False
    return True


def check_signature(root: etree._Element) -> SignatureCheck:
    """Verify the document's signature; its findings use DIAN's ZE01 and ZE02."""
    signatures = root.findall(f".//{{{DS}}}Signature")
    if not signatures:
        return SignatureCheck((Finding("ZE01", NOT_SIGNED),))
    if len(signatures) > 1:
        return _ze02("El documento contiene más de una firma.")
    signature = signatures[0]
    container = signature.getparent()
    if container is None or container.tag != f"{{{NS['ext']}}}ExtensionContent":
        return _ze01("ds:Signature dentro de ext:ExtensionContent")
    signed_properties = signature.find(
        "ds:Object/xades:QualifyingProperties/xades:SignedProperties", NS
    )
    if signed_properties is None:
        return _ze01("xades:SignedProperties")
    properties = signed_properties.find("xades:SignedSignatureProperties", NS)
    if properties is None:
        return _ze01("xades:SignedSignatureProperties")
    policy = properties.find("xades:SignaturePolicyIdentifier/xades:SignaturePolicyId", NS)
    if policy is None:
        return _ze01("xades:SignaturePolicyIdentifier")
    cert_digest = properties.find("xades:SigningCertificate/xades:Cert/xades:CertDigest", NS)
    if cert_digest is None:
        return _ze01("xades:SigningCertificate")

    uris = [ref.get("URI") for ref in signature.findall("ds:SignedInfo/ds:Reference", NS)]
    if any(uri is None or (uri and not _LOCAL_REFERENCE.fullmatch(uri)) for uri in uris):
        return _ze02("La firma referencia contenido fuera del documento.")
    if f"#{signed_properties.get('Id', '')}" not in uris:
        return _ze01("xades:SignedProperties referenciado desde ds:SignedInfo")
    whole = signature.findall("ds:SignedInfo/ds:Reference[@URI='']", NS)
    if len(whole) != 1 or ENVELOPED not in {
        t.get("Algorithm") for t in whole[0].findall("ds:Transforms/ds:Transform", NS)
    }:
        return _ze02('La firma no cubre el documento completo (referencia URI="" enveloped).')
    # A repeated Id lets a forged element shadow the signed one (signature wrapping).
    ids = root.xpath("//@Id")
    if len(ids) != len(set(ids)):
        return _ze02("El documento repite valores del atributo Id.")

    found = _certificate(signature)
    if found is None:
        return _ze02("No se encontró un certificado válido en ds:X509Certificate.")
    certificate, der = found
    signing_time = properties.findtext("xades:SigningTime", default="", namespaces=NS).strip()

    findings: list[Finding] = []
    if not _core_validation(root, signature, der):
        findings.append(Finding("ZE02", BAD_VALUE))
    if not _certificate_digest_matches(cert_digest, der):
        findings.append(
            Finding("ZE02", "xades:CertDigest no corresponde al certificado de la firma.")
        )
    serial = properties.findtext(
        "xades:SigningCertificate/xades:Cert/xades:IssuerSerial/ds:X509SerialNumber",
        default="",
        namespaces=NS,
    ).strip()
    if serial and serial != str(certificate.serial_number):
        findings.append(
            Finding("ZE02", "xades:IssuerSerial no corresponde al certificado de la firma.")
        )
    if not _policy_hash_matches(policy):
        findings.append(Finding("ZE02", "Política de firma inválida."))
    return SignatureCheck(tuple(findings), signing_time)
