"""Faults the DIAN sandbox injects on demand: into the next calls, or into every call for a while.

The plan itself is `services.core.fault_injection`'s; here is what a POST /sandbox/faults body
may ask of DIAN's simulator. An outage window answers every operation with HTTP 503 until it
ends, as DIAN's front end does when the service is down (contingency tipo 4).
"""

from __future__ import annotations

from services.core.fault_injection import MAX_FAULT_MS, MAX_OUTAGE_SECONDS, Fault
from services.core.portal import flag_field, ranged_integer, refuse_unknown

_FIELDS = {
    "latency_ms",
    "http_status",
    "count",
    "drop_response",
    "timeout_ms",
    "operations",
    "outage_seconds",
}


def _milliseconds(body: dict[str, object], name: str) -> int:
    return ranged_integer(body, name, 0, MAX_FAULT_MS, 0)


def _operations(body: dict[str, object]) -> tuple[str, ...]:
    value = body.get("operations", [])
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.isidentifier() for item in value
    ):
        raise ValueError("operations: must be a list of operation names")
    return tuple(value)


def parse_outage(body: object) -> float | None:
    """The outage length a POST /sandbox/faults body asks for, or None when it asks for none."""
    if not isinstance(body, dict) or "outage_seconds" not in body:
        return None
    if set(body) != {"outage_seconds"}:
        raise ValueError("outage_seconds: cannot be combined with other fields")
    value = body["outage_seconds"]
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not 0 < value <= MAX_OUTAGE_SECONDS
    ):
        raise ValueError(f"outage_seconds: must be a number above 0 up to {MAX_OUTAGE_SECONDS}")
    return float(value)


def parse_fault(body: object) -> tuple[Fault, int]:
    """Read a POST /sandbox/faults body; raise ValueError naming the field at fault."""
    if not isinstance(body, dict):
        raise ValueError("body: must be a JSON object")
    refuse_unknown(body, _FIELDS)
    latency = _milliseconds(body, "latency_ms")
    timeout = _milliseconds(body, "timeout_ms")
    status = body.get("http_status")
    if status is not None and (
        not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599
    ):
        raise ValueError("http_status: must be an HTTP error status from 400 to 599")
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError("count: must be a positive integer")
    drop = flag_field(body, "drop_response", False)
    if drop and status is not None:
        raise ValueError("drop_response: cannot be combined with http_status")
    if timeout and (drop or status is not None):
        raise ValueError("timeout_ms: cannot be combined with http_status or drop_response")
    return Fault(latency, status, drop, timeout, _operations(body)), count
