"""DIAN's validation service over the sandbox state, without the HTTP around it.

One document goes through four steps. The CPU-heavy inspection (unzip, schema, parse,
signature) runs in the worker pool; the judgement (registry lookups, rules, Regla 90) runs on
the one database thread; the signature of DIAN's ApplicationResponse runs in the pool again;
and the commit (Regla 90 checked once more, then storage) is back on the database thread. That
thread serialises every read-then-write, so two copies of one invoice arriving together still
give one acceptance and one Regla 90, and the event loop never blocks.

Asynchronous uploads (SendBillAsync, SendTestSetAsync) are stored at once and processed after
`processing_delay` seconds by a task of their own, document by document, as above.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from services.countries.co.simulator import dian_identity, intake, responses
from services.countries.co.simulator.batches import Batches, Upload
from services.countries.co.simulator.inspection import Inspection
from services.countries.co.simulator.ledger import Entry, Ledger, kind_of
from services.countries.co.simulator.lookups import Lookups
from services.countries.co.simulator.numbering import RangeAnswer, numbering_ranges
from services.countries.co.simulator.registry import Registry
from services.countries.co.simulator.responses import DianAnswer
from services.countries.co.simulator.rules import BOGOTA, evaluate
from services.countries.co.simulator.testsets import IN_PROCESS, TestSet, TestSets
from services.countries.co.simulator.trust import TrustRecords

T = TypeVar("T")
DEFAULT_PROCESSING_DELAY = 0.5  # seconds before an asynchronous upload is validated
BATCH_FAILED = "Error al generar ApplicationResponse. Inténtelo más tarde."
_log = logging.getLogger("timbra.dian.simulator")


@dataclass(frozen=True)
class Judgement:
    """The decision on one document before it is stored: the answer, and what to record."""

    answer: DianAnswer
    entry: Entry | None = None  # None: nothing to store (a refusal, or Regla 90)
    issued_at: datetime | None = None  # set when the answer's ApplicationResponse needs signing
    key: str = ""  # CUFE/CUDE as written, for the Regla 90 check at commit


class DianService:
    """DIAN's operations as the simulator answers them, plus the portal's registries."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        pool: Executor,
        *,
        processing_delay: float = DEFAULT_PROCESSING_DELAY,
    ) -> None:
        self._connection = connection
        self._pool = pool
        self._database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dian-db")
        self.registry = Registry(connection)
        self.ledger = Ledger(connection)
        self.batches = Batches(connection)
        self.test_sets = TestSets(connection)
        self.trust = TrustRecords(connection)
        self.processing_delay = processing_delay
        self._tasks: set[asyncio.Task[None]] = set()

    async def in_database(self, call: Callable[..., T], *args: object) -> T:
        """Run `call` on the database thread (the only thread that touches the database)."""
        return await asyncio.get_running_loop().run_in_executor(self._database, call, *args)

    async def _in_pool(self, call: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, call, *args)

    async def send_bill_sync(self, file_name: str, content: bytes) -> DianAnswer:
        """Validate one zipped document and give DIAN's synchronous answer."""
        inspection = await self._in_pool(intake.inspect_zip, content)
        return await self._validate(file_name, inspection)

    async def get_status(self, track_id: str) -> DianAnswer:
        """The stored answer for a document key, or DIAN's "not found"."""
        stored = await self.in_database(self.ledger.status, track_id)
        return stored if stored is not None else responses.unknown_track(track_id)

    async def receive(
        self, file_name: str, content: bytes, operation: str, test_set_id: str = ""
    ) -> Upload:
        """Store an asynchronous upload and schedule its validation; its ZipKey is known now."""
        upload = await self.in_database(
            self.batches.receive, file_name, operation, test_set_id, content, datetime.now(BOGOTA)
        )
        self._schedule(upload)
        return upload

    async def get_status_zip(self, zip_key: str) -> list[DianAnswer]:
        """GetStatusZip: pending, the batch's refusal, or one answer per document (and, in
        habilitación, the test set's status once it is decided)."""
        return await self.in_database(self._zip_status, zip_key)

    async def numbering_ranges(
        self, account_code: str, account_code_t: str, software_code: str
    ) -> RangeAnswer:
        """GetNumberingRange of an issuer, its provider and a software."""
        today = datetime.now(BOGOTA).date()
        return await self.in_database(
            numbering_ranges, self.registry, account_code, account_code_t, software_code, today
        )

    async def resume(self) -> None:
        """Schedule the uploads a previous run received but did not process."""
        for upload in await self.in_database(self.batches.unprocessed):
            self._schedule(upload)

    async def stop(self) -> None:
        """Stop processing uploads (unfinished ones are processed after the next start)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def close(self) -> None:
        """Finish pending database work and close the database."""
        self._database.submit(self._connection.close).result()
        self._database.shutdown(wait=True)

    def _schedule(self, upload: Upload) -> None:
        task = asyncio.get_running_loop().create_task(self._process(upload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, upload: Upload) -> None:
        try:
            await asyncio.sleep(self.processing_delay)
            test_set = await self.in_database(self.test_sets.get, upload.test_set_id)
            if upload.test_set_id and (test_set is None or test_set.status != IN_PROCESS):
                # A decided set takes no more documents: the batch only reports the set.
                status = test_set.status_text if test_set else "inexistente"
                answer = responses.set_status_line(upload.test_set_id, status)
                await self.in_database(
                    self.batches.finish, upload.zip_key, [], "2", answer.status_description
                )
                return
            problem, members = await self._in_pool(intake.unpack_batch, upload.content)
            if problem:
                await self.in_database(self.batches.finish, upload.zip_key, [], "89", problem)
                return
            inspections = await asyncio.gather(
                *(self._in_pool(intake.inspect_member, name, member) for name, member in members)
            )
            answers = []
            for position, inspection in enumerate(inspections):
                document = f"{upload.zip_key}:{position}"
                answers.append(
                    await self._validate(upload.file_name, inspection, test_set, document)
                )
            await self.in_database(self.batches.finish, upload.zip_key, answers)
        except asyncio.CancelledError:
            # Shutting down: the batch stays unprocessed and is taken up after the next start
            # (documents already stored then answer Regla 90, which means accepted).
            raise
        except Exception:
            # A bug must not leave the batch pending forever: answer as DIAN does when it
            # fails to build its answers, and let the client reconcile document by document.
            _log.exception("processing batch %s failed", upload.zip_key)
            await self.in_database(self.batches.finish, upload.zip_key, [], "66", BATCH_FAILED)

    async def _validate(
        self,
        file_name: str,
        inspection: Inspection,
        test_set: TestSet | None = None,
        document: str = "",
    ) -> DianAnswer:
        judgement = await self.in_database(self._judge, file_name, inspection)
        answer = judgement.answer
        if judgement.issued_at is not None and answer.application_response is not None:
            signed = await self._in_pool(
                dian_identity.sign_application_response,
                answer.application_response,
                judgement.issued_at,
            )
            answer = replace(answer, application_response=signed)
        return await self.in_database(
            self._commit, judgement, answer, inspection, test_set, document
        )

    def _judge(self, file_name: str, inspection: Inspection) -> Judgement:
        if inspection.archive_problem:
            return Judgement(responses.archive_failure(inspection.archive_problem, file_name))
        if inspection.too_large:
            return Judgement(responses.too_large(file_name))
        name = inspection.xml_name or file_name
        facts, signature = inspection.facts, inspection.signature
        if facts is None or signature is None:
            return Judgement(responses.schema_failure(inspection.schema_problem, name))
        kind = kind_of(facts.document_type)
        original = self.ledger.accepted_original(facts.issuer_nit, kind, facts.number, facts.uuid)
        if original is not None:
            return Judgement(responses.duplicate(original, name))
        lookups = Lookups(self.registry, self.ledger, facts.issuer_nit, facts.prefix)
        findings = evaluate(facts, signature, lookups)
        now = datetime.now(BOGOTA)
        entry = Entry(facts.issuer_nit, facts.number, facts.document_type, facts.issue_date)
        return Judgement(responses.verdict(facts, findings, name, now), entry, now, facts.uuid)

    def _commit(
        self,
        judgement: Judgement,
        answer: DianAnswer,
        inspection: Inspection,
        test_set: TestSet | None,
        document: str,
    ) -> DianAnswer:
        entry = judgement.entry
        if entry is not None:
            original = self.ledger.accepted_original(
                entry.nit, kind_of(entry.document_type), entry.number, judgement.key
            )
            if original is not None:  # an identical document was committed meanwhile
                answer = responses.duplicate(original, answer.file_name or "")
            else:
                self.ledger.record(entry, answer, datetime.now(BOGOTA))
        if test_set is not None:
            self._count(test_set, inspection, answer, document)
        return answer

    def _count(
        self, test_set: TestSet, inspection: Inspection, answer: DianAnswer, document: str
    ) -> None:
        facts = inspection.facts
        if facts is not None and facts.issuer_nit != test_set.nit:
            return  # another issuer's document does not count toward this set
        current = self.test_sets.get(test_set.test_set_id) or test_set
        document_type = facts.document_type if facts is not None else ""
        status = self.test_sets.count(
            current, answer.document_key or document, document_type, answer.is_valid
        )
        if status != current.status:
            _log.info("test set %s is now %s", test_set.test_set_id, status)

    def _zip_status(self, zip_key: str) -> list[DianAnswer]:
        state = self.batches.state(zip_key)
        if state is None:
            return [responses.unknown_batch()]
        if not state.done:
            return [responses.pending_batch()]
        if state.status_code:
            return [responses.batch_failure(state.status_code, state.status_description)]
        answers = list(state.answers)
        test_set = self.test_sets.get(state.test_set_id) if state.test_set_id else None
        if test_set is not None and test_set.status != IN_PROCESS:
            answers.append(responses.set_status_line(test_set.test_set_id, test_set.status_text))
        return answers
