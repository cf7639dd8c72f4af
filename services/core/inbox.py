"""What a consuming service receives, whichever transport delivered it."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from eventsourcing.persistence import Tracking

from services.core.store import ServiceApplication
from timbra.v1 import events_pb2


@dataclass(frozen=True)
class Inbound:
    """One event delivered to a consumer, with where it came from.

    `source` names the sequence it was read from (an upstream application's notification log
    in the embedded transport, `topic:partition` on Kafka) and `position` its place in that
    sequence; the consumer records the highest position it processed in the same transaction
    as its results, so a redelivery is recognised and changes nothing.
    """

    envelope: events_pb2.EventEnvelope
    source: str
    position: int


class Consumer(Protocol):
    """A service's handler of upstream events; the same object serves both transports."""

    name: str
    consumes: tuple[str, ...]

    def position(self, source: str) -> int:
        """The highest position of `source` already processed (0 when none)."""
        ...

    def handle(self, batch: Sequence[Inbound]) -> None:
        """Process events of one source in order and record them with their results atomically."""
        ...


class TrackedConsumer(ABC):
    """A consumer that records the highest position it processed in the same transaction as its
    results: a redelivered event (a position already recorded) changes nothing.

    Subclasses say what a batch of fresh events produces (`process`) and may act once it is
    recorded (`recorded`). Batches are handled one at a time, as several upstreams may feed
    one consumer.
    """

    name: str
    consumes: tuple[str, ...]

    def __init__(self, app: ServiceApplication) -> None:
        self.app = app
        self._lock = threading.Lock()

    def position(self, source: str) -> int:
        """The highest position of `source` already processed (0 when none)."""
        return self.app.process_recorder.max_tracking_id(source) or 0

    def handle(self, batch: Sequence[Inbound]) -> None:
        """Process the events of `batch` not processed yet and record them, atomically."""
        if not batch:
            return
        source = batch[0].source
        with self._lock:
            done = self.position(source)
            fresh = [inbound for inbound in batch if inbound.position > done]
            if not fresh:
                return
            changed = self.process(fresh)
            tracking = Tracking(source, max(inbound.position for inbound in fresh))
            self.app.record(*changed, tracking=tracking)
        self.recorded(changed)

    @abstractmethod
    def process(self, fresh: Sequence[Inbound]) -> list[Any]:
        """The aggregates changed by these events (their pending events get recorded)."""

    def recorded(self, changed: list[Any]) -> None:  # noqa: B027 - optional hook
        """Called after the results and the position were committed; nothing by default."""
