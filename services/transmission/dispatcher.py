"""Delivering submissions to the authority: a pool of workers, polls of asynchronous
deliveries, retries, the in-doubt rule, batches, and contingency.

A delivery that fails before anything reached the authority (connection refused, HTTP 5xx) is
retried on the authority's retry pattern; when the pattern is exhausted the link is declared in
contingency and documents wait in the backlog (contingency.py, backlog.py). A delivery that may
have reached it (a timeout after sending) is *in doubt*: the next step is to ask the authority
for the document's status, never a blind resend (DESIGN §5). An asynchronous delivery (a track
id, no verdict yet) is polled until the authority decides. Workers keep one authority client
each, so connections are reused.
"""

from __future__ import annotations

import logging
import queue
import threading
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
from services.transmission.backlog import Backlog
from services.transmission.batching import Batcher
from services.transmission.contingency import ContingencyRules, LinkMonitor
from services.transmission.domain import Submission
from services.transmission.scheduling import Scheduler
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
        self.links = LinkMonitor(app, self.rules)
        self._ready: queue.Queue[uuid.UUID | None] = queue.Queue()
        self.scheduler = Scheduler(self._ready)
        self.writer = BatchWriter(app, self.submit, capacity=workers * 64)
        self.backlog = Backlog(
            app, self.rules, self.scheduler, self.writer, watch_seconds=watch_seconds
        )
        self.batcher = Batcher(client_for, self._send_batch, self._batch_failed)
        self._polls: dict[uuid.UUID, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._workers = [
            threading.Thread(target=self._work, name=f"transmit-{n}", daemon=True)
            for n in range(workers)
        ]

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers and resume every submission left without a verdict."""
        self.writer.start()
        self.scheduler.start()
        self.batcher.start()
        self.backlog.start()
        for worker in self._workers:
            worker.start()
        pending = self.app.unfinished()
        if pending:
            log.info("resuming %d unfinished submissions", len(pending))
        for submission_id in pending:
            self.backlog.track(self.app.repository.get(submission_id))
        self.submit(pending)

    def stop(self) -> None:
        """Stop after the deliveries in flight, saving what they learned."""
        self._stop.set()
        for _ in self._workers:
            self._ready.put(None)
        self.scheduler.stop()
        self.batcher.stop()
        self.backlog.stop()
        for worker in self._workers:
            worker.join(timeout=10)
        self.writer.close()

    def submit(self, submission_ids: list[uuid.UUID]) -> None:
        """Queue submissions for delivery now."""
        self.scheduler.now(submission_ids)

    # -- delivery ------------------------------------------------------------------------

    def _work(self) -> None:
        clients: dict[str, AuthorityClient] = {}
        try:
            while True:
                submission_id = self._ready.get()
                if submission_id is None or self._stop.is_set():
                    return
                try:
                    self._deliver(submission_id, clients)
                except Exception:
                    log.exception("delivering submission %s failed; retrying", submission_id)
                    self.scheduler.later(submission_id, self.rules.retry_seconds)
        finally:
            for client in clients.values():
                client.close()

    def _deliver(self, submission_id: uuid.UUID, clients: dict[str, AuthorityClient]) -> None:
        submission: Submission = self.app.repository.get(submission_id)
        if submission.final:
            return
        country = submission.country
        probing = self.backlog.is_probe(submission_id)
        if self.links.in_contingency(country) and not probing:
            self.backlog.hold(country, submission_id)
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
                self.batcher.add(submission, client)
                return
            if delivery is None:
                delivery = client.submit(data)
        except AuthorityUnavailable as problem:
            self._unavailable(submission, attempt, str(problem), probing)
            return
        except SubmissionInDoubt as problem:
            self._doubted(submission, attempt, str(problem))
            return
        self._answered(submission, delivery, attempt)

    def _answered(self, submission: Submission, delivery: Delivery, attempt: int) -> None:
        """The authority answered: record it, and end a contingency if one was declared."""
        country = submission.country
        self.backlog.drop(country, submission.id)
        ended = self.links.succeeded(country, len(self.backlog.waiting(country)))
        self._record_delivery(submission, delivery, attempt)
        if ended is not None:
            self.backlog.release(country, ended.deadline)

    def _doubted(self, submission: Submission, attempt: int, reason: str) -> None:
        metrics.DELIVERY_FAILURES.labels(submission.country, "in_doubt").inc()
        submission.doubted(attempt=attempt, reason=reason)
        log.warning(
            "%s %s in doubt (%s); reconciling", submission.issuer, submission.number, reason
        )
        self.writer.put(
            submission, then=lambda: self.scheduler.later(submission.id, self.in_doubt_seconds)
        )

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
                self.backlog.probe_failed(country)
            self.backlog.hold(country, submission.id)
            self.writer.put(submission)
        else:
            self.writer.put(submission, then=lambda: self.scheduler.later(submission.id, delay))

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
        record = submission.accepted if verdict.accepted else submission.rejected
        record(
            ref=submission.ref,
            verdict=verdict_state(verdict),
            authority_response=verdict.response_xml,
            decided_at=datetime.now(UTC),
        )
        outcome = "accepted" if verdict.accepted else "rejected"
        metrics.VERDICTS.labels(submission.country, outcome).inc()
        with self._lock:
            self._polls.pop(submission.id, None)
        self.backlog.settled(submission.id)
        self.writer.put(submission)

    def _poll_later(self, submission_id: uuid.UUID) -> None:
        with self._lock:
            polls = self._polls[submission_id] = self._polls.get(submission_id, 0) + 1
        # The authority needs a moment; back off gently while it works.
        delay = min(self.poll_seconds * 1.5 ** min(polls - 1, 8), 60.0)
        self.scheduler.later(submission_id, delay)

    # -- batches -------------------------------------------------------------------------

    def _send_batch(self, batch: list[Submission], client: AuthorityClient) -> None:
        """Deliver a batch (SII: one EnvioDTE); each document is then polled on its own."""
        try:
            deliveries = client.submit_batch([_data(s) for s in batch])
        except AuthorityUnavailable as problem:
            for submission in batch:
                self._unavailable(submission, submission.attempts + 1, str(problem), False)
            return
        except SubmissionInDoubt as problem:
            for submission in batch:
                self._doubted(submission, submission.attempts + 1, str(problem))
            return
        for submission, delivery in zip(batch, deliveries, strict=True):
            self._answered(submission, delivery, submission.attempts + 1)

    def _batch_failed(self, batch: list[Submission]) -> None:
        for submission in batch:
            self.scheduler.later(submission.id, self.rules.retry_seconds)


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
