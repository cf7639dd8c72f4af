"""The document directory: an index of every document fed from issuing's notification log, and
the live feed of state changes that IssueStream, WatchDocuments and dashboards subscribe to.

It follows the log (not the in-process calls), so it sees changes written by any process that
shares the store. It keeps one small summary per document (no XML) in an SQLite index beside
the stores (directory_index), so its memory stays flat however many documents there are, and a
restart resumes from the position the index recorded instead of reading the whole log again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

from services.core.tailing import LogTail
from services.issuing.application import IssuingApp
from services.issuing.directory_index import DirectoryIndex
from services.issuing.domain import Document, State

log = logging.getLogger(__name__)

_TOPICS = {
    get_topic(Document.DocumentDrafted): State.DRAFTED,
    get_topic(Document.DocumentSigned): State.SIGNED,
    get_topic(Document.DocumentTransmitted): State.TRANSMITTED,
    get_topic(Document.DocumentAccepted): State.ACCEPTED,
    get_topic(Document.DocumentRejected): State.REJECTED,
}


@dataclass(frozen=True)
class Summary:
    """What the directory knows of one document."""

    document_id: uuid.UUID
    request_id: str
    issuer: str
    country: str
    document_type: str
    number: str
    document_key: str
    issue_date: str
    payable_amount: Decimal
    currency: str
    customer_id: str
    state: State
    updated_at: datetime
    verdict: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[Summary], None]


class Directory(LogTail):
    """Follows issuing's log, keeps summaries, and tells listeners about every change."""

    def __init__(
        self, app: IssuingApp, index_path: Path | None = None, *, poll_interval: float = 0.05
    ) -> None:
        """`index_path`: the SQLite file of the index (None: in memory, rebuilt every start)."""
        super().__init__(
            app,
            name="issuing-directory",
            topics=list(_TOPICS),
            batch_size=1000,
            poll_interval=poll_interval,
        )
        self.app: IssuingApp = app
        self._lock = threading.Lock()
        self._index = DirectoryIndex(index_path)
        self._listeners: set[Listener] = set()
        self._position = self._index.position()
        last = app.recorder.max_notification_id() or 0
        if self._position > last:
            # The index reflects a log this store does not have (replaced or restored from an
            # older backup): read this one from its start.
            log.warning(
                "the directory index is ahead of issuing's log (%d > %d); rebuilding it",
                self._position,
                last,
            )
            self._index.clear()
            self._position = 0
        self._caught_up = threading.Event()

    def wait_caught_up(self, timeout: float | None = None) -> bool:
        """Block until the directory has read the whole log once."""
        return self._caught_up.wait(timeout)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` (from the directory thread) on every change; returns unsubscribe."""
        with self._lock:
            self._listeners.add(listener)
        return lambda: self._unsubscribe(listener)

    def _unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.discard(listener)

    def get(self, document_id: uuid.UUID) -> Summary | None:
        """The summary of one document."""
        return self._index.get(document_id)

    def by_number(self, country: str, issuer: str, number: str) -> Summary | None:
        """The summary of the issuer's document with this number."""
        return self._index.find("number", country, issuer, number)

    def by_key(self, country: str, issuer: str, document_key: str) -> Summary | None:
        """The summary of the issuer's document with this document key (CUFE, DTE identity)."""
        return self._index.find("document_key", country, issuer, document_key)

    def select(
        self,
        *,
        country: str = "",
        issuer: str = "",
        states: Iterable[State] = (),
        number: str = "",
        limit: int = 0,
    ) -> list[Summary]:
        """Summaries matching every given filter, oldest first (at most `limit`; 0: all)."""
        return self._index.select(
            country=country, issuer=issuer, states=states, number=number, limit=limit
        )

    def start_position(self) -> int:
        """The last notification this directory has applied."""
        return self._position

    def idle(self) -> None:
        """Caught up with the log."""
        self._caught_up.set()

    def process(self, page: Sequence[Any]) -> None:
        """Apply a page of document events, record them with the position, tell listeners."""
        changed: dict[uuid.UUID, Summary] = {}
        updates = []
        for notification in page:
            summary = self._apply(notification, changed)
            changed[summary.document_id] = summary
            updates.append(summary)
        self._index.save(list(changed.values()), page[-1].id)
        self._position = page[-1].id
        with self._lock:
            listeners = list(self._listeners)
        for summary in updates:
            for listener in listeners:
                try:
                    listener(summary)
                except Exception:
                    log.exception("a directory listener failed")

    def _apply(self, notification: Any, changed: dict[uuid.UUID, Summary]) -> Summary:
        event = self.app.mapper.to_domain_event(notification)
        state = _TOPICS[notification.topic]
        if state is State.DRAFTED:
            return Summary(
                document_id=event.originator_id,
                request_id=event.request_id,
                issuer=event.issuer,
                country=event.country,
                document_type=event.document_type,
                number=event.number,
                document_key=event.document_key,
                issue_date=event.issue_date.isoformat(),
                payable_amount=event.payable_amount,
                currency=event.currency,
                customer_id=event.customer_id,
                state=state,
                updated_at=event.timestamp,
            )
        previous = changed.get(event.originator_id) or self._index.get(event.originator_id)
        if previous is None:
            raise LookupError(f"a fact on document {event.originator_id} before its draft")
        verdict = getattr(event, "verdict", None) or previous.verdict
        return replace(previous, state=state, updated_at=event.timestamp, verdict=verdict)

    def stop(self) -> None:
        """Stop following the log and close the index."""
        super().stop()
        self.join(timeout=10)
        self._index.close()


class Subscription:
    """Delivers directory changes into an asyncio queue, bounded so a slow reader can't grow it
    without limit: when it overflows the subscription ends with an error instead."""

    def __init__(
        self,
        directory: Directory,
        loop: asyncio.AbstractEventLoop,
        accept: Callable[[Summary], bool],
        capacity: int = 10000,
    ) -> None:
        self.queue: asyncio.Queue[Summary | None] = asyncio.Queue()
        self.overflowed = False
        self._loop = loop
        self._accept = accept
        self._capacity = capacity
        self._pending = 0
        self._lock = threading.Lock()
        self._unsubscribe = directory.subscribe(self._deliver)

    def _deliver(self, summary: Summary) -> None:
        if self.overflowed or not self._accept(summary):
            return
        with self._lock:
            if self._pending >= self._capacity:
                self.overflowed = True
                self._loop.call_soon_threadsafe(self.queue.put_nowait, None)
                return
            self._pending += 1
        self._loop.call_soon_threadsafe(self.queue.put_nowait, summary)

    async def next(self) -> Summary | None:
        """The next change (None once overflowed)."""
        item = await self.queue.get()
        with self._lock:
            self._pending = max(0, self._pending - 1)
        return item

    def close(self) -> None:
        """Stop receiving changes."""
        self._unsubscribe()
