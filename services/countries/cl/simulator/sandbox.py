"""The sandbox portal under /sandbox (JSON): what the SII's web portal gives a company (its
registration, folios as CAF files, the SII's public key) and the result reports the SII would
e-mail. The test controls (faults, tokens, settings) are in `sandbox_controls`."""

from __future__ import annotations

import time

from aiohttp import web

from services.core.portal import BadRequest, body_of, date_field, error, flag_field, integer_field
from services.countries.cl.simulator import identities
from services.countries.cl.simulator.caf_issuer import issue_caf
from services.countries.cl.simulator.endpoints import SERVICE_KEY
from services.countries.cl.simulator.registry import CafRecord, RangeTaken
from services.countries.cl.simulator.service import chile_now

DTE_TYPES = frozenset({33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112})
MAX_FOLIOS = 1_000_000


def _rut(body: dict[str, object], name: str = "rut") -> str:
    value = body.get(name)
    checked = identities.rut(value) if isinstance(value, str) else None
    if checked is None:
        raise BadRequest(f"{name}: must be a RUT with its check digit, e.g. 76192083-9")
    return checked


def integer(body: dict[str, object], name: str, default: int | None = None) -> int:
    """A non-negative integer field (`default` when absent) below 10^15; BadRequest otherwise."""
    return integer_field(body, name, default, digits=15)


async def register_company(request: web.Request) -> web.Response:
    """POST /sandbox/companies: register a company as an electronic issuer, with its senders."""
    try:
        body = await body_of(request)
        rut, name = _rut(body), body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BadRequest("name: is required")
        senders = body.get("senders", [])
        if not isinstance(senders, list):
            raise BadRequest("senders: must be a list of RUNs")
        runs = [identities.rut(s) if isinstance(s, str) else None for s in senders]
        if None in runs:
            raise BadRequest("senders: every sender must be a RUN with its check digit")
        authorised = flag_field(body, "authorised", True)
        resolution_date = date_field(body, "resolution_date", chile_now().date())
        number = integer(body, "resolution_number", 0)
    except BadRequest as problem:
        return error(400, str(problem))
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
        return error(404, "rut: no such company")
    return web.json_response(company.as_json())


async def request_caf(request: web.Request) -> web.Response:
    """POST /sandbox/cafs: folios for a company, as the SII's CAF file (XML with RSASK).

    Body: rut, dte_type, and either from/to or a count (default 100) of folios following the
    last ones authorised; authorized_on (FA) defaults to today.
    """
    service = request.app[SERVICE_KEY]
    try:
        body = await body_of(request)
        rut, kind = _rut(body), integer(body, "dte_type")
        if kind not in DTE_TYPES:
            raise BadRequest(f"dte_type: must be one of {sorted(DTE_TYPES)}")
        first = integer(body, "from") if "from" in body else None
        last = integer(body, "to") if "to" in body else None
        count = integer(body, "count", 100)
        authorized_on = date_field(body, "authorized_on", chile_now().date())
    except BadRequest as problem:
        return error(400, str(problem))

    def reserve() -> tuple[CafRecord, str]:
        # Choosing the folios and recording them in one database step: two requests never
        # get the same range.
        company = service.registry.company(rut)
        if company is None:
            raise BadRequest(f"rut: {rut} is not registered (POST /sandbox/companies first)")
        low = first if first is not None else service.registry.next_folio(rut, kind)
        high = last if last is not None else low + count - 1
        if not 1 <= low <= high or high - low >= MAX_FOLIOS:
            raise BadRequest(f"to: must be from `from` to `from` + {MAX_FOLIOS - 1}, from >= 1")
        record = CafRecord(rut, kind, low, high, authorized_on, service.sii_key.idk)
        service.registry.record_caf(record, time.time())
        return record, company.name

    try:
        record, name = await service.in_database(reserve)
    except BadRequest as problem:
        return error(400, str(problem))
    except RangeTaken as taken:
        return error(409, f"from: {taken}")
    content = await service.in_pool(
        issue_caf,
        service.sii_key,
        rut,
        name,
        kind,
        record.folio_from,
        record.folio_to,
        authorized_on,
    )
    filename = f"FoliosSII{rut}{kind}{record.folio_from}.xml"
    return web.Response(
        body=content,
        content_type="application/xml",
        charset="ISO-8859-1",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        status=201,
    )


async def list_cafs(request: web.Request) -> web.Response:
    """GET /sandbox/cafs?rut=: the CAFs issued to a company."""
    rut = identities.rut(request.query.get("rut", ""))
    if rut is None:
        return error(400, "rut: query parameter is required (with its check digit)")
    service = request.app[SERVICE_KEY]
    records = await service.in_database(service.registry.cafs_of, rut)
    return web.json_response({"cafs": [record.as_json() for record in records]})


async def annul_folios(request: web.Request) -> web.Response:
    """POST /sandbox/annulments: annul unused folios ({"rut","dte_type","from","to","reason"})."""
    try:
        body = await body_of(request)
        rut, kind = _rut(body), integer(body, "dte_type")
        low, high = integer(body, "from"), integer(body, "to")
        reason = body.get("reason", "")
        if low > high or not isinstance(reason, str):
            raise BadRequest("to: must not be below from; reason: must be text")
    except BadRequest as problem:
        return error(400, str(problem))
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
        return error(404, f"idk: this simulator signs with IDK {key.idk}")
    return web.Response(body=key.certificate_pem(), content_type="application/x-x509-ca-cert")


async def informe(request: web.Request) -> web.Response:
    """GET /sandbox/informes/{track_id}: the result report the SII e-mails once processed."""
    track = request.match_info["track_id"]
    known = track.isdigit() and len(track) <= 18
    report = await request.app[SERVICE_KEY].informe(int(track)) if known else None
    if report is None:
        return error(404, "track_id: no report (unknown, or not processed yet)")
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
    app.router.add_get("/sandbox/informes/{track_id}", informe)
