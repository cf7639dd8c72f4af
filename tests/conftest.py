"""Shared fixtures: free ports, the platform as a real process, Kafka and PostgreSQL started by
the project's own scripts (deploy/). A missing broker or database is a failure, never a skip."""

from __future__ import annotations

import pathlib
import re
import subprocess
from collections.abc import Iterator

import pytest

from services.core.child_process import ROOT, TimbraProcess, free_port

__all__ = ["ROOT", "TimbraProcess", "free_port", "start_platform"]


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
    """`timbra run` on its embedded default, with its sandbox issuer, for the whole session;
    /metrics served too (its URL under "metrics")."""
    metrics_port = free_port()
    process, found = start_platform(
        tmp_path_factory.mktemp("embedded-data"), metrics_port=str(metrics_port)
    )
    found["metrics"] = f"http://127.0.0.1:{metrics_port}/metrics"
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
