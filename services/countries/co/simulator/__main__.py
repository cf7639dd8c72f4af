"""Run the DIAN simulator: `python -m services.countries.co.simulator --port 0 --data-dir DIR`.

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

from services.countries.co.simulator.server import SANDBOX_PATH, SERVICE_PATH, build_app
from services.countries.co.simulator.service import DEFAULT_PROCESSING_DELAY


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m services.countries.co.simulator")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: pick a free one)")
    parser.add_argument("--data-dir", type=Path, required=True, help="where state is kept")
    parser.add_argument("--workers", type=int, default=None, help="validation workers")
    parser.add_argument(
        "--threads",
        action="store_true",
        help="validate in threads instead of worker processes (fewer processes, less throughput)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every HTTP request")
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


async def serve(arguments: argparse.Namespace) -> None:
    """Serve until SIGTERM or SIGINT."""
    app = build_app(
        arguments.data_dir,
        workers=arguments.workers,
        processes=not arguments.threads,
        processing_delay=arguments.processing_delay,
        trust_cas=arguments.trust_ca,
    )
    runner = web.AppRunner(
        app,
        handle_signals=False,
        access_log=logging.getLogger("aiohttp.access") if arguments.access_log else None,
    )
    await runner.setup()
    site = web.TCPSite(runner, arguments.host, arguments.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    base = f"http://{host}:{port}"
    print(
        json.dumps({"service_url": f"{base}{SERVICE_PATH}", "admin_url": f"{base}{SANDBOX_PATH}"}),
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    logging.getLogger("timbra.dian.simulator").info("DIAN simulator listening on %s", base)
    try:
        await stop.wait()
    finally:
        logging.getLogger("timbra.dian.simulator").info("stopping")
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m services.countries.co.simulator`."""
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
