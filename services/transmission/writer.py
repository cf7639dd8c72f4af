"""One writer for the dispatcher's results: many submissions per transaction, and follow-ups
(a poll, a retry) run only after the state they depend on is committed."""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable

from eventsourcing.persistence import IntegrityError

from services.core.store import ServiceApplication

log = logging.getLogger(__name__)

FollowUp = Callable[[], None]


class BatchWriter(threading.Thread):
    """Saves aggregates handed over by workers in batches, then runs their follow-ups."""

    def __init__(
        self,
        app: ServiceApplication,
        on_conflict: Callable[[list[uuid.UUID]], None],
        *,
        capacity: int = 512,
        batch_size: int = 200,
    ) -> None:
        super().__init__(name=f"{app.name}-writer", daemon=True)
        self.app = app
        self.on_conflict = on_conflict
        self.batch_size = batch_size
        # Bounded: when the store is slower than the authority, workers wait here.
        self._queue: queue.Queue[tuple[object, FollowUp | None] | None] = queue.Queue(capacity)

    def put(self, aggregate: object, then: FollowUp | None = None) -> None:
        """Save `aggregate`'s pending events soon; run `then` once they are committed."""
        self._queue.put((aggregate, then))

    def close(self) -> None:
        """Save what is queued and stop."""
        self._queue.put(None)
        self.join(timeout=30)

    def run(self) -> None:
        """Drain the queue in batches until closed."""
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            closing = False
            while len(batch) < self.batch_size:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    closing = True
                    break
                batch.append(item)
            self._save(batch)
            if closing:
                return

    def _save(self, batch: list[tuple[object, FollowUp | None]]) -> None:
        delay = 0.5
        while True:
            try:
                self.app.record(*(aggregate for aggregate, _ in batch))
                break
            except IntegrityError:
                # One changed meanwhile (a retry overtook its own record). The batch's pending
                # events are spent, so the owners start over from the stored state.
                ids = [aggregate.id for aggregate, _ in batch]  # type: ignore[attr-defined]
                log.warning("%d results conflicted on save; starting them over", len(ids))
                self.on_conflict(ids)
                return
            except Exception:
                log.exception("recording %d results failed; retrying", len(batch))
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
        for _, then in batch:
            if then is not None:
                try:
                    then()
                except Exception:
                    log.exception("a follow-up after recording failed")
