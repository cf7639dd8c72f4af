"""Run the DIAN simulator: `python -m services.countries.co.simulator --port 0 --data-dir DIR`.

Its options are DIAN's (worker processes or threads, the asynchronous processing delay, the
CAs WS-Security trusts); starting, announcing its URLs and stopping are
`services.core.simulator_process`'s.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from services.core import simulator_process
from services.countries.co.simulator.server import SERVICE_PATH, build_app
from services.countries.co.simulator.service import DEFAULT_PROCESSING_DELAY


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = simulator_process.simulator_arguments(
        "python -m services.countries.co.simulator", workers_help="validation workers"
    )
    parser.add_argument(
        "--threads",
        action="store_true",
        help="validate in threads instead of worker processes (fewer processes, less throughput)",
    )
    parser.add_argument(
        "--processing-delay",
        type=float,
        default=DEFAULT_PROCESSING_DELAY,
        help="seconds before an asynchronous upload (SendBillAsync, SendTestSetAsync) is validated",
    )
    parser.add_argument(
        "--trust-ca",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="PEM file of CAs whose certificates may sign requests (WS-Security); turns the "
        "chain-of-trust check on (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m services.countries.co.simulator`."""
    arguments = _arguments(argv)
    return simulator_process.run(
        lambda: build_app(
            arguments.data_dir,
            workers=arguments.workers,
            processes=not arguments.threads,
            processing_delay=arguments.processing_delay,
            trust_cas=arguments.trust_ca,
        ),
        arguments,
        name="DIAN simulator",
        log=logging.getLogger("timbra.dian.simulator"),
        service_path=SERVICE_PATH,
    )


if __name__ == "__main__":
    sys.exit(main())
