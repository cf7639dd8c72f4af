"""The embedded transport: a consumer follows an upstream application's notification log.

This is the in-process counterpart of Kafka: the same envelopes, the same consumer handler,
and the upstream log position as the tracking record. Used by `timbra run`.
"""

from __future__ import annotations

import logging
import threading

from services.core.envelope import Outbound
from services.core.inbox import Consumer, Inbound
from services.core.store import ServiceApplication

log = logging.getLogger(__name__)


class LogFollower(threading.Thread):
    """Feeds a consumer every relevant event of an upstream log, in order, from where it left."""

    def __init__(
        self,
        upstream: ServiceApplication,
        outbound: Outbound,
        consumer: Consumer,
        *,
        batch_size: int = 100,
        poll_interval: float = 0.25,
    ) -> None:
        super().__init__(name=f"follow-{consumer.name}-{upstream.name}", daemon=True)
        self.upstream = upstream
        self.outbound = outbound
        self.consumer = consumer
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.topics = outbound.stored_topics(consumer.consumes)
        self._stop_event = threading.Event()
        self.error: BaseException | None = None

    def stop(self) -> None:
        """Ask the thread to finish after its current batch."""
        self._stop_event.set()
        with self.upstream.changed:
            self.upstream.changed.notify_all()

    def run(self) -> None:
        """Pull, convert, hand over; sleep until the upstream saves something or a poll is due."""
        backoff = 0.5
        position = self.consumer.position(self.upstream.name)
        generation = 0
        while not self._stop_event.is_set():
            try:
                notifications = self.upstream.recorder.select_notifications(
                    start=position + 1, limit=self.batch_size, topics=self.topics
                )
                if not notifications:
                    generation = self.upstream.wait_for_change(generation, self.poll_interval)
                    continue
                batch = [
                    Inbound(
                        envelope=self.outbound.to_envelope(
                            self.upstream.mapper.to_domain_event(notification)
                        ),
                        source=self.upstream.name,
                        position=notification.id,
                    )
                    for notification in notifications
                ]
                self.consumer.handle(batch)
                position = notifications[-1].id
                backoff = 0.5
            except Exception as error:  # keep following: the batch is retried, nothing skipped
                self.error = error
                log.exception(
                    "%s failed on a batch from %s; retrying", self.name, self.upstream.name
                )
                self._stop_event.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                position = self.consumer.position(self.upstream.name)
