"""Starting the authority simulators as child processes, for the embedded run and for tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from services.core.child_process import stop_process


@dataclass
class SimulatorProcess:
    """A running simulator: its URLs and its process."""

    country: str
    service_url: str
    admin_url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> int:
        """Terminate it, wait, and return its exit code (0 when it stopped cleanly)."""
        return stop_process(self.process, signal.SIGTERM, timeout=10)


def start_simulator(
    country: str, data_dir: Path, *, host: str = "127.0.0.1", port: int = 0, timeout: float = 60
) -> SimulatorProcess:
    """Start `python -m services.countries.<cc>.simulator` and wait for its ready line."""
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            f"services.countries.{country}.simulator",
            "--host",
            host,
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=open(data_dir / "simulator.log", "ab"),  # noqa: SIM115 - owned by the child
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    assert process.stdout is not None
    ready: dict[str, str] = {}

    def read_ready_line() -> None:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if line:
            ready.update(json.loads(line))

    reader = threading.Thread(target=read_ready_line, daemon=True)
    reader.start()
    reader.join(timeout)
    if not ready:
        process.kill()
        log_tail = (data_dir / "simulator.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the {country} simulator did not start:\n{log_tail}")
    return SimulatorProcess(country, ready["service_url"], ready["admin_url"], process)
