"""The document directory: an index of every document fed from issuing's notification log, and
the live feed of state changes that IssueStream, WatchDocuments and dashboards subscribe to.

It follows the log (not the in-process calls), so it sees changes written by any process that
shares the store. It is rebuilt from the log at start-up; it holds one small summary per
document (no XML).
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
from typing import Any

from eventsourcing.utils import get_topic

from services.core.tailing import LogTail
from services.issuing.application import IssuingApp
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

    def __init__(self, app: IssuingApp, *, poll_interval: float = 0.05) -> None:
        super().__init__(
            app,
            name="issuing-directory",
            topics=list(_TOPICS),
            batch_size=1000,
            poll_interval=poll_interval,
        )
        self.app: IssuingApp = app
        self._lock = threading.Lock()
        self._by_id: dict[uuid.UUID, Summary] = {}
        self._by_number: dict[tuple[str, str, str], uuid.UUID] = {}
        self._by_key: dict[tuple[str, str, str], uuid.UUID] = {}
        self._listeners: set[Listener] = set()
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
        with self._lock:
            return self._by_id.get(document_id)

    def by_number(self, country: str, issuer: str, number: str) -> Summary | None:
        """The summary of the issuer's document with this number."""
        with self._lock:
            document_id = self._by_number.get((country, issuer, number))
            return self._by_id.get(document_id) if document_id else None

    def by_key(self, country: str, issuer: str, document_key: str) -> Summary | None:
        """The summary of the issuer's document with this document key (CUFE, DTE identity)."""
        with self._lock:
            document_id = self._by_key.get((country, issuer, document_key))
            return self._by_id.get(document_id) if document_id else None

    def select(
        self,
        *,
        country: str = "",
        issuer: str = "",
        states: Iterable[State] = (),
        number: str = "",
    ) -> list[Summary]:
        """Summaries matching every given filter, oldest first."""
        wanted = set(states)
        with self._lock:
            found = list(self._by_id.values())
        return [
            s
            for s in found
            if (not country or s.country == country)
            and (not issuer or s.issuer == issuer)
            and (not wanted or s.state in wanted)
            and (not number or s.number == number)
        ]

    def start_position(self) -> int:
        """The last notification this directory has applied."""
        return self._position

    def idle(self) -> None:
        """Caught up with the log."""
        self._caught_up.set()

    def process(self, page: Sequence[Any]) -> None:
        """Apply a page of document events and tell the listeners."""
        changed = [self._apply(n) for n in page]
        self._position = page[-1].id
        with self._lock:
            listeners = list(self._listeners)
        for summary in changed:
            for listener in listeners:
                try:
                    listener(summary)
                except Exception:
                    log.exception("a directory listener failed")

    def _apply(self, notification: Any) -> Summary:
        event = self.app.mapper.to_domain_event(notification)
        state = _TOPICS[notification.topic]
        with self._lock:
            if state is State.DRAFTED:
                summary = Summary(
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
                self._by_number[(event.country, event.issuer, event.number)] = event.originator_id
                self._by_key[(event.country, event.issuer, event.document_key)] = (
                    event.originator_id
                )
            else:
                previous = self._by_id[event.originator_id]
                verdict = getattr(event, "verdict", None) or previous.verdict
                summary = replace(
                    previous, state=state, updated_at=event.timestamp, verdict=verdict
                )
            self._by_id[event.originator_id] = summary
        return summary


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
