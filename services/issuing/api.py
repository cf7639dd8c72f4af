"""The issuing gRPC API (DESIGN §2): Issue, IssueStream, GetDocument, ListDocuments,
WatchDocuments, and issuer and range registration."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import grpc

from services.core.grpc_server import abort
from services.core.rejection import InputRejected
from services.countries.registry import available, pack_for
from services.issuing.application import IssuingApp
from services.issuing.batcher import IssueQueue
from services.issuing.directory import Directory, Subscription, Summary
from services.issuing.domain import Document, State
from services.issuing.drafting import IssueOrder, IssueOutcome, request_digest
from services.issuing.references import check_reference
from services.issuing.views import (
    document_view,
    error_update,
    profile_view,
    range_view,
    states_of,
    update_from_document,
    update_from_summary,
)
from timbra.v1 import issuing_pb2, issuing_pb2_grpc

log = logging.getLogger(__name__)

_MAX_REQUEST_ID = 128


# Unfinished documents one IssueStream may hold. Enough to keep the pipeline full (throughput =
# documents in flight / time to a verdict: 256 over a second is 256/s per stream), few enough
# that a saturated platform makes the client wait within seconds instead of buffering
# thousands of documents (measured: with 2000, a 3000-document run had all 3000 in flight).
MAX_OPEN_PER_STREAM = 256


class IssuingServicer(issuing_pb2_grpc.IssuingServicer):
    """Adapts gRPC calls to the issuing application."""

    def __init__(
        self,
        app: IssuingApp,
        queue: IssueQueue,
        directory: Directory,
        *,
        max_open_per_stream: int = MAX_OPEN_PER_STREAM,
    ) -> None:
        self.app = app
        self.queue = queue
        self.directory = directory
        self.max_open_per_stream = max_open_per_stream

    # -- issuing -------------------------------------------------------------------------

    def order(self, request: issuing_pb2.IssueRequest) -> IssueOrder:
        """Validate a request into an order; raises InputRejected naming the field."""
        request_id = request.request_id
        if not request_id:
            raise InputRejected("request_id", "is required (the issuer's idempotency key)")
        if len(request_id) > _MAX_REQUEST_ID or not request_id.isprintable():
            raise InputRejected(
                "request_id", f"must be 1 to {_MAX_REQUEST_ID} printable characters"
            )
        if not request.HasField("document"):
            raise InputRejected("document", "is required")
        document = request.document
        pack = pack_for(document.country)
        if not document.issuer:
            raise InputRejected("document.issuer", "is required (the registered issuer's tax id)")
        self.app.issuer_profile(document.country, document.issuer)
        parsed = pack.parse_document(document, "document")
        if parsed.reference is not None:
            check_reference(self.directory, document.country, document.issuer, parsed.reference)
        return IssueOrder(
            request_id=request_id,
            country=document.country,
            issuer=document.issuer,
            pack=pack,
            document=parsed,
            request_digest=request_digest(document.SerializeToString(deterministic=True)),
            range_field=parsed.range_field,
        )

    async def Issue(self, request, context):
        """Issue one document; returns once it is numbered."""
        try:
            outcome = await self.queue.issue(self.order(request))
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        if outcome.error is not None:
            await abort(context, outcome.error)
        assert outcome.document is not None
        return update_from_document(outcome.document, outcome.duplicate)

    async def IssueStream(self, request_iterator, context) -> AsyncIterator[Any]:
        """Issue many documents; stream each one's updates until it is final."""
        stream = _Stream(self, asyncio.get_running_loop())
        reader = asyncio.create_task(stream.read(request_iterator))
        try:
            while True:
                item = await stream.out.get()
                if item is None:
                    break
                yield item
            await reader
        finally:
            stream.close()
            reader.cancel()

    # -- reading -------------------------------------------------------------------------

    def _resolve(self, request: issuing_pb2.GetDocumentRequest) -> Summary:
        which = request.WhichOneof("by")
        if which == "document_id":
            try:
                document_id = uuid.UUID(request.document_id)
            except ValueError:
                raise InputRejected("document_id", "must be a UUID") from None
            summary = self.directory.get(document_id)
        elif which in ("number", "request_id"):
            if not request.issuer:
                raise InputRejected("issuer", f"is required to find a document by {which}")
            summary = None
            for country in available():
                if which == "number":
                    summary = self.directory.by_number(country, request.issuer, request.number)
                else:
                    summary = self.directory.get(
                        Document.id_for(country, request.issuer, request.request_id)
                    )
                if summary:
                    break
        else:
            raise InputRejected("by", "give document_id, or issuer with number or request_id")
        if summary is None:
            raise InputRejected(which or "by", "no such document", grpc.StatusCode.NOT_FOUND)
        return summary

    def _view(self, summary: Summary, include_files: bool, history: bool) -> Any:
        document = self.app.find_document(summary.document_id) if include_files else None
        events = self.app.history(summary.document_id) if history else []
        return document_view(summary, document, events)

    async def GetDocument(self, request, context):
        """One document, its history and optionally its files."""
        try:
            summary = self._resolve(request)
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return await asyncio.to_thread(self._view, summary, request.include_files, True)

    async def ListDocuments(self, request, context) -> AsyncIterator[Any]:
        """Documents matching the filter, oldest first."""
        found = self.directory.select(
            country=request.country,
            issuer=request.issuer,
            states=states_of(request.states),
            number=request.number,
            limit=request.limit,
        )
        for summary in found:
            yield await asyncio.to_thread(self._view, summary, request.include_files, False)

    async def WatchDocuments(self, request, context) -> AsyncIterator[Any]:
        """State changes as they happen, optionally after what is already recorded."""
        ids = {uuid.UUID(i) for i in request.document_ids}
        states = states_of(request.states)

        def wanted(summary: Summary) -> bool:
            return (
                (not request.issuer or summary.issuer == request.issuer)
                and (not ids or summary.document_id in ids)
                and (not states or summary.state in states)
            )

        subscription = Subscription(self.directory, asyncio.get_running_loop(), wanted)
        # What the replay sent: changes already queued by then must not be sent again, or
        # after a later state. Only replayed documents are kept, and a document leaves once
        # its final state went out live, so a watcher left running for months stays small.
        sent: dict[uuid.UUID, State] = {}
        try:
            if request.from_beginning:
                for summary in self.directory.select(issuer=request.issuer):
                    if wanted(summary):
                        sent[summary.document_id] = summary.state
                        yield update_from_summary(summary)
            while True:
                summary = await subscription.next()
                if summary is None:
                    await context.abort(
                        grpc.StatusCode.RESOURCE_EXHAUSTED,
                        "watcher fell too far behind; reconnect with from_beginning",
                    )
                    return
                replayed = sent.get(summary.document_id)
                if replayed is not None:
                    if replayed >= summary.state:
                        continue
                    if summary.state.final:
                        del sent[summary.document_id]
                    else:
                        sent[summary.document_id] = summary.state
                yield update_from_summary(summary)
        finally:
            subscription.close()

    # -- registration --------------------------------------------------------------------

    async def RegisterIssuer(self, request, context):
        """Register or update an issuer; the PINs are stored sealed and never returned."""
        try:
            profile = pack_for(request.country, field="country").parse_issuer(request, "issuer")
            await asyncio.to_thread(self.app.register_issuer, profile)
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return profile_view(profile)

    async def GetIssuer(self, request, context):
        """A registered issuer's profile, without its PINs."""
        try:
            pack_for(request.country, field="country")
            profile = await asyncio.to_thread(
                self.app.issuer_profile, request.country, request.issuer, "issuer"
            )
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return profile_view(profile)

    async def SetTestSet(self, request, context):
        """Enter or leave habilitación."""
        try:
            pack_for(request.country, field="country")
            profile = await asyncio.to_thread(
                self.app.set_test_set, request.country, request.issuer, request.test_set_id
            )
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return profile_view(profile)

    async def RegisterNumberingRange(self, request, context):
        """Register an authorised numbering range."""
        try:
            spec = pack_for(request.country, field="country").parse_range(request, "range")
            numbering = await asyncio.to_thread(self.app.register_range, spec)
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return range_view(numbering)

    async def LoadNumberingFile(self, request, context):
        """Register a range from the authority's file (CL: a CAF); its private key is dropped
        here and must go to the signing service."""
        try:
            pack = pack_for(request.country, field="country")
            numbering_file = pack.parse_numbering_file(request.issuer, request.content, "content")
            numbering = await asyncio.to_thread(self.app.register_range, numbering_file.range)
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return range_view(numbering)

    async def AnnulNumbers(self, request, context):
        """Annul unused numbers of a range, with a reason."""
        try:
            try:
                range_id = uuid.UUID(request.range_id)
            except ValueError:
                raise InputRejected("range_id", "must be a UUID") from None
            numbering = await asyncio.to_thread(
                self.app.annul_numbers,
                range_id,
                request.number_from,
                request.number_to,
                request.reason,
            )
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return range_view(numbering)

    async def ListNumberingRanges(self, request, context):
        """Registered ranges with how many numbers remain."""
        ranges = await asyncio.to_thread(self.app.all_ranges)
        return issuing_pb2.ListNumberingRangesResponse(
            ranges=[
                range_view(r)
                for r in ranges
                if (not request.issuer or r.issuer == request.issuer)
                and (not request.country or r.country == request.country)
            ]
        )


class _Stream:
    """One IssueStream call: reads requests, issues them, and merges their updates in `out`.

    At most `max_open_per_stream` documents may be unfinished at once on a stream; the reader
    waits for one to finish before taking the next request, so the stream's memory is bounded
    and a saturated pipeline slows the client down instead of queueing without limit.
    """

    def __init__(self, servicer: IssuingServicer, loop: asyncio.AbstractEventLoop) -> None:
        self.servicer = servicer
        self.loop = loop
        self.out: asyncio.Queue[Any] = asyncio.Queue()
        self.sent: dict[uuid.UUID, State] = {}
        self.slots = asyncio.Semaphore(servicer.max_open_per_stream)
        self.open = 0
        self.reading = True
        self.tasks: set[asyncio.Task[None]] = set()
        self._unsubscribe = servicer.directory.subscribe(
            lambda summary: loop.call_soon_threadsafe(self._progress, summary)
        )

    def close(self) -> None:
        """Stop listening and cancel what is still waiting for numbers."""
        self._unsubscribe()
        for task in self.tasks:
            task.cancel()

    async def read(self, requests: AsyncIterator[Any]) -> None:
        """Take requests until the client half-closes."""
        try:
            async for request in requests:
                await self.slots.acquire()
                self.open += 1
                task = asyncio.create_task(self._take(request))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
        finally:
            self.reading = False
            self._maybe_done()

    async def _take(self, request: issuing_pb2.IssueRequest) -> None:
        try:
            outcome = await self.servicer.queue.issue(self.servicer.order(request))
        except InputRejected as refusal:
            outcome = IssueOutcome(error=refusal)
        except Exception:
            log.exception("issuing %r failed", request.request_id)
            outcome = IssueOutcome(
                error=InputRejected("request_id", "internal error", grpc.StatusCode.INTERNAL)
            )
        if outcome.error is not None or outcome.document is None:
            self.out.put_nowait(error_update(request.request_id, outcome.error))
            self._finish()
            return
        document = outcome.document
        self.out.put_nowait(update_from_document(document, outcome.duplicate))
        if document.state.final:
            self._finish()
            return
        self.sent[document.id] = document.state
        current = self.servicer.directory.get(document.id)
        if current is not None:
            self._progress(current)

    def _progress(self, summary: Summary) -> None:
        # Only this stream's unfinished documents are here: a finished one leaves, so a
        # stream kept open for days holds no more than its window of documents.
        last = self.sent.get(summary.document_id)
        if last is None or summary.state <= last:
            return
        self.out.put_nowait(update_from_summary(summary))
        if summary.state.final:
            del self.sent[summary.document_id]
            self._finish()
        else:
            self.sent[summary.document_id] = summary.state

    def _finish(self) -> None:
        self.open -= 1
        self.slots.release()
        self._maybe_done()

    def _maybe_done(self) -> None:
        if not self.reading and self.open == 0:
            self.out.put_nowait(None)
