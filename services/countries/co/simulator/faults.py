"""Faults the sandbox injects on demand into the next SendBillSync calls."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one call: a delay, then maybe an HTTP error or a dropped answer."""

    latency_ms: int = 0
    http_status: int | None = None  # answer this status without processing the document
    drop_response: bool = False  # process and store the document, then close without answering


def parse_fault(body: object) -> tuple[Fault, int]:
    """Read a POST /sandbox/faults body; raise ValueError naming the field at fault."""
    if not isinstance(body, dict):
        raise ValueError("body: must be a JSON object")
    unknown = set(body) - {"latency_ms", "http_status", "count", "drop_response"}
    if unknown:
        raise ValueError(f"{sorted(unknown)[0]}: unknown field")
    latency = body.get("latency_ms", 0)
    if not isinstance(latency, int) or isinstance(latency, bool) or not 0 <= latency <= 600_000:
        raise ValueError("latency_ms: must be an integer from 0 to 600000")
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
    return Fault(latency, status, drop), count


class FaultPlan:
    """The faults armed for the next calls; used from the event loop only."""

    def __init__(self) -> None:
        self._fault: Fault | None = None
        self._remaining = 0

    def arm(self, fault: Fault, count: int) -> None:
        """Apply `fault` to the next `count` calls (replacing any plan in force)."""
        self._fault, self._remaining = fault, count

    def clear(self) -> None:
        """Stop injecting faults."""
        self._fault, self._remaining = None, 0

    def take(self) -> Fault | None:
        """The fault for the call now starting, if any is left."""
        if self._fault is None or self._remaining <= 0:
            return None
        self._remaining -= 1
        fault = self._fault
        if self._remaining == 0:
            self._fault = None
        return fault

    def describe(self) -> dict[str, object]:
        """The plan in force, as the sandbox portal shows it."""
        if self._fault is None:
            return {"remaining": 0}
        return asdict(self._fault) | {"remaining": self._remaining}
