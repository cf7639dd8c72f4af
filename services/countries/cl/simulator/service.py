"""The SII's services over the simulator's state, without the HTTP around them.

Three kinds of work, kept apart so the event loop never blocks: database reads and writes on
one dedicated thread (which also serialises every read-then-write), CPU-heavy checks (schema,
signatures, stamps) in a worker pool, and waiting on the event loop. An upload is stored and
answered at once; its processing runs in the background, and its state is revealed one step
per `step_delay` seconds (REC, SOK, CRT, FOK, PDR, EPR), so clients have to poll.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from services.countries.cl.simulator import answers, codes
from services.countries.cl.simulator.authentication import (
    Authentication,
    TokenInvalid,
    read_signed_seed,
)
from services.countries.cl.simulator.inspection import (
    Inspection,
    inspect_upload,
    well_formed_envelope,
)
from services.countries.cl.simulator.judgement import Judge
from services.countries.cl.simulator.ledger import Ledger, UploadRecord
from services.countries.cl.simulator.registry import Registry
from services.countries.cl.simulator.sii_key import SiiKey
from services.countries.cl.simulator.storage import open_database

CHILE = ZoneInfo("America/Santiago")
DEFAULT_STEP_DELAY = 1.0
_log = logging.getLogger("timbra.sii.simulator")
T = TypeVar("T")


def chile_now() -> datetime:
    """Now, on the SII's clock."""
    return datetime.now(CHILE)


class SiiService:
    """Seeds, tokens, uploads and their processing, and the state queries."""

    def __init__(
        self,
        data_dir: Path,
        sii_key: SiiKey,
        pool: Executor,
        *,
        step_delay: float = DEFAULT_STEP_DELAY,
        seed_lifetime: float | None = None,
        token_lifetime: float | None = None,
    ) -> None:
        self.database = open_database(data_dir)
        self._database_thread = ThreadPoolExecutor(1, thread_name_prefix="sii-db")
        self.registry = Registry(self.database)
        self.ledger = Ledger(self.database)
        self.authentication = Authentication(self.database)
        if seed_lifetime is not None:
            self.authentication.seed_lifetime = seed_lifetime
        if token_lifetime is not None:
            self.authentication.token_lifetime = token_lifetime
        self.judge = Judge(self.registry, self.ledger)
        self.sii_key = sii_key
        self.pool = pool
        self.step_delay = step_delay
        self._tasks: set[asyncio.Task[None]] = set()

    # -- plumbing ------------------------------------------------------------------------

    async def in_database(self, function: Callable[..., T], *arguments: Any) -> T:
        """Run `function` on the database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._database_thread, function, *arguments)

    async def in_pool(self, function: Callable[..., T], *arguments: Any) -> T:
        """Run CPU-heavy `function` in the worker pool."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *arguments)

    async def stop(self) -> None:
        """Stop processing (unfinished uploads resume at the next start) and close."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._database_thread.submit(self.database.close).result()
        self._database_thread.shutdown(wait=True)

    # -- authentication ------------------------------------------------------------------

    async def seed(self) -> str:
        """getSeed: a fresh seed."""
        return await self.in_database(self.authentication.new_seed, time.time())

    async def token(self, signed_xml: str) -> str:
        """getToken: a token for a correctly signed, fresh seed (raises TokenRefused if not)."""
        signed = await self.in_pool(read_signed_seed, signed_xml)
        return await self.in_database(self.authentication.redeem, signed, time.time())

    async def holder(self, token: str, expire_first: bool = False) -> str:
        """The RUN of a live token; TokenInvalid otherwise. `expire_first` ends it first (a
        fault: the token expires just before this call)."""

        def look_up() -> str:
            now = time.time()
            if expire_first:
                self.authentication.expire(token, now)
            return self.authentication.holder(token, now)

        if not token:
            raise TokenInvalid(codes.TOKEN_UNKNOWN)
        return await self.in_database(look_up)

    # -- uploads -------------------------------------------------------------------------

    async def store_upload(
        self, company: str, sender: str, file_name: str, content: bytes
    ) -> tuple[str, int | None, tuple[str, ...]]:
        """Take an uploaded envelope: (STATUS, track id when taken, DETAIL errors)."""
        digest = hashlib.sha256(content).hexdigest()
        if await self.in_database(self.ledger.repeated, company, digest):
            return codes.UPLOAD_REPEATED, None, ("Archivo ya recibido",)
        problem = await self.in_pool(well_formed_envelope, content)
        if problem is not None:
            return codes.UPLOAD_SCHEMA, None, (problem,)
        track_id = await self.in_database(
            self.ledger.add_upload, company, sender, file_name, content, digest, time.time()
        )
        self._start_processing(track_id, content)
        return codes.UPLOAD_OK, track_id, ()

    def _start_processing(self, track_id: int, content: bytes | None = None) -> None:
        task = asyncio.get_running_loop().create_task(self._process(track_id, content))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def resume(self) -> None:
        """Process the uploads a previous run stored but did not finish."""
        for track_id in await self.in_database(self.ledger.unprocessed):
            self._start_processing(track_id)

    async def _process(self, track_id: int, content: bytes | None) -> None:
        try:
            upload = await self.in_database(self.ledger.upload, track_id)
            assert upload is not None
            if content is None:
                content = await self.in_database(self.ledger.content, track_id)
            company = await self.in_database(self.registry.company, upload.company)
            assert company is not None  # checked at upload
            keys = {self.sii_key.idk: self.sii_key.public_key()}
            started = time.monotonic()
            inspection = await self.in_pool(inspect_upload, content, company, upload.sender, keys)
            await self.in_database(self._judge, upload, inspection)
            _log.info(
                "track %s processed in %.2f s: %s, %d DTEs",
                track_id,
                time.monotonic() - started,
                inspection.stages[-1],
                len(inspection.documents),
            )
        except asyncio.CancelledError:
            raise
        except Exception:  # a simulator bug: logged, the upload stays REC for a restart
            _log.exception("processing track %s failed", track_id)

    def _judge(self, upload: UploadRecord, inspection: Inspection) -> None:
        received = datetime.fromtimestamp(upload.received_at, UTC).astimezone(CHILE)
        self.database.execute("BEGIN IMMEDIATE")
        try:
            outcome, informe = self.judge.judge(upload, inspection, received)
            self.ledger.finish(upload.track_id, outcome, informe, time.time())
        except BaseException:
            self.database.execute("ROLLBACK")
            raise
        self.database.execute("COMMIT")

    # -- what an upload shows ------------------------------------------------------------

    def visible_state(self, upload: UploadRecord, now: float) -> str:
        """The state getEstUp shows now: one step of the envelope's path per `step_delay`."""
        if upload.outcome is None:
            return codes.RECEIVED
        stages = upload.outcome.stages
        if self.step_delay <= 0:
            return stages[-1]
        step = int((now - upload.received_at) / self.step_delay)
        return stages[min(step, len(stages) - 1)]

    async def upload_of(self, track_id: int) -> UploadRecord | None:
        """An upload by track id."""
        return await self.in_database(self.ledger.upload, track_id)

    async def informe(self, track_id: int) -> bytes | None:
        """The result report of an upload once its final state shows, else None."""
        upload = await self.upload_of(track_id)
        if upload is None or upload.outcome is None:
            return None
        if self.visible_state(upload, time.time()) != upload.outcome.stages[-1]:
            return None
        return await self.in_database(self.ledger.informe, track_id)

    def envelope_answer(self, upload: UploadRecord) -> str:
        """getEstUp's answer for an upload, as it shows now."""
        state = self.visible_state(upload, time.time())
        counts = upload.outcome.counts if upload.outcome and state == codes.PROCESSED else ()
        glosa = codes.ENVELOPE_GLOSAS[state]
        return answers.upload_status(str(upload.track_id), state, glosa, chile_now(), counts)
