"""Transmission's aggregate: one submission per signed document, with every attempt recorded."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid.UUID("5d9e2a71-0b3c-4f8e-a6d2-7c1b0e9f3a58")


class Submission(Aggregate):
    """A signed document on its way to the authority."""

    @staticmethod
    def id_for(document_id: str) -> uuid.UUID:
        """The submission of a document."""
        return uuid.uuid5(_NAMESPACE, f"submission|{document_id}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    @event("SubmissionOpened")
    def __init__(
        self,
        *,
        document_id: str,
        country: str,
        issuer: str,
        request_id: str,
        document_type: str,
        number: str,
        document_key: str,
        signed_xml: bytes,
        environment: str,
        transmission_options: dict[str, str],
    ) -> None:
        self.document_id = document_id
        self.country = country
        self.issuer = issuer
        self.request_id = request_id
        self.document_type = document_type
        self.number = number
        self.document_key = document_key
        self.signed_xml = signed_xml
        self.environment = environment
        self.transmission_options = transmission_options
        self.attempts = 0
        self.in_doubt = False
        self.final = False
        self.track_id = ""  # set when an asynchronous delivery awaits its verdict
        self.deadline: datetime | None = None
        self.deadline_warned = False

    @property
    def ref(self) -> dict[str, str]:
        """Who the submission is about; published events carry it so they stand alone."""
        return {
            "document_id": self.document_id,
            "issuer": self.issuer,
            "country": self.country,
            "request_id": self.request_id,
        }

    @event("DeliveryFailed")
    def delivery_failed(self, *, attempt: int, reason: str, retry_at: datetime) -> None:
        """The authority could not be reached or refused service: nothing was delivered."""
        self.attempts = attempt

    @event("SubmissionInDoubt")
    def doubted(self, *, attempt: int, reason: str) -> None:
        """The request left but no answer came: reconcile with the authority before resending."""
        self.attempts = attempt
        self.in_doubt = True

    @event("DocumentTransmitted")
    def transmitted(
        self,
        *,
        ref: dict[str, str],
        authority: str,
        endpoint: str,
        operation: str,
        file_name: str,
        attempt: int,
        sent_at: datetime,
        track_id: str,
    ) -> None:
        """The authority received the document."""
        self.attempts = attempt
        self.in_doubt = False
        self.track_id = track_id

    @property
    def awaiting_verdict(self) -> bool:
        """Delivered asynchronously: the verdict is to be fetched with the track id."""
        return bool(self.track_id) and not self.final

    @event("DeadlineSet")
    def set_deadline(self, *, deadline: datetime, reason: str) -> None:
        """The document must reach the authority by `deadline` (CO: 48 h after a contingency)."""
        self.deadline = deadline

    @event("DeadlineApproaching")
    def warn_deadline(self, *, deadline: datetime, remaining_seconds: int) -> None:
        """A warning, once: the deadline is near and the document is still not transmitted."""
        self.deadline_warned = True

    @event("DocumentAccepted")
    def accepted(
        self,
        *,
        ref: dict[str, str],
        verdict: dict[str, Any],
        authority_response: bytes,
        decided_at: datetime,
    ) -> None:
        """The authority accepted it."""
        self.final = True

    @event("DocumentRejected")
    def rejected(
        self,
        *,
        ref: dict[str, str],
        verdict: dict[str, Any],
        authority_response: bytes,
        decided_at: datetime,
    ) -> None:
        """The authority rejected it."""
        self.final = True


class AuthorityLink(Aggregate):
    """timbra's link to one country's authority: normal service, or contingency (DESIGN §5)."""

    @staticmethod
    def id_for(country: str) -> uuid.UUID:
        """The link to a country's authority."""
        return uuid.uuid5(_NAMESPACE, f"authority-link|{country}")

    create_id = id_for

    @event("AuthorityLinkOpened")
    def __init__(self, *, country: str, authority: str) -> None:
        self.country = country
        self.authority = authority
        self.in_contingency = False
        self.declared_at: datetime | None = None

    @event("ContingencyDeclared")
    def declare(
        self, *, country: str, authority: str, reason: str, attempts: int, declared_at: datetime
    ) -> None:
        """The authority failed its retry pattern: contingency begins."""
        self.in_contingency = True
        self.declared_at = declared_at

    @event("ContingencyEnded")
    def end(
        self,
        *,
        country: str,
        authority: str,
        ended_at: datetime,
        backlog: int,
        backlog_deadline: datetime,
    ) -> None:
        """The authority answers again; the backlog must be transmitted by `backlog_deadline`."""
        self.in_contingency = False
