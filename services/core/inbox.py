"""What a consuming service receives, whichever transport delivered it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

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
