"""Numbering and drafting: consecutive numbers, one transaction, idempotent request ids."""

from __future__ import annotations

import grpc
import pytest

from services.countries.co import demo
from services.countries.registry import pack_for
from services.issuing.domain import NumberingRange
from services.issuing.drafting import Drafter, IssueOrder, request_digest
from tests.unit.conftest import ISSUER, range_spec
from timbra.v1 import document_pb2


def orders(
    count: int, seed: int = 0, prefix: str = "", ids: list[str] | None = None
) -> list[IssueOrder]:
    pack = pack_for("co")
    documents: list[document_pb2.Document] = demo.generate_documents(count, ISSUER, seed)
    made = []
    for index, document in enumerate(documents):
        document.co.range_prefix = prefix
        made.append(
            IssueOrder(
                request_id=(ids[index] if ids else f"r-{seed}-{index}"),
                country="co",
                issuer=ISSUER,
                pack=pack,
                document=pack.parse_document(document, "document"),
                request_digest=request_digest(document.SerializeToString(deterministic=True)),
                range_field="document.co.range_prefix",
            )
        )
    return made


def test_a_batch_takes_consecutive_numbers_and_costs_one_range_event(issuing):
    outcomes = Drafter(issuing).draft(orders(50))
    numbers = [o.document.number for o in outcomes]
    assert numbers == [f"SETP{990000000 + i}" for i in range(50)]
    [numbering] = issuing.ranges("co", ISSUER)
    assert numbering.next_number == 990000050
    events = [type(e).__name__ for e in issuing.events.get(numbering.id)]
    assert events == ["RangeAuthorized", "NumbersAssigned"]


def test_batches_continue_where_the_last_one_stopped(issuing):
    drafter = Drafter(issuing)
    drafter.draft(orders(3, seed=1))
    second = drafter.draft(orders(3, seed=2))
    assert [o.document.number for o in second] == [
        "SETP990000003",
        "SETP990000004",
        "SETP990000005",
    ]


def test_the_same_request_id_returns_the_existing_document(issuing):
    drafter = Drafter(issuing)
    [first] = drafter.draft(orders(1, seed=3))
    before = issuing.recorder.max_notification_id()
    [again] = drafter.draft(orders(1, seed=3))
    assert again.duplicate and again.document.id == first.document.id
    assert again.document.number == first.document.number
    assert issuing.recorder.max_notification_id() == before


def test_a_request_id_twice_in_one_batch_gets_one_number(issuing):
    twins = orders(2, seed=4, ids=["same", "same"])
    twins[1].request_digest = twins[0].request_digest
    first, second = Drafter(issuing).draft(twins)
    assert first.document.number == second.document.number and second.duplicate
    assert issuing.ranges("co", ISSUER)[0].next_number == 990000001


def test_reusing_a_request_id_for_another_document_is_refused(issuing):
    drafter = Drafter(issuing)
    drafter.draft(orders(1, seed=5, ids=["key"]))
    [refused] = drafter.draft(orders(1, seed=6, ids=["key"]))
    assert refused.error.code == grpc.StatusCode.ALREADY_EXISTS
    assert refused.error.field == "request_id"


def test_an_exhausted_range_numbers_what_fits_and_refuses_the_rest(issuing):
    issuing.register_range(range_spec(prefix="TINY", start=1, end=3))
    outcomes = Drafter(issuing).draft(orders(5, seed=7, prefix="TINY"))
    assert [o.document.number for o in outcomes[:3]] == ["TINY1", "TINY2", "TINY3"]
    for refused in outcomes[3:]:
        assert refused.document is None
        assert refused.error.code == grpc.StatusCode.FAILED_PRECONDITION
        assert "exhausted" in refused.error.rule
    [again] = Drafter(issuing).draft(orders(1, seed=8, prefix="TINY"))
    assert again.error.code == grpc.StatusCode.FAILED_PRECONDITION


def test_an_expired_range_is_refused_with_its_date(issuing):
    import datetime as dt

    yesterday = dt.date.today() - dt.timedelta(days=1)
    issuing.register_range(range_spec(prefix="OLD", start=1, end=10, valid_to=yesterday))
    [refused] = Drafter(issuing).draft(orders(1, seed=9, prefix="OLD"))
    assert refused.error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert f"expired on {yesterday}" in refused.error.rule


def test_registering_the_same_range_twice_changes_nothing_but_a_conflict_is_refused(issuing):
    from services.core.rejection import InputRejected

    before = issuing.recorder.max_notification_id()
    issuing.register_range(range_spec())
    assert issuing.recorder.max_notification_id() == before
    with pytest.raises(InputRejected) as conflict:
        issuing.register_range(range_spec(end=995000001))
    assert conflict.value.code == grpc.StatusCode.ALREADY_EXISTS


def test_numbers_cannot_skip_or_overflow():
    numbering = NumberingRange(
        country="co",
        issuer=ISSUER,
        document_types=["01"],
        authorization="1",
        prefix="P",
        range_from=1,
        range_to=2,
        valid_from=None,
        valid_to=None,
        technical_key_sealed="",
        public_authorization="",
    )
    with pytest.raises(ValueError, match="consecutive"):
        numbering.assign(first=2, documents=["a"])
    with pytest.raises(ValueError, match="exhausted"):
        numbering.assign(first=1, documents=["a", "b", "c"])


def test_secrets_are_sealed_in_the_events(issuing):
    [numbering] = issuing.ranges("co", ISSUER)
    stored = [s.state for s in issuing.recorder.select_events(numbering.id)]
    assert not any(b"fc8eac422eba16e22ffd8c6f94b3f40a6e38162c" in state for state in stored)
    assert issuing.technical_key(numbering) == "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"
    assert issuing.issuer_profile("co", ISSUER).software_pin == "12345"


def test_annulled_numbers_are_skipped_and_recorded_with_their_reason(issuing):
    issuing.register_range(range_spec(prefix="ANU", start=1, end=10))
    [numbering] = [r for r in issuing.ranges("co", ISSUER) if r.prefix == "ANU"]
    Drafter(issuing).draft(orders(2, seed=20, prefix="ANU"))  # ANU1, ANU2
    issuing.annul_numbers(numbering.id, 4, 6, "talonario extraviado")
    outcomes = Drafter(issuing).draft(orders(3, seed=21, prefix="ANU"))
    assert [o.document.number for o in outcomes] == ["ANU3", "ANU7", "ANU8"]
    numbering = issuing.repository.get(numbering.id)
    assert numbering.remaining == 2  # 9 and 10
    annulled = [
        e for e in issuing.events.get(numbering.id) if type(e).__name__ == "NumbersAnnulled"
    ]
    assert [(e.number_from, e.number_to, e.reason) for e in annulled] == [
        (4, 6, "talonario extraviado")
    ]


def test_only_unused_numbers_can_be_annulled_and_a_reason_is_required(issuing):
    from services.core.rejection import InputRejected

    issuing.register_range(range_spec(prefix="ANX", start=1, end=10))
    [numbering] = [r for r in issuing.ranges("co", ISSUER) if r.prefix == "ANX"]
    Drafter(issuing).draft(orders(3, seed=22, prefix="ANX"))
    with pytest.raises(InputRejected) as used:
        issuing.annul_numbers(numbering.id, 2, 5, "error")
    assert used.value.code == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(InputRejected) as no_reason:
        issuing.annul_numbers(numbering.id, 5, 5, "  ")
    assert no_reason.value.field == "reason"


def test_finding_ranges_reads_only_what_was_recorded_since_the_last_look(issuing):
    # Drafting looks up ranges for every batch; reading the log from the last range found
    # would read every document drafted since, again and again.
    reads: list[tuple[int, int | None]] = []
    select = issuing.recorder.select_notifications

    def spy(start, limit, stop=None, topics=(), **options):  # type: ignore[no-untyped-def]
        reads.append((start, stop))
        return select(start, limit, stop=stop, topics=topics, **options)

    issuing.recorder.select_notifications = spy  # type: ignore[method-assign]
    Drafter(issuing).draft(orders(20, seed=1))
    Drafter(issuing).draft(orders(20, seed=2))
    issuing.ranges("co", ISSUER)  # reads what the drafts recorded after their own look
    seen_before_second = issuing.recorder.max_notification_id()
    assert reads[-1][0] > 1, "each look starts after the previous one"
    reads.clear()
    issuing.ranges("co", ISSUER)
    assert reads == [], "nothing new was recorded: the log is not read at all"
    issuing.register_range(range_spec(prefix="SETT", start=1, end=100))
    issuing.ranges("co", ISSUER)
    assert reads and all(start > seen_before_second for start, _ in reads)
    assert {r.prefix for r in issuing.ranges("co", ISSUER)} == {"SETP", "SETT"}
