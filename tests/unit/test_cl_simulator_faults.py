"""The simulator's fault plan: what is armed, for how many calls, and for which operations."""

from __future__ import annotations

import pytest

from services.countries.cl.simulator.faults import FaultPlan, parse_fault


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_fault_applies_to_its_operations_for_its_count() -> None:
    plan = FaultPlan()
    plan.arm(*parse_fault({"http_status": 503, "operations": ["DTEUpload"], "count": 2}))
    assert plan.take("getSeed") is None
    assert plan.take("DTEUpload").http_status == 503  # type: ignore[union-attr]
    assert plan.take("DTEUpload") is not None
    assert plan.take("DTEUpload") is None


def test_token_expiries_are_counted_apart() -> None:
    plan = FaultPlan()
    plan.expire_tokens(1)
    assert plan.take_token_expiry() and not plan.take_token_expiry()
    assert plan.take("getEstUp") is None


def test_an_outage_ends_by_itself_or_when_cleared() -> None:
    clock = Clock()
    plan = FaultPlan(clock)
    plan.start_outage(10)
    assert plan.in_outage() and plan.describe()["outage_remaining_seconds"] == 10
    clock.now = 10.5
    assert not plan.in_outage()
    plan.start_outage(10)
    plan.clear()
    assert not plan.in_outage()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"http_status": 200}, "http_status"),
        ({"latency_ms": -1}, "latency_ms"),
        ({"drop_response": "yes"}, "drop_response"),
        ({"drop_response": True, "timeout_ms": 5}, "exclude"),
        ({"operations": "DTEUpload"}, "operations"),
        ({"count": 0}, "count"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_faults_are_refused_naming_the_field(body: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        parse_fault(body)
