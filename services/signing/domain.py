"""Signing's aggregates: an issuer's certificate (sealed) and one signature record per document."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid.UUID("0c2b8f1d-3e4a-4b6c-8d7e-9f0a1b2c3d4e")


class Certificate(Aggregate):
    """An issuer's signing certificate; the PKCS#12 and its password are stored sealed."""

    @staticmethod
    def id_for(country: str, issuer: str) -> uuid.UUID:
        """The certificate slot of one issuer."""
        return uuid.uuid5(_NAMESPACE, f"certificate|{country}|{issuer}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    @event("CertificateRegistered")
    def __init__(self, *, country: str, issuer: str, details: dict[str, Any], sealed: str) -> None:
        self.country = country
        self.issuer = issuer
        self.details = details
        self.sealed = sealed

    @event("CertificateReplaced")
    def replace(self, *, details: dict[str, Any], sealed: str) -> None:
        """A new certificate (renewal) takes over from now on."""
        self.details = details
        self.sealed = sealed


class FolioKeys(Aggregate):
    """An issuer's folio (CAF) private keys, sealed; the signer stamps TEDs with them."""

    @staticmethod
    def id_for(country: str, issuer: str) -> uuid.UUID:
        """The folio keys of one issuer."""
        return uuid.uuid5(_NAMESPACE, f"folio-keys|{country}|{issuer}")

    create_id = id_for

    @event("FolioKeysOpened")
    def __init__(self, *, country: str, issuer: str) -> None:
        self.country = country
        self.issuer = issuer
        self.keys: dict[str, str] = {}  # key id -> sealed PEM

    @event("FolioKeyRegistered")
    def register(self, *, key_id: str, sealed: str, public_key_sha256: str) -> None:
        """A numbering authorisation's private key (registering it again replaces it)."""
        self.keys[key_id] = sealed


class Signature(Aggregate):
    """What became of one drafted document at the signing stage."""

    @staticmethod
    def id_for(document_id: str) -> uuid.UUID:
        """The signature record of a document."""
        return uuid.uuid5(_NAMESPACE, f"signature|{document_id}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    class DocumentSigned(Aggregate.Created):
        """The document was signed."""

        document_id: str
        country: str
        issuer: str
        request_id: str
        number: str
        document_key: str
        document_type: str
        environment: str
        transmission_options: dict[str, str]
        signed_xml: bytes
        certificate_serial: str
        certificate_subject: str
        signing_time: datetime
        signed_digest: str

    class DocumentRejected(Aggregate.Created):
        """The document could not be signed (no certificate, expired certificate, bad XML)."""

        document_id: str
        country: str
        issuer: str
        request_id: str
        number: str
        document_key: str
        document_type: str
        environment: str
        transmission_options: dict[str, str]
        rule: str
        reason: str

    @classmethod
    def signed(cls, **facts: Any) -> Signature:
        """Record a signature."""
        return cls._create(cls.DocumentSigned, id=cls.id_for(facts["document_id"]), **facts)

    @classmethod
    def refused(cls, **facts: Any) -> Signature:
        """Record that the document cannot be signed."""
        return cls._create(cls.DocumentRejected, id=cls.id_for(facts["document_id"]), **facts)
