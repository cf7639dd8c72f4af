"""Delivering submissions to the authority: a pool of workers, polls of asynchronous
deliveries, retries, the in-doubt rule, and contingency.

A delivery that fails before anything reached the authority (connection refused, HTTP 5xx) is
retried on the authority's retry pattern; when the pattern is exhausted the link is declared in
contingency (see contingency.py). A delivery that may have reached it (a timeout after sending)
is *in doubt*: the next step is to ask the authority for the document's status, never a blind
resend (DESIGN §5). An asynchronous delivery (a track id, no verdict yet) is polled until the
authority decides. Workers keep one authority client each, so connections are reused.
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

from services.core import metrics
from services.countries.pack import (
    AuthorityClient,
    AuthorityUnavailable,
    Delivery,
    SubmissionInDoubt,
    Verdict,
)
from services.countries.pack import Submission as SubmissionData
from services.transmission.application import TransmissionApp, verdict_state
from services.transmission.contingency import ContingencyRules, LinkMonitor
from services.transmission.domain import Submission
from services.transmission.writer import BatchWriter

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
        rules: ContingencyRules | None = None,
        poll_seconds: float = 2.0,
        in_doubt_seconds: float = 1.0,
        watch_seconds: float = 30.0,
    ) -> None:
        self.app = app
        self.client_for = client_for
        self.rules = rules or ContingencyRules()
        self.poll_seconds = poll_seconds
        self.in_doubt_seconds = in_doubt_seconds
        self.watch_seconds = watch_seconds
        self.links = LinkMonitor(app, self.rules)
        self.writer = BatchWriter(app, self.submit, capacity=workers * 64)
        self._queue: queue.Queue[uuid.UUID | None] = queue.Queue()
        self._later: list[tuple[float, uuid.UUID]] = []
        self._later_lock = threading.Condition()
        self._stop = threading.Event()
        self._backlog: dict[str, dict[uuid.UUID, None]] = {}  # per country, oldest first
        self._deadlines: dict[uuid.UUID, tuple[str, datetime]] = {}
        self._polls: dict[uuid.UUID, int] = {}
        self._probes: dict[str, uuid.UUID] = {}  # per country: the document that probes next
        # Clients that deliver many documents at once (SII: EnvioDTE) get them in batches per
        # issuer, flushed when full or when the oldest has waited the client's batch_wait.
        self._batches: dict[tuple[str, str], list[tuple[float, Submission]]] = {}
        self._batch_ready = threading.Condition()
        self._batch_limits: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._work, name=f"transmit-{n}", daemon=True)
            for n in range(workers)
        ]
        self._threads.append(
            threading.Thread(target=self._timer, name="transmit-timer", daemon=True)
        )
        self._threads.append(
            threading.Thread(target=self._watch, name="transmit-watch", daemon=True)
        )

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers and resume every submission left without a verdict."""
        self.writer.start()
        for thread in self._threads:
            thread.start()
        pending = self.app.unfinished()
        if pending:
            log.info("resuming %d unfinished submissions", len(pending))
        for submission_id in pending:
            submission: Submission = self.app.repository.get(submission_id)
            if submission.deadline is not None:
                self._deadlines[submission_id] = (submission.country, submission.deadline)
        self.submit(pending)

    def stop(self) -> None:
        """Stop after the deliveries in flight, saving what they learned."""
        self._stop.set()
        for _ in self._threads:
            self._queue.put(None)
        with self._later_lock:
            self._later_lock.notify_all()
        with self._batch_ready:
            self._batch_ready.notify_all()
        for thread in self._threads:
            thread.join(timeout=10)
        self.writer.close()

    def submit(self, submission_ids: list[uuid.UUID]) -> None:
        """Queue submissions for delivery now."""
        for submission_id in submission_ids:
            self._queue.put(submission_id)

    def backlog(self, country: str) -> list[uuid.UUID]:
        """Submissions waiting for the end of a contingency, oldest first."""
        with self._lock:
            return list(self._backlog.get(country, {}))

    # -- timing --------------------------------------------------------------------------

    def _later_by(self, submission_id: uuid.UUID, delay: float) -> None:
        with self._later_lock:
            heapq.heappush(self._later, (time.monotonic() + delay, submission_id))
            self._later_lock.notify()

    def _timer(self) -> None:
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

    # -- delivery ------------------------------------------------------------------------

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
                    self._later_by(submission_id, self.rules.retry_seconds)
        finally:
            for client in clients.values():
                client.close()

    def _deliver(self, submission_id: uuid.UUID, clients: dict[str, AuthorityClient]) -> None:
        submission: Submission = self.app.repository.get(submission_id)
        if submission.final:
            return
        country = submission.country
        probing = self._is_probe(submission_id)
        if self.links.in_contingency(country) and not probing:
            self._park(country, submission_id)
            return
        if country not in clients:
            clients[country] = self.client_for(country)
        client = clients[country]
        data = _data(submission)
        attempt = submission.attempts + 1
        try:
            if submission.awaiting_verdict:
                verdict = client.poll(data, submission.track_id)
                self.links.succeeded(country, 0)
                if verdict is None:
                    self._poll_later(submission_id)
                else:
                    self._decide(submission, verdict)
                return
            delivery = client.reconcile(data) if submission.in_doubt else None
            if delivery is None and client.batch_size > 1:
                self._add_to_batch(submission, client)
                return
            if delivery is None:
                delivery = client.submit(data)
        except AuthorityUnavailable as problem:
            self._unavailable(submission, attempt, str(problem), probing)
            return
        except SubmissionInDoubt as problem:
            metrics.DELIVERY_FAILURES.labels(country, "in_doubt").inc()
            submission.doubted(attempt=attempt, reason=str(problem))
            log.warning(
                "%s %s in doubt (%s); reconciling", submission.issuer, submission.number, problem
            )
            self.writer.put(
                submission, then=lambda: self._later_by(submission_id, self.in_doubt_seconds)
            )
            return
        self._unpark(country, submission_id)
        ended = self.links.succeeded(country, len(self.backlog(country)))
        self._record_delivery(submission, delivery, attempt)
        if ended is not None:
            self._release(country, ended.deadline)

    def _unavailable(
        self, submission: Submission, attempt: int, reason: str, probing: bool
    ) -> None:
        country = submission.country
        metrics.DELIVERY_FAILURES.labels(country, "unavailable").inc()
        declared = self.links.failed(country, reason)
        in_contingency = declared or self.links.in_contingency(country)
        delay = self.rules.probe_seconds if in_contingency else self.rules.retry_seconds
        submission.delivery_failed(
            attempt=attempt, reason=reason, retry_at=datetime.now(UTC) + timedelta(seconds=delay)
        )
        log.warning(
            "%s %s: authority unavailable (%s)%s",
            submission.issuer,
            submission.number,
            reason,
            "; contingency" if in_contingency else f"; retry in {delay:.0f}s",
        )
        if in_contingency:
            metrics.CONTINGENCY.labels(country).set(1)
            if probing:
                with self._lock:
                    self._probes.pop(country, None)
            self._park(country, submission.id)
            self.writer.put(submission)
        else:
            self.writer.put(submission, then=lambda: self._later_by(submission.id, delay))

    def _record_delivery(self, submission: Submission, delivery: Delivery, attempt: int) -> None:
        verdict = delivery.verdict
        submission.transmitted(
            ref=submission.ref,
            authority=verdict.authority if verdict else submission.country.upper(),
            endpoint=delivery.endpoint,
            operation=delivery.operation,
            file_name=delivery.file_name,
            attempt=attempt,
            sent_at=delivery.sent_at,
            track_id=delivery.track_id or (verdict.track_id if verdict else ""),
        )
        if verdict is None:
            self.writer.put(submission, then=lambda: self._poll_later(submission.id))
        else:
            self._decide(submission, verdict)

    def _decide(self, submission: Submission, verdict: Verdict) -> None:
        decided_at = datetime.now(UTC)
        record = submission.accepted if verdict.accepted else submission.rejected
        record(
            ref=submission.ref,
            verdict=verdict_state(verdict),
            authority_response=verdict.response_xml,
            decided_at=decided_at,
        )
        metrics.VERDICTS.labels(
            submission.country, "accepted" if verdict.accepted else "rejected"
        ).inc()
        with self._lock:
            self._polls.pop(submission.id, None)
            self._deadlines.pop(submission.id, None)
        self.writer.put(submission)

    def _poll_later(self, submission_id: uuid.UUID) -> None:
        with self._lock:
            polls = self._polls[submission_id] = self._polls.get(submission_id, 0) + 1
        # The authority needs a moment; back off gently while it works.
        self._later_by(submission_id, min(self.poll_seconds * 1.5 ** min(polls - 1, 8), 60.0))

    # -- batches -------------------------------------------------------------------------

    def _add_to_batch(self, submission: Submission, client: AuthorityClient) -> None:
        key = (submission.country, submission.issuer)
        with self._batch_ready:
            batch = self._batches.setdefault(key, [])
            if all(s.id != submission.id for _, s in batch):
                batch.append((time.monotonic(), submission))
            self._batch_limits[submission.country] = (client.batch_size, client.batch_wait)
            if len(batch) >= client.batch_size:
                self._batch_ready.notify()

    def _due_batches(self) -> list[list[Submission]]:
        now = time.monotonic()
        due = []
        with self._batch_ready:
            for key in list(self._batches):
                size, wait = self._batch_limits[key[0]]
                batch = self._batches[key]
                if len(batch) >= size or now - batch[0][0] >= wait:
                    due.append([s for _, s in batch[:size]])
                    rest = batch[size:]
                    if rest:
                        self._batches[key] = rest
                    else:
                        del self._batches[key]
        return due

    def _flush_batches(self) -> None:
        clients: dict[str, AuthorityClient] = {}
        try:
            while not self._stop.is_set():
                for batch in self._due_batches():
                    country = batch[0].country
                    if country not in clients:
                        clients[country] = self.client_for(country)
                    try:
                        self._send_batch(batch, clients[country])
                    except Exception:
                        log.exception("delivering a batch of %d failed; retrying", len(batch))
                        for submission in batch:
                            self._later_by(submission.id, self.rules.retry_seconds)
                with self._batch_ready:
                    self._batch_ready.wait(0.2)
        finally:
            for client in clients.values():
                client.close()

    def _send_batch(self, batch: list[Submission], client: AuthorityClient) -> None:
        country = batch[0].country
        try:
            deliveries = client.submit_batch([_data(s) for s in batch])
        except AuthorityUnavailable as problem:
            for submission in batch:
                self._unavailable(submission, submission.attempts + 1, str(problem), False)
            return
        except SubmissionInDoubt as problem:
            metrics.DELIVERY_FAILURES.labels(country, "in_doubt").inc()
            for submission in batch:
                submission.doubted(attempt=submission.attempts + 1, reason=str(problem))
                self.writer.put(
                    submission,
                    then=lambda i=submission.id: self._later_by(i, self.in_doubt_seconds),
                )
            return
        self.links.succeeded(country, 0)
        for submission, delivery in zip(batch, deliveries, strict=True):
            self._record_delivery(submission, delivery, submission.attempts + 1)

    # -- contingency ---------------------------------------------------------------------

    def _park(self, country: str, submission_id: uuid.UUID) -> None:
        """Hold a submission until the contingency ends; the first one held probes."""
        with self._lock:
            self._backlog.setdefault(country, {})[submission_id] = None
            size = len(self._backlog[country])
            probe = None
            if country not in self._probes:
                probe = self._probes[country] = next(iter(self._backlog[country]))
        metrics.BACKLOG.labels(country).set(size)
        if probe is not None:
            self._later_by(probe, self.rules.probe_seconds)

    def _unpark(self, country: str, submission_id: uuid.UUID) -> None:
        with self._lock:
            self._backlog.get(country, {}).pop(submission_id, None)

    def _is_probe(self, submission_id: uuid.UUID) -> bool:
        with self._lock:
            return submission_id in self._probes.values()

    def _release(self, country: str, deadline: datetime) -> None:
        """Contingency over: each waiting document gets its deadline and goes, oldest first."""
        with self._lock:
            waiting = list(self._backlog.pop(country, {}))
            self._probes.pop(country, None)
        metrics.CONTINGENCY.labels(country).set(0)
        metrics.BACKLOG.labels(country).set(0)
        submissions: list[Submission] = [self.app.repository.get(i) for i in waiting]
        for submission in sorted(submissions, key=lambda s: s.created_on):
            submission_id = submission.id
            if submission.final:
                continue
            submission.set_deadline(deadline=deadline, reason="transmit after contingency")
            with self._lock:
                self._deadlines[submission_id] = (country, deadline)
            self.writer.put(submission, then=lambda i=submission_id: self.submit([i]))

    def _watch(self) -> None:
        """Warn once per document before its deadline passes; keep the deadline metric current."""
        while not self._stop.wait(self.watch_seconds):
            now = datetime.now(UTC)
            with self._lock:
                tracked = list(self._deadlines.items())
            earliest: dict[str, float] = {}
            for submission_id, (country, deadline) in tracked:
                remaining = (deadline - now).total_seconds()
                earliest[country] = min(earliest.get(country, remaining), remaining)
                if remaining > self.rules.warn_before_hours * 3600:
                    continue
                submission: Submission = self.app.repository.get(submission_id)
                if submission.final or submission.deadline_warned:
                    continue
                submission.warn_deadline(deadline=deadline, remaining_seconds=int(remaining))
                metrics.DEADLINE_WARNINGS.labels(country).inc()
                log.warning(
                    "%s %s must reach the authority by %s (%.1f h left)",
                    submission.issuer,
                    submission.number,
                    deadline.isoformat(),
                    remaining / 3600,
                )
                self.writer.put(submission)
            for country, seconds in earliest.items():
                metrics.DEADLINE.labels(country).set(seconds)


def _data(submission: Submission) -> SubmissionData:
    return SubmissionData(
        document_id=submission.document_id,
        issuer=submission.issuer,
        document_type=submission.document_type,
        number=submission.number,
        document_key=submission.document_key,
        signed_xml=submission.signed_xml,
        environment=submission.environment,
        transmission_options=dict(submission.transmission_options),
    )
