"""The contingency backlog: documents held while the authority is down, one of them probing
it, released oldest first with their deadline when it answers, and watched until transmitted."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import UTC, datetime

from services.core import metrics
from services.transmission.application import TransmissionApp
from services.transmission.contingency import ContingencyRules
from services.transmission.domain import Submission
from services.transmission.scheduling import Scheduler
from services.transmission.writer import BatchWriter

log = logging.getLogger(__name__)


class Backlog:
    """Submissions waiting for the end of a contingency, per country, and their deadlines."""

    def __init__(
        self,
        app: TransmissionApp,
        rules: ContingencyRules,
        scheduler: Scheduler,
        writer: BatchWriter,
        *,
        watch_seconds: float = 30.0,
    ) -> None:
        self.app = app
        self.rules = rules
        self.scheduler = scheduler
        self.writer = writer
        self.watch_seconds = watch_seconds
        self._lock = threading.Lock()
        self._waiting: dict[str, dict[uuid.UUID, None]] = {}  # insertion order: oldest first
        self._probes: dict[str, uuid.UUID] = {}  # per country: the document that probes next
        self._deadlines: dict[uuid.UUID, tuple[str, datetime]] = {}
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="transmit-watch", daemon=True)

    def start(self) -> None:
        """Start watching deadlines."""
        self._watcher.start()

    def stop(self) -> None:
        """Stop watching."""
        self._stop.set()
        self._watcher.join(timeout=5)

    def waiting(self, country: str) -> list[uuid.UUID]:
        """Submissions held for `country`, oldest first."""
        with self._lock:
            return list(self._waiting.get(country, {}))

    def hold(self, country: str, submission_id: uuid.UUID) -> None:
        """Hold a submission until the contingency ends; the first one held probes."""
        with self._lock:
            waiting = self._waiting.setdefault(country, {})
            waiting[submission_id] = None
            size = len(waiting)
            probe = None
            if country not in self._probes:
                probe = self._probes[country] = next(iter(waiting))
        metrics.BACKLOG.labels(country).set(size)
        if probe is not None:
            self.scheduler.later(probe, self.rules.probe_seconds)

    def probe_failed(self, country: str) -> None:
        """The probe found the authority still down: the next hold chooses a new probe."""
        with self._lock:
            self._probes.pop(country, None)

    def drop(self, country: str, submission_id: uuid.UUID) -> None:
        """A held submission got through (it was the probe)."""
        with self._lock:
            self._waiting.get(country, {}).pop(submission_id, None)

    def is_probe(self, submission_id: uuid.UUID) -> bool:
        """Whether this submission is allowed to try the authority during a contingency."""
        with self._lock:
            return submission_id in self._probes.values()

    def track(self, submission: Submission) -> None:
        """Watch a submission's deadline (after a restart)."""
        if submission.deadline is not None:
            with self._lock:
                self._deadlines[submission.id] = (submission.country, submission.deadline)

    def settled(self, submission_id: uuid.UUID) -> None:
        """A submission got its verdict: nothing to watch any more."""
        with self._lock:
            self._deadlines.pop(submission_id, None)

    def release(self, country: str, deadline: datetime) -> None:
        """Contingency over: each waiting document gets its deadline and goes, oldest first."""
        with self._lock:
            waiting = list(self._waiting.pop(country, {}))
            self._probes.pop(country, None)
        metrics.CONTINGENCY.labels(country).set(0)
        metrics.BACKLOG.labels(country).set(0)
        submissions: list[Submission] = [self.app.repository.get(i) for i in waiting]
        for submission in sorted(submissions, key=lambda s: s.created_on):
            if submission.final:
                continue
            submission.set_deadline(deadline=deadline, reason="transmit after contingency")
            with self._lock:
                self._deadlines[submission.id] = (country, deadline)
            self.writer.put(submission, then=lambda i=submission.id: self.scheduler.now([i]))

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
