"""What transmission publishes: DocumentTransmitted, DocumentAccepted, DocumentRejected."""

from __future__ import annotations

from typing import Any

from services.core.envelope import Outbound, new_envelope, timestamp
from services.transmission.domain import AuthorityLink, Submission
from timbra.v1 import document_pb2, events_pb2

SOURCE = "transmission"


def verdict_message(verdict: dict[str, Any]) -> document_pb2.AuthorityVerdict:
    """The protobuf form of a verdict stored as plain data."""
    return document_pb2.AuthorityVerdict(
        authority=verdict["authority"],
        is_valid=verdict["accepted"],
        status_code=verdict["status_code"],
        status_description=verdict["status_description"],
        messages=[document_pb2.AuthorityMessage(**message) for message in verdict["messages"]],
        document_key=verdict["document_key"],
        track_id=verdict["track_id"],
    )


def _header(event: Any, kind: str) -> events_pb2.EventEnvelope:
    return new_envelope(
        event_type=kind,
        source=SOURCE,
        aggregate_id=event.originator_id,
        version=event.originator_version,
        occurred_at=event.timestamp,
        document_id=event.ref["document_id"],
        issuer=event.ref["issuer"],
        country=event.ref["country"],
        correlation_id=event.ref["request_id"],
    )


def transmitted(event: Submission.DocumentTransmitted) -> events_pb2.EventEnvelope:
    """Envelope for a delivery."""
    envelope = _header(event, "DocumentTransmitted")
    envelope.transmitted.CopyFrom(
        events_pb2.DocumentTransmitted(
            authority=event.authority,
            endpoint=event.endpoint,
            operation=event.operation,
            file_name=event.file_name,
            attempt=event.attempt,
            sent_at=timestamp(event.sent_at),
            track_id=event.track_id,
        )
    )
    return envelope


def accepted(event: Submission.DocumentAccepted) -> events_pb2.EventEnvelope:
    """Envelope for an acceptance."""
    envelope = _header(event, "DocumentAccepted")
    envelope.accepted.CopyFrom(
        events_pb2.DocumentAccepted(
            verdict=verdict_message(event.verdict),
            authority_response=event.authority_response,
            decided_at=timestamp(event.decided_at),
        )
    )
    return envelope


def rejected(event: Submission.DocumentRejected) -> events_pb2.EventEnvelope:
    """Envelope for a rejection by the authority."""
    envelope = _header(event, "DocumentRejected")
    envelope.rejected.CopyFrom(
        events_pb2.DocumentRejected(
            verdict=verdict_message(event.verdict),
            authority_response=event.authority_response,
            decided_at=timestamp(event.decided_at),
            stage="authority",
        )
    )
    return envelope


def _link_header(event: Any, kind: str) -> events_pb2.EventEnvelope:
    return new_envelope(
        event_type=kind,
        source=SOURCE,
        aggregate_id=event.originator_id,
        version=event.originator_version,
        occurred_at=event.timestamp,
        document_id="",
        issuer="",
        country=event.country,
        correlation_id="",
    )


def contingency_declared(event: AuthorityLink.ContingencyDeclared) -> events_pb2.EventEnvelope:
    """Envelope for the start of a contingency."""
    envelope = _link_header(event, "ContingencyDeclared")
    envelope.contingency_declared.CopyFrom(
        events_pb2.ContingencyDeclared(
            authority=event.authority,
            reason=event.reason,
            attempts=event.attempts,
            declared_at=timestamp(event.declared_at),
        )
    )
    return envelope


def contingency_ended(event: AuthorityLink.ContingencyEnded) -> events_pb2.EventEnvelope:
    """Envelope for the end of a contingency."""
    envelope = _link_header(event, "ContingencyEnded")
    envelope.contingency_ended.CopyFrom(
        events_pb2.ContingencyEnded(
            authority=event.authority,
            ended_at=timestamp(event.ended_at),
            backlog=event.backlog,
            backlog_deadline=timestamp(event.backlog_deadline),
        )
    )
    return envelope


OUTBOUND = Outbound(
    source=SOURCE,
    mappers={
        Submission.DocumentTransmitted: transmitted,
        Submission.DocumentAccepted: accepted,
        Submission.DocumentRejected: rejected,
        AuthorityLink.ContingencyDeclared: contingency_declared,
        AuthorityLink.ContingencyEnded: contingency_ended,
    },
)
