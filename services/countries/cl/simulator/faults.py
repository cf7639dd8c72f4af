"""Faults the SII sandbox injects on command, to test a client's handling of a misbehaving SII.

- for the next `count` calls (optionally only of some `operations`): a delay (`latency_ms`),
  an HTTP error instead of an answer (`http_status`), processing then closing the connection
  unanswered (`drop_response`: the in-doubt case), or processing then holding the answer
  (`timeout_ms`: longer than the client waits);
- `expire_tokens: N`: the next N calls that present a token find it expired (and it stays so);
- `outage_seconds`: every call answers HTTP 503 for that long.
Operations are named getSeed, getToken, DTEUpload, getEstUp, getEstDte. The plan's common part
is `services.core.fault_injection`'s; token expiries are the SII's own.
"""

from __future__ import annotations

from services.core import fault_injection
from services.core.fault_injection import MAX_FAULT_MS, MAX_OUTAGE_SECONDS, Fault
from services.core.portal import flag_field, ranged_integer, refuse_unknown

OPERATIONS = ("getSeed", "getToken", "DTEUpload", "getEstUp", "getEstDte")
_FIELDS = {"latency_ms", "http_status", "drop_response", "timeout_ms", "operations", "count"}


def parse_fault(body: dict[str, object]) -> tuple[Fault, int]:
    """A call fault and how many calls it is for, from a POST /sandbox/faults body."""
    refuse_unknown(body, _FIELDS)
    status = body.get("http_status")
    if status is not None:
        status = ranged_integer(body, "http_status", 400, 599, 500)
    drop = flag_field(body, "drop_response", False)
    timeout = ranged_integer(body, "timeout_ms", 0, MAX_FAULT_MS, 0)
    if sum((status is not None, drop, timeout > 0)) > 1:
        raise ValueError("http_status, drop_response and timeout_ms exclude each other")
    operations = body.get("operations", [])
    if not isinstance(operations, list) or any(op not in OPERATIONS for op in operations):
        raise ValueError(f"operations: must be a list of {', '.join(OPERATIONS)}")
    fault = Fault(
        ranged_integer(body, "latency_ms", 0, MAX_FAULT_MS, 0),
        status,
        drop,
        timeout,
        tuple(operations),
    )
    return fault, ranged_integer(body, "count", 1, 1_000_000, 1)


class FaultPlan(fault_injection.FaultPlan):
    """The faults armed now, token expiries included; used from the event loop only."""

    def clear(self) -> None:
        """Inject nothing more, expire no more tokens, and end any outage."""
        super().clear()
        self._expiries = 0

    def expire_tokens(self, count: int) -> None:
        """Make the next `count` calls presenting a token find it expired."""
        self._expiries = count

    def start_outage(self, seconds: float) -> None:
        """Answer every call with HTTP 503 for `seconds` from now."""
        if not 0 < seconds <= MAX_OUTAGE_SECONDS:
            raise ValueError(f"outage_seconds: must be above 0 and at most {MAX_OUTAGE_SECONDS}")
        super().start_outage(seconds)

    def take_token_expiry(self) -> bool:
        """Whether the token of the call now starting must be found expired."""
        if self._expiries <= 0:
            return False
        self._expiries -= 1
        return True

    def describe(self) -> dict[str, object]:
        """The plan in force, as the sandbox shows it."""
        # The union keeps the left's order: the counts first, then the fault and any outage.
        return {"remaining": 0, "expire_tokens": self._expiries} | super().describe()
