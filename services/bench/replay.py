"""The `replay` scenario: an auditor's replay of invoice streams from the event store.

Every document's stream and every numbering range's stream is read back from issuing's store
and folded into its aggregate, event by event, from the first event (snapshots are not used:
an auditor replays what was recorded, not a summary of it). Each replayed document must end in
the state its last event says, so a replay that silently skipped events would fail.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

from services.core.settings import Settings
from services.issuing.application import IssuingApp
from services.issuing.domain import Document, NumberingRange
from services.wiring import issuing_app, vault_for


@dataclass(frozen=True)
class Replayed:
    """What one replay read."""

    documents: int
    ranges: int
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        """Events folded per second."""
        return self.events / self.seconds if self.seconds else 0.0


def _originators(app: IssuingApp, created: type[Any]) -> list[uuid.UUID]:
    topic = get_topic(created)
    found: list[uuid.UUID] = []
    position = 0
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=5000, topics=[topic])
        if not page:
            return found
        found.extend(notification.originator_id for notification in page)
        position = page[-1].id


def _fold(app: IssuingApp, originator: uuid.UUID) -> tuple[Any, int]:
    aggregate = None
    count = 0
    for event in app.events.get(originator):
        aggregate = event.mutate(aggregate)
        count += 1
    if aggregate is None or aggregate.version != count:
        raise AssertionError(f"the stream of {originator} did not replay to its own version")
    return aggregate, count


def replay(data_dir: Path) -> Replayed:
    """Replay every document and numbering range in the issuing store under `data_dir`."""
    settings = Settings.load(data_dir=str(data_dir))
    app = issuing_app(settings, vault_for(settings))
    try:
        documents = _originators(app, Document.DocumentDrafted)
        ranges = _originators(app, NumberingRange.RangeAuthorized)
        began = time.perf_counter()
        events = 0
        for originator in [*ranges, *documents]:
            events += _fold(app, originator)[1]
        return Replayed(len(documents), len(ranges), events, time.perf_counter() - began)
    finally:
        app.close()
