"""Following a log by topic: every wanted notification once and in order, and notifications of
other topics read once, not at every poll."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from services.core.store import ServiceApplication
from services.core.tailing import LogTail


class Counter(Aggregate):
    """A tiny aggregate with two kinds of events."""

    @event("Wanted")
    def wanted(self) -> None:
        """An event the tail follows."""

    @event("Other")
    def other(self) -> None:
        """An event of another topic."""


class Tail(LogTail):
    """Collects the ids of the wanted notifications it is handed."""

    def __init__(self, app: ServiceApplication) -> None:
        super().__init__(
            app,
            name="test-tail",
            topics=[get_topic(Counter.Wanted)],
            batch_size=10,
            poll_interval=0.01,
        )
        self.seen: list[int] = []
        self.settled = threading.Event()

    def start_position(self) -> int:
        return 0

    def process(self, page: Sequence[Any]) -> None:
        self.seen.extend(n.id for n in page)

    def idle(self) -> None:
        self.settled.set()


def test_a_tail_hands_on_wanted_notifications_once_and_reads_others_once() -> None:
    app = ServiceApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    reads: list[tuple[int, int | None]] = []
    select = app.recorder.select_notifications

    def spy(start, limit, stop=None, topics=(), **options):  # type: ignore[no-untyped-def]
        reads.append((start, stop))
        return select(start, limit, stop=stop, topics=topics, **options)

    app.recorder.select_notifications = spy  # type: ignore[method-assign]
    counter = Counter()
    for _ in range(25):  # more than a page of wanted events
        counter.wanted()
    app.save(counter)
    tail = Tail(app)
    tail.start()
    try:
        assert tail.settled.wait(5)
        for _ in range(40):  # then only other topics, as facts pile up after the last draft
            counter.other()
        app.save(counter)
        time.sleep(0.2)  # some twenty polls
        counter.wanted()
        app.save(counter)
        deadline = time.monotonic() + 5
        while len(tail.seen) < 26 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        tail.stop()
        tail.join(5)
    wanted = [
        n.id
        for n in select(1, 1000, topics=[get_topic(Counter.Wanted)])  # the truth, unspied
    ]
    assert tail.seen == wanted and len(wanted) == 26
    # The 40 other notifications were read past once, not at every poll while nothing came.
    others = range(wanted[-2] + 1, wanted[-1])
    assert len(others) == 40
    assert len([start for start, _ in reads if start in others]) == 1, reads
