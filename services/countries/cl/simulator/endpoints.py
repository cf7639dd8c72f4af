"""The SII's endpoints over HTTP, at maullin's paths: the four `.jws` SOAP services under
/DTEWS/ and the DTEUpload form under /cgi_dte/UPL/.

Every call passes the same gate: an outage answers 503 before anything is read; then the fault
armed for the call (latency, an HTTP error, a dropped or late answer) is applied around it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime

from aiohttp import web

from services.countries.cl.simulator import answers, codes, identities, soap
from services.countries.cl.simulator.authentication import TokenInvalid, TokenRefused
from services.countries.cl.simulator.faults import FaultPlan
from services.countries.cl.simulator.queries import DocumentQuery, document_state
from services.countries.cl.simulator.service import SiiService, chile_now

SERVICE_KEY: web.AppKey[SiiService] = web.AppKey("sii_service", SiiService)
FAULTS_KEY: web.AppKey[FaultPlan] = web.AppKey("sii_faults", FaultPlan)
MAX_UPLOAD_KEY: web.AppKey[int] = web.AppKey("sii_max_upload", int)
SOAP_SERVICES = {
    "CrSeed": "getSeed",
    "GetTokenFromSeed": "getToken",
    "QueryEstUp": "getEstUp",
    "QueryEstDte": "getEstDte",
}
UPLOAD_PATH = "/cgi_dte/UPL/DTEUpload"
_log = logging.getLogger("timbra.sii.simulator")
Handler = Callable[[], Awaitable[web.StreamResponse]]


async def gate(request: web.Request, operation: str, handler: Handler) -> web.StreamResponse:
    """Run `handler` for a call of `operation` with the faults armed for it."""
    faults = request.app[FAULTS_KEY]
    if faults.in_outage():
        return web.Response(status=503, text="Service Unavailable (simulated outage)")
    fault = faults.take(operation)
    if fault is not None and fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault is not None and fault.http_status is not None:
        _log.info("fault: answering %s with HTTP %s", operation, fault.http_status)
        return web.Response(status=fault.http_status, text="Error (simulated)")
    response = await handler()
    if fault is not None and fault.drop_response:
        # Done (an upload stored), but the caller never hears of it: the in-doubt case.
        _log.info("fault: dropping the answer to %s", operation)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=204)
    if fault is not None and fault.timeout_ms:
        await asyncio.sleep(fault.timeout_ms / 1000)
    return response


async def _holder(request: web.Request, token: str) -> str:
    """The RUN behind a call's token (the token-expiry fault applied); TokenInvalid if none."""
    expire = request.app[FAULTS_KEY].take_token_expiry()
    return await request.app[SERVICE_KEY].holder(token, expire_first=expire)


async def _get_seed(request: web.Request, _: dict[str, str]) -> str:
    return answers.seed(await request.app[SERVICE_KEY].seed())


async def _get_token(request: web.Request, parameters: dict[str, str]) -> str:
    try:
        return answers.token(await request.app[SERVICE_KEY].token(parameters.get("pszXml", "")))
    except TokenRefused as refused:
        return answers.token_error(refused.estado, refused.glosa)


def _token_error(problem: TokenInvalid, now: datetime) -> str:
    return answers.query_error(problem.estado, codes.TOKEN_GLOSAS[problem.estado], now)


async def _get_est_up(request: web.Request, parameters: dict[str, str]) -> str:
    service, now = request.app[SERVICE_KEY], chile_now()
    try:
        run = await _holder(request, parameters.get("Token", ""))
    except TokenInvalid as problem:
        return _token_error(problem, now)
    company_rut = identities.join(
        parameters.get("RutCompania", ""), parameters.get("DvCompania", "")
    )
    track = parameters.get("TrackId", "").strip()
    upload = await service.upload_of(int(track)) if _number(track) else None
    if company_rut is None or upload is None or upload.company != company_rut:
        return answers.query_error(
            codes.QUERY_ERROR, "Envio no es de la empresa o faltan parametros", now, "1"
        )
    company = await service.in_database(service.registry.company, company_rut)
    if company is None or run not in company.senders:
        return answers.query_error(codes.USER_NOT_AUTHORISED, "Usuario no autorizado", now)
    return service.envelope_answer(upload)


def _number(text: str) -> bool:
    # Within SQLite's integers: anything longer is no track id, folio or amount of the SII's.
    return text.isdigit() and len(text) <= 18


def _date(text: str) -> datetime | None:
    for pattern in ("%d%m%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    return None


async def _get_est_dte(request: web.Request, parameters: dict[str, str]) -> str:
    service, now = request.app[SERVICE_KEY], chile_now()
    try:
        run = await _holder(request, parameters.get("Token", ""))
    except TokenInvalid as problem:
        return _token_error(problem, now)
    asker = identities.join(
        parameters.get("RutConsultante", ""), parameters.get("DvConsultante", "")
    )
    if asker != run:
        return answers.query_error("-3", "RUT consultante no corresponde al token", now)
    company = identities.join(parameters.get("RutCompania", ""), parameters.get("DvCompania", ""))
    receiver = identities.join(parameters.get("RutReceptor", ""), parameters.get("DvReceptor", ""))
    kind, folio = parameters.get("TipoDte", "").strip(), parameters.get("FolioDte", "").strip()
    amount, issued = (
        parameters.get("MontoDte", "").strip(),
        _date(parameters.get("FechaEmisionDte", "")),
    )
    if not (company and receiver and _number(kind) and _number(folio) and _number(amount)):
        return answers.query_error(codes.FIELD_ERROR, "Error en parametros de entrada", now)
    if issued is None:
        return answers.query_error(codes.FIELD_ERROR, "FechaEmisionDte: use DDMMAAAA", now)
    query = DocumentQuery(company, receiver, int(kind), int(folio), issued.date(), int(amount))
    state = await service.in_database(document_state, service.registry, service.ledger, query)
    return answers.document_status(state.estado, state.glosa, state.err_code, now)


_OPERATIONS = {
    "getSeed": _get_seed,
    "getToken": _get_token,
    "getEstUp": _get_est_up,
    "getEstDte": _get_est_dte,
}


async def soap_service(request: web.Request) -> web.StreamResponse:
    """POST /DTEWS/<service>.jws: one rpc/encoded call of that service's operation."""
    operation = SOAP_SERVICES.get(request.match_info["service"])
    if operation is None:
        raise web.HTTPNotFound()

    async def answer() -> web.StreamResponse:
        try:
            call = soap.parse_call(await request.read())
            if call.operation != operation:
                raise soap.SoapFault(f"No such operation '{call.operation}'")
            value = await _OPERATIONS[operation](request, call.parameters)
        except soap.SoapFault as problem:
            return web.Response(
                body=soap.fault(problem), status=500, content_type="text/xml", charset="utf-8"
            )
        return web.Response(
            body=soap.respond(operation, value), content_type="text/xml", charset="utf-8"
        )

    return await gate(request, operation, answer)


async def describe(request: web.Request) -> web.Response:
    """GET /DTEWS/<service>.jws?WSDL: the service's WSDL, pointing at this simulator."""
    service = request.match_info["service"]
    if service not in SOAP_SERVICES:
        raise web.HTTPNotFound()
    if not any(key.lower() == "wsdl" for key in request.query):
        return web.Response(text=f"{service} (timbra SII simulator). WSDL: ?WSDL\n")
    base = f"{request.scheme}://{request.host}"
    return web.Response(text=soap.wsdl(service, base), content_type="text/xml", charset="utf-8")


@dataclass(frozen=True)
class _Reception:
    """What RECEPCIONDTE tells about one upload."""

    sender: str = ""
    company: str = ""
    file_name: str = ""
    status: str = codes.UPLOAD_OK
    track_id: int | None = None
    errors: tuple[str, ...] = ()

    def refused(self, status: str, error: str) -> _Reception:
        """The same upload refused with `status`."""
        return replace(self, status=status, errors=(error,))


async def _receive(request: web.Request) -> _Reception:
    service = request.app[SERVICE_KEY]
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        return _Reception().refused(codes.UPLOAD_SIZE, "Archivo demasiado grande")
    sender = identities.join(str(form.get("rutSender", "")), str(form.get("dvSender", "")))
    company_rut = identities.join(str(form.get("rutCompany", "")), str(form.get("dvCompany", "")))
    archivo = form.get("archivo")
    shown = _Reception(sender or "", company_rut or "", getattr(archivo, "filename", "") or "")
    try:
        run = await _holder(request, request.cookies.get("TOKEN", ""))
    except TokenInvalid:
        return shown.refused(codes.UPLOAD_NOT_AUTHENTICATED, "No esta autenticado")
    company = await service.in_database(service.registry.company, company_rut or "")
    if company is None or not company.authorised:
        return shown.refused(codes.UPLOAD_COMPANY_NOT_AUTHORISED, "Empresa no autorizada")
    if sender != run or sender not in company.senders:
        return shown.refused(codes.UPLOAD_SENDER_NOT_ALLOWED, "Usuario sin permiso de envio")
    content = archivo.file.read() if hasattr(archivo, "file") else b""
    if not content or len(content) > request.app[MAX_UPLOAD_KEY]:
        return shown.refused(codes.UPLOAD_SIZE, "Error en tamano del archivo")
    status, track_id, errors = await service.store_upload(
        company.rut, run, shown.file_name, content
    )
    return replace(shown, status=status, track_id=track_id, errors=errors)


async def upload(request: web.Request) -> web.StreamResponse:
    """POST /cgi_dte/UPL/DTEUpload: an EnvioDTE, answered with RECEPCIONDTE (STATUS, TRACKID)."""

    async def answer() -> web.StreamResponse:
        started = time.monotonic()
        taken = await _receive(request)
        _log.info(
            "DTEUpload %s for %s: STATUS %s (%.2f s)",
            taken.file_name,
            taken.company,
            taken.status,
            time.monotonic() - started,
        )
        body = answers.reception(
            sender=taken.sender,
            company=taken.company,
            file_name=taken.file_name,
            now=chile_now(),
            status=taken.status,
            track_id=taken.track_id,
            errors=taken.errors,
        )
        return web.Response(body=body, content_type="text/xml", charset="utf-8")

    return await gate(request, "DTEUpload", answer)


def add_routes(app: web.Application) -> None:
    """Mount the SII's endpoints on `app`."""
    app.router.add_post("/DTEWS/{service}.jws", soap_service)
    app.router.add_get("/DTEWS/{service}.jws", describe)
    app.router.add_post(UPLOAD_PATH, upload)
