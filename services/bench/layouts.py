"""Starting the platform to measure, as a user would: `timbra run` (embedded default) or the
distributed layout (`timbra serve` per service, a real Kafka broker and PostgreSQL started by
the project's own deploy scripts, the simulators, the sandbox issuers enrolled)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from services.core.child_process import TimbraProcess, deployed_server, free_port

_SERVICES = ("issuing", "signing", "transmission")


@dataclass
class Platform:
    """A running platform: where its issuing API listens and the processes it is made of."""

    target: str
    data_dir: Path
    roots: list[int] = field(default_factory=list)
    store: str = "sqlite"
    postgres_dsn: str = ""


def _environment(data_dir: Path, port: int, extra: dict[str, str]) -> dict[str, str]:
    return {
        "TIMBRA_DATA_DIR": str(data_dir),
        "TIMBRA_GRPC_PORT": str(port),
        "TIMBRA_LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def embedded(data_dir: Path, extra: dict[str, str] | None = None) -> Iterator[Platform]:
    """`timbra run` on a fresh data directory; stopped on exit."""
    port = free_port()
    process = TimbraProcess(["run"], _environment(data_dir, port, extra or {}))
    try:
        process.wait_for("timbra: ready", timeout=300)
        yield Platform(f"127.0.0.1:{port}", data_dir, [process.pid])
    finally:
        process.stop(timeout=60)


@contextmanager
def _database(server_dsn: str) -> Iterator[str]:
    import psycopg

    name = f"timbra_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_dsn.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def distributed(data_dir: Path) -> Iterator[Platform]:
    """Kafka + PostgreSQL (deploy scripts), both simulators, `timbra serve` for each service
    and the sandbox issuers of both countries; everything started here is stopped on exit."""
    import requests

    from services.core.simulators import start_simulator

    with ExitStack() as stack:
        bootstrap = stack.enter_context(deployed_server("kafka.sh", "KAFKA_BOOTSTRAP"))
        dsn = stack.enter_context(
            _database(stack.enter_context(deployed_server("postgres.sh", "TIMBRA_POSTGRES_DSN")))
        )
        dian = start_simulator("co", data_dir / "simulators" / "co")
        stack.callback(dian.stop)
        sii = start_simulator("cl", data_dir / "simulators" / "cl")
        stack.callback(sii.stop)
        sii_key = data_dir / "sii-key.pem"
        sii_key.write_bytes(requests.get(f"{sii.admin_url}/sii-key", timeout=30).content)
        ports = {service: free_port() for service in _SERVICES}
        env = _environment(
            data_dir,
            ports["issuing"],
            {
                "TIMBRA_TRANSPORT": "kafka",
                "TIMBRA_STORE": "postgres",
                "TIMBRA_POSTGRES_DSN": dsn,
                "TIMBRA_KAFKA_BOOTSTRAP": bootstrap,
                "TIMBRA_KAFKA_TOPIC_PREFIX": f"bench{uuid.uuid4().hex[:8]}",
                "TIMBRA_CO_DIAN_URL": dian.service_url,
                "TIMBRA_CL_SII_URL": sii.service_url,
                "TIMBRA_CL_SII_KEYS": str(sii_key),
                "TIMBRA_CL_SII_INFORME_URL": f"{sii.admin_url}/informes",
                "TIMBRA_SIGNING_GRPC_PORT": str(ports["signing"]),
                "TIMBRA_TRANSMISSION_GRPC_PORT": str(ports["transmission"]),
            },
        )
        services = []
        for service in _SERVICES:
            process = TimbraProcess(["serve", service], env)
            stack.callback(process.stop, timeout=60)
            process.wait_for(f"timbra: {service} serving on", timeout=180)
            services.append(process)
        target = f"127.0.0.1:{ports['issuing']}"
        for country, admin in (("co", dian.admin_url), ("cl", sii.admin_url)):
            enrol = TimbraProcess(
                [
                    "sandbox",
                    "--country",
                    country,
                    "--issuing",
                    target,
                    "--signing",
                    f"127.0.0.1:{ports['signing']}",
                    "--simulator-admin",
                    admin,
                ],
                env,
            )
            if enrol.process.wait(180) != 0:
                raise RuntimeError(
                    f"enrolling the {country} sandbox failed:\n" + "\n".join(enrol.lines)
                )
        roots = [p.pid for p in services] + [dian.process.pid, sii.process.pid]
        yield Platform(target, data_dir, roots, store="postgres", postgres_dsn=dsn)
