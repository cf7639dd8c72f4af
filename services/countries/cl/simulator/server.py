"""The simulator's HTTP application: the SII's endpoints, the sandbox portal, and their state."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiohttp import web

from services.countries.cl.simulator import endpoints, sandbox, sandbox_controls, sii_key
from services.countries.cl.simulator.endpoints import FAULTS_KEY, MAX_UPLOAD_KEY, SERVICE_KEY
from services.countries.cl.simulator.envelope_check import schema_path
from services.countries.cl.simulator.faults import FaultPlan
from services.countries.cl.simulator.service import DEFAULT_STEP_DELAY, SiiService

# An EnvioDTE holds at most 2,000 DTEs of a few KB each (the certificate repeated in every
# signature is the largest part): 64 MB leaves room and still bounds what one upload costs.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


def build_app(
    data_dir: Path | str,
    *,
    workers: int | None = None,
    step_delay: float = DEFAULT_STEP_DELAY,
    seed_lifetime: float | None = None,
    token_lifetime: float | None = None,
    idk: int = sii_key.CERTIFICATION_IDK,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
) -> web.Application:
    """The simulator as an aiohttp application keeping its state in `data_dir`.

    Checks run in `workers` threads (default: two per CPU; libxmlsec1 and lxml do most of
    their work outside the GIL). Envelope states advance one step per `step_delay` seconds.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    # Only the upload form may be large; the margin covers its other fields and framing.
    app = web.Application(client_max_size=max_upload_bytes + 1024 * 1024)
    pool = ThreadPoolExecutor(workers or 2 * (os.cpu_count() or 1), thread_name_prefix="sii")
    service = SiiService(
        data_dir,
        sii_key.load_or_create(data_dir, idk),
        pool,
        step_delay=step_delay,
        seed_lifetime=seed_lifetime,
        token_lifetime=token_lifetime,
    )
    app[SERVICE_KEY] = service
    app[FAULTS_KEY] = FaultPlan()
    app[MAX_UPLOAD_KEY] = max_upload_bytes

    async def start(app: web.Application) -> None:
        """Check the schema is there (a missing cl-sii fails now, not at the first upload),
        then take up the uploads a previous run left unprocessed."""
        await asyncio.get_running_loop().run_in_executor(pool, schema_path)
        await service.resume()

    async def stop(app: web.Application) -> None:
        """Stop processing, the workers and the database."""
        await service.stop()
        pool.shutdown(wait=True, cancel_futures=True)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    endpoints.add_routes(app)
    sandbox.add_routes(app)
    sandbox_controls.add_routes(app)
    return app
