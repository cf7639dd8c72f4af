"""Faults the sandbox injects on demand: into the next calls, or into every call for a while.

A fault for the next calls delays them, answers an HTTP error instead of processing, processes
and then drops the connection (the in-doubt case), or processes and holds the answer past the
client's patience (a timeout). An outage window answers every operation with HTTP 503 until it
ends, as DIAN's front end does when the service is down (contingency tipo 4).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

_FIELDS = {
    "latency_ms",
    "http_status",
    "count",
    "drop_response",
    "timeout_ms",
    "operations",
    "outage_seconds",
}
_MAX_MS = 600_000
MAX_OUTAGE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one call: a delay, then an HTTP error, a drop or a late answer."""

    latency_ms: int = 0
    http_status: int | None = None  # answer this status without processing the request
    drop_response: bool = False  # process the request, then close without answering
    timeout_ms: int = 0  # process the request, then hold the answer this long
    operations: tuple[str, ...] = ()  # the operations it applies to; empty: every one

    def applies_to(self, operation: str) -> bool:
        """Whether this fault is for a call of `operation`."""
        return not self.operations or operation in self.operations


def _milliseconds(body: dict[str, object], name: str) -> int:
    value = body.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_MS:
        raise ValueError(f"{name}: must be an integer from 0 to {_MAX_MS}")
    return value


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
    unknown = set(body) - _FIELDS
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]}: unknown field")
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
    drop = body.get("drop_response", False)
    if not isinstance(drop, bool):
        raise ValueError("drop_response: must be true or false")
    if drop and status is not None:
        raise ValueError("drop_response: cannot be combined with http_status")
    if timeout and (drop or status is not None):
        raise ValueError("timeout_ms: cannot be combined with http_status or drop_response")
    return Fault(latency, status, drop, timeout, _operations(body)), count


class FaultPlan:
    """The faults armed for the next calls and any outage window; used from the event loop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._fault: Fault | None = None
        self._remaining = 0
        self._outage_until = 0.0
        self._clock = clock

    def arm(self, fault: Fault, count: int) -> None:
        """Apply `fault` to the next `count` matching calls (replacing any plan in force)."""
        self._fault, self._remaining = fault, count

    def start_outage(self, seconds: float) -> None:
        """Answer every call with HTTP 503 for `seconds` from now."""
        self._outage_until = self._clock() + seconds

    def in_outage(self) -> bool:
        """Whether an outage window is open now."""
        return self._clock() < self._outage_until

    def clear(self) -> None:
        """Stop injecting faults and end any outage."""
        self._fault, self._remaining, self._outage_until = None, 0, 0.0

    def take(self, operation: str = "") -> Fault | None:
        """The fault for a call of `operation` now starting, if one is left for it."""
        fault = self._fault
        if fault is None or self._remaining <= 0 or not fault.applies_to(operation):
            return None
        self._remaining -= 1
        if self._remaining == 0:
            self._fault = None
        return fault

    def describe(self) -> dict[str, object]:
        """The plan in force, as the sandbox portal shows it."""
        outage = max(0.0, self._outage_until - self._clock())
        shown: dict[str, object] = {"remaining": 0}
        if self._fault is not None:
            shown = asdict(self._fault) | {
                "operations": list(self._fault.operations),
                "remaining": self._remaining,
            }
        if outage:
            shown["outage_remaining_seconds"] = round(outage, 3)
        return shown
