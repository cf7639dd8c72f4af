"""Following an application's notification log in order, from a position, without missing a
commit: the shared loop of the embedded transport, the outbox relay and issuing's directory."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from services.core.store import ServiceApplication

log = logging.getLogger(__name__)


class LogTail(threading.Thread):
    """Reads pages of notifications after a position and hands each page to `process`.

    It wakes as soon as this process saves to the log and polls for other processes' saves.
    When `process` fails it backs off and resumes from `start_position()`, so nothing is skipped.
    """

    def __init__(
        self,
        app: ServiceApplication,
        *,
        name: str,
        topics: Sequence[str],
        batch_size: int,
        poll_interval: float,
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.app = app
        self.topics = list(topics)
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.error: BaseException | None = None
        self._stop_event = threading.Event()

    def start_position(self) -> int:
        """The notification id after which to read (where this reader got to)."""
        raise NotImplementedError

    def process(self, page: Sequence[Any]) -> None:
        """Handle one page of notifications, in order."""
        raise NotImplementedError

    def idle(self) -> None:
        """Called when the reader has caught up with the log."""

    def recover(self) -> None:
        """Called after `process` failed, before retrying."""

    def stop(self) -> None:
        """Finish the current page and stop."""
        self._stop_event.set()
        with self.app.changed:
            self.app.changed.notify_all()

    @property
    def stopping(self) -> bool:
        """Whether stop() was called."""
        return self._stop_event.is_set()

    def run(self) -> None:
        """Read, process, advance; wait for a save or a poll when there is nothing new."""
        position = self.start_position()
        generation = 0
        backoff = 0.5
        while not self._stop_event.is_set():
            try:
                # Read up to what is recorded now, and remember having read that far even
                # when the last notifications were of other topics: otherwise every poll would
                # read them again (a follower of drafts, idle while facts pile up after the
                # last draft, re-read thousands of rows every few milliseconds). Ids are given
                # in commit order (SQLite's single writer; the PostgreSQL recorder locks its
                # table to insert), so nothing can appear below `top` later.
                top = self.app.recorder.max_notification_id() or 0
                if top <= position:
                    self.idle()
                    generation = self.app.wait_for_change(generation, self.poll_interval)
                    continue
                page = self.app.recorder.select_notifications(
                    start=position + 1, stop=top, limit=self.batch_size, topics=self.topics
                )
                if page:
                    self.process(page)
                position = page[-1].id if len(page) == self.batch_size else top
                backoff = 0.5
            except Exception as error:  # resume from the recorded position: skip nothing
                self.error = error
                log.exception("%s failed; retrying from its recorded position", self.name)
                self.recover()
                self._stop_event.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                position = self.start_position()
