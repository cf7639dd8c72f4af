"""The outbox relay: publishes a service's stored events to Kafka, in log order, at least once.

It reads the service's own notification log after its last published position, sends each
event (key = document id) with an idempotent producer and `acks=all`, waits until the broker
has acknowledged the whole batch, and only then records the new position. A crash between the
two re-sends the batch: consumers recognise redeliveries by their tracking records and by
aggregate identity, so a repeat is harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from kafka import KafkaProducer

from services.core.envelope import Outbound, partition_key, topic_for
from services.core.store import ServiceApplication
from services.core.tailing import LogTail

RELAY_POSITION = "kafka-relay"


def producer(bootstrap: str, client_id: str) -> KafkaProducer:
    """An idempotent producer that waits for every in-sync replica."""
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_request_size=16 * 1024 * 1024,
        compression_type="gzip",
    )


class OutboxRelay(LogTail):
    """Follows one application's log and publishes what its Outbound says to publish."""

    def __init__(
        self,
        app: ServiceApplication,
        outbound: Outbound,
        bootstrap: str,
        *,
        topic_prefix: str = "timbra",
        batch_size: int = 500,
        poll_interval: float = 0.1,
        ack_timeout: float = 60.0,
    ) -> None:
        super().__init__(
            app,
            name=f"relay-{app.name}",
            topics=outbound.stored_topics(),
            batch_size=batch_size,
            poll_interval=poll_interval,
        )
        self.outbound = outbound
        self.bootstrap = bootstrap
        self.topic_prefix = topic_prefix
        self.ack_timeout = ack_timeout
        self.published = 0
        self._kafka: KafkaProducer | None = None

    def start_position(self) -> int:
        """The last notification id known to be on Kafka."""
        return self.app.process_recorder.max_tracking_id(RELAY_POSITION) or 0

    def process(self, page: Sequence[Any]) -> None:
        """Send a page, wait for the broker to acknowledge all of it, then record the position."""
        if self._kafka is None:
            self._kafka = producer(self.bootstrap, f"timbra-{self.app.name}-relay")
        futures = []
        for notification in page:
            envelope = self.outbound.to_envelope(self.app.mapper.to_domain_event(notification))
            futures.append(
                self._kafka.send(
                    topic_for(envelope.type, self.topic_prefix),
                    key=partition_key(envelope),
                    value=envelope.SerializeToString(),
                    headers=[
                        ("event-id", envelope.event_id.encode()),
                        ("event-type", envelope.type.encode()),
                    ],
                )
            )
        self._kafka.flush(timeout=self.ack_timeout)
        for future in futures:
            future.get(timeout=self.ack_timeout)
        self.app.process_recorder.insert_tracking(Tracking(RELAY_POSITION, page[-1].id))
        self.published += len(page)

    def recover(self) -> None:
        """Drop the producer after a failure; the next page gets a fresh one."""
        if self._kafka is not None:
            self._kafka.close(timeout=5)
            self._kafka = None

    def run(self) -> None:
        """Publish until stopped, then close the producer."""
        try:
            super().run()
        finally:
            self.recover()
