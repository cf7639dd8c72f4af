"""A local test certificate authority for the sandbox: never a real ECD, never committed.

DIAN requires certificates from an ONAC-accredited authority; in the sandbox and in tests
timbra makes its own CA on first run and issues each sandbox issuer a PKCS#12 from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_KEY_SIZE = 2048


@dataclass(frozen=True)
class TestAuthority:
    """A CA key and certificate that can issue signing certificates."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        """The CA certificate, PEM (what a verifier's trust store holds)."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def new_key() -> rsa.RSAPrivateKey:
    """A fresh RSA key of the size every test certificate has."""
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: rsa.RSAPublicKey,
    signing_key: rsa.RSAPrivateKey,
    years: int,
    extensions: Sequence[tuple[x509.ExtensionType, bool]],
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def create_authority(name: str = "timbra sandbox CA", years: int = 10) -> TestAuthority:
    """Create a new self-signed CA."""
    key = new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "timbra sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    cert = _certificate(
        subject,
        subject,
        key.public_key(),
        key,
        years,
        [
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (usage, True),
            (x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
        ],
    )
    return TestAuthority(key, cert)


def issue_certificate(
    authority: TestAuthority,
    subject: x509.Name,
    *,
    extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
    years: int = 2,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """An end-entity certificate for `subject` with a fresh key, signed by the test CA:
    BasicConstraints (not a CA), then `extensions` as (extension, critical) pairs."""
    key = new_key()
    cert = _certificate(
        subject,
        authority.certificate.subject,
        key.public_key(),
        authority.key,
        years,
        [(x509.BasicConstraints(ca=False, path_length=None), True), *extensions],
    )
    return key, cert


def issue_signing_certificate(
    authority: TestAuthority,
    *,
    tax_id: str,
    name: str,
    country: str = "CO",
    years: int = 2,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """Issue a document-signing certificate for an issuer (subject serialNumber = tax id)."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, tax_id),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # non-repudiation, which DIAN checks (ZD07)
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    issuer_key = x509.AuthorityKeyIdentifier.from_issuer_public_key(
        authority.certificate.public_key()  # type: ignore[arg-type]
    )
    return issue_certificate(
        authority,
        subject,
        extensions=[
            (usage, True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False),
            (issuer_key, False),
        ],
        years=years,
    )


def to_pkcs12(
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
    password: bytes,
    friendly_name: bytes = b"timbra",
) -> bytes:
    """Bundle a key, its certificate and the chain as a password-protected PKCS#12."""
    return pkcs12.serialize_key_and_certificates(
        friendly_name,
        key,
        cert,
        chain,
        serialization.BestAvailableEncryption(password),
    )
