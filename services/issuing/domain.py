"""Issuing's aggregates: the document (one per invoice, its whole life) and the numbering range.

Domain only: no I/O. Identities are deterministic (uuid5), so the same request or the same
range registration always lands on the same aggregate, and the store's unique key on
(id, version) is what makes a number impossible to give twice.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid.UUID("6a0b4c52-8f7e-4d0e-9a55-2e1f4b7c9d31")


class State(IntEnum):
    """A document's lifecycle state, ordered by how far it got."""

    DRAFTED = 1
    SIGNED = 2
    TRANSMITTED = 3
    ACCEPTED = 4
    REJECTED = 5

    @property
    def final(self) -> bool:
        """Whether nothing more will happen to the document."""
        return self in (State.ACCEPTED, State.REJECTED)


# The fact each fact must follow; a fact arriving before its predecessor is held until then.
PREDECESSOR: dict[str, State] = {
    "DocumentSigned": State.DRAFTED,
    "DocumentTransmitted": State.SIGNED,
    "DocumentAccepted": State.TRANSMITTED,
}


class Document(Aggregate):
    """One issued document: drafted, signed, transmitted, accepted or rejected."""

    @staticmethod
    def id_for(country: str, issuer: str, request_id: str) -> uuid.UUID:
        """The document an issuer's request id names (idempotency key)."""
        return uuid.uuid5(_NAMESPACE, f"document|{country}|{issuer}|{request_id}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    @event("DocumentDrafted")
    def __init__(
        self,
        *,
        country: str,
        issuer: str,
        request_id: str,
        request_digest: str,
        document_type: str,
        number: str,
        document_key: str,
        key_scheme: str,
        unsigned_xml: bytes,
        issue_date: date,
        issued_at: datetime,
        range_id: str,
        customer_id: str,
        currency: str,
        payable_amount: Decimal,
        environment: str,
        transmission_options: dict[str, str],
        canonical_xml: bool = False,  # absent from drafts recorded before it existed
    ) -> None:
        self.country = country
        self.issuer = issuer
        self.request_id = request_id
        self.request_digest = request_digest
        self.document_type = document_type
        self.number = number
        self.document_key = document_key
        self.key_scheme = key_scheme
        self.unsigned_xml = unsigned_xml
        self.issue_date = issue_date
        self.issued_at = issued_at
        self.range_id = range_id
        self.customer_id = customer_id
        self.currency = currency
        self.payable_amount = payable_amount
        self.environment = environment
        self.transmission_options = transmission_options
        self.canonical_xml = canonical_xml
        self.state = State.DRAFTED
        self.signed_xml: bytes = b""
        self.authority_response: bytes = b""
        self.verdict: dict[str, Any] = {}

    def disposition(self, fact: str, stage: str = "") -> str:
        """What to do with an incoming fact: 'apply', 'duplicate' (already known) or 'hold'."""
        if self.state.final:
            return "duplicate"
        if fact == "DocumentRejected":
            # A rejection by timbra's own signing stage may come straight after the draft;
            # the authority's rejection comes after the transmission.
            needed = State.DRAFTED if stage == "signing" else State.TRANSMITTED
            return "apply" if self.state >= needed else "hold"
        needed = PREDECESSOR[fact]
        if self.state == needed:
            return "apply"
        return "duplicate" if self.state > needed else "hold"

    @event("DocumentSigned")
    def record_signed(
        self,
        *,
        signed_xml: bytes,
        certificate_serial: str,
        certificate_subject: str,
        signing_time: datetime,
        signed_digest: str,
    ) -> None:
        """The signing service signed it."""
        self.signed_xml = signed_xml
        self.state = State.SIGNED

    @event("DocumentTransmitted")
    def record_transmitted(
        self,
        *,
        authority: str,
        endpoint: str,
        operation: str,
        file_name: str,
        attempt: int,
        sent_at: datetime,
        track_id: str,
    ) -> None:
        """The transmission service delivered it to the authority."""
        self.state = State.TRANSMITTED

    @event("DocumentAccepted")
    def record_accepted(
        self, *, verdict: dict[str, Any], authority_response: bytes, decided_at: datetime
    ) -> None:
        """The authority accepted it."""
        self.verdict = verdict
        self.authority_response = authority_response
        self.state = State.ACCEPTED

    @event("DocumentRejected")
    def record_rejected(
        self,
        *,
        verdict: dict[str, Any],
        authority_response: bytes,
        decided_at: datetime,
        stage: str,
    ) -> None:
        """The authority (or timbra's signing stage) rejected it."""
        self.verdict = verdict
        self.authority_response = authority_response
        self.state = State.REJECTED


class NumberingRange(Aggregate):
    """An authorised numbering range: the audit trail of every number it gave."""

    @staticmethod
    def id_for(country: str, issuer: str, authorization: str, prefix: str) -> uuid.UUID:
        """The range a resolution (or CAF) and prefix name."""
        return uuid.uuid5(_NAMESPACE, f"range|{country}|{issuer}|{authorization}|{prefix}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    @event("RangeAuthorized")
    def __init__(
        self,
        *,
        country: str,
        issuer: str,
        document_types: list[str],
        authorization: str,
        prefix: str,
        range_from: int,
        range_to: int,
        valid_from: date,
        valid_to: date,
        technical_key_sealed: str,
        public_authorization: str = "",
    ) -> None:
        self.country = country
        self.issuer = issuer
        self.document_types = list(document_types)
        self.authorization = authorization
        self.prefix = prefix
        self.range_from = range_from
        self.range_to = range_to
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.technical_key_sealed = technical_key_sealed
        self.public_authorization = public_authorization
        self.next_number = range_from
        self.annulled: list[list[int]] = []  # [from, to] blocks of numbers annulled unused
        # numbers taken from paper (CO type 03), by number as text: JSON-friendly for snapshots
        self.paper: dict[str, str] = {}
        self.warned_running_out = False
        self.warned_expiring = False

    @property
    def remaining(self) -> int:
        """Numbers still available (not given, not annulled)."""
        left = self.range_to - self.next_number + 1
        for low, high in self.annulled:
            left -= max(0, min(high, self.range_to) - max(low, self.next_number) + 1)
        return max(0, left)

    def available_from(self, number: int) -> int:
        """The first number at or after `number` that is not annulled."""
        moved = True
        while moved:
            moved = False
            for low, high in self.annulled:
                if low <= number <= high:
                    number, moved = high + 1, True
        return number

    def numbers_from(self, first: int, count: int) -> list[int]:
        """The next `count` available numbers starting at `first`, skipping annulled blocks."""
        numbers, number = [], first
        for _ in range(count):
            number = self.available_from(number)
            numbers.append(number)
            number += 1
        return numbers

    def is_valid_on(self, day: date) -> bool:
        """Whether the authorisation covers `day`."""
        return self.valid_from <= day <= self.valid_to

    @event("NumbersAssigned")
    def assign(self, *, first: int, documents: list[str]) -> None:
        """Give the next len(documents) consecutive numbers, in order, to these documents."""
        if first != self.next_number:
            raise ValueError(
                f"numbers must be consecutive: next is {self.next_number}, got {first}"
            )
        numbers = self.numbers_from(first, len(documents))
        if numbers and numbers[-1] > self.range_to:
            raise ValueError("numbering range exhausted")
        self.next_number = self.available_from(numbers[-1] + 1 if numbers else first)

    @event("NumbersAnnulled")
    def annul(self, *, number_from: int, number_to: int, reason: str) -> None:
        """Unused numbers that will never be given (CL: anulación de folios), with the reason."""
        if not self.next_number <= number_from <= number_to <= self.range_to:
            raise ValueError(
                f"only unused numbers can be annulled: {self.next_number}-{self.range_to}"
            )
        if any(low <= number_to and number_from <= high for low, high in self.annulled):
            raise ValueError("those numbers are already annulled")
        self.annulled.append([number_from, number_to])
        self.next_number = self.available_from(self.next_number)

    def paper_holder(self, number: int) -> str | None:
        """The document a paper number was already entered as, if any."""
        return self.paper.get(str(number))

    @event("PaperNumbersRecorded")
    def record_paper(self, *, numbers: list[int], documents: list[str]) -> None:
        """Numbers printed on paper during the issuer's own outage, entered after the fact."""
        for number, document in zip(numbers, documents, strict=True):
            if not self.range_from <= number <= self.range_to:
                raise ValueError(f"{number} is outside the range")
            if str(number) in self.paper:
                raise ValueError(f"{number} was already entered")
            self.paper[str(number)] = document

    @event("RangeRunningOut")
    def warn_running_out(self, *, remaining: int, threshold: int) -> None:
        """Few numbers left: ask the authority for a new range before this one runs out."""
        self.warned_running_out = True

    @event("AuthorizationExpiring")
    def warn_expiring(self, *, valid_to: date, days_left: int) -> None:
        """The authorisation ends soon: numbers after that day will be refused."""
        self.warned_expiring = True


class AuthorityStatus(Aggregate):
    """What issuing knows of a country's authority: in service, or in contingency, as the
    transmission service reported it. New invoices are issued in the contingency variant."""

    @staticmethod
    def id_for(country: str) -> uuid.UUID:
        """The authority of a country."""
        return uuid.uuid5(_NAMESPACE, f"authority|{country}")

    create_id = id_for

    @event("AuthorityStatusOpened")
    def __init__(self, *, country: str) -> None:
        self.country = country
        self.in_contingency = False

    @event("AuthorityOutageNoted")
    def note_outage(self, *, authority: str, declared_at: datetime, reason: str) -> None:
        """Transmission declared a contingency."""
        self.in_contingency = True

    @event("AuthorityRecoveryNoted")
    def note_recovery(
        self, *, authority: str, ended_at: datetime, backlog_deadline: datetime
    ) -> None:
        """Transmission ended the contingency."""
        self.in_contingency = False


class Issuer(Aggregate):
    """A registered issuer: its party data and its software registration."""

    @staticmethod
    def id_for(country: str, tax_id: str) -> uuid.UUID:
        """The issuer a country and tax id name."""
        return uuid.uuid5(_NAMESPACE, f"issuer|{country}|{tax_id}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    @event("IssuerRegistered")
    def __init__(
        self, *, country: str, tax_id: str, profile: dict[str, Any], pin_sealed: str
    ) -> None:
        self.country = country
        self.tax_id = tax_id
        self.profile = profile
        self.pin_sealed = pin_sealed

    @event("IssuerProfileChanged")
    def change(self, *, profile: dict[str, Any], pin_sealed: str) -> None:
        """Replace the profile (new software registration, new address, ...)."""
        self.profile = profile
        self.pin_sealed = pin_sealed


class HeldFacts(Aggregate):
    """Facts about a document that arrived before the fact they follow (topics are not ordered
    across each other), kept here so the document's own stream stays in causal order."""

    @staticmethod
    def id_for(document_id: uuid.UUID) -> uuid.UUID:
        """The holding area of one document."""
        return uuid.uuid5(_NAMESPACE, f"held|{document_id}")

    # eventsourcing derives a new aggregate's id from its created-event fields with this.
    create_id = id_for

    @event("HoldingOpened")
    def __init__(self, *, document_id: uuid.UUID) -> None:
        self.document_id = document_id
        self.envelopes: list[bytes] = []

    @event("FactHeld")
    def hold(self, *, envelope: bytes) -> None:
        """Keep a fact until its predecessor is recorded."""
        self.envelopes.append(envelope)

    @event("FactsReleased")
    def release(self, *, envelopes: list[bytes]) -> None:
        """These held facts were applied to the document (or found to be already known)."""
        for envelope in envelopes:
            self.envelopes.remove(envelope)
