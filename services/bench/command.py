"""`timbra bench SCENARIO`: the command line of the benchmark harness."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the harness's modules load only when a benchmark runs
    from services.bench.report import BenchReport

SCENARIOS = ("sign-co", "sign-cl", "e2e", "replay", "baseline-facho")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0 < value <= 100_000:
        raise argparse.ArgumentTypeError("must be above 0 and at most 100000 documents/s")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0.1 <= value <= 60:
        raise argparse.ArgumentTypeError("must be from 0.1 to 60 seconds")
    return value


def _signing(args: argparse.Namespace) -> BenchReport:
    from services.bench.signing_scenario import run_signing

    return run_signing(
        args.scenario.removeprefix("sign-"), args.count or 2000, args.ceiling_seconds
    )


def _e2e(args: argparse.Namespace) -> BenchReport:
    from services.bench.e2e import E2eOptions, run_e2e, show_progress
    from services.bench.load import LoadPlan

    if (args.transport == "kafka") != (args.store == "postgres"):
        raise SystemExit("timbra bench: --transport kafka goes with --store postgres (and only)")
    plan = LoadPlan(args.country, args.count or 5000, args.streams, args.rate, args.seed)
    options = E2eOptions(
        plan,
        transport=args.transport,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        compare=not args.no_compare,
        progress=not args.json and show_progress(),
    )
    return run_e2e(options, args.ceiling_seconds)


def _replay(args: argparse.Namespace) -> BenchReport:
    from services.bench.e2e import show_progress
    from services.bench.load import LoadPlan
    from services.bench.replay_scenario import run_replay

    plan = LoadPlan(args.country, args.count or 5000, args.streams, None, args.seed)
    data_dir = Path(args.data_dir) if args.data_dir else None
    return run_replay(data_dir, plan, args.ceiling_seconds, not args.json and show_progress())


def _baseline(args: argparse.Namespace) -> BenchReport:
    from services.bench.baseline_scenario import run_baseline
    from services.bench.facho_loader import FachoMissing

    try:
        return run_baseline(args.count or 2000, args.ceiling_seconds)
    except FachoMissing as missing:
        raise SystemExit(f"timbra bench: {missing}") from None


_RUNNERS: dict[str, Callable[[argparse.Namespace], BenchReport]] = {
    "sign-co": _signing,
    "sign-cl": _signing,
    "e2e": _e2e,
    "replay": _replay,
    "baseline-facho": _baseline,
}


def cmd_bench(args: argparse.Namespace) -> int:
    """timbra bench: run one scenario, print a table or (--json) one JSON object."""
    report = _RUNNERS[args.scenario](args)
    if args.json:
        print(json.dumps(report.as_json()))
    else:
        print(report.render())
    return 0


def register(commands: Any) -> None:
    """Add `bench` to the `timbra` command line."""
    bench = commands.add_parser(
        "bench",
        help="measure throughput and latency on this machine",
        description=(
            "Run a benchmark scenario. Every run also measures this machine's RSA-2048 "
            "signing ceiling, and reports each figure as a ratio of it."
        ),
    )
    bench.add_argument("scenario", choices=SCENARIOS)
    bench.add_argument(
        "--count",
        type=_positive,
        help="documents (per process for sign-*; timbra's for baseline-facho; default 2000)",
    )
    bench.add_argument(
        "--ceiling-seconds",
        type=_seconds,
        default=2.0,
        help="how long the RSA ceiling is measured, per pass (default %(default)s)",
    )
    e2e = bench.add_argument_group("e2e")
    e2e.add_argument("--country", choices=["co", "cl", "mixed"], default="co")
    e2e.add_argument("--streams", type=_positive, default=4, help="concurrent IssueStreams")
    e2e.add_argument(
        "--rate",
        type=_rate,
        help="open loop: documents per second, whatever the platform does (default: closed loop)",
    )
    e2e.add_argument("--transport", choices=["embedded", "kafka"], default="embedded")
    e2e.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    e2e.add_argument(
        "--no-compare",
        action="store_true",
        help="distributed: skip measuring the embedded figure for comparison",
    )
    e2e.add_argument("--seed", type=int, default=0, help="seed of the demo documents")
    e2e.add_argument("--data-dir", help="keep the platform's data here (default: a temp dir)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.set_defaults(func=cmd_bench)
