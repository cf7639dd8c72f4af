"""Delivering submissions to the authority: a small pool of workers, retries, and the in-doubt rule.

A delivery that fails before anything reached the authority (connection refused, HTTP 5xx) is
retried with backoff. A delivery that may have reached it (a timeout after sending) is *in
doubt*: the next step is to ask the authority for the document's status, never a blind resend
(DESIGN §5). Workers keep one authority client each, so connections are reused.
"""

from __future__ import annotations

import heapq
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from eventsourcing.persistence import IntegrityError

from services.countries.pack import (
    AuthorityClient,
    AuthorityUnavailable,
    Delivery,
    SubmissionInDoubt,
)
from services.countries.pack import (
    Submission as SubmissionData,
)
from services.transmission.application import TransmissionApp, verdict_state
from services.transmission.domain import Submission

log = logging.getLogger(__name__)

ClientFactory = Callable[[str], AuthorityClient]


class Dispatcher:
    """Sends open submissions to their authority and records what happened."""

    def __init__(
        self,
        app: TransmissionApp,
        client_for: ClientFactory,
        *,
        workers: int = 8,
        first_retry: float = 1.0,
        max_retry: float = 60.0,
    ) -> None:
        self.app = app
        self.client_for = client_for
        self.first_retry = first_retry
        self.max_retry = max_retry
        self._queue: queue.Queue[uuid.UUID | None] = queue.Queue()
        self._later: list[tuple[float, uuid.UUID]] = []
        self._later_lock = threading.Condition()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"transmit-{n}", daemon=True)
            for n in range(workers)
        ]
        self._threads.append(
            threading.Thread(target=self._wake_later, name="transmit-timer", daemon=True)
        )
        # Workers hand what they learned to one writer that saves many submissions per
        # transaction: one commit per delivery would cost more than the delivery itself.
        self._results: queue.Queue[Submission | None] = queue.Queue(maxsize=workers * 64)
        self._writer = threading.Thread(target=self._write, name="transmit-writer", daemon=True)

    def start(self) -> None:
        """Start the workers and resume every submission left without a verdict."""
        for thread in self._threads:
            thread.start()
        self._writer.start()
        pending = self.app.unfinished()
        if pending:
            log.info("resuming %d unfinished submissions", len(pending))
        self.submit(pending)

    def stop(self) -> None:
        """Stop after the deliveries in flight."""
        self._stop.set()
        for _ in self._threads:
            self._queue.put(None)
        with self._later_lock:
            self._later_lock.notify_all()
        for thread in self._threads:
            thread.join(timeout=10)
        self._results.put(None)
        self._writer.join(timeout=10)

    def submit(self, submission_ids: list[uuid.UUID]) -> None:
        """Queue submissions for delivery now."""
        for submission_id in submission_ids:
            self._queue.put(submission_id)

    def _retry_later(self, submission_id: uuid.UUID, delay: float) -> None:
        with self._later_lock:
            heapq.heappush(self._later, (time.monotonic() + delay, submission_id))
            self._later_lock.notify()

    def _wake_later(self) -> None:
        while not self._stop.is_set():
            with self._later_lock:
                if not self._later:
                    self._later_lock.wait(1.0)
                    continue
                due, submission_id = self._later[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._later_lock.wait(min(wait, 1.0))
                    continue
                heapq.heappop(self._later)
            self._queue.put(submission_id)

    def _write(self) -> None:
        while True:
            first = self._results.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < 200:
                try:
                    item = self._results.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._save(batch)
                    return
                batch.append(item)
            self._save(batch)

    def _save(self, batch: list[Submission]) -> None:
        delay = 0.5
        while True:
            try:
                self.app.record(*batch)
                return
            except IntegrityError:
                # One of them changed meanwhile (a retry overtook its own record). The batch's
                # pending events are spent, so deliver them all again from their stored state:
                # the authority recognises a document it already has (DIAN Regla 90).
                log.warning("%d deliveries conflicted on save; redelivering them", len(batch))
                self.submit([submission.id for submission in batch])
                return
            except Exception:
                log.exception("recording %d deliveries failed; retrying", len(batch))
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def _work(self) -> None:
        clients: dict[str, AuthorityClient] = {}
        try:
            while True:
                submission_id = self._queue.get()
                if submission_id is None or self._stop.is_set():
                    return
                try:
                    self._deliver(submission_id, clients)
                except Exception:
                    log.exception("delivering submission %s failed; retrying", submission_id)
                    self._retry_later(submission_id, self.first_retry)
        finally:
            for client in clients.values():
                client.close()

    def _deliver(self, submission_id: uuid.UUID, clients: dict[str, AuthorityClient]) -> None:
        submission: Submission = self.app.repository.get(submission_id)
        if submission.final:
            return
        if submission.country not in clients:
            clients[submission.country] = self.client_for(submission.country)
        client = clients[submission.country]
        attempt = submission.attempts + 1
        data = SubmissionData(
            document_id=submission.document_id,
            issuer=submission.issuer,
            document_type=submission.document_type,
            number=submission.number,
            document_key=submission.document_key,
            signed_xml=submission.signed_xml,
            environment=submission.environment,
        )
        try:
            delivery = None
            if submission.in_doubt:
                delivery = client.reconcile(data)
            if delivery is None:
                delivery = client.submit(data)
        except AuthorityUnavailable as problem:
            delay = min(self.first_retry * 2 ** min(submission.attempts, 10), self.max_retry)
            submission.delivery_failed(
                attempt=attempt,
                reason=str(problem),
                retry_at=datetime.now(UTC) + timedelta(seconds=delay),
            )
            self._results.put(submission)
            log.warning(
                "%s %s: authority unavailable (%s); retry in %.0fs",
                submission.issuer,
                submission.number,
                problem,
                delay,
            )
            self._retry_later(submission_id, delay)
            return
        except SubmissionInDoubt as problem:
            submission.doubted(attempt=attempt, reason=str(problem))
            self._results.put(submission)
            log.warning(
                "%s %s: in doubt (%s); reconciling", submission.issuer, submission.number, problem
            )
            self._retry_later(submission_id, self.first_retry)
            return
        self._record_delivery(submission, delivery, attempt)

    def _record_delivery(self, submission: Submission, delivery: Delivery, attempt: int) -> None:
        verdict = delivery.verdict
        submission.transmitted(
            ref=submission.ref,
            authority=verdict.authority,
            endpoint=delivery.endpoint,
            operation=delivery.operation,
            file_name=delivery.file_name,
            attempt=attempt,
            sent_at=delivery.sent_at,
            track_id=verdict.track_id,
        )
        decided_at = datetime.now(UTC)
        if verdict.accepted:
            submission.accepted(
                ref=submission.ref,
                verdict=verdict_state(verdict),
                authority_response=verdict.response_xml,
                decided_at=decided_at,
            )
        else:
            submission.rejected(
                ref=submission.ref,
                verdict=verdict_state(verdict),
                authority_response=verdict.response_xml,
                decided_at=decided_at,
            )
        self._results.put(submission)
