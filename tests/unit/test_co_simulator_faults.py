"""Fault plans of the sandbox: what a request may ask for, and how many calls it affects."""

from __future__ import annotations

import pytest

from services.core.fault_injection import Fault, FaultPlan
from services.countries.co.simulator.faults import parse_fault, parse_outage


def test_a_plan_applies_to_the_next_count_calls_then_stops() -> None:
    plan = FaultPlan()
    assert plan.take() is None
    plan.arm(Fault(latency_ms=10, http_status=503), 2)
    assert plan.describe() == {
        "latency_ms": 10,
        "http_status": 503,
        "drop_response": False,
        "timeout_ms": 0,
        "operations": [],
        "remaining": 2,
    }
    assert plan.take() == Fault(10, 503, False)
    assert plan.take() == Fault(10, 503, False)
    assert plan.take() is None
    assert plan.describe() == {"remaining": 0}


def test_clear_stops_a_plan() -> None:
    plan = FaultPlan()
    plan.arm(Fault(drop_response=True), 5)
    plan.clear()
    assert plan.take() is None


def test_defaults_are_one_call_without_delay() -> None:
    assert parse_fault({"http_status": 503}) == (Fault(0, 503, False), 1)
    assert parse_fault({"drop_response": True, "count": 3}) == (Fault(0, None, True), 3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"latency_ms": "10"}, "latency_ms"),
        ({"http_status": 200}, "http_status"),
        ({"http_status": True}, "http_status"),
        ({"count": 0}, "count"),
        ({"drop_response": "yes"}, "drop_response"),
        ({"drop_response": True, "http_status": 503}, "drop_response"),
        ({"latency": 5}, "latency"),
    ],
)
def test_bad_requests_name_the_field(body: object, field: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_fault(body)
    assert str(refused.value).startswith(f"{field}:")


def test_a_fault_for_one_operation_leaves_the_others_alone() -> None:
    plan = FaultPlan()
    plan.arm(Fault(http_status=500, operations=("GetStatus",)), 1)
    assert plan.take("SendBillSync") is None
    assert plan.take("GetStatus") == Fault(http_status=500, operations=("GetStatus",))
    assert plan.take("GetStatus") is None


def test_an_outage_window_opens_and_closes_with_the_clock() -> None:
    now = [100.0]
    plan = FaultPlan(clock=lambda: now[0])
    assert parse_outage({"outage_seconds": 30}) == 30.0
    assert parse_outage({"http_status": 503}) is None
    plan.start_outage(30)
    assert plan.in_outage() and plan.describe()["outage_remaining_seconds"] == 30
    now[0] = 129.9
    assert plan.in_outage()
    now[0] = 130.0
    assert not plan.in_outage() and "outage_remaining_seconds" not in plan.describe()
    plan.start_outage(30)
    plan.clear()
    assert not plan.in_outage()


def test_a_timeout_holds_the_answer_and_excludes_the_other_outcomes() -> None:
    assert parse_fault({"timeout_ms": 2000}) == (Fault(timeout_ms=2000), 1)
    for body in ({"timeout_ms": 1, "http_status": 503}, {"timeout_ms": 1, "drop_response": True}):
        with pytest.raises(ValueError, match="timeout_ms"):
            parse_fault(body)
    with pytest.raises(ValueError, match="outage_seconds"):
        parse_outage({"outage_seconds": -1})
