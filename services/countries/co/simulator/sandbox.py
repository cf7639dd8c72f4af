"""The sandbox portal under /sandbox: JSON stand-ins for what DIAN's portal gives a business."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

from aiohttp import web

from services.countries.co.simulator.faults import FaultPlan, parse_fault
from services.countries.co.simulator.registry import RegistryConflict, UnknownIssuer
from services.countries.co.simulator.rules import BOGOTA
from services.countries.co.simulator.service import DianService

SERVICE_KEY: web.AppKey[DianService] = web.AppKey("dian_service", DianService)
FAULTS_KEY: web.AppKey[FaultPlan] = web.AppKey("dian_faults", FaultPlan)

_NIT = re.compile(r"[0-9]{1,15}")
_SOFTWARE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_PIN = re.compile(r"[A-Za-z0-9]{1,20}")
_PREFIX = re.compile(r"[A-Za-z0-9]{0,4}")
# DIAN's test ranges: SETP 990000000-995000000 (reference §7).
DEFAULT_PREFIX, DEFAULT_FROM, DEFAULT_TO = "SETP", 990_000_000, 995_000_000
DEFAULT_VALIDITY = timedelta(days=730)


class BadRequest(ValueError):
    """A portal request that names the field and the rule it breaks."""


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _body(request: web.Request) -> dict[str, object]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("body: must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("body: must be a JSON object")
    return body


def _string(body: dict[str, object], name: str, pattern: re.Pattern[str] | None) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        raise BadRequest(f"{name}: invalid value {value!r}")
    return value


def _integer(body: dict[str, object], name: str, default: int) -> int:
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadRequest(f"{name}: must be a non-negative integer")
    return value


def _date(body: dict[str, object], name: str, default: date) -> date:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadRequest(f"{name}: must be a date YYYY-MM-DD")


def _today() -> date:
    return datetime.now(BOGOTA).date()


async def register_issuer(request: web.Request) -> web.Response:
    """POST /sandbox/issuers: register an issuer's software (SoftwareID and PIN)."""
    try:
        body = await _body(request)
        nit = _string(body, "nit", _NIT)
        name = _string(body, "name", None)
        if nit is None:
            raise BadRequest("nit: is required (digits, without check digit)")
        if not name or not name.strip():
            raise BadRequest("name: is required")
        software_id = _string(body, "software_id", _SOFTWARE_ID)
        pin = _string(body, "software_pin", _PIN)
    except BadRequest as problem:
        return _error(400, str(problem))
    service = request.app[SERVICE_KEY]
    try:
        software = await service.in_database(
            service.registry.register_issuer, nit, name.strip(), software_id, pin, _today()
        )
    except RegistryConflict as conflict:
        return _error(409, f"software_id: {conflict}")
    return web.json_response(
        {
            "nit": nit,
            "name": name.strip(),
            "software_id": software.software_id,
            "software_pin": software.pin,
        },
        status=201,
    )


async def issue_resolution(request: web.Request) -> web.Response:
    """POST /sandbox/resolutions: authorise a numbering range and give its technical key."""
    try:
        body = await _body(request)
        nit = _string(body, "nit", _NIT)
        if nit is None:
            raise BadRequest("nit: is required")
        prefix = _string(body, "prefix", _PREFIX)
        low = _integer(body, "from", DEFAULT_FROM)
        high = _integer(body, "to", DEFAULT_TO)
        if low > high:
            raise BadRequest("to: must not be below from")
        today = _today()
        valid_from = _date(body, "valid_from", today)
        # By default a resolution is in force now, whatever start date was asked for.
        valid_to = _date(body, "valid_to", max(valid_from, today) + DEFAULT_VALIDITY)
        if valid_to < valid_from:
            raise BadRequest("valid_to: must not be before valid_from")
    except BadRequest as problem:
        return _error(400, str(problem))
    service = request.app[SERVICE_KEY]
    try:
        resolution = await service.in_database(
            service.registry.issue_resolution,
            nit,
            DEFAULT_PREFIX if prefix is None else prefix,
            low,
            high,
            valid_from,
            valid_to,
            today,
        )
    except UnknownIssuer:
        return _error(404, f"nit: issuer {nit} is not registered (POST /sandbox/issuers first)")
    return web.json_response(resolution.as_json(), status=201)


async def list_resolutions(request: web.Request) -> web.Response:
    """GET /sandbox/resolutions?nit=: the resolutions issued to a NIT."""
    nit = request.query.get("nit", "")
    if not _NIT.fullmatch(nit):
        return _error(400, "nit: query parameter is required (digits)")
    service = request.app[SERVICE_KEY]
    found = await service.in_database(service.registry.resolutions_of, nit)
    return web.json_response({"resolutions": [resolution.as_json() for resolution in found]})


async def arm_faults(request: web.Request) -> web.Response:
    """POST /sandbox/faults: inject a fault into the next `count` SendBillSync calls."""
    try:
        fault, count = parse_fault(await _body(request))
    except (BadRequest, ValueError) as problem:
        return _error(400, str(problem))
    plan = request.app[FAULTS_KEY]
    plan.arm(fault, count)
    return web.json_response(plan.describe(), status=201)


async def show_faults(request: web.Request) -> web.Response:
    """GET /sandbox/faults: the fault plan in force."""
    return web.json_response(request.app[FAULTS_KEY].describe())


async def clear_faults(request: web.Request) -> web.Response:
    """DELETE /sandbox/faults: stop injecting faults."""
    request.app[FAULTS_KEY].clear()
    return web.json_response(request.app[FAULTS_KEY].describe())


def add_routes(app: web.Application) -> None:
    """Mount the portal's endpoints on `app`."""
    app.router.add_post("/sandbox/issuers", register_issuer)
    app.router.add_post("/sandbox/resolutions", issue_resolution)
    app.router.add_get("/sandbox/resolutions", list_resolutions)
    app.router.add_post("/sandbox/faults", arm_faults)
    app.router.add_get("/sandbox/faults", show_faults)
    app.router.add_delete("/sandbox/faults", clear_faults)
