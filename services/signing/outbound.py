"""What signing publishes: DocumentSigned, or DocumentRejected when a draft cannot be signed."""

from __future__ import annotations

from services.core.envelope import Outbound, new_envelope, timestamp
from services.signing.domain import Signature
from timbra.v1 import document_pb2, events_pb2

SOURCE = "signing"


def _header(
    event: Signature.DocumentSigned | Signature.DocumentRejected, kind: str
) -> events_pb2.EventEnvelope:
    return new_envelope(
        event_type=kind,
        source=SOURCE,
        aggregate_id=event.originator_id,
        version=event.originator_version,
        occurred_at=event.timestamp,
        document_id=event.document_id,
        issuer=event.issuer,
        country=event.country,
        correlation_id=event.request_id,
    )


def signed(event: Signature.DocumentSigned) -> events_pb2.EventEnvelope:
    """The envelope for a stored signature."""
    envelope = _header(event, "DocumentSigned")
    envelope.signed.CopyFrom(
        events_pb2.DocumentSigned(
            signed_xml=event.signed_xml,
            certificate_serial=event.certificate_serial,
            certificate_subject=event.certificate_subject,
            signing_time=timestamp(event.signing_time),
            signed_digest=event.signed_digest,
            number=event.number,
            document_key=event.document_key,
            document_type=event.document_type,
            environment=event.environment,
            transmission_options=event.transmission_options,
        )
    )
    return envelope


def refused(event: Signature.DocumentRejected) -> events_pb2.EventEnvelope:
    """The envelope for a draft that could not be signed."""
    envelope = _header(event, "DocumentRejected")
    envelope.rejected.CopyFrom(
        events_pb2.DocumentRejected(
            verdict=document_pb2.AuthorityVerdict(
                authority="timbra",
                is_valid=False,
                status_code=event.rule,
                status_description=event.reason,
                messages=[
                    document_pb2.AuthorityMessage(
                        rule=event.rule, text=event.reason, rejection=True
                    )
                ],
                document_key=event.document_key,
            ),
            decided_at=timestamp(event.timestamp),
            stage="signing",
        )
    )
    return envelope


OUTBOUND = Outbound(
    source=SOURCE,
    mappers={Signature.DocumentSigned: signed, Signature.DocumentRejected: refused},
)
