"""`timbra demo`: stream realistic documents through IssueStream and measure what comes back."""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import grpc
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from services.countries.registry import demo_documents
from timbra.v1 import issuing_pb2, issuing_pb2_grpc

_FINAL = {issuing_pb2.ACCEPTED: "accepted", issuing_pb2.REJECTED: "rejected"}


@dataclass
class DemoResult:
    """What a demo run measured."""

    count: int
    streams: int
    elapsed: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    numbers: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float | None:
        """Nearest-rank percentile of request-to-final latency, in ms."""
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return round(ordered[rank - 1], 1)

    def summary(self) -> dict[str, Any]:
        """The run as one JSON-ready object."""
        finished = sum(self.outcomes.values())
        return {
            "documents": self.count,
            "streams": self.streams,
            "outcomes": dict(self.outcomes),
            "elapsed_seconds": round(self.elapsed, 3),
            "throughput_per_second": round(finished / self.elapsed, 1) if self.elapsed else 0.0,
            "latency_ms": {
                "p50": self.percentile(50),
                "p95": self.percentile(95),
                "p99": self.percentile(99),
                "max": round(max(self.latencies_ms), 1) if self.latencies_ms else None,
            },
            "rejection_reasons": dict(self.reasons.most_common(10)),
        }


async def find_issuer(channel: grpc.aio.Channel, country: str) -> str:
    """The first issuer with a registered range for `country` (the sandbox issuer by default)."""
    stub = issuing_pb2_grpc.IssuingStub(channel)
    response = await stub.ListNumberingRanges(
        issuing_pb2.ListNumberingRangesRequest(country=country)
    )
    if not response.ranges:
        raise SystemExit(f"no issuer has a numbering range for country {country!r} on the server")
    return response.ranges[0].issuer


async def _one_stream(
    stub: issuing_pb2_grpc.IssuingStub,
    requests: list[issuing_pb2.IssueRequest],
    result: DemoResult,
    advance: Any,
) -> None:
    sent_at: dict[str, float] = {}

    async def produce() -> AsyncIterator[issuing_pb2.IssueRequest]:
        for request in requests:
            sent_at[request.request_id] = time.perf_counter()
            yield request

    async for update in stub.IssueStream(produce()):
        if update.HasField("error"):
            result.outcomes["refused"] += 1
            result.reasons[f"{update.error.field}: {update.error.rule}"] += 1
            advance()
            continue
        final = _FINAL.get(update.state)
        if final is None:
            continue
        result.outcomes[final] += 1
        result.numbers.append(update.number)
        if final == "accepted":
            started = sent_at.get(update.request_id)
            if started is not None:
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
        else:
            for message in update.verdict.messages:
                result.reasons[f"{message.rule}: {message.text}"] += 1
        advance()


async def run_demo(
    target: str,
    *,
    country: str = "co",
    count: int = 1000,
    streams: int = 1,
    issuer: str = "",
    seed: int = 0,
    show_progress: bool = True,
) -> DemoResult:
    """Issue `count` demo documents over `streams` concurrent IssueStreams; wait for each."""
    async with grpc.aio.insecure_channel(target) as channel:
        issuer = issuer or await find_issuer(channel, country)
        documents = demo_documents(country, count, issuer, seed)
        run = uuid.uuid4().hex[:12]
        requests = [
            issuing_pb2.IssueRequest(request_id=f"demo-{run}-{i:07d}", document=d)
            for i, d in enumerate(documents)
        ]
        chunks = [requests[i::streams] for i in range(streams)]
        result = DemoResult(count=count, streams=streams)
        stub = issuing_pb2_grpc.IssuingStub(channel)
        progress = Progress(
            TextColumn("[bold]issuing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            disable=not show_progress,
            transient=False,
        )
        with progress:
            task = progress.add_task("demo", total=count, status="")

            def advance() -> None:
                status = " ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items()))
                progress.update(task, advance=1, status=status)

            started = time.perf_counter()
            await asyncio.gather(*(_one_stream(stub, c, result, advance) for c in chunks))
            result.elapsed = time.perf_counter() - started
        return result


def render(result: DemoResult) -> str:
    """The summary as text for a person."""
    s = result.summary()
    latency = s["latency_ms"]
    lines = [
        f"documents   {s['documents']} over {s['streams']} stream(s) in {s['elapsed_seconds']} s",
        "outcomes    " + ", ".join(f"{k} {v}" for k, v in sorted(s["outcomes"].items())),
        f"throughput  {s['throughput_per_second']} documents/s",
        f"latency     request → accepted: p50 {latency['p50']} ms, p95 {latency['p95']} ms, "
        f"p99 {latency['p99']} ms, max {latency['max']} ms",
    ]
    for reason, times in s["rejection_reasons"].items():
        lines.append(f"  {times:>6} × {reason}")
    return "\n".join(lines)
