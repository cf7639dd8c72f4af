"""The `replay` scenario: an auditor's replay of invoice streams from the event store.

Every document's stream and every numbering range's stream is read back from issuing's store
and folded into its aggregate, event by event, from the first event (snapshots are not used:
an auditor replays what was recorded, not a summary of it). Each replayed document must end in
the state its last event says, so a replay that silently skipped events would fail.

An auditor's replay reads streams independently, so it runs on every core: each worker process
opens the store read-only and folds its share of the streams (`replay_share`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

from services.bench.parallel import Work
from services.core.settings import Settings
from services.issuing.application import IssuingApp
from services.issuing.domain import Document, NumberingRange
from services.wiring import issuing_app, vault_for


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


@dataclass(frozen=True)
class ReplayJob:
    """One worker's share: the streams whose position in the list is `part` modulo `parts`."""

    data_dir: str
    part: int = 0
    parts: int = 1


def streams(data_dir: Path) -> tuple[int, int]:
    """How many documents and numbering ranges the issuing store under `data_dir` holds."""
    app = _open(data_dir)
    try:
        documents = _originators(app, Document.DocumentDrafted)
        ranges = _originators(app, NumberingRange.RangeAuthorized)
        return len(documents), len(ranges)
    finally:
        app.close()


def replay_share(job: ReplayJob) -> Work:
    """A worker (a parallel.Task): find the streams (untimed), then fold its share of them;
    its units are the events folded."""
    app = _open(Path(job.data_dir))
    documents = _originators(app, Document.DocumentDrafted)
    ranges = _originators(app, NumberingRange.RangeAuthorized)
    mine = [*ranges, *documents][job.part :: job.parts]

    def run() -> int:
        events = 0
        for originator in mine:
            events += _fold(app, originator)[1]
        return events

    return Work(run, app.close)


def _open(data_dir: Path) -> IssuingApp:
    settings = Settings.load(data_dir=str(data_dir))
    return issuing_app(settings, vault_for(settings))
