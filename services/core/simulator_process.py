"""A simulator running as a process of its own (`python -m services.countries.<cc>.simulator`).

When it is ready it prints one JSON line on stdout, `{"service_url": ..., "admin_url": ...}`,
which `services.core.simulators` and the tests wait for; after that it logs to stderr only. It
stops cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from services.core.portal import PORTAL_PATH


def simulator_arguments(prog: str, *, workers_help: str) -> argparse.ArgumentParser:
    """A command line with the options every simulator takes; the caller adds its own."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0: pick a free one)")
    parser.add_argument("--data-dir", type=Path, required=True, help="where state is kept")
    parser.add_argument("--workers", type=int, default=None, help=workers_help)
    parser.add_argument("--access-log", action="store_true", help="log every HTTP request")
    return parser


async def serve(
    build: Callable[[], web.Application],
    arguments: argparse.Namespace,
    *,
    name: str,
    log: logging.Logger,
    service_path: str = "",
) -> None:
    """Serve the application `build` makes until SIGTERM or SIGINT.

    The service is announced at `service_path` and the sandbox portal at its usual path.
    """
    # Built inside the event loop: the application's state may need the running loop.
    app = build()
    # The access log is off by default: query strings and cookies stay out of the logs.
    access_log = logging.getLogger("aiohttp.access") if arguments.access_log else None
    runner = web.AppRunner(app, handle_signals=False, access_log=access_log)
    await runner.setup()
    site = web.TCPSite(runner, arguments.host, arguments.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    base = f"http://{host}:{port}"
    print(
        json.dumps({"service_url": f"{base}{service_path}", "admin_url": f"{base}{PORTAL_PATH}"}),
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    log.info("%s listening on %s", name, base)
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await runner.cleanup()


def run(
    build: Callable[[], web.Application],
    arguments: argparse.Namespace,
    *,
    name: str,
    log: logging.Logger,
    service_path: str = "",
) -> int:
    """Log to stderr, then serve (see `serve`) until stopped; the process's exit code."""
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    asyncio.run(serve(build, arguments, name=name, log=log, service_path=service_path))
    return 0
