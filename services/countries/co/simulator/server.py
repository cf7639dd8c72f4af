"""The simulator's HTTP server: DIAN's SOAP endpoint and WSDL, and the sandbox portal."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from aiohttp import web

from services.countries.co.simulator import sandbox, soap
from services.countries.co.simulator.faults import FaultPlan
from services.countries.co.simulator.inspection import inspect_archive, prepare_worker
from services.countries.co.simulator.sandbox import FAULTS_KEY, SERVICE_KEY
from services.countries.co.simulator.service import DianService
from services.countries.co.simulator.storage import open_database

SERVICE_PATH = "/WcfDianCustomerServices.svc"
SANDBOX_PATH = "/sandbox"
# A SendBillSync carries at most a 500 KB document, zipped then base64'd: 4 MB is ample.
MAX_REQUEST_BYTES = 4 * 1024 * 1024
# DIAN operations this version of the simulator answers with a fault, not with DIAN's behaviour.
NOT_AVAILABLE = frozenset(
    {
        "SendBillAsync",
        "SendTestSetAsync",
        "SendBillAttachmentAsync",
        "SendEventUpdateStatus",
        "SendNominaSync",
        "GetStatusZip",
        "GetStatusEvent",
        "GetNumberingRange",
        "GetXmlByDocumentKey",
        "GetReferenceNotes",
        "GetAcquirer",
        "GetExchangeEmails",
        "GetDocIdentifierWithEvents",
    }
)
_WSDL_ADDRESS = "https://vpfe-hab.dian.gov.co/WcfDianCustomerServices.svc"
_log = logging.getLogger("timbra.dian.simulator")


def wsdl_text() -> str:
    """The WSDL shipped with the country pack."""
    package = resources.files("services.countries.co.wsdl")
    return package.joinpath("WcfDianCustomerServices.wsdl").read_text(encoding="utf-8")


def _soap_response(body: bytes, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, headers={"Content-Type": soap.CONTENT_TYPE})


def _fault(problem: soap.SoapFault) -> web.Response:
    return _soap_response(soap.fault(problem), problem.http_status)


async def _send_bill_sync(request: web.Request, call: soap.SoapRequest) -> web.StreamResponse:
    fault = request.app[FAULTS_KEY].take()
    if fault is not None and fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault is not None and fault.http_status is not None:
        _log.info("fault: answering HTTP %s without processing", fault.http_status)
        return web.Response(status=fault.http_status, text="Service Unavailable (simulated)")
    content = call.binary("contentFile")
    answer = await request.app[SERVICE_KEY].send_bill_sync(call.text("fileName"), content)
    if fault is not None and fault.drop_response:
        # The document is processed and stored; the caller never learns it (the in-doubt case).
        _log.info("fault: dropping the answer to %s (%s)", answer.document_key, answer.status_code)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=204)
    result = soap.dian_response("SendBillSyncResult", answer)
    return _soap_response(soap.respond("SendBillSync", result, call.message_id))


async def _get_status(request: web.Request, call: soap.SoapRequest) -> web.StreamResponse:
    answer = await request.app[SERVICE_KEY].get_status(call.text("trackId"))
    result = soap.dian_response("GetStatusResult", answer)
    return _soap_response(soap.respond("GetStatus", result, call.message_id))


async def soap_endpoint(request: web.Request) -> web.StreamResponse:
    """POST WcfDianCustomerServices.svc: one SOAP 1.2 operation call."""
    try:
        call = soap.parse_request(await request.read(), request.headers.get("Content-Type", ""))
        if call.operation == "SendBillSync":
            return await _send_bill_sync(request, call)
        if call.operation == "GetStatus":
            return await _get_status(request, call)
        if call.operation in NOT_AVAILABLE:
            raise soap.SoapFault(
                f"La operación {call.operation} no está disponible en esta versión del "
                "simulador de la DIAN.",
                code="s:Receiver",
            )
        raise soap.SoapFault(
            f"La operación {call.operation} no existe en IWcfDianCustomerServices.",
            subcode="a:ActionNotSupported",
        )
    except soap.SoapFault as problem:
        return _fault(problem)


async def describe(request: web.Request) -> web.Response:
    """GET WcfDianCustomerServices.svc: the WSDL (with ?wsdl), else a short service page."""
    if any(key.lower() in ("wsdl", "singlewsdl") for key in request.query):
        address = f"{request.scheme}://{request.host}{SERVICE_PATH}"
        text = wsdl_text().replace(_WSDL_ADDRESS, address)
        return web.Response(text=text, content_type="text/xml", charset="utf-8")
    return web.Response(text="WcfDianCustomerServices (timbra DIAN simulator). WSDL: ?wsdl\n")


def worker_count(workers: int | None, processes: bool) -> int:
    """How many validation workers to run when the caller did not say."""
    if workers:
        return workers
    # libxmlsec1 and lxml release the GIL for most of a validation, so threads overlap well:
    # four per CPU keep every core busy while others wait for the GIL (measured on 2 cores).
    return (os.cpu_count() or 1) * (1 if processes else 4)


def _pool(count: int, processes: bool) -> Executor:
    if processes:
        # forkserver: forking a process that already runs threads (event loop, database) is unsafe.
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(count, mp_context=context, initializer=prepare_worker)
    return ThreadPoolExecutor(count, thread_name_prefix="dian-inspect")


def build_app(
    data_dir: Path | str, *, workers: int | None = None, processes: bool = False
) -> web.Application:
    """The simulator as an aiohttp application keeping its state in `data_dir`.

    Validation runs in a pool of `workers` threads (default: four per CPU), or of processes
    (default: one per CPU) when `processes` is true.
    """
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    count = worker_count(workers, processes)
    pool = _pool(count, processes)
    service = DianService(open_database(Path(data_dir)), pool)
    app[SERVICE_KEY] = service
    app[FAULTS_KEY] = FaultPlan()

    async def warm_up(app: web.Application) -> None:
        """Start every worker (and its imports) before the first real document arrives."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(pool, inspect_archive, b"") for _ in range(count))
        )

    async def shut_down(app: web.Application) -> None:
        """Stop the workers, then finish database work and close the database."""
        pool.shutdown(wait=True, cancel_futures=True)
        service.close()

    app.on_startup.append(warm_up)
    app.on_cleanup.append(shut_down)
    app.router.add_post(SERVICE_PATH, soap_endpoint)
    app.router.add_get(SERVICE_PATH, describe)
    sandbox.add_routes(app)
    return app
