"""The sandbox portal under /sandbox (JSON): what the SII's web portal gives a company, and the
controls a test needs (faults, settings, the result reports the SII would e-mail)."""

from __future__ import annotations

import json
import time
from datetime import date

from aiohttp import web

from services.countries.cl.simulator import identities
from services.countries.cl.simulator.caf_issuer import issue_caf
from services.countries.cl.simulator.endpoints import FAULTS_KEY, SERVICE_KEY
from services.countries.cl.simulator.faults import parse_fault
from services.countries.cl.simulator.registry import CafRecord, RangeTaken
from services.countries.cl.simulator.service import chile_now

DTE_TYPES = frozenset({33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112})
MAX_FOLIOS = 1_000_000
_SETTINGS = {"step_delay_ms", "seed_lifetime_s", "token_lifetime_s"}


class BadRequest(ValueError):
    """A portal request naming the field and the rule it breaks."""


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


def _rut(body: dict[str, object], name: str = "rut") -> str:
    value = body.get(name)
    checked = identities.rut(value) if isinstance(value, str) else None
    if checked is None:
        raise BadRequest(f"{name}: must be a RUT with its check digit, e.g. 76192083-9")
    return checked


def _integer(body: dict[str, object], name: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadRequest(f"{name}: must be a non-negative integer")
    return value


def _date(body: dict[str, object], name: str) -> date:
    value = body.get(name)
    if value is None:
        return chile_now().date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadRequest(f"{name}: must be a date YYYY-MM-DD") from None


async def register_company(request: web.Request) -> web.Response:
    """POST /sandbox/companies: register a company as an electronic issuer, with its senders."""
    try:
        body = await _body(request)
        rut, name = _rut(body), body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BadRequest("name: is required")
        senders = body.get("senders", [])
        if not isinstance(senders, list):
            raise BadRequest("senders: must be a list of RUNs")
        runs = [identities.rut(s) if isinstance(s, str) else None for s in senders]
        if None in runs:
            raise BadRequest("senders: every sender must be a RUN with its check digit")
        authorised = body.get("authorised", True)
        if not isinstance(authorised, bool):
            raise BadRequest("authorised: must be true or false")
        resolution_date = _date(body, "resolution_date")
        number = _integer(body, "resolution_number", 0)
    except BadRequest as problem:
        return _error(400, str(problem))
    service = request.app[SERVICE_KEY]
    company = await service.in_database(
        service.registry.register, rut, name.strip(), resolution_date, number, runs, authorised
    )
    return web.json_response(company.as_json(), status=201)


async def show_company(request: web.Request) -> web.Response:
    """GET /sandbox/companies/{rut}: a registered company."""
    service = request.app[SERVICE_KEY]
    rut = identities.rut(request.match_info["rut"])
    company = await service.in_database(service.registry.company, rut) if rut else None
    if company is None:
        return _error(404, "rut: no such company")
    return web.json_response(company.as_json())


async def request_caf(request: web.Request) -> web.Response:
    """POST /sandbox/cafs: folios for a company, as the SII's CAF file (XML with RSASK)."""
    service = request.app[SERVICE_KEY]
    try:
        body = await _body(request)
        rut, kind = _rut(body), _integer(body, "dte_type")
        if kind not in DTE_TYPES:
            raise BadRequest(f"dte_type: must be one of {sorted(DTE_TYPES)}")
        company = await service.in_database(service.registry.company, rut)
        if company is None:
            raise BadRequest(f"rut: {rut} is not registered (POST /sandbox/companies first)")
        low = body.get("from")
        if low is None:
            low = await service.in_database(service.registry.next_folio, rut, kind)
        low = _integer({"from": low}, "from")
        high = _integer(body, "to", low + _integer(body, "count", 100) - 1)
        if not 1 <= low <= high or high - low >= MAX_FOLIOS:
            raise BadRequest(f"to: must be from `from` to `from` + {MAX_FOLIOS - 1}, from >= 1")
        authorized_on = _date(body, "authorized_on")
    except BadRequest as problem:
        return _error(400, str(problem))
    record = CafRecord(rut, kind, low, high, authorized_on, service.sii_key.idk)
    try:
        await service.in_database(service.registry.record_caf, record, time.time())
    except RangeTaken as taken:
        return _error(409, f"from: {taken}")
    content = await service.in_pool(
        issue_caf, service.sii_key, rut, company.name, kind, low, high, authorized_on
    )
    headers = {"Content-Disposition": f'attachment; filename="FoliosSII{rut}{kind}{low}.xml"'}
    return web.Response(
        body=content,
        content_type="application/xml",
        charset="ISO-8859-1",
        headers=headers,
        status=201,
    )


async def list_cafs(request: web.Request) -> web.Response:
    """GET /sandbox/cafs?rut=: the CAFs issued to a company."""
    rut = identities.rut(request.query.get("rut", ""))
    if rut is None:
        return _error(400, "rut: query parameter is required (with its check digit)")
    service = request.app[SERVICE_KEY]
    records = await service.in_database(service.registry.cafs_of, rut)
    return web.json_response({"cafs": [record.as_json() for record in records]})


async def annul_folios(request: web.Request) -> web.Response:
    """POST /sandbox/annulments: annul unused folios ({"rut","dte_type","from","to","reason"})."""
    try:
        body = await _body(request)
        rut, kind = _rut(body), _integer(body, "dte_type")
        low, high = _integer(body, "from"), _integer(body, "to")
        reason = body.get("reason", "")
        if low > high or not isinstance(reason, str):
            raise BadRequest("to: must not be below from; reason: must be text")
    except BadRequest as problem:
        return _error(400, str(problem))
    service = request.app[SERVICE_KEY]
    await service.in_database(service.registry.annul, rut, kind, low, high, reason, time.time())
    return web.json_response({"rut": rut, "dte_type": kind, "from": low, "to": high}, status=201)


async def sii_key(request: web.Request) -> web.Response:
    """GET /sandbox/sii-key: the public key that verifies FRMA, PEM."""
    key = request.app[SERVICE_KEY].sii_key
    return web.Response(body=key.public_pem(), content_type="application/x-pem-file")


async def sii_certificate(request: web.Request) -> web.Response:
    """GET /sandbox/sii-key/{idk}.cer: the key's certificate, shaped like the SII's own."""
    key = request.app[SERVICE_KEY].sii_key
    if request.match_info["idk"] != str(key.idk):
        return _error(404, f"idk: this simulator signs with IDK {key.idk}")
    return web.Response(body=key.certificate_pem(), content_type="application/x-x509-ca-cert")


async def arm_faults(request: web.Request) -> web.Response:
    """POST /sandbox/faults: a call fault, `expire_tokens`, or `outage_seconds`."""
    plan = request.app[FAULTS_KEY]
    try:
        body = await _body(request)
        if "outage_seconds" in body:
            seconds = body.pop("outage_seconds")
            if not isinstance(seconds, int | float) or isinstance(seconds, bool):
                raise BadRequest("outage_seconds: must be a number")
            plan.start_outage(float(seconds))
        if "expire_tokens" in body:
            plan.expire_tokens(_integer(body, "expire_tokens"))
            body.pop("expire_tokens")
        if body:
            plan.arm(*parse_fault(body))
    except ValueError as problem:  # BadRequest included
        return _error(400, str(problem))
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
    return web.json_response(
        await service.in_database(service.authentication.counts, time.time())
    )


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
        body = await _body(request)
        unknown = set(body) - _SETTINGS
        if unknown:
            raise BadRequest(f"{sorted(unknown)[0]}: unknown setting")
        values = {name: _integer(body, name) for name in body}
    except BadRequest as problem:
        return _error(400, str(problem))
    if "step_delay_ms" in values:
        service.step_delay = values["step_delay_ms"] / 1000
    if "seed_lifetime_s" in values:
        service.authentication.seed_lifetime = float(values["seed_lifetime_s"])
    if "token_lifetime_s" in values:
        service.authentication.token_lifetime = float(values["token_lifetime_s"])
    return web.json_response(_settings(request))


async def informe(request: web.Request) -> web.Response:
    """GET /sandbox/informes/{track_id}: the result report the SII e-mails once processed."""
    track = request.match_info["track_id"]
    report = await request.app[SERVICE_KEY].informe(int(track)) if track.isdigit() else None
    if report is None:
        return _error(404, "track_id: no report (unknown, or not processed yet)")
    return web.Response(body=report, content_type="application/xml", charset="ISO-8859-1")


def add_routes(app: web.Application) -> None:
    """Mount the portal on `app`."""
    app.router.add_post("/sandbox/companies", register_company)
    app.router.add_get("/sandbox/companies/{rut}", show_company)
    app.router.add_post("/sandbox/cafs", request_caf)
    app.router.add_get("/sandbox/cafs", list_cafs)
    app.router.add_post("/sandbox/annulments", annul_folios)
    app.router.add_get("/sandbox/sii-key", sii_key)
    app.router.add_get("/sandbox/sii-key/{idk}.cer", sii_certificate)
    app.router.add_post("/sandbox/faults", arm_faults)
    app.router.add_get("/sandbox/faults", show_faults)
    app.router.add_delete("/sandbox/faults", clear_faults)
    app.router.add_get("/sandbox/tokens", show_tokens)
    app.router.add_post("/sandbox/tokens/expire", expire_tokens)
    app.router.add_get("/sandbox/settings", show_settings)
    app.router.add_put("/sandbox/settings", change_settings)
    app.router.add_get("/sandbox/informes/{track_id}", informe)
