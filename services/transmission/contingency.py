"""Contingency as a protocol, not an error (DESIGN §5; DIAN contingencia tipo 4).

When the authority fails its retry pattern (by default DIAN's: 4 attempts 20 s apart) the link
to it is declared in contingency: deliveries wait in a backlog, the issuing side issues type-04
documents, and the authority is probed (DIAN: every 30 min). The first answer ends the
contingency; the backlog is then transmitted oldest first, each document with a deadline
(DIAN: 48 h), warned about before it passes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eventsourcing.application import AggregateNotFoundError

from services.countries.registry import pack_for
from services.transmission.application import TransmissionApp
from services.transmission.domain import AuthorityLink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContingencyRules:
    """The retry pattern and deadlines; DIAN's values by default."""

    attempts: int = 4
    retry_seconds: float = 20.0
    probe_seconds: float = 1800.0
    deadline_hours: float = 48.0
    warn_before_hours: float = 6.0


@dataclass(frozen=True)
class Ended:
    """A contingency that just ended."""

    country: str
    ended_at: datetime
    deadline: datetime


class LinkMonitor:
    """Per country: consecutive failures, contingency declared and ended, as recorded events."""

    def __init__(self, app: TransmissionApp, rules: ContingencyRules) -> None:
        self.app = app
        self.rules = rules
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._links: dict[str, AuthorityLink] = {}

    def _link(self, country: str) -> AuthorityLink:
        if country not in self._links:
            try:
                self._links[country] = self.app.repository.get(AuthorityLink.id_for(country))
            except AggregateNotFoundError:
                link = AuthorityLink(country=country, authority=pack_for(country).authority)
                self.app.record(link)
                self._links[country] = link
        return self._links[country]

    def in_contingency(self, country: str) -> bool:
        """Whether deliveries to this country's authority wait for the end of a contingency."""
        with self._lock:
            return self._link(country).in_contingency

    def failed(self, country: str, reason: str) -> bool:
        """One more consecutive failure; True when it has just declared contingency."""
        with self._lock:
            link = self._link(country)
            if link.in_contingency:
                return False
            self._failures[country] = self._failures.get(country, 0) + 1
            if self._failures[country] < self.rules.attempts:
                return False
            link.declare(
                country=country,
                authority=link.authority,
                reason=reason,
                attempts=self._failures[country],
                declared_at=datetime.now(UTC),
            )
            self.app.record(link)
            log.warning(
                "%s contingency declared after %d failed attempts: %s",
                link.authority,
                self._failures[country],
                reason,
            )
            return True

    def succeeded(self, country: str, backlog: int) -> Ended | None:
        """The authority answered; returns the contingency it ends, if one was declared."""
        with self._lock:
            self._failures[country] = 0
            link = self._link(country)
            if not link.in_contingency:
                return None
            ended_at = datetime.now(UTC)
            deadline = ended_at + timedelta(hours=self.rules.deadline_hours)
            link.end(
                country=country,
                authority=link.authority,
                ended_at=ended_at,
                backlog=backlog,
                backlog_deadline=deadline,
            )
            self.app.record(link)
            log.warning(
                "%s answers again: contingency ended; %d documents to transmit by %s",
                link.authority,
                backlog,
                deadline.isoformat(),
            )
            return Ended(country, ended_at, deadline)
