"""Batches for authorities that take many documents in one delivery (SII: an EnvioDTE of up to
2,000): per issuer, flushed when full or when the oldest has waited the client's batch_wait."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from services.countries.pack import AuthorityClient
from services.transmission.domain import Submission

log = logging.getLogger(__name__)

SendBatch = Callable[[list[Submission], AuthorityClient], None]


class Batcher(threading.Thread):
    """Collects submissions per (country, issuer) and hands each full or aged batch to `send`."""

    def __init__(
        self,
        client_for: Callable[[str], AuthorityClient],
        send: SendBatch,
        on_failure: Callable[[list[Submission]], None],
    ) -> None:
        super().__init__(name="transmit-batches", daemon=True)
        self.client_for = client_for
        self.send = send
        self.on_failure = on_failure
        self._batches: dict[tuple[str, str], list[tuple[float, Submission]]] = {}
        self._limits: dict[str, tuple[int, float]] = {}
        self._ready = threading.Condition()
        self._stop = threading.Event()

    def add(self, submission: Submission, client: AuthorityClient) -> None:
        """Put a submission in its issuer's batch."""
        key = (submission.country, submission.issuer)
        with self._ready:
            batch = self._batches.setdefault(key, [])
            if all(held.id != submission.id for _, held in batch):
                batch.append((time.monotonic(), submission))
            self._limits[submission.country] = (client.batch_size, client.batch_wait)
            if len(batch) >= client.batch_size:
                self._ready.notify()

    def stop(self) -> None:
        """Stop flushing."""
        self._stop.set()
        with self._ready:
            self._ready.notify_all()

    def _due(self) -> list[list[Submission]]:
        now = time.monotonic()
        due = []
        with self._ready:
            for key in list(self._batches):
                size, wait = self._limits[key[0]]
                batch = self._batches[key]
                if len(batch) >= size or now - batch[0][0] >= wait:
                    due.append([held for _, held in batch[:size]])
                    if batch[size:]:
                        self._batches[key] = batch[size:]
                    else:
                        del self._batches[key]
        return due

    def run(self) -> None:
        """Flush due batches until stopped; one client per country, reused."""
        clients: dict[str, AuthorityClient] = {}
        try:
            while not self._stop.is_set():
                for batch in self._due():
                    country = batch[0].country
                    if country not in clients:
                        clients[country] = self.client_for(country)
                    try:
                        self.send(batch, clients[country])
                    except Exception:
                        log.exception("delivering a batch of %d failed; retrying", len(batch))
                        self.on_failure(batch)
                with self._ready:
                    self._ready.wait(0.2)
        finally:
            for client in clients.values():
                client.close()
