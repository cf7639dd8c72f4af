"""DIAN's validation service over the sandbox state, without the HTTP around it.

A SendBillSync is split in two: the CPU-heavy inspection (unzip, parse, signature) runs in a
worker pool, and the decision (registry lookups, rules, Regla 90, storage) runs on one dedicated
database thread. That thread serialises every read-then-write, so two copies of one invoice
arriving together still give one acceptance and one Regla 90; the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import datetime
from typing import TypeVar

from services.countries.co.simulator import responses
from services.countries.co.simulator.inspection import Inspection, inspect_archive
from services.countries.co.simulator.ledger import Ledger, kind_of
from services.countries.co.simulator.registry import Registry
from services.countries.co.simulator.responses import DianAnswer
from services.countries.co.simulator.rules import BOGOTA, evaluate

T = TypeVar("T")


class DianService:
    """SendBillSync and GetStatus as DIAN answers them, plus access to the portal's registry."""

    def __init__(self, connection: sqlite3.Connection, pool: Executor) -> None:
        self._connection = connection
        self._pool = pool
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dian-db")
        self.registry = Registry(connection)
        self.ledger = Ledger(connection)

    async def in_database(self, call: Callable[..., T], *args: object) -> T:
        """Run `call` on the database thread (the only thread that touches the database)."""
        return await asyncio.get_running_loop().run_in_executor(self._database, call, *args)

    async def send_bill_sync(self, file_name: str, content: bytes) -> DianAnswer:
        """Validate one zipped invoice and give DIAN's synchronous answer."""
        loop = asyncio.get_running_loop()
        inspection = await loop.run_in_executor(self._pool, inspect_archive, content)
        return await self.in_database(self._decide, file_name, inspection)

    async def get_status(self, track_id: str) -> DianAnswer:
        """The stored answer for a document key, or DIAN's "not found"."""
        stored = await self.in_database(self.ledger.status, track_id)
        return stored if stored is not None else responses.unknown_track(track_id)

    def _decide(self, file_name: str, inspection: Inspection) -> DianAnswer:
        if inspection.archive_problem:
            return responses.archive_failure(inspection.archive_problem, file_name)
        if inspection.too_large:
            return responses.too_large(file_name)
        name = inspection.xml_name or file_name
        facts, signature = inspection.facts, inspection.signature
        if facts is None or signature is None:
            return responses.schema_failure(inspection.schema_problem, name)
        kind = kind_of(facts.invoice_type)
        original = self.ledger.accepted_original(facts.supplier_nit, kind, facts.number, facts.uuid)
        if original is not None:
            return responses.duplicate(original, name)
        findings = evaluate(
            facts,
            signature.findings,
            signature.signing_time,
            self.registry.resolution(facts.authorization),
            self.registry.software(facts.software_id),
        )
        now = datetime.now(BOGOTA)
        answer = responses.verdict(facts, findings, name, now)
        self.ledger.record(facts.supplier_nit, kind, facts.number, answer, now)
        return answer

    def close(self) -> None:
        """Finish pending database work and close the database."""
        self._database.submit(self._connection.close).result()
        self._database.shutdown(wait=True)
