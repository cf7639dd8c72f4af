"""The sandbox's test controls: faults on command, tokens expired on command, and settings
(how fast envelope states advance, how long seeds and tokens live)."""

from __future__ import annotations

import time

from aiohttp import web

from services.countries.cl.simulator.endpoints import FAULTS_KEY, SERVICE_KEY
from services.countries.cl.simulator.faults import parse_fault
from services.countries.cl.simulator.sandbox import BadRequest, body_of, error, integer

_SETTINGS = {"step_delay_ms", "seed_lifetime_s", "token_lifetime_s"}


async def arm_faults(request: web.Request) -> web.Response:
    """POST /sandbox/faults: a call fault, `expire_tokens`, or `outage_seconds`."""
    plan = request.app[FAULTS_KEY]
    try:
        body = await body_of(request)
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
    except ValueError as problem:  # BadRequest included
        return error(400, str(problem))
    return web.json_response(plan.describe(), status=201)


async def show_faults(request: web.Request) -> web.Response:
    """GET /sandbox/faults: the faults in force."""
    return web.json_response(request.app[FAULTS_KEY].describe())


async def clear_faults(request: web.Request) -> web.Response:
    """DELETE /sandbox/faults: inject nothing more and end any outage."""
    request.app[FAULTS_KEY].clear()
    return web.json_response(request.app[FAULTS_KEY].describe())


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
        unknown = set(body) - _SETTINGS
        if unknown:
            raise BadRequest(f"{sorted(unknown)[0]}: unknown setting")
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
    app.router.add_post("/sandbox/faults", arm_faults)
    app.router.add_get("/sandbox/faults", show_faults)
    app.router.add_delete("/sandbox/faults", clear_faults)
    app.router.add_get("/sandbox/tokens", show_tokens)
    app.router.add_post("/sandbox/tokens/expire", expire_tokens)
    app.router.add_get("/sandbox/settings", show_settings)
    app.router.add_put("/sandbox/settings", change_settings)
