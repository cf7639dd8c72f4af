"""The contingency backlog: documents held during an outage go oldest first with their deadline
when the authority answers again, and each gets one warning before the deadline passes."""

from __future__ import annotations

import queue
import time
from datetime import UTC, datetime, timedelta

from services.transmission.application import TransmissionApp
from services.transmission.backlog import Backlog
from services.transmission.contingency import ContingencyRules
from services.transmission.domain import Submission
from services.transmission.scheduling import Scheduler
from services.transmission.writer import BatchWriter


def _submission(n: int) -> Submission:
    return Submission(
        document_id=f"doc-{n}",
        country="co",
        issuer="901458723",
        request_id=f"r{n}",
        document_type="01",
        number=f"FE{n}",
        document_key=f"k{n}",
        signed_xml=b"<x/>",
        environment="2",
        transmission_options={},
    )


def _events(app: TransmissionApp, submission: Submission) -> list[str]:
    return [type(e).__name__ for e in app.events.get(submission.id)]


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_held_documents_go_oldest_first_with_a_deadline_and_one_warning():
    app = TransmissionApp({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rules = ContingencyRules(deadline_hours=1, warn_before_hours=2, probe_seconds=3600)
    ready: queue.Queue = queue.Queue()
    writer = BatchWriter(app, on_conflict=lambda ids: None)
    writer.start()
    backlog = Backlog(app, rules, Scheduler(ready), writer, watch_seconds=0.05)
    held = [_submission(n) for n in range(3)]
    app.record(*held)
    for submission in reversed(held):  # held in the reverse of their creation order
        backlog.hold("co", submission.id)
    assert backlog.waiting("co") == [s.id for s in reversed(held)]

    deadline = datetime.now(UTC) + timedelta(hours=1)
    backlog.release("co", deadline)
    _wait_for(lambda: ready.qsize() == 3)
    assert [ready.get_nowait() for _ in held] == [s.id for s in held]  # oldest first
    assert backlog.waiting("co") == []
    for submission in held:
        stored: Submission = app.repository.get(submission.id)
        assert stored.deadline == deadline

    # one hour left is inside the two-hour warning window: each gets one warning, only one
    backlog.start()
    _wait_for(lambda: all("DeadlineApproaching" in _events(app, s) for s in held))
    time.sleep(0.2)  # several watch rounds later
    backlog.stop()
    writer.close()
    for submission in held:
        assert _events(app, submission).count("DeadlineApproaching") == 1


def test_a_document_settled_before_its_deadline_is_not_warned():
    app = TransmissionApp({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rules = ContingencyRules(deadline_hours=1, warn_before_hours=2)
    writer = BatchWriter(app, on_conflict=lambda ids: None)
    writer.start()
    backlog = Backlog(app, rules, Scheduler(queue.Queue()), writer, watch_seconds=0.05)
    submission = _submission(9)
    app.record(submission)
    backlog.hold("co", submission.id)
    backlog.release("co", datetime.now(UTC) + timedelta(hours=1))
    _wait_for(lambda: "DeadlineSet" in _events(app, submission))
    backlog.settled(submission.id)  # accepted meanwhile
    backlog.start()
    time.sleep(0.3)
    backlog.stop()
    writer.close()
    assert "DeadlineApproaching" not in _events(app, submission)
