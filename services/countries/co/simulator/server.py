"""The simulator's HTTP server: DIAN's SOAP endpoint and WSDL, and the sandbox portal.

Every SOAP call goes through the same gate, in DIAN's order: an outage window answers 503
before anything is read; then the envelope is parsed, its WS-Security header verified, and the
faults armed for the call applied around the operation itself.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from aiohttp import web
from cryptography import x509

from services.core.fault_injection import FaultPlan
from services.countries.co.simulator import (
    dian_identity,
    sandbox,
    sandbox_security,
    sandbox_testsets,
    soap,
)
from services.countries.co.simulator.inspection import inspect_archive, prepare_worker
from services.countries.co.simulator.operations import NOT_AVAILABLE, OPERATIONS
from services.countries.co.simulator.sandbox import (
    FAULTS_KEY,
    IDENTITY_KEY,
    SECURITY_KEY,
    SERVICE_KEY,
)
from services.countries.co.simulator.service import DEFAULT_PROCESSING_DELAY, DianService
from services.countries.co.simulator.storage import open_database
from services.countries.co.simulator.wss import SecurityCheck

SERVICE_PATH = "/WcfDianCustomerServices.svc"
# A SendBillAsync carries at most 50 documents of up to 500 KB, zipped then base64'd; real
# UBL compresses well, so 16 MB is ample and still bounds what one request can make us read.
MAX_REQUEST_BYTES = 16 * 1024 * 1024
_WSDL_ADDRESS = "https://vpfe-hab.dian.gov.co/WcfDianCustomerServices.svc"
_log = logging.getLogger("timbra.dian.simulator")


def wsdl_text() -> str:
    """The WSDL shipped with the country pack."""
    package = resources.files("services.countries.co.wsdl")
    return package.joinpath("WcfDianCustomerServices.wsdl").read_text(encoding="utf-8")


def _soap_response(body: bytes, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, headers={"Content-Type": soap.CONTENT_TYPE})


def _unavailable() -> web.Response:
    return web.Response(status=503, text="Service Unavailable (simulated)")


async def soap_endpoint(request: web.Request) -> web.StreamResponse:
    """POST WcfDianCustomerServices.svc: one SOAP 1.2 operation call."""
    faults = request.app[FAULTS_KEY]
    if faults.in_outage():
        return _unavailable()
    fault = None
    try:
        call = soap.parse_request(await request.read(), request.headers.get("Content-Type", ""))
        request.app[SECURITY_KEY].verify(call.envelope)
        operation = OPERATIONS.get(call.operation)
        if operation is None:
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
        fault = faults.take(call.operation)
        if fault is not None and fault.latency_ms:
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault is not None and fault.http_status is not None:
            _log.info("fault: answering %s with HTTP %s", call.operation, fault.http_status)
            return web.Response(status=fault.http_status, text="Service Unavailable (simulated)")
        result = await operation(request.app[SERVICE_KEY], call)
    except soap.SoapFault as problem:
        # The refusal's reason is all a sandbox user has to go on; it never holds a secret.
        _log.info("refused a SOAP call: %s", problem)
        return _soap_response(soap.fault(problem), problem.http_status)
    if fault is not None and fault.drop_response:
        # The call was processed (a document stored); the caller never learns it: in doubt.
        _log.info("fault: dropping the answer to %s", call.operation)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=204)
    if fault is not None and fault.timeout_ms:
        _log.info("fault: holding the answer to %s for %d ms", call.operation, fault.timeout_ms)
        await asyncio.sleep(fault.timeout_ms / 1000)
    return _soap_response(soap.respond(call.operation, result, call.message_id))


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


def prepare_process(data_dir: str) -> None:
    """Initialise a pool process: the inspection's setup, and DIAN's signing identity."""
    prepare_worker()
    dian_identity.load(data_dir)


def _pool(count: int, processes: bool, data_dir: Path) -> Executor:
    if processes:
        # forkserver: forking a process that already runs threads (event loop, database) is unsafe.
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(
            count, mp_context=context, initializer=prepare_process, initargs=(str(data_dir),)
        )
    return ThreadPoolExecutor(count, thread_name_prefix="dian-inspect")


def _trust(service: DianService, trust_cas: list[Path]) -> SecurityCheck:
    # Runs before the server starts, so the database thread is not needed yet.
    now = datetime.now(UTC)
    for path in trust_cas:
        for certificate in x509.load_pem_x509_certificates(path.read_bytes()):
            service.trust.add(certificate, True, now)
    if trust_cas:
        service.trust.enforce(True)
    return SecurityCheck(service.trust.load())


def build_app(
    data_dir: Path | str,
    *,
    workers: int | None = None,
    processes: bool = False,
    processing_delay: float = DEFAULT_PROCESSING_DELAY,
    trust_cas: list[Path] | None = None,
) -> web.Application:
    """The simulator as an aiohttp application keeping its state in `data_dir`.

    Validation runs in a pool of `workers` threads (default: four per CPU), or of processes
    (default: one per CPU) when `processes` is true. Asynchronous uploads are validated
    `processing_delay` seconds after they arrive. Each PEM file in `trust_cas` holds CAs whose
    certificates WS-Security accepts; giving any turns trust enforcement on.
    """
    data_dir = Path(data_dir)
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    identity = dian_identity.load_or_create(data_dir)
    dian_identity.use(identity)  # for a thread pool; process workers load it themselves
    count = worker_count(workers, processes)
    pool = _pool(count, processes, data_dir)
    service = DianService(open_database(data_dir), pool, processing_delay=processing_delay)
    app[SERVICE_KEY] = service
    app[FAULTS_KEY] = FaultPlan()
    app[SECURITY_KEY] = _trust(service, trust_cas or [])
    app[IDENTITY_KEY] = identity

    async def warm_up(app: web.Application) -> None:
        """Start every worker (and its imports) before the first real document arrives, then
        take up the uploads a previous run left unprocessed."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(pool, inspect_archive, b"") for _ in range(count))
        )
        await service.resume()

    async def shut_down(app: web.Application) -> None:
        """Stop the uploads' processing and the workers, then close the database."""
        await service.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        service.close()

    app.on_startup.append(warm_up)
    app.on_cleanup.append(shut_down)
    app.router.add_post(SERVICE_PATH, soap_endpoint)
    app.router.add_get(SERVICE_PATH, describe)
    sandbox.add_routes(app)
    sandbox_testsets.add_routes(app)
    sandbox_security.add_routes(app)
    return app
