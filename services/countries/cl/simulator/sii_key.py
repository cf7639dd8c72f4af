"""The simulator's own "SII" key: it signs every CAF (FRMA) it issues, as the SII's IDK 100/300 do.

Like the SII's published `100.cer`/`300.cer` (reference §3.2), its certificate is self-signed
with md5WithRSAEncryption, already expired, and carries the invalid X.509 version field 3
("v4"): `cryptography` refuses to load it, so clients must learn to take the public key out of
it another way. The SII's keys are 512-bit; this one is 1024-bit, the smallest `cryptography`
generates (verifiers read whatever size the certificate holds). The key is made on first run
and kept, owner-readable only, in the data dir.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

KEY_FILE = "sii-key.pem"
CERTIFICATION_IDK = 100  # maullin's IDK; production (palena) is 300
_SHA256_RSA = bytes.fromhex("06092a864886f70d01010b")  # OID 1.2.840.113549.1.1.11
_MD5_RSA = bytes.fromhex("06092a864886f70d010104")  # OID 1.2.840.113549.1.1.4
_VERSION_V3 = bytes.fromhex("a003020102")
_VERSION_ODD = bytes.fromhex("a003020103")


@dataclass(frozen=True)
class SiiKey:
    """The key that signs CAFs, the IDK that names it, and its published certificate."""

    idk: int
    private_key: rsa.RSAPrivateKey
    certificate_der: bytes

    def public_key(self) -> rsa.RSAPublicKey:
        """The key that verifies FRMA."""
        return self.private_key.public_key()

    def public_pem(self) -> bytes:
        """The public key as a PEM SubjectPublicKeyInfo."""
        return self.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def certificate_pem(self) -> bytes:
        """The certificate as the SII publishes its `.cer` files: PEM."""
        return x509_pem(self.certificate_der)


def x509_pem(der: bytes) -> bytes:
    """DER certificate bytes wrapped as PEM (done by hand: `cryptography` cannot load it)."""
    body = base64.b64encode(der)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


def odd_certificate(key: rsa.RSAPrivateKey, idk: int, now: dt.datetime) -> bytes:
    """A self-signed certificate shaped like the SII's: version 3 ("v4"), md5WithRSA, expired."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Servicio de Impuestos Internos"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"timbra SII simulator IDK {idk}"),
        ]
    )
    # `cryptography` builds neither an MD5 signature nor version 3, so it builds a normal
    # SHA-256 certificate and the DER is patched: both fields keep their length, and the TBS is
    # signed again afterwards.
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(idk)
        .not_valid_before(now - dt.timedelta(days=730))
        .not_valid_after(now - dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    tbs = certificate.tbs_certificate_bytes
    odd_tbs = tbs.replace(_VERSION_V3, _VERSION_ODD, 1).replace(_SHA256_RSA, _MD5_RSA, 1)
    start = der.index(tbs)
    rest = der[start + len(tbs) :].replace(_SHA256_RSA, _MD5_RSA, 1)
    signature = key.sign(odd_tbs, padding.PKCS1v15(), hashes.MD5())
    rest = rest[: -len(signature)] + signature
    return der[:start] + odd_tbs + rest


def load_or_create(data_dir: Path, idk: int = CERTIFICATION_IDK) -> SiiKey:
    """The simulator's SII key from `data_dir`, made (and saved, owner-only) on first run."""
    path = data_dir / KEY_FILE
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
    # The certificate is remade at each start: its dates are cosmetic, the key is what counts.
    return SiiKey(idk, key, odd_certificate(key, idk, dt.datetime.now(dt.UTC)))
