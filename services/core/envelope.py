"""Published events: the protobuf envelope, its deterministic id, and the Kafka topic per type."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from timbra.v1 import events_pb2

# One topic per event type (DESIGN §4), under the deployment's prefix ("timbra" by default:
# timbra.document.drafted, ...). Keys are document ids, so one document's events keep their
# order within a partition.
TOPIC_SUFFIXES: dict[str, str] = {
    "DocumentDrafted": "document.drafted",
    "DocumentSigned": "document.signed",
    "DocumentTransmitted": "document.transmitted",
    "DocumentAccepted": "document.accepted",
    "DocumentRejected": "document.rejected",
    # one topic for both, keyed by country, so a declaration and its end keep their order
    "ContingencyDeclared": "authority.contingency",
    "ContingencyEnded": "authority.contingency",
}

_PAYLOAD_FIELD = {
    "DocumentDrafted": "drafted",
    "DocumentSigned": "signed",
    "DocumentTransmitted": "transmitted",
    "DocumentAccepted": "accepted",
    "DocumentRejected": "rejected",
    "ContingencyDeclared": "contingency_declared",
    "ContingencyEnded": "contingency_ended",
}

_EVENT_NAMESPACE = uuid.UUID("2f7d0c6e-5b1a-4a53-9c1e-6f0d3f1c8a20")


def topic_for(event_type: str, prefix: str = "timbra") -> str:
    """The Kafka topic that carries events of `event_type` in deployment `prefix`."""
    return f"{prefix}.{TOPIC_SUFFIXES[event_type]}"


def all_topics(prefix: str = "timbra") -> list[str]:
    """Every topic of a deployment."""
    return sorted({topic_for(kind, prefix) for kind in TOPIC_SUFFIXES})


def partition_key(envelope: events_pb2.EventEnvelope) -> bytes:
    """The Kafka key: the document, or for an authority's state the country."""
    return (envelope.document_id or envelope.country).encode()


def event_id(source: str, aggregate_id: uuid.UUID, version: int) -> str:
    """A deterministic event id: re-publishing the same stored event yields the same id."""
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{source}:{aggregate_id}:{version}"))


def timestamp(moment: datetime) -> Timestamp:
    """A protobuf Timestamp from an aware datetime."""
    stamp = Timestamp()
    stamp.FromDatetime(moment.astimezone(UTC))
    return stamp


def moment(stamp: Timestamp) -> datetime:
    """An aware UTC datetime from a protobuf Timestamp."""
    return stamp.ToDatetime(tzinfo=UTC)


def payload(envelope: events_pb2.EventEnvelope) -> Any:
    """The typed payload message inside an envelope."""
    return getattr(envelope, _PAYLOAD_FIELD[envelope.type])


def new_envelope(
    *,
    event_type: str,
    source: str,
    aggregate_id: uuid.UUID,
    version: int,
    occurred_at: datetime,
    document_id: str,
    issuer: str,
    country: str,
    correlation_id: str,
) -> events_pb2.EventEnvelope:
    """An envelope with its header filled in; the caller fills the payload."""
    return events_pb2.EventEnvelope(
        event_id=event_id(source, aggregate_id, version),
        type=event_type,
        document_id=document_id,
        issuer=issuer,
        country=country,
        originator_version=version,
        occurred_at=timestamp(occurred_at),
        correlation_id=correlation_id,
        source=source,
    )


@dataclass(frozen=True)
class Outbound:
    """What a service publishes: which stored event classes, and how each becomes an envelope."""

    source: str
    mappers: dict[type, Callable[[Any], events_pb2.EventEnvelope]]

    def stored_topics(self, event_types: Iterable[str] = ()) -> list[str]:
        """eventsourcing topics of the stored events to publish (optionally of some types)."""
        from eventsourcing.utils import get_topic

        wanted = set(event_types)
        return [
            get_topic(cls) for cls in self.mappers if not wanted or self.type_name(cls) in wanted
        ]

    @staticmethod
    def type_name(cls: type) -> str:
        """The published type name of a stored event class (its own class name)."""
        return cls.__name__

    def to_envelope(self, domain_event: Any) -> events_pb2.EventEnvelope:
        """The envelope for one stored domain event."""
        return self.mappers[type(domain_event)](domain_event)

    def publishes(self) -> Sequence[str]:
        """The published type names."""
        return [self.type_name(cls) for cls in self.mappers]
