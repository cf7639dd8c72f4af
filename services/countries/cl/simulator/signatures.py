"""Checking the XMLDSig signatures the SII receives (seed, DTE, envelope) with libxmlsec1.

Every signature is held to the SII's restricted profile (reference §5.1): one Reference whose
URI is the one this kind of signature must sign (so a valid signature over some other element
never passes), RSA-SHA1, and a KeyInfo carrying both the RSA key value and one X.509
certificate that agree. The certificate's key, never the KeyValue, is what libxmlsec1 verifies
with; the certificate is then the signer's identity.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import lru_cache

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.cl.simulator.identities import certificate_run

DS = "http://www.w3.org/2000/09/xmldsig#"
RSA_SHA1 = f"{DS}rsa-sha1"
_NS = {"ds": DS}

# Why a signature failed; the authentication service answers each with its own ESTADO.
NO_CERTIFICATE, KEY_MISMATCH, INVALID = "no-certificate", "key-mismatch", "invalid"


class BadSignature(ValueError):
    """The signature does not hold; `reason` says which way."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Signer:
    """Who signed: the certificate in the signature and the RUN it names (None if none)."""

    certificate: x509.Certificate
    run: str | None


def _one(signature: etree._Element, path: str, what: str) -> etree._Element:
    found = signature.findall(path, _NS)
    if len(found) != 1:
        reason = NO_CERTIFICATE if what == "X509Certificate" else INVALID
        raise BadSignature(reason, f"the signature must hold exactly one {what}")
    return found[0]


def _integer(element: etree._Element) -> int:
    try:
        return int.from_bytes(base64.b64decode("".join((element.text or "").split())), "big")
    except (binascii.Error, ValueError):
        raise BadSignature(INVALID, f"{etree.QName(element).localname} is not base64") from None


@lru_cache(maxsize=256)
def _certificate(der: bytes) -> tuple[x509.Certificate, bytes]:
    certificate = x509.load_der_x509_certificate(der)
    return certificate, certificate.public_bytes(serialization.Encoding.PEM)


def _read_certificate(signature: etree._Element) -> tuple[x509.Certificate, bytes]:
    node = _one(signature, "ds:KeyInfo/ds:X509Data/ds:X509Certificate", "X509Certificate")
    try:
        return _certificate(base64.b64decode("".join((node.text or "").split())))
    except (binascii.Error, ValueError) as error:
        raise BadSignature(NO_CERTIFICATE, f"the certificate cannot be read: {error}") from None


def _check_key_value(signature: etree._Element, certificate: x509.Certificate) -> None:
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadSignature(INVALID, "only RSA certificates are accepted")
    value = _one(signature, "ds:KeyInfo/ds:KeyValue/ds:RSAKeyValue", "RSAKeyValue")
    numbers = key.public_numbers()
    modulus = _integer(_one(value, "ds:Modulus", "Modulus"))
    exponent = _integer(_one(value, "ds:Exponent", "Exponent"))
    if (modulus, exponent) != (numbers.n, numbers.e):
        raise BadSignature(KEY_MISMATCH, "the KeyValue is not the certificate's public key")


def _check_reference(signature: etree._Element, expected_uri: str) -> None:
    method = _one(signature, "ds:SignedInfo/ds:SignatureMethod", "SignatureMethod")
    if method.get("Algorithm") != RSA_SHA1:
        raise BadSignature(INVALID, "SignatureMethod must be rsa-sha1")
    reference = _one(signature, "ds:SignedInfo/ds:Reference", "Reference")
    if reference.get("URI") != expected_uri:
        raise BadSignature(INVALID, f"the signature must sign URI {expected_uri!r}")
    if expected_uri.startswith("#"):
        root = signature.getroottree().getroot()
        matches = root.xpath("count(//*[@ID=$id])", id=expected_uri[1:])
        if matches != 1:
            raise BadSignature(INVALID, f"ID {expected_uri[1:]!r} must occur exactly once")


def verify(signature: etree._Element, expected_uri: str) -> Signer:
    """Verify `signature` (in its own tree) over `expected_uri`; BadSignature if it fails."""
    _check_reference(signature, expected_uri)
    certificate, pem = _read_certificate(signature)
    _check_key_value(signature, certificate)
    root = signature.getroottree().getroot()
    xmlsec.tree.add_ids(root, ["ID"])
    context = xmlsec.SignatureContext()
    try:
        context.key = xmlsec.Key.from_memory(pem, xmlsec.KeyFormat.CERT_PEM)
        context.verify(signature)
    except xmlsec.Error as error:
        raise BadSignature(INVALID, f"the signature does not verify: {error}") from None
    return Signer(certificate, certificate_run(certificate))
