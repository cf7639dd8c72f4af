"""Faults a simulator injects on command, to test how a client copes with a misbehaving
authority, and the sandbox endpoints that arm, show and clear them.

A fault for the next calls delays them, answers an HTTP error instead of processing, processes
and then drops the connection (the in-doubt case), or processes and holds the answer past the
client's patience (a timeout). An outage window answers every call with HTTP 503 until it ends.
What a request may ask for (which fields, which operations) is each simulator's own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TypeVar

from aiohttp import web

from services.core.portal import PORTAL_PATH, body_of, error

# The longest delay or held answer a fault may ask for, in milliseconds.
MAX_FAULT_MS = 600_000
# The longest outage window: a week.
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


class FaultPlan:
    """The fault armed for the next calls and any outage window; used from the event loop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.clear()

    def clear(self) -> None:
        """Stop injecting faults and end any outage."""
        self._fault: Fault | None = None
        self._remaining = 0
        self._outage_until = 0.0

    def arm(self, fault: Fault, count: int) -> None:
        """Apply `fault` to the next `count` matching calls (replacing any plan in force)."""
        self._fault, self._remaining = fault, count

    def start_outage(self, seconds: float) -> None:
        """Answer every call with HTTP 503 for `seconds` from now."""
        self._outage_until = self._clock() + seconds

    def in_outage(self) -> bool:
        """Whether an outage window is open now."""
        return self._clock() < self._outage_until

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
        shown: dict[str, object] = {}
        if self._fault is not None:
            shown.update(asdict(self._fault), operations=list(self._fault.operations))
        shown["remaining"] = self._remaining
        outage = self._outage_until - self._clock()
        if outage > 0:
            shown["outage_remaining_seconds"] = round(outage, 3)
        return shown


Plan = TypeVar("Plan", bound=FaultPlan)


def add_fault_routes(
    app: web.Application,
    key: web.AppKey[Plan],
    arm: Callable[[Plan, dict[str, object]], None],
) -> None:
    """Mount /sandbox/faults on `app` for the plan at `app[key]`.

    POST reads its body with `arm` (which arms the plan, or raises ValueError naming the field
    and the rule), GET shows the plan in force, DELETE clears it.
    """

    async def arm_faults(request: web.Request) -> web.Response:
        """POST /sandbox/faults: arm what the body asks for; 400 naming the field otherwise."""
        plan = request.app[key]
        try:
            arm(plan, await body_of(request))
        except ValueError as problem:  # BadRequest included
            return error(400, str(problem))
        return web.json_response(plan.describe(), status=201)

    async def show_faults(request: web.Request) -> web.Response:
        """GET /sandbox/faults: the faults in force."""
        return web.json_response(request.app[key].describe())

    async def clear_faults(request: web.Request) -> web.Response:
        """DELETE /sandbox/faults: inject nothing more and end any outage."""
        request.app[key].clear()
        return web.json_response(request.app[key].describe())

    path = f"{PORTAL_PATH}/faults"
    app.router.add_post(path, arm_faults)
    app.router.add_get(path, show_faults)
    app.router.add_delete(path, clear_faults)
