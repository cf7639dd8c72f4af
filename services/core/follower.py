"""The embedded transport: a consumer follows an upstream application's notification log.

This is the in-process counterpart of Kafka: the same envelopes, the same consumer handler,
and the upstream log position as the tracking record. Used by `timbra run`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.core.envelope import Outbound
from services.core.inbox import Consumer, Inbound
from services.core.store import ServiceApplication
from services.core.tailing import LogTail


class LogFollower(LogTail):
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
        super().__init__(
            upstream,
            name=f"follow-{consumer.name}-{upstream.name}",
            topics=outbound.stored_topics(consumer.consumes),
            batch_size=batch_size,
            poll_interval=poll_interval,
        )
        self.outbound = outbound
        self.consumer = consumer

    def start_position(self) -> int:
        """Where the consumer's tracking records say it got to in this upstream's log."""
        return self.consumer.position(self.app.name)

    def process(self, page: Sequence[Any]) -> None:
        """Convert stored events to envelopes and hand them to the consumer."""
        self.consumer.handle(
            [
                Inbound(
                    envelope=self.outbound.to_envelope(self.app.mapper.to_domain_event(n)),
                    source=self.app.name,
                    position=n.id,
                )
                for n in page
            ]
        )
