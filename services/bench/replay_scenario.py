"""The `replay` scenario around `replay.py`: an existing store, or one filled for the purpose
by an embedded run of the demo documents, then replayed with the platform stopped."""

from __future__ import annotations

import tempfile
from pathlib import Path

from services.bench.ceiling import measure_ceiling
from services.bench.e2e import measure_platform
from services.bench.load import LoadPlan
from services.bench.replay import replay
from services.bench.report import BenchReport, Target

EVENTS_PER_SECOND_GOAL = 20_000.0


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
        replayed = replay(store)
    results = {
        "documents": replayed.documents,
        "numbering_ranges": replayed.ranges,
        "events": replayed.events,
        "seconds": round(replayed.seconds, 3),
        "events_per_second": round(replayed.events_per_second, 1),
        "events_per_document": round(replayed.events / replayed.documents, 2)
        if replayed.documents
        else None,
    }
    return BenchReport(
        scenario="replay",
        ceiling=ceiling,
        results=results,
        ratios={
            "events_per_second_per_rsa_signature_per_core": replayed.events_per_second
            / ceiling.per_core
        },
        targets=[
            Target(
                "events replayed per second",
                replayed.events_per_second,
                EVENTS_PER_SECOND_GOAL,
                unit="/s",
            )
        ],
        notes=notes,
        options={"data_dir": str(data_dir) if data_dir else None, "count": plan.count},
    )
