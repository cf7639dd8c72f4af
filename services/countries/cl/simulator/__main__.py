"""Run the SII simulator: `python -m services.countries.cl.simulator --port 0 --data-dir DIR`.

Its options are the SII's (how fast upload states advance, seed and token lifetimes, the IDK of
the CAF key); starting, announcing its URLs and stopping are `services.core.simulator_process`'s.
"""

from __future__ import annotations

import argparse
import logging
import sys

from services.core import simulator_process
from services.countries.cl.simulator.server import build_app
from services.countries.cl.simulator.service import DEFAULT_STEP_DELAY
from services.countries.cl.simulator.sii_key import CERTIFICATION_IDK


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = simulator_process.simulator_arguments(
        "python -m services.countries.cl.simulator", workers_help="validation threads"
    )
    parser.add_argument(
        "--step-delay",
        type=float,
        default=DEFAULT_STEP_DELAY,
        help="seconds between the states an upload shows (REC, SOK, CRT, FOK, PDR, EPR)",
    )
    parser.add_argument("--seed-lifetime", type=float, default=None, help="seconds (120)")
    parser.add_argument("--token-lifetime", type=float, default=None, help="seconds (3600)")
    parser.add_argument(
        "--idk", type=int, default=CERTIFICATION_IDK, help="IDK of the key signing CAFs"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m services.countries.cl.simulator`."""
    arguments = _arguments(argv)
    # The SII's services live at several paths under the host: the service URL is the host's.
    return simulator_process.run(
        lambda: build_app(
            arguments.data_dir,
            workers=arguments.workers,
            step_delay=arguments.step_delay,
            seed_lifetime=arguments.seed_lifetime,
            token_lifetime=arguments.token_lifetime,
            idk=arguments.idk,
        ),
        arguments,
        name="SII simulator",
        log=logging.getLogger("timbra.sii.simulator"),
    )


if __name__ == "__main__":
    sys.exit(main())
