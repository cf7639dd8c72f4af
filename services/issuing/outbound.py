"""What issuing publishes: DocumentDrafted (the facts it records from others stay internal)."""

from __future__ import annotations

from services.core.envelope import Outbound, new_envelope, timestamp
from services.issuing.domain import Document
from timbra.v1 import events_pb2

SOURCE = "issuing"


def drafted(event: Document.DocumentDrafted) -> events_pb2.EventEnvelope:
    """The envelope for a stored DocumentDrafted."""
    envelope = new_envelope(
        event_type="DocumentDrafted",
        source=SOURCE,
        aggregate_id=event.originator_id,
        version=event.originator_version,
        occurred_at=event.timestamp,
        document_id=str(event.originator_id),
        issuer=event.issuer,
        country=event.country,
        correlation_id=event.request_id,
    )
    envelope.drafted.CopyFrom(
        events_pb2.DocumentDrafted(
            request_id=event.request_id,
            document_type=event.document_type,
            number=event.number,
            document_key=event.document_key,
            key_scheme=event.key_scheme,
            unsigned_xml=event.unsigned_xml,
            issue_date=event.issue_date.isoformat(),
            issued_at=timestamp(event.issued_at),
            utc_offset=event.issued_at.strftime("%z")[:3]
            + ":"
            + event.issued_at.strftime("%z")[3:],
            range_id=event.range_id,
            customer_id=event.customer_id,
            currency=event.currency,
            payable_amount=str(event.payable_amount),
            environment=event.environment,
            transmission_options=event.transmission_options,
            canonical_xml=getattr(event, "canonical_xml", False),
        )
    )
    return envelope


OUTBOUND = Outbound(source=SOURCE, mappers={Document.DocumentDrafted: drafted})
