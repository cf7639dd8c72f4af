"""The sandbox portal under /sandbox: JSON stand-ins for what DIAN's portal gives a business."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from aiohttp import web

from services.core.fault_injection import FaultPlan, add_fault_routes
from services.core.portal import (
    BadRequest,
    body_of,
    date_field,
    error,
    integer_field,
    refuse_unknown,
    string_field,
)
from services.countries.co.simulator.dian_identity import DianIdentity
from services.countries.co.simulator.faults import parse_fault, parse_outage
from services.countries.co.simulator.registry import RegistryConflict, UnknownIssuer
from services.countries.co.simulator.rules import BOGOTA
from services.countries.co.simulator.service import DianService
from services.countries.co.simulator.trust import read_pem
from services.countries.co.simulator.wss import SecurityCheck

SERVICE_KEY: web.AppKey[DianService] = web.AppKey("dian_service", DianService)
FAULTS_KEY: web.AppKey[FaultPlan] = web.AppKey("dian_faults", FaultPlan)
SECURITY_KEY: web.AppKey[SecurityCheck] = web.AppKey("dian_security", SecurityCheck)
IDENTITY_KEY: web.AppKey[DianIdentity] = web.AppKey("dian_identity", DianIdentity)

_NIT = re.compile(r"[0-9]{1,15}")
_SOFTWARE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_PIN = re.compile(r"[A-Za-z0-9]{1,20}")
_PREFIX = re.compile(r"[A-Za-z0-9]{0,4}")
# What a range numbers: invoices (01, 02, 04; with a technical key), documento soporte (05) or
# the paper invoices of an issuer-side contingency (03); the last two are keyed with the PIN.
_KINDS = ("invoice", "support", "paper")
MAX_PROCESSING_DELAY_MS = 600_000
# DIAN's test ranges: SETP 990000000-995000000 (reference §7).
DEFAULT_PREFIX, DEFAULT_FROM, DEFAULT_TO = "SETP", 990_000_000, 995_000_000
DEFAULT_VALIDITY = timedelta(days=730)


def today_in_colombia() -> date:
    """Today in Colombia."""
    return datetime.now(BOGOTA).date()


async def register_issuer(request: web.Request) -> web.Response:
    """POST /sandbox/issuers: register an issuer's software (SoftwareID and PIN)."""
    try:
        body = await body_of(request)
        nit = string_field(body, "nit", _NIT)
        name = string_field(body, "name", None)
        if nit is None:
            raise BadRequest("nit: is required (digits, without check digit)")
        if not name or not name.strip():
            raise BadRequest("name: is required")
        software_id = string_field(body, "software_id", _SOFTWARE_ID)
        pin = string_field(body, "software_pin", _PIN)
        pem = string_field(body, "certificate_pem", None)
        certificate = read_pem(pem) if pem is not None else None
    except ValueError as problem:  # BadRequest, or a certificate that does not parse
        field = "" if isinstance(problem, BadRequest) else "certificate_pem: "
        return error(400, f"{field}{problem}")
    service = request.app[SERVICE_KEY]
    try:
        software = await service.in_database(
            service.registry.register_issuer,
            nit,
            name.strip(),
            software_id,
            pin,
            today_in_colombia(),
        )
    except RegistryConflict as conflict:
        return error(409, f"software_id: {conflict}")
    shown: dict[str, object] = {
        "nit": nit,
        "name": name.strip(),
        "software_id": software.software_id,
        "software_pin": software.pin,
    }
    if certificate is not None:
        # The certificate the issuer will sign its requests with: trusted from now on.
        trust = request.app[SECURITY_KEY].trust
        shown["certificate_fingerprint"] = await service.in_database(
            service.trust.add, certificate, False, datetime.now(BOGOTA)
        )
        trust.certificates[str(shown["certificate_fingerprint"])] = certificate
    return web.json_response(shown, status=201)


async def issue_resolution(request: web.Request) -> web.Response:
    """POST /sandbox/resolutions: authorise a numbering range and give its technical key."""
    try:
        body = await body_of(request)
        nit = string_field(body, "nit", _NIT)
        if nit is None:
            raise BadRequest("nit: is required")
        prefix = string_field(body, "prefix", _PREFIX)
        kind = string_field(body, "kind", None) or "invoice"
        if kind not in _KINDS:
            raise BadRequest(f"kind: must be one of {', '.join(_KINDS)}")
        software_id = string_field(body, "software_id", _SOFTWARE_ID)
        low = integer_field(body, "from", DEFAULT_FROM)
        high = integer_field(body, "to", DEFAULT_TO)
        if low > high:
            raise BadRequest("to: must not be below from")
        today = today_in_colombia()
        valid_from = date_field(body, "valid_from", today)
        # By default a resolution is in force now, whatever start date was asked for.
        valid_to = date_field(body, "valid_to", max(valid_from, today) + DEFAULT_VALIDITY)
        if valid_to < valid_from:
            raise BadRequest("valid_to: must not be before valid_from")
    except BadRequest as problem:
        return error(400, str(problem))
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
            kind,
            software_id,
        )
    except UnknownIssuer:
        return error(404, f"nit: issuer {nit} is not registered (POST /sandbox/issuers first)")
    except RegistryConflict as conflict:
        return error(404, f"software_id: {conflict}")
    return web.json_response(resolution.as_json(), status=201)


async def list_resolutions(request: web.Request) -> web.Response:
    """GET /sandbox/resolutions?nit=: the resolutions issued to a NIT."""
    nit = request.query.get("nit", "")
    if not _NIT.fullmatch(nit):
        return error(400, "nit: query parameter is required (digits)")
    service = request.app[SERVICE_KEY]
    found = await service.in_database(service.registry.resolutions_of, nit)
    return web.json_response({"resolutions": [resolution.as_json() for resolution in found]})


def _arm_faults(plan: FaultPlan, body: dict[str, object]) -> None:
    """What POST /sandbox/faults asks for: an outage window, or a fault for the next calls."""
    outage = parse_outage(body)
    if outage is not None:
        plan.start_outage(outage)
    else:
        plan.arm(*parse_fault(body))


async def show_settings(request: web.Request) -> web.Response:
    """GET /sandbox/settings: how the simulator behaves now."""
    service = request.app[SERVICE_KEY]
    return web.json_response({"processing_delay_ms": round(service.processing_delay * 1000)})


async def change_settings(request: web.Request) -> web.Response:
    """PUT /sandbox/settings: change how long asynchronous uploads wait to be validated."""
    try:
        body = await body_of(request)
        refuse_unknown(body, {"processing_delay_ms"})
        delay = integer_field(body, "processing_delay_ms", -1)
        if not 0 <= delay <= MAX_PROCESSING_DELAY_MS:
            raise BadRequest(f"processing_delay_ms: must be from 0 to {MAX_PROCESSING_DELAY_MS}")
    except BadRequest as problem:
        return error(400, str(problem))
    request.app[SERVICE_KEY].processing_delay = delay / 1000
    return await show_settings(request)


def add_routes(app: web.Application) -> None:
    """Mount the portal's endpoints on `app`."""
    app.router.add_post("/sandbox/issuers", register_issuer)
    app.router.add_post("/sandbox/resolutions", issue_resolution)
    app.router.add_get("/sandbox/resolutions", list_resolutions)
    add_fault_routes(app, FAULTS_KEY, _arm_faults)
    app.router.add_get("/sandbox/settings", show_settings)
    app.router.add_put("/sandbox/settings", change_settings)
