"""Issuing records each downstream fact (signed, transmitted, accepted, rejected) on the
document's own stream, in causal order, exactly once.

Facts come from several topics that are not ordered with respect to each other: an acceptance
can arrive before the signature it follows. Such a fact is held (in the document's HeldFacts)
and applied as soon as its predecessor is recorded, so replaying a document always reads
drafted → signed → transmitted → accepted.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from google.protobuf.json_format import MessageToDict

from services.core.envelope import moment, payload
from services.core.inbox import Inbound, TrackedConsumer
from services.issuing.application import IssuingApp
from services.issuing.domain import AuthorityStatus, Document, HeldFacts
from timbra.v1 import events_pb2

log = logging.getLogger(__name__)


class FactRecorder(TrackedConsumer):
    """Issuing's consumer of the signing and transmission services' events."""

    name = "issuing"
    consumes = (
        "DocumentSigned",
        "DocumentTransmitted",
        "DocumentAccepted",
        "DocumentRejected",
        "ContingencyDeclared",
        "ContingencyEnded",
    )

    def __init__(self, app: IssuingApp) -> None:
        super().__init__(app)
        self.app: IssuingApp = app

    def process(self, fresh: Sequence[Inbound]) -> list[Document | HeldFacts]:
        """Apply each fact to its document, holding those that came before their predecessor."""
        documents: dict[uuid.UUID, Document] = {}
        held: dict[uuid.UUID, HeldFacts] = {}
        authorities: dict[str, AuthorityStatus] = {}
        for inbound in fresh:
            if inbound.envelope.type in ("ContingencyDeclared", "ContingencyEnded"):
                self._note_authority(inbound.envelope, authorities)
            else:
                self._take(inbound.envelope, documents, held)
        return [*documents.values(), *held.values(), *authorities.values()]

    def _note_authority(
        self, envelope: events_pb2.EventEnvelope, authorities: dict[str, AuthorityStatus]
    ) -> None:
        country = envelope.country
        status = authorities.get(country) or self.app.authority_status(country)
        authorities[country] = status
        if envelope.type == "ContingencyDeclared" and not status.in_contingency:
            fact = envelope.contingency_declared
            status.note_outage(
                authority=fact.authority, declared_at=moment(fact.declared_at), reason=fact.reason
            )
            log.warning(
                "%s in contingency: new documents are issued in their contingency variant",
                fact.authority,
            )
        elif envelope.type == "ContingencyEnded" and status.in_contingency:
            fact = envelope.contingency_ended
            status.note_recovery(
                authority=fact.authority,
                ended_at=moment(fact.ended_at),
                backlog_deadline=moment(fact.backlog_deadline),
            )
            log.warning("%s answers again: documents are issued normally", fact.authority)

    def _take(
        self,
        envelope: events_pb2.EventEnvelope,
        documents: dict[uuid.UUID, Document],
        held: dict[uuid.UUID, HeldFacts],
    ) -> None:
        document_id = uuid.UUID(envelope.document_id)
        document = documents.get(document_id) or self.app.find_document(document_id)
        if document is None:
            log.warning("%s for unknown document %s ignored", envelope.type, document_id)
            return
        documents[document_id] = document
        stage = envelope.rejected.stage if envelope.type == "DocumentRejected" else ""
        disposition = document.disposition(envelope.type, stage)
        if disposition == "duplicate":
            return
        holding = held.get(document_id) or self.app.find_held(document_id)
        if disposition == "hold":
            if holding is None:
                holding = HeldFacts(document_id=document_id)
            holding.hold(envelope=envelope.SerializeToString())
            held[document_id] = holding
            return
        apply(document, envelope)
        if holding is not None and holding.envelopes:
            held[document_id] = holding
            _release(document, holding)


def _release(document: Document, holding: HeldFacts) -> None:
    """Apply every held fact that now follows, repeatedly; drop those already known."""
    released: list[bytes] = []
    progress = True
    while progress:
        progress = False
        for raw in holding.envelopes:
            if raw in released:
                continue
            envelope = events_pb2.EventEnvelope.FromString(raw)
            stage = envelope.rejected.stage if envelope.type == "DocumentRejected" else ""
            disposition = document.disposition(envelope.type, stage)
            if disposition == "hold":
                continue
            if disposition == "apply":
                apply(document, envelope)
            released.append(raw)
            progress = True
    if released:
        holding.release(envelopes=released)


def verdict_state(verdict: events_pb2.AuthorityVerdict) -> dict:  # type: ignore[type-arg]
    """A verdict as plain data for the document's event state."""
    return MessageToDict(verdict, preserving_proto_field_name=True)


def apply(document: Document, envelope: events_pb2.EventEnvelope) -> None:
    """Record one fact on the document."""
    fact = payload(envelope)
    if envelope.type == "DocumentSigned":
        document.record_signed(
            signed_xml=fact.signed_xml,
            certificate_serial=fact.certificate_serial,
            certificate_subject=fact.certificate_subject,
            signing_time=moment(fact.signing_time),
            signed_digest=fact.signed_digest,
        )
    elif envelope.type == "DocumentTransmitted":
        document.record_transmitted(
            authority=fact.authority,
            endpoint=fact.endpoint,
            operation=fact.operation,
            file_name=fact.file_name,
            attempt=fact.attempt,
            sent_at=moment(fact.sent_at),
            track_id=fact.track_id,
        )
    elif envelope.type == "DocumentAccepted":
        document.record_accepted(
            verdict=verdict_state(fact.verdict),
            authority_response=fact.authority_response,
            decided_at=moment(fact.decided_at),
        )
    elif envelope.type == "DocumentRejected":
        document.record_rejected(
            verdict=verdict_state(fact.verdict),
            authority_response=fact.authority_response,
            decided_at=moment(fact.decided_at),
            stage=fact.stage,
        )
    else:
        raise ValueError(f"issuing does not record {envelope.type}")
