"""Which certificates the simulator trusts for WS-Security, kept across restarts.

DIAN accepts only certificates of ONAC-accredited authorities. The sandbox cannot know those,
so trust is a setting: when it is enforced, a request's token certificate must be one the
sandbox registered (an issuer's certificate) or be issued by a registered authority (a CA from
`--trust-ca` or `POST /sandbox/trust/authorities`); when it is not (the default), any
certificate whose signature and dates are good is accepted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trusted_certificates (
    fingerprint TEXT PRIMARY KEY, pem TEXT NOT NULL, authority INTEGER NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, in hex: how the sandbox names a certificate."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def read_pem(text: str) -> x509.Certificate:
    """One PEM certificate; ValueError when the text is not one."""
    certificates = x509.load_pem_x509_certificates(text.encode())
    if len(certificates) != 1:
        raise ValueError("exactly one PEM certificate is expected")
    return certificates[0]


@dataclass
class TrustStore:
    """The trusted authorities and certificates, in memory, as the request path reads them."""

    enforced: bool = False
    authorities: dict[str, x509.Certificate] = field(default_factory=dict)
    certificates: dict[str, x509.Certificate] = field(default_factory=dict)

    def trusts(self, certificate: x509.Certificate, now: datetime) -> bool:
        """Whether `certificate` is registered or issued by a registered, valid authority."""
        if fingerprint(certificate) in self.certificates:
            return True
        for authority in self.authorities.values():
            if authority.subject != certificate.issuer:
                continue
            if not authority.not_valid_before_utc <= now <= authority.not_valid_after_utc:
                continue
            try:
                certificate.verify_directly_issued_by(authority)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return True
        return False

    def describe(self) -> dict[str, object]:
        """The store as the sandbox portal shows it."""

        def listed(found: dict[str, x509.Certificate]) -> list[dict[str, str]]:
            """Certificates by fingerprint and subject."""
            return [
                {"fingerprint": key, "subject": cert.subject.rfc4514_string()}
                for key, cert in found.items()
            ]

        return {
            "enforced": self.enforced,
            "authorities": listed(self.authorities),
            "certificates": listed(self.certificates),
        }


class TrustRecords:
    """The trust store's rows in the simulator's database; use from the database thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)

    def load(self) -> TrustStore:
        """The stored trust store."""
        store = TrustStore()
        for pem, authority in self._db.execute(
            "SELECT pem, authority FROM trusted_certificates ORDER BY rowid"
        ):
            certificate = read_pem(pem)
            target = store.authorities if authority else store.certificates
            target[fingerprint(certificate)] = certificate
        row = self._db.execute("SELECT value FROM settings WHERE name = 'trust_enforced'")
        found = row.fetchone()
        store.enforced = found is not None and found[0] == "1"
        return store

    def add(self, certificate: x509.Certificate, authority: bool, now: datetime) -> str:
        """Trust a certificate (an authority, or a single leaf); returns its fingerprint."""
        key = fingerprint(certificate)
        pem = certificate.public_bytes(Encoding.PEM).decode()
        self._db.execute(
            "INSERT INTO trusted_certificates (fingerprint, pem, authority, added_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET "
            "authority = max(authority, excluded.authority)",
            (key, pem, int(authority), now.isoformat()),
        )
        return key

    def enforce(self, enforced: bool) -> None:
        """Turn enforcement on or off."""
        self._db.execute(
            "INSERT INTO settings (name, value) VALUES ('trust_enforced', ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            ("1" if enforced else "0",),
        )
