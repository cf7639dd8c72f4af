"""Shared fixtures: free ports, the platform as a real process, Kafka and PostgreSQL started by
the project's own scripts (deploy/). A missing broker or database is a failure, never a skip."""

from __future__ import annotations

import os
import pathlib
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TimbraProcess:
    """A `timbra ...` child process whose output is collected line by line."""

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

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 120) -> str:
        """Wait until a line containing `text` is printed; fail with the output if not."""
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

    def stop(self, sig: int = 15, timeout: float = 30) -> int:
        """Signal it and wait for it to exit."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_platform(data_dir: pathlib.Path, **settings: str) -> tuple[TimbraProcess, dict[str, str]]:
    """`timbra run` with extra TIMBRA_* settings; its address, data dir and simulator portals."""
    port = free_port()
    env = {
        "TIMBRA_DATA_DIR": str(data_dir),
        "TIMBRA_GRPC_PORT": str(port),
        "TIMBRA_LOG_LEVEL": "WARNING",
        **{f"TIMBRA_{name.upper()}": value for name, value in settings.items()},
    }
    process = TimbraProcess(["run"], env)
    process.wait_for("timbra: ready", timeout=180)
    found = {"target": f"127.0.0.1:{port}", "data_dir": str(data_dir)}
    for line in process.lines:
        portal = re.search(
            r"timbra: (\w+) authority simulator at (\S+) \(sandbox portal (\S+)\)", line
        )
        if portal:
            found[f"{portal.group(1)}_url"] = portal.group(2)
            found[f"{portal.group(1)}_portal"] = portal.group(3)
    return process, found


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`timbra run` on its embedded default, with its sandbox issuer, for the whole session."""
    process, found = start_platform(tmp_path_factory.mktemp("embedded-data"))
    try:
        yield found
    finally:
        process.stop()


def _deploy(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=1200,
    )


def _started(script: str, variable: str) -> Iterator[str]:
    was_running = _deploy(script, "status").returncode == 0
    started = _deploy(script, "start")
    if started.returncode != 0:
        pytest.fail(f"deploy/{script} start failed:\n{started.stdout}\n{started.stderr}")
    line = next(
        (line for line in started.stdout.splitlines() if line.startswith(f"{variable}=")), None
    )
    assert line, f"deploy/{script} did not print {variable}=...:\n{started.stdout}"
    try:
        yield line.split("=", 1)[1]
    finally:
        if not was_running:
            _deploy(script, "stop")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A real Apache Kafka broker on 127.0.0.1 (deploy/kafka.sh)."""
    yield from _started("kafka.sh", "KAFKA_BOOTSTRAP")


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL on 127.0.0.1 (deploy/postgres.sh)."""
    yield from _started("postgres.sh", "TIMBRA_POSTGRES_DSN")
