"""The transmission application and its consumer: each signed document opens one submission."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.utils import get_topic

from services.core.inbox import Inbound, TrackedConsumer
from services.core.store import ServiceApplication
from services.countries.pack import Verdict
from services.transmission.domain import Submission


class TransmissionApp(ServiceApplication):
    """Transmission's store: every submission, attempt, doubt and verdict."""

    name = "transmission"

    def submission_exists(self, document_id: str) -> bool:
        """Whether this document already has a submission (one indexed read)."""
        return bool(self.recorder.select_events(Submission.id_for(document_id), limit=1))

    def unfinished(self) -> list[uuid.UUID]:
        """Submissions without a verdict yet, oldest first (to resume after a restart)."""
        opened = get_topic(Submission.SubmissionOpened)
        finals = {get_topic(Submission.DocumentAccepted), get_topic(Submission.DocumentRejected)}
        pending: dict[uuid.UUID, None] = {}
        position = 0
        while True:
            page = self.recorder.select_notifications(
                start=position + 1, limit=5000, topics=[opened, *finals]
            )
            if not page:
                return list(pending)
            for notification in page:
                if notification.topic == opened:
                    pending[notification.originator_id] = None
                else:
                    pending.pop(notification.originator_id, None)
            position = page[-1].id


def verdict_state(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain data for event state (the response XML is stored beside it)."""
    state = dataclasses.asdict(verdict)
    state.pop("response_xml")
    return state


class SubmissionOpener(TrackedConsumer):
    """Transmission's consumer: opens a submission for each signed document, once."""

    name = "transmission"
    consumes = ("DocumentSigned",)

    def __init__(self, app: TransmissionApp, on_opened: Callable[[list[uuid.UUID]], None]) -> None:
        super().__init__(app)
        self.app: TransmissionApp = app
        self.on_opened = on_opened

    def process(self, fresh: Sequence[Inbound]) -> list[Submission]:
        """A submission for each signed document that has none yet."""
        opened: dict[uuid.UUID, Submission] = {}
        for inbound in fresh:
            envelope = inbound.envelope
            submission_id = Submission.id_for(envelope.document_id)
            if submission_id in opened or self.app.submission_exists(envelope.document_id):
                continue  # the same signature published twice: one submission only
            opened[submission_id] = Submission(
                document_id=envelope.document_id,
                country=envelope.country,
                issuer=envelope.issuer,
                request_id=envelope.correlation_id,
                document_type=envelope.signed.document_type,
                number=envelope.signed.number,
                document_key=envelope.signed.document_key,
                signed_xml=envelope.signed.signed_xml,
                environment=envelope.signed.environment,
                transmission_options=dict(envelope.signed.transmission_options),
            )
        return list(opened.values())

    def recorded(self, changed: list[Submission]) -> None:
        """Hand the new submissions to the dispatcher once they are safely stored."""
        if changed:
            self.on_opened([submission.id for submission in changed])
