"""A `timbra ...` command as a child process whose output is collected line by line, and the
project's deploy scripts' servers: how the benchmark harness and the end-to-end tests start the
platform the way a user would."""

from __future__ import annotations

import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child (as `preexec_fn`): be killed when the parent dies, even by SIGKILL, so that
    no half of the platform keeps running alone."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TimbraProcess:
    """`python -m services.cli ARGS` with extra environment; its output kept in `lines`."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            # Keep the tail only: a long run logs more than anyone reads back.
            if len(self.lines) > 5000:
                del self.lines[:1000]

    def wait_for(self, text: str, timeout: float = 120) -> str:
        """Wait until a line containing `text` is printed; AssertionError with the output if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        output = "\n".join(self.lines[-80:])
        raise AssertionError(f"never printed {text!r} (exit {self.process.poll()}):\n{output}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Signal it and wait for it to exit; killed if it does not in time."""
        return stop_process(self.process, sig, timeout)


def stop_process(
    process: subprocess.Popen[Any], sig: int = signal.SIGTERM, timeout: float = 30
) -> int:
    """Signal a child and wait for it to exit, killing it if it does not in time; its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def deploy(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `deploy/<script> <args>` (kafka.sh, postgres.sh) and collect what it printed."""
    return subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=1200,
        check=False,
    )


@contextmanager
def deployed_server(script: str, variable: str) -> Iterator[str]:
    """A deploy script's server, started unless it already runs, and the value of the
    `<variable>=...` line it prints (where to reach it); stopped after if started here. A
    server that does not start is an error, never a reason to skip."""
    was_running = deploy(script, "status").returncode == 0
    started = deploy(script, "start")
    if started.returncode != 0:
        raise RuntimeError(f"deploy/{script} start failed:\n{started.stdout}\n{started.stderr}")
    found = re.search(rf"^{variable}=(\S+)$", started.stdout, re.MULTILINE)
    if not found:
        raise RuntimeError(f"deploy/{script} did not print {variable}=...:\n{started.stdout}")
    try:
        yield found.group(1)
    finally:
        if not was_running:
            deploy(script, "stop")
