"""Numbering and drafting: a batch of requests becomes numbered documents in one transaction.

Numbers are assigned in the same transaction that records the drafts (DESIGN §2): the range
records one `NumbersAssigned` event per batch and the documents their `DocumentDrafted`, all in
one `save`. A failure leaves nothing written, so a number is never lost and never given twice.
"""

from __future__ import annotations

import hashlib
import logging
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import grpc
from eventsourcing.persistence import IntegrityError

from services.core import metrics
from services.core.rejection import InputRejected
from services.countries.pack import CountryPack, IssuerProfile, NumberingSlot, ParsedDocument
from services.issuing.application import IssuingApp
from services.issuing.domain import Document, NumberingRange

log = logging.getLogger(__name__)

_RETRIES = 5


@dataclass
class IssueOrder:
    """A validated request waiting for its number."""

    request_id: str
    country: str
    issuer: str
    pack: CountryPack
    document: ParsedDocument
    request_digest: str
    range_field: str

    @property
    def document_id(self) -> uuid.UUID:
        """The document this request names."""
        return Document.id_for(self.country, self.issuer, self.request_id)


@dataclass
class IssueOutcome:
    """What became of one order: a document (new or already known) or a refusal."""

    document: Document | None = None
    duplicate: bool = False
    error: InputRejected | None = None


def request_digest(serialized_document: bytes) -> str:
    """Fingerprint of a request's document, to tell a retry from a conflicting reuse of its key."""
    return hashlib.sha256(serialized_document).hexdigest()


class Drafter:
    """Turns batches of orders into numbered, drafted documents."""

    def __init__(self, app: IssuingApp, *, warn_fraction: float = 0.1, warn_days: int = 30) -> None:
        self.app = app
        self.warn_fraction = warn_fraction
        self.warn_days = warn_days

    def draft(self, orders: list[IssueOrder], now: datetime | None = None) -> list[IssueOutcome]:
        """Number and draft every order; outcomes in the orders' order."""
        for attempt in range(_RETRIES):
            try:
                return self._draft_once(orders, now)
            except IntegrityError:
                # Another process drafted one of these request ids, or took numbers from the
                # same range, between our read and our write. Nothing was written: re-read.
                log.info("drafting conflict (attempt %d); retrying the batch", attempt + 1)
                if self.app.repository.cache is not None:
                    self.app.repository.cache.clear()
        raise RuntimeError("could not draft the batch after repeated write conflicts")

    def _draft_once(self, orders: list[IssueOrder], now: datetime | None) -> list[IssueOutcome]:
        outcomes = [IssueOutcome() for _ in orders]
        first_seen: dict[uuid.UUID, int] = {}
        twins: dict[int, int] = {}
        fresh: list[int] = []
        for index, order in enumerate(orders):
            document_id = order.document_id
            if document_id in first_seen:  # the same request id twice in one batch
                twins[index] = first_seen[document_id]
                continue
            first_seen[document_id] = index
            if self.app.document_exists(document_id):
                existing = self.app.find_document(document_id)
                assert existing is not None
                outcomes[index] = self._replay(order, existing)
            else:
                fresh.append(index)

        # Group by the range each order draws from, so one range object hands out the numbers
        # of the whole batch and records one NumbersAssigned event.
        groups: dict[uuid.UUID, list[int]] = defaultdict(list)
        chosen: dict[tuple[str, str, str, str], NumberingRange | InputRejected] = {}
        ranges: dict[uuid.UUID, NumberingRange] = {}
        contingency: dict[str, bool] = {}
        paper: list[int] = []
        for index in fresh:
            order = orders[index]
            if order.country not in contingency:
                contingency[order.country] = self.app.in_contingency(order.country)
            if contingency[order.country]:
                # The authority is down: issue the contingency variant (CO: 01 becomes 04).
                variant = order.pack.contingency_variant(order.document)
                if variant is not None:
                    order.document = variant
            if order.document.paper_number is not None:
                paper.append(index)
                continue
            issued_at = _issue_time(order.pack, now)
            key = (
                order.country,
                order.issuer,
                order.document.document_type,
                order.document.range_prefix,
            )
            if key not in chosen:
                try:
                    chosen[key] = self.app.choose_range(*key, issued_at.date(), order.range_field)
                except InputRejected as refusal:
                    chosen[key] = refusal
            choice = chosen[key]
            if isinstance(choice, InputRejected):
                outcomes[index].error = choice
                continue
            ranges.setdefault(choice.id, choice)
            groups[choice.id].append(index)

        touched: list[object] = []
        for range_id, indexes in groups.items():
            touched.extend(self._draft_group(orders, indexes, ranges[range_id], outcomes, now))
        touched.extend(self._draft_paper(orders, paper, outcomes))
        if touched:
            self.app.record(*touched)
        for index, twin in twins.items():
            outcomes[index] = IssueOutcome(
                document=outcomes[twin].document,
                duplicate=outcomes[twin].document is not None,
                error=outcomes[twin].error,
            )
        return outcomes

    def _replay(self, order: IssueOrder, existing: Document) -> IssueOutcome:
        if existing.request_digest != order.request_digest:
            return IssueOutcome(
                error=InputRejected(
                    "request_id",
                    f"{order.request_id!r} was already used for a different document "
                    f"({existing.number}); use a new request_id for a new document",
                    grpc.StatusCode.ALREADY_EXISTS,
                )
            )
        return IssueOutcome(document=existing, duplicate=True)

    def _draft_group(
        self,
        orders: list[IssueOrder],
        indexes: list[int],
        numbering: NumberingRange,
        outcomes: list[IssueOutcome],
        now: datetime | None,
    ) -> list[object]:
        first = orders[indexes[0]]
        issued_at = _issue_time(first.pack, now)
        try:
            issuer = self.app.issuer_profile(first.country, first.issuer)
        except InputRejected as refusal:
            for index in indexes:
                outcomes[index].error = refusal
            return []
        technical_key = self.app.technical_key(numbering)
        drafted: list[Document] = []
        next_number = numbering.next_number
        for index in indexes:
            order = orders[index]
            next_number = numbering.available_from(next_number)
            if next_number > numbering.range_to:
                outcomes[index].error = _exhausted(numbering, order.range_field)
                continue
            try:
                document = self._draft_one(
                    order, issuer, numbering, technical_key, next_number, issued_at
                )
            except InputRejected as refusal:
                outcomes[index].error = refusal
                continue
            outcomes[index].document = document
            drafted.append(document)
            next_number += 1
        if not drafted:
            return []
        numbering.assign(first=numbering.next_number, documents=[str(d.id) for d in drafted])
        self._warn(numbering, issued_at.date())
        for document in drafted:
            metrics.DRAFTED.labels(document.country, document.document_type).inc()
        return [numbering, *drafted]

    def _draft_paper(
        self, orders: list[IssueOrder], indexes: list[int], outcomes: list[IssueOutcome]
    ) -> list[object]:
        """Documents that already have a number and a moment (CO type 03, from paper)."""
        taken: dict[uuid.UUID, tuple[NumberingRange, list[int], list[str]]] = {}
        drafted: list[Document] = []
        for index in indexes:
            order = orders[index]
            parsed = order.document
            number, issued_at = parsed.paper_number, parsed.paper_issued_at
            assert number is not None and issued_at is not None
            try:
                numbering = self.app.paper_range(
                    order.country,
                    order.issuer,
                    parsed.document_type,
                    parsed.range_prefix,
                    number,
                    issued_at.date(),
                    order.range_field,
                )
                numbering, numbers, ids = taken.setdefault(numbering.id, (numbering, [], []))
                holder = numbering.paper_holder(number) or (
                    "another request in this batch" if number in numbers else None
                )
                if holder is not None:
                    raise InputRejected(
                        order.range_field,
                        f"paper number {numbering.prefix}{number} was already entered ({holder})",
                        grpc.StatusCode.ALREADY_EXISTS,
                    )
                issuer = self.app.issuer_profile(order.country, order.issuer)
                document = self._draft_one(
                    order, issuer, numbering, self.app.technical_key(numbering), number, issued_at
                )
            except InputRejected as refusal:
                outcomes[index].error = refusal
                continue
            numbers.append(number)
            ids.append(str(document.id))
            outcomes[index].document = document
            drafted.append(document)
        recorded: list[object] = []
        for numbering, numbers, ids in taken.values():
            if numbers:
                numbering.record_paper(numbers=numbers, documents=ids)
                recorded.append(numbering)
        return [*recorded, *drafted]

    def _warn(self, numbering: NumberingRange, today: date) -> None:
        """Tell before a range or its authorisation runs out (an event and a log line, once)."""
        size = numbering.range_to - numbering.range_from + 1
        threshold = max(1, math.ceil(size * self.warn_fraction))
        remaining = numbering.remaining
        metrics.RANGE_REMAINING.labels(numbering.country, numbering.issuer, numbering.prefix).set(
            remaining
        )
        if not numbering.warned_running_out and remaining <= threshold:
            numbering.warn_running_out(remaining=remaining, threshold=threshold)
            log.warning(
                "numbering range %s%d-%d of %s: only %d numbers left; request a new range",
                numbering.prefix,
                numbering.range_from,
                numbering.range_to,
                numbering.issuer,
                remaining,
            )
        days_left = (numbering.valid_to - today).days
        if not numbering.warned_expiring and days_left <= self.warn_days:
            numbering.warn_expiring(valid_to=numbering.valid_to, days_left=days_left)
            log.warning(
                "authorization %s of %s ends on %s (%d days): request a new one",
                numbering.authorization,
                numbering.issuer,
                numbering.valid_to,
                days_left,
            )

    def _draft_one(
        self,
        order: IssueOrder,
        issuer: IssuerProfile,
        numbering: NumberingRange,
        technical_key: str,
        number: int,
        issued_at: datetime,
    ) -> Document:
        slot = NumberingSlot(
            range_id=str(numbering.id),
            authorization=numbering.authorization,
            prefix=numbering.prefix,
            number=number,
            range_from=numbering.range_from,
            range_to=numbering.range_to,
            valid_from=numbering.valid_from,
            valid_to=numbering.valid_to,
            technical_key=technical_key,
            public_authorization=numbering.public_authorization,
        )
        draft = order.pack.build_draft(order.document, issuer, slot, issued_at)
        return Document(
            country=order.country,
            issuer=order.issuer,
            request_id=order.request_id,
            request_digest=order.request_digest,
            document_type=draft.document_type,
            number=draft.number,
            document_key=draft.document_key,
            key_scheme=draft.key_scheme,
            unsigned_xml=draft.unsigned_xml,
            issue_date=draft.issue_date,
            issued_at=draft.issued_at,
            range_id=str(numbering.id),
            customer_id=draft.customer_id,
            currency=draft.currency,
            payable_amount=draft.payable_amount,
            environment=draft.environment,
            transmission_options=dict(draft.transmission_options),
            canonical_xml=draft.canonical,
        )


def _issue_time(pack: CountryPack, now: datetime | None) -> datetime:
    """Issue time in the country's own offset, to the second (IssueTime has no fractions)."""
    moment = (now or datetime.now(pack.timezone)).astimezone(pack.timezone)
    return moment.replace(microsecond=0)


def _exhausted(numbering: NumberingRange, field: str) -> InputRejected:
    return InputRejected(
        field,
        f"numbering range {numbering.prefix}{numbering.range_from}-{numbering.prefix}"
        f"{numbering.range_to} (authorization {numbering.authorization}) is exhausted",
        grpc.StatusCode.FAILED_PRECONDITION,
    )
