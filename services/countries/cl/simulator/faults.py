"""Faults the sandbox injects on command, to test a client's handling of a misbehaving SII.

- for the next `count` calls (optionally only of some `operations`): a delay (`latency_ms`),
  an HTTP error instead of an answer (`http_status`), processing then closing the connection
  unanswered (`drop_response`: the in-doubt case), or processing then holding the answer
  (`timeout_ms`: longer than the client waits);
- `expire_tokens: N`: the next N calls that present a token find it expired (and it stays so);
- `outage_seconds`: every call answers HTTP 503 for that long.
Operations are named getSeed, getToken, DTEUpload, getEstUp, getEstDte.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

OPERATIONS = ("getSeed", "getToken", "DTEUpload", "getEstUp", "getEstDte")
_MAX_MS = 600_000
_MAX_OUTAGE = 7 * 24 * 3600.0
_FIELDS = {"latency_ms", "http_status", "drop_response", "timeout_ms", "operations", "count"}


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one call."""

    latency_ms: int = 0
    http_status: int | None = None
    drop_response: bool = False
    timeout_ms: int = 0
    operations: tuple[str, ...] = ()

    def applies_to(self, operation: str) -> bool:
        """Whether this fault is for a call of `operation`."""
        return not self.operations or operation in self.operations


def _integer(body: dict[str, object], name: str, low: int, high: int, default: int) -> int:
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}: must be an integer from {low} to {high}")
    return value


def parse_fault(body: dict[str, object]) -> tuple[Fault, int]:
    """A call fault and how many calls it is for, from a POST /sandbox/faults body."""
    unknown = set(body) - _FIELDS
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]}: unknown field")
    status = body.get("http_status")
    if status is not None:
        status = _integer(body, "http_status", 400, 599, 500)
    drop = body.get("drop_response", False)
    if not isinstance(drop, bool):
        raise ValueError("drop_response: must be true or false")
    timeout = _integer(body, "timeout_ms", 0, _MAX_MS, 0)
    if sum((status is not None, drop, timeout > 0)) > 1:
        raise ValueError("http_status, drop_response and timeout_ms exclude each other")
    operations = body.get("operations", [])
    if not isinstance(operations, list) or any(op not in OPERATIONS for op in operations):
        raise ValueError(f"operations: must be a list of {', '.join(OPERATIONS)}")
    fault = Fault(
        _integer(body, "latency_ms", 0, _MAX_MS, 0), status, drop, timeout, tuple(operations)
    )
    return fault, _integer(body, "count", 1, 1_000_000, 1)


class FaultPlan:
    """The faults armed now; used from the event loop only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.clear()

    def clear(self) -> None:
        """Inject nothing more, and end any outage."""
        self._fault: Fault | None = None
        self._remaining = 0
        self._expiries = 0
        self._outage_until = 0.0

    def arm(self, fault: Fault, count: int) -> None:
        """Apply `fault` to the next `count` calls it applies to (replacing the previous one)."""
        self._fault, self._remaining = fault, count

    def expire_tokens(self, count: int) -> None:
        """Make the next `count` calls presenting a token find it expired."""
        self._expiries = count

    def start_outage(self, seconds: float) -> None:
        """Answer every call with HTTP 503 for `seconds` from now."""
        if not 0 < seconds <= _MAX_OUTAGE:
            raise ValueError(f"outage_seconds: must be above 0 and at most {_MAX_OUTAGE:.0f}")
        self._outage_until = self._clock() + seconds

    def in_outage(self) -> bool:
        """Whether an outage is on now."""
        return self._clock() < self._outage_until

    def take(self, operation: str) -> Fault | None:
        """The fault for a call of `operation` now starting, if one is left for it."""
        fault = self._fault
        if fault is None or not fault.applies_to(operation):
            return None
        self._remaining -= 1
        if self._remaining <= 0:
            self._fault = None
        return fault

    def take_token_expiry(self) -> bool:
        """Whether the token of the call now starting must be found expired."""
        if self._expiries <= 0:
            return False
        self._expiries -= 1
        return True

    def describe(self) -> dict[str, object]:
        """The plan in force, as the sandbox shows it."""
        shown: dict[str, object] = {"remaining": self._remaining, "expire_tokens": self._expiries}
        if self._fault is not None:
            shown.update(asdict(self._fault), operations=list(self._fault.operations))
        outage = self._outage_until - self._clock()
        if outage > 0:
            shown["outage_remaining_seconds"] = round(outage, 3)
        return shown
