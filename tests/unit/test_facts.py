"""Issuing records downstream facts once each, in causal order, whatever order they arrive in."""

from __future__ import annotations

import datetime as dt

from services.core.envelope import new_envelope, timestamp
from services.core.inbox import Inbound
from services.issuing.domain import State
from services.issuing.drafting import Drafter
from services.issuing.facts import FactRecorder
from tests.unit.test_drafting import orders
from timbra.v1 import document_pb2, events_pb2

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def fact(document, kind: str, version: int = 1) -> events_pb2.EventEnvelope:
    envelope = new_envelope(
        event_type=kind,
        source="test",
        aggregate_id=document.id,
        version=version,
        occurred_at=NOW,
        document_id=str(document.id),
        issuer=document.issuer,
        country=document.country,
        correlation_id=document.request_id,
    )
    verdict = document_pb2.AuthorityVerdict(authority="DIAN", is_valid=True, status_code="00")
    if kind == "DocumentSigned":
        envelope.signed.CopyFrom(
            events_pb2.DocumentSigned(signed_xml=b"<signed/>", signing_time=timestamp(NOW))
        )
    elif kind == "DocumentTransmitted":
        envelope.transmitted.CopyFrom(
            events_pb2.DocumentTransmitted(authority="DIAN", attempt=1, sent_at=timestamp(NOW))
        )
    elif kind == "DocumentAccepted":
        envelope.accepted.CopyFrom(
            events_pb2.DocumentAccepted(verdict=verdict, decided_at=timestamp(NOW))
        )
    else:
        envelope.rejected.CopyFrom(
            events_pb2.DocumentRejected(verdict=verdict, decided_at=timestamp(NOW), stage="signing")
        )
    return envelope


def history(app, document) -> list[str]:
    return [type(e).__name__ for e in app.history(document.id)]


def test_facts_arriving_out_of_order_are_recorded_in_causal_order(issuing):
    [drafted] = Drafter(issuing).draft(orders(1))
    document = drafted.document
    recorder = FactRecorder(issuing)
    # acceptance first (from the accepted topic), then the transmission, then the signature
    recorder.handle([Inbound(fact(document, "DocumentAccepted"), "accepted:0", 1)])
    recorder.handle([Inbound(fact(document, "DocumentTransmitted"), "transmitted:0", 1)])
    assert history(issuing, document) == ["DocumentDrafted"]
    recorder.handle([Inbound(fact(document, "DocumentSigned"), "signed:0", 1)])
    assert history(issuing, document) == [
        "DocumentDrafted",
        "DocumentSigned",
        "DocumentTransmitted",
        "DocumentAccepted",
    ]
    assert issuing.find_document(document.id).state is State.ACCEPTED
    assert issuing.find_held(document.id).envelopes == []


def test_a_redelivered_fact_changes_nothing(issuing):
    [drafted] = Drafter(issuing).draft(orders(1, seed=1))
    document = drafted.document
    recorder = FactRecorder(issuing)
    signed = Inbound(fact(document, "DocumentSigned"), "signed:0", 7)
    recorder.handle([signed])
    before = issuing.recorder.max_notification_id()
    recorder.handle([signed])  # same position: a redelivery
    assert issuing.recorder.max_notification_id() == before
    # the same fact at a new position (published twice) is recognised by the document itself
    recorder.handle([Inbound(fact(document, "DocumentSigned"), "signed:0", 8)])
    assert history(issuing, document) == ["DocumentDrafted", "DocumentSigned"]
    assert recorder.position("signed:0") == 8


def test_a_signing_rejection_follows_the_draft_directly(issuing):
    [drafted] = Drafter(issuing).draft(orders(1, seed=2))
    recorder = FactRecorder(issuing)
    recorder.handle([Inbound(fact(drafted.document, "DocumentRejected"), "rejected:0", 1)])
    assert history(issuing, drafted.document) == ["DocumentDrafted", "DocumentRejected"]
    assert issuing.find_document(drafted.document.id).state is State.REJECTED


def test_one_batch_can_carry_a_document_through_its_whole_life(issuing):
    [drafted] = Drafter(issuing).draft(orders(1, seed=3))
    document = drafted.document
    batch = [
        Inbound(fact(document, kind), "embedded", position)
        for position, kind in enumerate(
            ["DocumentTransmitted", "DocumentSigned", "DocumentAccepted"], start=1
        )
    ]
    FactRecorder(issuing).handle(batch)
    assert history(issuing, document)[-1] == "DocumentAccepted"
