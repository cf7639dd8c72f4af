"""The sandbox's test controls: faults on command, tokens expired on command, and settings
(how fast envelope states advance, how long seeds and tokens live)."""

from __future__ import annotations

import time

from aiohttp import web

from services.core.fault_injection import add_fault_routes
from services.core.portal import BadRequest, body_of, error, refuse_unknown
from services.countries.cl.simulator.endpoints import FAULTS_KEY, SERVICE_KEY
from services.countries.cl.simulator.faults import FaultPlan, parse_fault
from services.countries.cl.simulator.sandbox import integer

_SETTINGS = {"step_delay_ms", "seed_lifetime_s", "token_lifetime_s"}


def _arm_faults(plan: FaultPlan, body: dict[str, object]) -> None:
    """What POST /sandbox/faults asks for: a call fault, `expire_tokens`, `outage_seconds`."""
    if "outage_seconds" in body:
        seconds = body.pop("outage_seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            raise BadRequest("outage_seconds: must be a number")
        plan.start_outage(float(seconds))
    if "expire_tokens" in body:
        plan.expire_tokens(integer(body, "expire_tokens"))
        body.pop("expire_tokens")
    if body:
        plan.arm(*parse_fault(body))


async def show_tokens(request: web.Request) -> web.Response:
    """GET /sandbox/tokens: how many tokens were issued and how many are live (never the
    tokens themselves)."""
    service = request.app[SERVICE_KEY]
    return web.json_response(await service.in_database(service.authentication.counts, time.time()))


async def expire_tokens(request: web.Request) -> web.Response:
    """POST /sandbox/tokens/expire: end every live token now."""
    service = request.app[SERVICE_KEY]
    count = await service.in_database(service.authentication.expire_all, time.time())
    return web.json_response({"expired": count})


def _settings(request: web.Request) -> dict[str, object]:
    service = request.app[SERVICE_KEY]
    return {
        "step_delay_ms": round(service.step_delay * 1000),
        "seed_lifetime_s": service.authentication.seed_lifetime,
        "token_lifetime_s": service.authentication.token_lifetime,
    }


async def show_settings(request: web.Request) -> web.Response:
    """GET /sandbox/settings: status step delay, seed and token lifetimes."""
    return web.json_response(_settings(request))


async def change_settings(request: web.Request) -> web.Response:
    """PUT /sandbox/settings: change any of the settings GET shows."""
    service = request.app[SERVICE_KEY]
    try:
        body = await body_of(request)
        refuse_unknown(body, _SETTINGS, "setting")
        values = {name: integer(body, name) for name in body}
    except BadRequest as problem:
        return error(400, str(problem))
    if "step_delay_ms" in values:
        service.step_delay = values["step_delay_ms"] / 1000
    if "seed_lifetime_s" in values:
        service.authentication.seed_lifetime = float(values["seed_lifetime_s"])
    if "token_lifetime_s" in values:
        service.authentication.token_lifetime = float(values["token_lifetime_s"])
    return web.json_response(_settings(request))


def add_routes(app: web.Application) -> None:
    """Mount the controls on `app`."""
    add_fault_routes(app, FAULTS_KEY, _arm_faults)
    app.router.add_get("/sandbox/tokens", show_tokens)
    app.router.add_post("/sandbox/tokens/expire", expire_tokens)
    app.router.add_get("/sandbox/settings", show_settings)
    app.router.add_put("/sandbox/settings", change_settings)
