"""The `e2e` scenario: documents streamed over gRPC through issuing, signing, transmission and
the simulators to a final state, on the embedded default or on the distributed layout.

Published: documents per second, request-to-accepted latency percentiles, the most documents
in flight at once (back-pressure: it must stay bounded), and every process's resident memory:
its peak, its level after warm-up and at the end, and the growth in between.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from services.bench import layouts
from services.bench.ceiling import measure_ceiling
from services.bench.load import LoadPlan, LoadResult, drive
from services.bench.processes import MemorySampler
from services.bench.report import BenchReport, Target

# Issue 5's goals on a 2-core machine.
THROUGHPUT_GOAL = 400.0  # documents/s, closed loop, embedded
P99_GOAL_MS = 250.0  # at half the throughput goal, open loop
MEMORY_GROWTH_GOAL = 0.10  # after warm-up
DISTRIBUTED_SHARE_GOAL = 0.80  # of the embedded figure, same machine
WARM_UP = 0.2  # share of the documents after which memory is taken as warmed up


@dataclass(frozen=True)
class E2eOptions:
    """One e2e run."""

    plan: LoadPlan
    transport: str = "embedded"  # or "kafka" (with store "postgres")
    data_dir: Path | None = None
    compare: bool = True  # distributed: also measure the embedded figure, same plan
    progress: bool = True


def _layout(transport: str, data_dir: Path) -> AbstractContextManager[layouts.Platform]:
    return layouts.distributed(data_dir) if transport == "kafka" else layouts.embedded(data_dir)


def measure_platform(
    transport: str, plan: LoadPlan, data_dir: Path, progress: bool
) -> tuple[LoadResult, MemorySampler]:
    """Start the layout, drive the plan through it, sample memory; stop it."""
    with _layout(transport, data_dir) as platform:
        finished = [0]
        sampler = MemorySampler(lambda: platform.roots, lambda: finished[0] / plan.count)
        sampler.start()
        sampler.wait_started()
        bar = Progress(
            TextColumn(f"[bold]{transport} {plan.country}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not progress,
            transient=True,
        )
        with bar:
            task = bar.add_task("e2e", total=plan.count)

            def on_final(result: LoadResult) -> None:
                finished[0] = result.finished
                if result.finished % 100 == 0 or result.finished == plan.count:
                    bar.update(task, completed=result.finished)

            result = asyncio.run(drive(platform.target, plan, on_final))
        sampler.stop()
    return result, sampler


def figures(result: LoadResult, sampler: MemorySampler) -> dict[str, Any]:
    """What a run publishes."""
    finished = result.finished
    memory = {name: memory.summary(WARM_UP) for name, memory in sorted(sampler.processes.items())}
    return {
        "documents": result.plan.count,
        "outcomes": dict(result.outcomes),
        "elapsed_seconds": round(result.elapsed, 3),
        "documents_per_second": round(finished / result.elapsed, 1),
        "latency_ms": {
            "p50": result.percentile(50),
            "p95": result.percentile(95),
            "p99": result.percentile(99),
            "max": round(max(result.latencies_ms), 1) if result.latencies_ms else None,
        },
        "max_in_flight": result.max_in_flight,
        "memory": memory,
        **cpu_per_document(memory, finished),
        "rejection_reasons": dict(result.reasons.most_common(5)),
    }


def cpu_per_document(memory: dict[str, dict[str, Any]], finished: int) -> dict[str, Any]:
    """CPU time per document of the platform's processes and of the authority simulators, which
    share the machine in this run but would not in production; and so the documents per second
    per core the platform's own processes would clear."""
    spent = {"platform": 0.0, "simulators": 0.0}
    for name, figures_of in memory.items():
        spent["simulators" if "simulator" in name else "platform"] += figures_of["cpu_seconds"]
    per_document = {
        part: round(1000 * seconds / finished, 2) if finished else None
        for part, seconds in spent.items()
    }
    platform = per_document["platform"]
    return {
        "cpu_ms_per_document": per_document,
        "platform_documents_per_second_per_core": round(1000 / platform, 1) if platform else None,
    }


def run_e2e(options: E2eOptions, ceiling_seconds: float) -> BenchReport:
    """Measure the ceiling, then the platform under the plan (and, distributed, the embedded
    figure for comparison)."""
    ceiling = measure_ceiling(ceiling_seconds)
    plan = options.plan
    with tempfile.TemporaryDirectory(prefix="timbra-bench-") as scratch:
        base = options.data_dir or Path(scratch)
        result, sampler = measure_platform(
            options.transport, plan, base / options.transport, options.progress
        )
        results = figures(result, sampler)
        embedded_rate = None
        if options.transport == "kafka" and options.compare:
            again, again_memory = measure_platform(
                "embedded", plan, base / "embedded", options.progress
            )
            results["embedded_same_plan"] = figures(again, again_memory)
            embedded_rate = results["embedded_same_plan"]["documents_per_second"]
    rate = results["documents_per_second"]
    ratios = {
        "documents_per_second_of_ceiling_all_cores": rate / ceiling.all_cores,
        "documents_per_second_of_ceiling_per_core": rate / ceiling.per_core,
    }
    targets = _targets(options, results, embedded_rate)
    if embedded_rate:
        ratios["distributed_of_embedded"] = rate / embedded_rate
    notes = []
    if result.outcomes.get("accepted", 0) != plan.count:
        notes.append(f"not every document was accepted: {dict(result.outcomes)}")
    return BenchReport(
        scenario="e2e"
        if options.transport == "embedded"
        else "e2e --transport kafka --store postgres",
        ceiling=ceiling,
        results=results,
        ratios=ratios,
        targets=targets,
        notes=notes,
        options={
            "country": plan.country,
            "count": plan.count,
            "streams": plan.streams,
            "rate": plan.rate,
            "transport": options.transport,
            "store": "postgres" if options.transport == "kafka" else "sqlite",
        },
    )


def _targets(
    options: E2eOptions, results: dict[str, Any], embedded_rate: float | None
) -> list[Target]:
    plan = options.plan
    targets = []
    growth = [
        m["growth_after_warm_up"]
        for m in results["memory"].values()
        if m["growth_after_warm_up"] is not None
    ]
    if plan.rate is None:
        targets.append(
            Target(
                "documents per second (closed loop)",
                results["documents_per_second"],
                THROUGHPUT_GOAL,
                unit="/s",
            )
        )
    else:
        targets.append(
            Target(
                "p99 request → accepted (open loop)",
                results["latency_ms"]["p99"],
                P99_GOAL_MS,
                at_most=True,
                unit="ms",
            )
        )
        targets.append(
            Target(
                "rate sustained, share of the rate asked",
                results["documents_per_second"] / plan.rate,
                0.98,
            )
        )
    targets.append(
        Target(
            "largest memory growth after warm-up",
            max(growth) if growth else None,
            MEMORY_GROWTH_GOAL,
            at_most=True,
        )
    )
    if options.transport == "kafka":
        share = results["documents_per_second"] / embedded_rate if embedded_rate else None
        targets.append(
            Target("distributed, share of the embedded figure", share, DISTRIBUTED_SHARE_GOAL)
        )
    return targets


def show_progress() -> bool:
    """A progress bar only for a person at a terminal."""
    return sys.stderr.isatty()
