"""Shared fixtures: free ports, the platform as a real process, Kafka and PostgreSQL started by
the project's own scripts (deploy/). A missing broker or database is a failure, never a skip."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterator

import pytest

from services.core.child_process import ROOT, TimbraProcess, deployed_server, free_port

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


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A real Apache Kafka broker on 127.0.0.1 (deploy/kafka.sh)."""
    with deployed_server("kafka.sh", "KAFKA_BOOTSTRAP") as bootstrap:
        yield bootstrap


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL on 127.0.0.1 (deploy/postgres.sh)."""
    with deployed_server("postgres.sh", "TIMBRA_POSTGRES_DSN") as dsn:
        yield dsn
