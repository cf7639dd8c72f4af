"""Issuers' signing keys, opened from the sealed store once per process and kept in memory.

Parsing a PKCS#12 and validating an RSA key costs tens of milliseconds; signing costs two. So
each issuer's signer is built once and reused, and only rebuilt when its certificate changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from eventsourcing.application import AggregateNotFoundError

from services.core.rejection import InputRejected
from services.core.store import ServiceApplication
from services.core.vault import Vault
from services.countries.pack import Credentials, DocumentSigner
from services.countries.registry import pack_for
from services.signing.domain import Certificate, FolioKeys

# How often a cached signer checks whether its certificate was replaced by another process.
_RECHECK_SECONDS = 5.0


class NoCertificate(Exception):
    """The issuer has no usable signing certificate."""


def certificate_details(pkcs12_bytes: bytes, password: str) -> tuple[dict[str, Any], Credentials]:
    """Open a PKCS#12, check it holds a key and its certificate, and describe the certificate."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(pkcs12_bytes, password.encode())
    except ValueError:
        raise InputRejected(
            "pkcs12", "is not a PKCS#12 file this password opens (wrong password or corrupt file)"
        ) from None
    if key is None or cert is None:
        raise InputRejected("pkcs12", "must contain the private key and its certificate")
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise InputRejected("pkcs12", "the private key does not belong to the certificate")
    now = datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        raise InputRejected(
            "pkcs12", f"the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}"
        )
    details = {
        "subject": cert.subject.rfc4514_string(),
        "serial": str(cert.serial_number),
        "issuer_name": cert.issuer.rfc4514_string(),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "sha256_fingerprint": hashlib.sha256(
            cert.public_bytes(serialization.Encoding.DER)
        ).hexdigest(),
    }
    return details, Credentials(private_key=key, certificate=cert, chain=tuple(chain or ()))


def _check_validity(cert: x509.Certificate) -> None:
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise NoCertificate(
            f"the signing certificate is valid only from {cert.not_valid_before_utc:%Y-%m-%d} "
            f"to {cert.not_valid_after_utc:%Y-%m-%d}"
        )


@dataclass(frozen=True)
class _Loaded:
    """A signer built from stored credentials, and the versions it was built from."""

    versions: tuple[int, int]
    checked: float
    signer: DocumentSigner
    certificate: x509.Certificate


class Keyring:
    """Signers per issuer, built from sealed certificates once and reused."""

    def __init__(self, app: ServiceApplication, vault: Vault) -> None:
        self.app = app
        self.vault = vault
        self._lock = threading.Lock()
        self._signers: dict[tuple[str, str], _Loaded] = {}

    def register(
        self, country: str, issuer: str, pkcs12_bytes: bytes, password: str
    ) -> Certificate:
        """Store (or replace) an issuer's certificate, sealed; refuse what cannot sign."""
        pack_for(country, field="country")
        details, _ = certificate_details(pkcs12_bytes, password)
        cert_id = Certificate.id_for(country, issuer)
        secret = len(password.encode()).to_bytes(2, "big") + password.encode() + pkcs12_bytes
        sealed = self.vault.seal(secret, f"certificate|{cert_id}")
        try:
            certificate: Certificate = self.app.repository.get(cert_id)
            certificate.replace(details=details, sealed=sealed)
        except AggregateNotFoundError:
            certificate = Certificate(
                country=country, issuer=issuer, details=details, sealed=sealed
            )
        self.app.record(certificate)
        with self._lock:
            self._signers.pop((country, issuer), None)
        return certificate

    def register_folio_key(self, country: str, issuer: str, content: bytes) -> tuple[str, str]:
        """Store a numbering file's private key (CL: a CAF's RSASK), sealed; returns its key
        id and the SHA-256 of its public key. The file is validated by the country pack."""
        numbering_file = pack_for(country, field="country").parse_numbering_file(
            issuer, content, "content"
        )
        if not numbering_file.private_key_pem:
            raise InputRejected("content", "holds no private key to register")
        keys_id = FolioKeys.id_for(country, issuer)
        try:
            keys: FolioKeys = self.app.repository.get(keys_id)
        except AggregateNotFoundError:
            keys = FolioKeys(country=country, issuer=issuer)
        private = serialization.load_pem_private_key(numbering_file.private_key_pem, None)
        public_sha256 = hashlib.sha256(
            private.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).hexdigest()
        keys.register(
            key_id=numbering_file.key_id,
            sealed=self.vault.seal(
                numbering_file.private_key_pem, f"folio-key|{keys_id}|{numbering_file.key_id}"
            ),
            public_key_sha256=public_sha256,
        )
        self.app.record(keys)
        with self._lock:
            self._signers.pop((country, issuer), None)
        return numbering_file.key_id, public_sha256

    def _folio_keys(self, country: str, issuer: str) -> FolioKeys | None:
        keys_id = FolioKeys.id_for(country, issuer)
        if not self.app.recorder.select_events(keys_id, limit=1):
            return None
        return self.app.repository.get(keys_id)

    def signer(self, country: str, issuer: str) -> tuple[DocumentSigner, x509.Certificate]:
        """The issuer's signer and certificate; raises NoCertificate when it has none usable."""
        key = (country, issuer)
        now = time.monotonic()
        with self._lock:
            cached = self._signers.get(key)
        if cached is not None and now - cached.checked < _RECHECK_SECONDS:
            _check_validity(cached.certificate)
            return cached.signer, cached.certificate
        cert_id = Certificate.id_for(country, issuer)
        try:
            certificate: Certificate = self.app.repository.get(cert_id)
        except AggregateNotFoundError:
            raise NoCertificate(
                f"no signing certificate is registered for issuer {issuer}"
            ) from None
        folio_keys = self._folio_keys(country, issuer)
        versions = (certificate.version, folio_keys.version if folio_keys else 0)
        if cached is not None and cached.versions == versions:
            with self._lock:
                self._signers[key] = dataclasses.replace(cached, checked=now)
            _check_validity(cached.certificate)
            return cached.signer, cached.certificate
        secret = self.vault.open(certificate.sealed, f"certificate|{cert_id}")
        size = int.from_bytes(secret[:2], "big")
        password, pkcs12_bytes = secret[2 : 2 + size].decode(), secret[2 + size :]
        _, credentials = certificate_details(pkcs12_bytes, password)
        if folio_keys is not None:
            credentials = dataclasses.replace(
                credentials,
                folio_keys={
                    key_id: serialization.load_pem_private_key(
                        self.vault.open(sealed, f"folio-key|{folio_keys.id}|{key_id}"), None
                    )
                    for key_id, sealed in folio_keys.keys.items()
                },
            )
        signer = pack_for(country).create_signer(credentials)
        with self._lock:
            self._signers[key] = _Loaded(versions, now, signer, credentials.certificate)
        _check_validity(credentials.certificate)
        return signer, credentials.certificate

    def certificates(self, issuer: str = "") -> list[Certificate]:
        """Registered certificates (public details only), optionally for one issuer."""
        from eventsourcing.utils import get_topic

        topic = get_topic(Certificate.CertificateRegistered)
        found = []
        for notification in self.app.recorder.select_notifications(
            start=1, limit=100000, topics=[topic]
        ):
            event = self.app.mapper.to_domain_event(notification)
            if not issuer or event.issuer == issuer:
                found.append(self.app.repository.get(event.originator_id))
        return found
