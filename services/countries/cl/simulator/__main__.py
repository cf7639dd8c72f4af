"""Run the SII simulator: `python -m services.countries.cl.simulator --port 0 --data-dir DIR`.

When it is ready it prints one JSON line on stdout with its URLs, then logs to stderr only. It
stops cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

from aiohttp import web

from services.countries.cl.simulator.server import SANDBOX_PATH, build_app
from services.countries.cl.simulator.service import DEFAULT_STEP_DELAY
from services.countries.cl.simulator.sii_key import CERTIFICATION_IDK

_log = logging.getLogger("timbra.sii.simulator")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m services.countries.cl.simulator")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: pick a free one)")
    parser.add_argument("--data-dir", type=Path, required=True, help="where state is kept")
    parser.add_argument("--workers", type=int, default=None, help="validation threads")
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
    parser.add_argument("--access-log", action="store_true", help="log every HTTP request")
    return parser.parse_args(argv)


async def serve(arguments: argparse.Namespace) -> None:
    """Serve until SIGTERM or SIGINT."""
    app = build_app(
        arguments.data_dir,
        workers=arguments.workers,
        step_delay=arguments.step_delay,
        seed_lifetime=arguments.seed_lifetime,
        token_lifetime=arguments.token_lifetime,
        idk=arguments.idk,
    )
    # The access log is off by default: the upload's query strings and cookies stay out of it.
    access_log = logging.getLogger("aiohttp.access") if arguments.access_log else None
    runner = web.AppRunner(app, handle_signals=False, access_log=access_log)
    await runner.setup()
    site = web.TCPSite(runner, arguments.host, arguments.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    base = f"http://{host}:{port}"
    print(json.dumps({"service_url": base, "admin_url": f"{base}{SANDBOX_PATH}"}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    _log.info("SII simulator listening on %s", base)
    try:
        await stop.wait()
    finally:
        _log.info("stopping")
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m services.countries.cl.simulator`."""
    arguments = _arguments(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    asyncio.run(serve(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
