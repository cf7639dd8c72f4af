"""The SII's public keys that sign CAFs (FRMA), read from a PEM public key or from the
certificates the SII publishes.

Those certificates (LibreDTE's `100.cer` for certification, `300.cer` for production) are
512-bit, self-signed, long expired and carry an invalid X.509 version field (3, "v4"), which
`cryptography` refuses (`InvalidVersion`, sii-chile.md §3.2). Only their public key matters,
so it is taken from the DER structure directly: Certificate → tbsCertificate → the seventh
field (sixth without the optional version), subjectPublicKeyInfo. Nothing else of the
certificate is trusted or checked; trusting it is the operator's decision.
"""

from __future__ import annotations

import base64
import re

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key

_PEM = re.compile(rb"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----", re.S)
_SEQUENCE = 0x30
_VERSION = 0xA0  # [0] EXPLICIT Version


class UnusableKey(ValueError):
    """The bytes hold no RSA public key timbra can use to check CAFs."""


def _element(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the DER element at `offset`."""
    if offset + 2 > len(data):
        raise UnusableKey("truncated DER")
    tag, first = data[offset], data[offset + 1]
    start = offset + 2
    if first & 0x80:
        count = first & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise UnusableKey("unsupported DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    else:
        length = first
    end = start + length
    if end > len(data):
        raise UnusableKey("truncated DER")
    return tag, start, end


def subject_public_key_info(certificate_der: bytes) -> bytes:
    """The DER SubjectPublicKeyInfo of an X.509 certificate, whatever its version field says."""
    tag, start, _ = _element(certificate_der, 0)
    if tag != _SEQUENCE:
        raise UnusableKey("not a DER certificate")
    tag, position, tbs_end = _element(certificate_der, start)
    if tag != _SEQUENCE:
        raise UnusableKey("not a DER certificate (no tbsCertificate)")
    fields = []
    while position < tbs_end and len(fields) < 7:
        tag, _, value_end = _element(certificate_der, position)
        fields.append((tag, position, value_end))
        position = value_end
    if fields and fields[0][0] == _VERSION:
        fields = fields[1:]
    # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
    if len(fields) < 6 or fields[5][0] != _SEQUENCE:
        raise UnusableKey("the certificate has no subjectPublicKeyInfo where X.509 puts it")
    _, spki_start, spki_end = fields[5]
    return certificate_der[spki_start:spki_end]


def load_sii_key(data: bytes) -> rsa.RSAPublicKey:
    """An SII public key from a PEM public key, a PEM certificate or a DER certificate."""
    pem = _PEM.search(data)
    try:
        if pem is None:
            key = load_der_public_key(subject_public_key_info(data))
        elif pem.group(1) == b"PUBLIC KEY":
            key = load_pem_public_key(pem.group(0))
        elif pem.group(1) in (b"CERTIFICATE", b"X509 CERTIFICATE"):
            der = base64.b64decode(b"".join(pem.group(2).split()), validate=True)
            key = load_der_public_key(subject_public_key_info(der))
        else:
            raise UnusableKey(
                f"a PEM {pem.group(1).decode()} is neither a public key nor a certificate"
            )
    except UnusableKey:
        raise
    except ValueError as error:
        raise UnusableKey(f"no usable public key: {error}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnusableKey("the key is not RSA; CAF signatures (FRMA) are SHA1withRSA")
    return key


def load_sii_keys(items: list[bytes]) -> tuple[rsa.RSAPublicKey, ...]:
    """Every trusted SII key, in order; UnusableKey naming the first unusable one."""
    keys = []
    for index, data in enumerate(items):
        try:
            keys.append(load_sii_key(data))
        except UnusableKey as error:
            raise UnusableKey(f"trusted SII key #{index + 1}: {error}") from None
    return tuple(keys)
