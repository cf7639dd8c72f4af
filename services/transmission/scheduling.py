"""When to try a submission again: a delayed queue feeding the dispatcher's workers."""

from __future__ import annotations

import heapq
import queue
import threading
import time
import uuid


class Scheduler(threading.Thread):
    """Puts submission ids on `ready` now or after a delay (retries, polls, probes)."""

    def __init__(self, ready: queue.Queue[uuid.UUID | None]) -> None:
        super().__init__(name="transmit-timer", daemon=True)
        self.ready = ready
        self._later: list[tuple[float, uuid.UUID]] = []
        self._changed = threading.Condition()
        self._stop = threading.Event()

    def now(self, submission_ids: list[uuid.UUID]) -> None:
        """Ready for delivery at once."""
        for submission_id in submission_ids:
            self.ready.put(submission_id)

    def later(self, submission_id: uuid.UUID, delay: float) -> None:
        """Ready for delivery after `delay` seconds."""
        with self._changed:
            heapq.heappush(self._later, (time.monotonic() + delay, submission_id))
            self._changed.notify()

    def stop(self) -> None:
        """Stop releasing delayed submissions."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()

    def run(self) -> None:
        """Release each delayed submission when its time comes."""
        while not self._stop.is_set():
            with self._changed:
                if not self._later:
                    self._changed.wait(1.0)
                    continue
                due, submission_id = self._later[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._changed.wait(min(wait, 1.0))
                    continue
                heapq.heappop(self._later)
            self.ready.put(submission_id)
