"""The outbox relay: publishes a service's stored events to Kafka, in log order, at least once.

It reads the service's own notification log after its last published position, sends each
event (key = document id) with an idempotent producer and `acks=all`, waits until the broker
has acknowledged the whole batch, and only then records the new position. A crash between the
two re-sends the batch: consumers recognise redeliveries by their tracking records and by
aggregate identity, so a repeat is harmless.
"""

from __future__ import annotations

import logging
import threading

from eventsourcing.persistence import Tracking
from kafka import KafkaProducer

from services.core.envelope import Outbound, topic_for
from services.core.store import ServiceApplication

log = logging.getLogger(__name__)

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


class OutboxRelay(threading.Thread):
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
        super().__init__(name=f"relay-{app.name}", daemon=True)
        self.app = app
        self.outbound = outbound
        self.bootstrap = bootstrap
        self.topic_prefix = topic_prefix
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.ack_timeout = ack_timeout
        self.topics = outbound.stored_topics()
        self.published = 0
        self._stop_event = threading.Event()

    def stop(self) -> None:
        """Finish the current batch and stop."""
        self._stop_event.set()

    def position(self) -> int:
        """The last notification id known to be on Kafka."""
        return self.app.process_recorder.max_tracking_id(RELAY_POSITION) or 0

    def run(self) -> None:
        """Publish forever; on a broker error, back off and re-send from the recorded position."""
        kafka = None
        generation = 0
        backoff = 0.5
        while not self._stop_event.is_set():
            try:
                if kafka is None:
                    kafka = producer(self.bootstrap, f"timbra-{self.app.name}-relay")
                position = self.position()
                page = self.app.recorder.select_notifications(
                    start=position + 1, limit=self.batch_size, topics=self.topics
                )
                if not page:
                    generation = self.app.wait_for_change(generation, self.poll_interval)
                    continue
                futures = []
                for notification in page:
                    envelope = self.outbound.to_envelope(
                        self.app.mapper.to_domain_event(notification)
                    )
                    futures.append(
                        kafka.send(
                            topic_for(envelope.type, self.topic_prefix),
                            key=envelope.document_id.encode(),
                            value=envelope.SerializeToString(),
                            headers=[
                                ("event-id", envelope.event_id.encode()),
                                ("event-type", envelope.type.encode()),
                            ],
                        )
                    )
                kafka.flush(timeout=self.ack_timeout)
                for future in futures:
                    future.get(timeout=self.ack_timeout)
                self.app.process_recorder.insert_tracking(Tracking(RELAY_POSITION, page[-1].id))
                self.published += len(page)
                backoff = 0.5
            except Exception:
                log.exception(
                    "relay of %s failed; re-sending from the recorded position", self.app.name
                )
                if kafka is not None:
                    kafka.close(timeout=5)
                    kafka = None
                self._stop_event.wait(backoff)
                backoff = min(backoff * 2, 10.0)
        if kafka is not None:
            kafka.close(timeout=10)
