"""The load an issuer puts on the platform: documents streamed over `IssueStream`, closed loop
(as fast as the platform takes them) or open loop (at a fixed rate, whatever happens).

Documents come from the countries' demo generators, made in chunks while the run goes, so a
run of 100,000 documents does not hold them all in memory. Latency runs from the moment a
request is handed to gRPC (closed loop) or from the moment it was due (open loop: a platform
that falls behind is charged for the wait, not excused by it) to its final state.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

import grpc

from services.countries.registry import demo_documents
from timbra.v1 import document_pb2, issuing_pb2, issuing_pb2_grpc

_FINAL = {issuing_pb2.ACCEPTED: "accepted", issuing_pb2.REJECTED: "rejected"}
_CHUNK = 500


@dataclass(frozen=True)
class LoadPlan:
    """How many documents of which country, over how many streams, at what rate (None: as fast
    as the platform takes them)."""

    country: str
    count: int
    streams: int = 4
    rate: float | None = None
    seed: int = 0

    def countries(self) -> tuple[str, ...]:
        """The countries the documents alternate between."""
        return ("co", "cl") if self.country == "mixed" else (self.country,)


@dataclass
class LoadResult:
    """What the run measured."""

    plan: LoadPlan
    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0
    sent: int = 0
    finished: int = 0
    max_in_flight: int = 0

    @property
    def elapsed(self) -> float:
        """Seconds from the first request to the last final state."""
        return max(self.ended - self.started, 1e-9)

    def percentile(self, p: float) -> float | None:
        """Nearest-rank percentile of request-to-final latency of accepted documents, in ms."""
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return round(ordered[max(1, -(-len(ordered) * p // 100)) - 1], 1)


class _Documents:
    """Demo documents for each country, generated a chunk at a time."""

    def __init__(self, countries: tuple[str, ...], issuers: dict[str, str], seed: int) -> None:
        self._streams = {c: self._generate(c, issuers[c], seed) for c in countries}
        self._countries = countries

    @staticmethod
    def _generate(country: str, issuer: str, seed: int) -> Iterator[document_pb2.Document]:
        chunk = 0
        while True:
            yield from demo_documents(country, _CHUNK, issuer, seed * 1_000_003 + chunk)
            chunk += 1

    def take(self, index: int) -> document_pb2.Document:
        """The next document of the country whose turn `index` is."""
        return next(self._streams[self._countries[index % len(self._countries)]])


async def _issuers(channel: grpc.aio.Channel, countries: tuple[str, ...]) -> dict[str, str]:
    stub = issuing_pb2_grpc.IssuingStub(channel)
    found = {}
    for country in countries:
        ranges = await stub.ListNumberingRanges(
            issuing_pb2.ListNumberingRangesRequest(country=country)
        )
        if not ranges.ranges:
            raise RuntimeError(f"no issuer has a numbering range for {country} on the platform")
        found[country] = ranges.ranges[0].issuer
    return found


async def drive(
    target: str, plan: LoadPlan, on_final: Callable[[LoadResult], None] | None = None
) -> LoadResult:
    """Run the plan against the issuing API at `target`; returns when every document is final."""
    result = LoadResult(plan)
    options = [("grpc.max_receive_message_length", 16 * 1024 * 1024)]
    async with grpc.aio.insecure_channel(target, options=options) as channel:
        documents = _Documents(
            plan.countries(), await _issuers(channel, plan.countries()), plan.seed
        )
        stub = issuing_pb2_grpc.IssuingStub(channel)
        run = uuid.uuid4().hex[:10]
        due: dict[str, float] = {}
        next_index = iter(range(plan.count))
        result.started = time.perf_counter()

        async def requests() -> AsyncIterator[issuing_pb2.IssueRequest]:
            # Streams share one sequence of documents and, open loop, one schedule.
            for index in next_index:
                if plan.rate:
                    scheduled = result.started + index / plan.rate
                    wait = scheduled - time.perf_counter()
                    if wait > 0:
                        await asyncio.sleep(wait)
                request_id = f"bench-{run}-{index:08d}"
                document = documents.take(index)
                due[request_id] = scheduled if plan.rate else time.perf_counter()
                result.sent += 1
                result.max_in_flight = max(result.max_in_flight, result.sent - result.finished)
                yield issuing_pb2.IssueRequest(request_id=request_id, document=document)

        async def stream() -> None:
            async for update in stub.IssueStream(requests()):
                if update.HasField("error"):
                    outcome = "refused"
                    result.reasons[f"{update.error.field}: {update.error.rule}"] += 1
                else:
                    outcome = _FINAL.get(update.state, "")
                    if not outcome:
                        continue
                    if outcome == "accepted":
                        started = due.pop(update.request_id, None)
                        if started is not None:
                            result.latencies_ms.append((time.perf_counter() - started) * 1000)
                    else:
                        for message in update.verdict.messages:
                            result.reasons[f"{message.rule}: {message.text}"] += 1
                result.outcomes[outcome] += 1
                result.finished += 1
                result.ended = time.perf_counter()
                if on_final is not None:
                    on_final(result)

        await asyncio.gather(*(stream() for _ in range(plan.streams)))
    return result
