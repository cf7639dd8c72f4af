"""The `replay` scenario around `replay.py`: an existing store, or one filled for the purpose
by an embedded run of the demo documents, then replayed with the platform stopped."""

from __future__ import annotations

import tempfile
from pathlib import Path

from services.bench.ceiling import measure_ceiling
from services.bench.e2e import measure_platform
from services.bench.load import LoadPlan
from services.bench.parallel import cores, measure
from services.bench.replay import ReplayJob, replay_share, streams
from services.bench.report import BenchReport, Target

# Issue 5 asked for 20,000 events/s; measured 26,800 on two cores, so the bar was raised.
EVENTS_PER_SECOND_GOAL = 25_000.0


def run_replay(
    data_dir: Path | None, plan: LoadPlan, ceiling_seconds: float, progress: bool
) -> BenchReport:
    """Replay the issuing store under `data_dir`, or fill one with `plan` first."""
    ceiling = measure_ceiling(ceiling_seconds)
    notes = []
    with tempfile.TemporaryDirectory(prefix="timbra-bench-") as scratch:
        store = data_dir
        if store is None or not (store / "issuing.sqlite3").exists():
            store = (data_dir or Path(scratch)) / "embedded"
            filled, _ = measure_platform("embedded", plan, store, progress)
            notes.append(
                f"store filled by an embedded run of {plan.count} {plan.country} documents "
                f"({dict(filled.outcomes)})"
            )
        documents, ranges = streams(store)
        one = measure(replay_share, ReplayJob(str(store)), 1)
        every = cores()
        shares = [ReplayJob(str(store), part, every) for part in range(every)]
        all_cores = measure(replay_share, None, every, arguments=shares)
    if all_cores.units != one.units:
        raise AssertionError(
            f"the shares replayed {all_cores.units} events, the whole store {one.units}"
        )
    per_second = all_cores.rate
    results = {
        "documents": documents,
        "numbering_ranges": ranges,
        "events": one.units,
        "events_per_document": round(one.units / documents, 2) if documents else None,
        "events_per_second_one_process": round(one.rate, 1),
        "events_per_second": round(per_second, 1),
        "processes": all_cores.processes,
        "seconds": round(all_cores.seconds, 3),
    }
    return BenchReport(
        scenario="replay",
        ceiling=ceiling,
        results=results,
        ratios={
            "events_per_second_per_rsa_signature_per_core": one.rate / ceiling.per_core,
            "events_per_second_all_cores_per_rsa_signature_all_cores": per_second
            / ceiling.all_cores,
        },
        targets=[
            Target(
                "events replayed per second (all cores)",
                per_second,
                EVENTS_PER_SECOND_GOAL,
                unit="/s",
            )
        ],
        notes=notes,
        options={"data_dir": str(data_dir) if data_dir else None, "count": plan.count},
    )
