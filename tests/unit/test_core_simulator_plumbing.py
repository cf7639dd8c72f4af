"""The simulators' shared sandbox plumbing: reading portal fields, and the common fault plan."""

from __future__ import annotations

import re
from datetime import date

import pytest

from services.core.fault_injection import Fault, FaultPlan
from services.core.portal import (
    BadRequest,
    date_field,
    flag_field,
    integer_field,
    ranged_integer,
    refuse_unknown,
    string_field,
)
from services.core.simulator_process import simulator_arguments
from services.countries.cl.simulator import faults as sii_faults

TODAY = date(2026, 1, 2)


def test_fields_are_read_with_their_defaults() -> None:
    body: dict[str, object] = {"n": 7, "s": "ab", "d": "2025-12-31", "f": False}
    assert integer_field(body, "n") == 7 and integer_field(body, "m", 3) == 3
    assert string_field(body, "s", re.compile("[a-z]+")) == "ab"
    assert string_field(body, "t") is None
    assert date_field(body, "d", TODAY) == date(2025, 12, 31)
    assert date_field(body, "e", TODAY) == TODAY
    assert flag_field(body, "f", True) is False and flag_field(body, "g", True) is True
    assert ranged_integer(body, "n", 1, 9, 5) == 7 and ranged_integer(body, "m", 1, 9, 5) == 5


@pytest.mark.parametrize(
    ("read", "message"),
    [
        (lambda b: integer_field(b, "n"), "n: must be a non-negative integer"),
        (
            lambda b: integer_field(b, "big", digits=3),
            "big: must be a non-negative integer below 10^3",
        ),
        (lambda b: integer_field(b, "absent"), "absent: must be a non-negative integer"),
        (lambda b: integer_field(b, "yes"), "yes: must be a non-negative integer"),
        (lambda b: ranged_integer(b, "big", 0, 10, 0), "big: must be an integer from 0 to 10"),
        (lambda b: string_field(b, "n"), "n: invalid value -1"),
        (lambda b: date_field(b, "d", TODAY), "d: must be a date YYYY-MM-DD"),
        (lambda b: date_field(b, "big", TODAY), "big: must be a date YYYY-MM-DD"),
        (lambda b: flag_field(b, "n", False), "n: must be true or false"),
        (lambda b: refuse_unknown(b, {"n"}, "setting"), "big: unknown setting"),
    ],
)
def test_bad_fields_are_refused_naming_the_field_and_the_rule(read, message: str) -> None:
    body: dict[str, object] = {"n": -1, "big": 1000, "yes": True, "d": "2025-13-01"}
    with pytest.raises(BadRequest) as refused:
        read(body)
    assert str(refused.value) == message


def test_a_plan_shows_the_fault_then_the_calls_it_has_left() -> None:
    plan = FaultPlan(clock=lambda: 5.0)
    plan.arm(Fault(http_status=503), 1)
    plan.start_outage(2)
    assert list(plan.describe()) == [
        "latency_ms",
        "http_status",
        "drop_response",
        "timeout_ms",
        "operations",
        "remaining",
        "outage_remaining_seconds",
    ]
    assert plan.take("any") == Fault(http_status=503) and plan.take("any") is None


def test_the_sii_plan_adds_token_expiries_to_the_common_one() -> None:
    plan = sii_faults.FaultPlan()
    plan.expire_tokens(2)
    plan.arm(Fault(latency_ms=1), 3)
    shown = plan.describe()
    assert list(shown)[:3] == ["remaining", "expire_tokens", "latency_ms"]
    assert shown["remaining"] == 3 and shown["expire_tokens"] == 2
    plan.clear()
    assert plan.describe() == {"remaining": 0, "expire_tokens": 0}
    with pytest.raises(ValueError, match="outage_seconds"):
        plan.start_outage(0)


def test_every_simulator_takes_the_common_options(tmp_path) -> None:
    parser = simulator_arguments("sim", workers_help="workers")
    arguments = parser.parse_args(["--data-dir", str(tmp_path), "--access-log"])
    assert (arguments.host, arguments.port, arguments.workers) == ("127.0.0.1", 0, None)
    assert arguments.data_dir == tmp_path and arguments.access_log
