"""The issuing application: issuers, numbering ranges and documents in one event store."""

from __future__ import annotations

import dataclasses
import json
import threading
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

import grpc
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from services.core.rejection import InputRejected, precondition_failed
from services.core.store import ServiceApplication
from services.core.vault import Vault
from services.countries.pack import Address, IssuerProfile, Party, RangeSpec
from services.issuing.domain import (
    AuthorityStatus,
    Document,
    HeldFacts,
    Issuer,
    NumberingRange,
)


class IssuingApp(ServiceApplication):
    """Issuing's store: the system of record of every document and numbering range."""

    name = "issuing"
    snapshotting_intervals = {NumberingRange: 100}  # noqa: RUF012 - the library's class attribute

    def __init__(self, env: dict[str, str] | None = None, *, vault: Vault) -> None:
        super().__init__(env)
        self.vault = vault
        self._lock = threading.Lock()
        self._issuers: dict[tuple[str, str], IssuerProfile] = {}
        self._ranges: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
        self._ranges_seen = 0
        self._refresh_range_index()

    # -- issuers -------------------------------------------------------------------------

    def register_issuer(self, profile: IssuerProfile) -> Issuer:
        """Register an issuer, or replace its profile; the PINs are sealed, never stored clear."""
        issuer_id = Issuer.id_for(profile.country, profile.tax_id)
        context = f"issuer-pin|{issuer_id}"
        stored = _profile_to_state(profile)
        pins = json.dumps([profile.software_pin, profile.support_software_pin])
        pin_sealed = self.vault.seal(pins.encode(), context)
        try:
            issuer: Issuer = self.repository.get(issuer_id)
            issuer.change(profile=stored, pin_sealed=pin_sealed)
        except AggregateNotFoundError:
            issuer = Issuer(
                country=profile.country,
                tax_id=profile.tax_id,
                profile=stored,
                pin_sealed=pin_sealed,
            )
        self.record(issuer)
        with self._lock:
            self._issuers[(profile.country, profile.tax_id)] = profile
        return issuer

    def set_test_set(self, country: str, tax_id: str, test_set_id: str) -> IssuerProfile:
        """Enter (or, with an empty id, leave) habilitación: documents go to the test set."""
        profile = self.issuer_profile(country, tax_id, field="issuer")
        changed = dataclasses.replace(
            profile,
            test_set_id=test_set_id,
            environment="2" if test_set_id else profile.environment,
        )
        self.register_issuer(changed)
        return changed

    def issuer_profile(
        self, country: str, tax_id: str, field: str = "document.issuer"
    ) -> IssuerProfile:
        """The registered profile (PIN opened), or FAILED_PRECONDITION naming `field`."""
        key = (country, tax_id)
        with self._lock:
            cached = self._issuers.get(key)
        if cached is not None:
            return cached
        issuer_id = Issuer.id_for(country, tax_id)
        try:
            issuer: Issuer = self.repository.get(issuer_id)
        except AggregateNotFoundError:
            raise precondition_failed(
                field, f"issuer {tax_id!r} is not registered for country {country!r}"
            ) from None
        pins = json.loads(self.vault.open(issuer.pin_sealed, f"issuer-pin|{issuer_id}"))
        profile = _profile_from_state(issuer.profile, country, pins)
        with self._lock:
            self._issuers[key] = profile
        return profile

    # -- numbering ranges ----------------------------------------------------------------

    def register_range(self, spec: RangeSpec) -> NumberingRange:
        """Register an authorised range; registering the same range twice changes nothing."""
        self.issuer_profile(spec.country, spec.issuer, field="range.issuer")
        range_id = NumberingRange.id_for(spec.country, spec.issuer, spec.authorization, spec.prefix)
        try:
            existing: NumberingRange = self.repository.get(range_id)
        except AggregateNotFoundError:
            pass
        else:
            if (existing.range_from, existing.range_to) != (spec.range_from, spec.range_to):
                raise InputRejected(
                    "range.range_from",
                    f"authorization {spec.authorization} prefix {spec.prefix!r} is already "
                    f"registered as {existing.range_from}-{existing.range_to}",
                    code=grpc.StatusCode.ALREADY_EXISTS,
                )
            return existing
        numbering = NumberingRange(
            country=spec.country,
            issuer=spec.issuer,
            document_types=list(spec.document_types),
            authorization=spec.authorization,
            prefix=spec.prefix,
            range_from=spec.range_from,
            range_to=spec.range_to,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            technical_key_sealed=self.vault.seal(
                spec.technical_key.encode(), f"technical-key|{range_id}"
            ),
            public_authorization=spec.public_authorization,
        )
        self.record(numbering)
        with self._lock:
            self._ranges[(spec.country, spec.issuer)].add(range_id)
        return numbering

    def annul_numbers(
        self, range_id: uuid.UUID, number_from: int, number_to: int, reason: str
    ) -> NumberingRange:
        """Annul unused numbers of a range, with the reason (an event on the range's trail)."""
        try:
            numbering: NumberingRange = self.repository.get(range_id)
        except AggregateNotFoundError:
            raise InputRejected("range_id", "no such range", grpc.StatusCode.NOT_FOUND) from None
        if not reason.strip():
            raise InputRejected("reason", "is required: say why the numbers are annulled")
        try:
            numbering.annul(number_from=number_from, number_to=number_to, reason=reason.strip())
        except ValueError as problem:
            raise precondition_failed("number_from", str(problem)) from None
        self.record(numbering)
        return numbering

    def technical_key(self, numbering: NumberingRange) -> str:
        """The range's technical key, opened from its sealed form."""
        return self.vault.open(
            numbering.technical_key_sealed, f"technical-key|{numbering.id}"
        ).decode()

    def ranges(self, country: str, issuer: str) -> list[NumberingRange]:
        """The issuer's ranges, current state, in registration order."""
        self._refresh_range_index()
        with self._lock:
            ids = list(self._ranges.get((country, issuer), ()))
        found = [self.repository.get(range_id) for range_id in ids]
        return sorted(found, key=lambda r: (r.created_on, r.prefix))

    def all_ranges(self) -> list[NumberingRange]:
        """Every registered range."""
        self._refresh_range_index()
        with self._lock:
            keys = list(self._ranges)
        return [r for country, issuer in keys for r in self.ranges(country, issuer)]

    def choose_range(
        self, country: str, issuer: str, document_type: str, prefix: str, today: date, field: str
    ) -> NumberingRange:
        """The range a new document takes its number from, or FAILED_PRECONDITION saying why."""
        candidates = [
            r
            for r in self.ranges(country, issuer)
            if document_type in r.document_types and (not prefix or r.prefix == prefix)
        ]
        if not candidates:
            wanted = f" with prefix {prefix!r}" if prefix else ""
            raise precondition_failed(
                field,
                f"no numbering range{wanted} is registered for issuer {issuer} and "
                f"document type {document_type}",
            )
        usable = [r for r in candidates if r.is_valid_on(today) and r.remaining > 0]
        if usable:
            return usable[0]
        newest = candidates[-1]
        if not newest.is_valid_on(today):
            when = "expired on" if today > newest.valid_to else "is valid only from"
            day = newest.valid_to if today > newest.valid_to else newest.valid_from
            raise precondition_failed(
                field,
                f"numbering range {newest.prefix}{newest.range_from}-{newest.prefix}"
                f"{newest.range_to} (authorization {newest.authorization}) {when} {day}",
            )
        raise precondition_failed(
            field,
            f"numbering range {newest.prefix}{newest.range_from}-{newest.prefix}"
            f"{newest.range_to} (authorization {newest.authorization}) is exhausted",
        )

    def paper_range(
        self,
        country: str,
        issuer: str,
        document_type: str,
        prefix: str,
        number: int,
        day: date,
        field: str,
    ) -> NumberingRange:
        """The range a paper document's number belongs to, valid on the paper's date."""
        for numbering in self.ranges(country, issuer):
            if (
                document_type in numbering.document_types
                and (not prefix or numbering.prefix == prefix)
                and numbering.range_from <= number <= numbering.range_to
            ):
                if not numbering.is_valid_on(day):
                    raise precondition_failed(
                        field,
                        f"range {numbering.prefix}{numbering.range_from}-{numbering.range_to} "
                        f"was not valid on {day} (valid {numbering.valid_from} to "
                        f"{numbering.valid_to})",
                    )
                return numbering
        raise precondition_failed(
            field,
            f"number {prefix}{number} is in no registered range of issuer {issuer} for "
            f"document type {document_type}",
        )

    def _refresh_range_index(self) -> None:
        # Ranges are few and registered rarely; catching up from the log also picks up ranges
        # registered by another process sharing this store. Only notifications recorded since
        # the last look are read: a topic filter from the last range found would scan every
        # document recorded since, once per batch of drafts (measured: drafting slowed from
        # 3 to 7 ms of CPU per document by 30,000 documents).
        topic = get_topic(NumberingRange.RangeAuthorized)
        top = self.recorder.max_notification_id() or 0
        with self._lock:
            start = self._ranges_seen + 1
        while start <= top:
            found = self.recorder.select_notifications(
                start=start, stop=top, limit=500, topics=[topic]
            )
            with self._lock:
                for notification in found:
                    event = self.mapper.to_domain_event(notification)
                    self._ranges[(event.country, event.issuer)].add(event.originator_id)
            if len(found) < 500:
                break
            start = found[-1].id + 1
        with self._lock:
            self._ranges_seen = max(self._ranges_seen, top)

    # -- the authority's state -----------------------------------------------------------

    def authority_status(self, country: str) -> AuthorityStatus:
        """What issuing knows of the country's authority (created on first use)."""
        try:
            return self.repository.get(AuthorityStatus.id_for(country))
        except AggregateNotFoundError:
            return AuthorityStatus(country=country)

    def in_contingency(self, country: str) -> bool:
        """Whether documents of `country` are to be issued in their contingency variant."""
        if not self.recorder.select_events(AuthorityStatus.id_for(country), limit=1):
            return False
        return self.authority_status(country).in_contingency

    # -- documents -----------------------------------------------------------------------

    def find_document(self, document_id: uuid.UUID) -> Document | None:
        """The document, or None."""
        try:
            return self.repository.get(document_id)
        except AggregateNotFoundError:
            return None

    def document_exists(self, document_id: uuid.UUID) -> bool:
        """Whether a document with this id was ever drafted (one indexed read)."""
        return bool(self.recorder.select_events(document_id, limit=1))

    def find_held(self, document_id: uuid.UUID) -> HeldFacts | None:
        """The facts held back for a document, if any ever were."""
        held_id = HeldFacts.id_for(document_id)
        if not self.recorder.select_events(held_id, limit=1):
            return None
        return self.repository.get(held_id)

    def history(self, document_id: uuid.UUID) -> list[Any]:
        """The document's recorded events, oldest first (the auditor's replay)."""
        return list(self.events.get(document_id))


def _profile_to_state(profile: IssuerProfile) -> dict[str, Any]:
    state = dataclasses.asdict(profile)
    state.pop("software_pin")
    state.pop("support_software_pin")
    return state


def _profile_from_state(state: dict[str, Any], country: str, pins: list[str]) -> IssuerProfile:
    party = dict(state["party"])
    address = party.pop("address")
    party["tax_responsibilities"] = tuple(party["tax_responsibilities"])
    values = {k: v for k, v in state.items() if k != "party"}
    values["activity_codes"] = tuple(values.get("activity_codes", ()))
    return IssuerProfile(
        **{
            **values,
            "country": country,
            "software_pin": pins[0],
            "support_software_pin": pins[1],
        },
        party=Party(**party, address=Address(**address) if address else None),
    )
