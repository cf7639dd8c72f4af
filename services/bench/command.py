"""`timbra bench SCENARIO`: the command line of the benchmark harness."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the harness's modules load only when a benchmark runs
    from services.bench.report import BenchReport

SCENARIOS = ("sign-co", "sign-cl")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
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


_RUNNERS: dict[str, Callable[[argparse.Namespace], BenchReport]] = {
    "sign-co": _signing,
    "sign-cl": _signing,
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
        "--count", type=_positive, help="documents (per process for sign-*; default 2000)"
    )
    bench.add_argument(
        "--ceiling-seconds",
        type=_seconds,
        default=2.0,
        help="how long the RSA ceiling is measured, per pass (default %(default)s)",
    )
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.set_defaults(func=cmd_bench)
