"""Collects issue orders from every request and stream and drafts them in batches.

One writer thread drafts: a batch costs one range event and one transaction, and the writer
never conflicts with itself over a range. The queue is bounded, so when drafting falls behind
the callers wait, and gRPC flow control carries that back to the clients.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging

from services.issuing.drafting import Drafter, IssueOrder, IssueOutcome

log = logging.getLogger(__name__)


class IssueQueue:
    """An asyncio front to the Drafter: `await issue(order)` returns that order's outcome."""

    def __init__(self, drafter: Drafter, *, batch_size: int = 200, capacity: int = 4000) -> None:
        self.drafter = drafter
        self.batch_size = batch_size
        self._queue: asyncio.Queue[tuple[IssueOrder, asyncio.Future[IssueOutcome]]] = asyncio.Queue(
            maxsize=capacity
        )
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="drafting")
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the batching loop on the running event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="issue-batcher")

    async def stop(self) -> None:
        """Stop batching; orders still queued are failed."""
        if self._task:
            self._task.cancel()
        while not self._queue.empty():
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(RuntimeError("issuing is shutting down"))
        self._writer.shutdown(wait=True)

    async def issue(self, order: IssueOrder) -> IssueOutcome:
        """Queue one order and wait for its number (or its refusal)."""
        future: asyncio.Future[IssueOutcome] = asyncio.get_running_loop().create_future()
        await self._queue.put((order, future))
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            orders = [order for order, _ in batch]
            try:
                outcomes = await loop.run_in_executor(self._writer, self.drafter.draft, orders)
            except Exception as error:
                log.exception("drafting a batch of %d failed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)
