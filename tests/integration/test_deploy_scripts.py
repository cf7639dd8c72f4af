"""deploy/kafka.sh and deploy/postgres.sh run real servers, are idempotent, keep or reset data.

They run on ports of their own, so they never stop the broker or cluster that other tests share.
Nothing here skips: a missing Java, Maven or PostgreSQL is installed by the scripts or fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import psycopg
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaTimeoutError

ROOT = Path(__file__).resolve().parents[2]
KAFKA_PORT = 19192
KAFKA_CONTROLLER_PORT = 19193
PG_PORT = 15532
KAFKA_ENV = {"KAFKA_PORT": str(KAFKA_PORT), "KAFKA_CONTROLLER_PORT": str(KAFKA_CONTROLLER_PORT)}
PG_DATA = f"/var/tmp/timbra-postgres-{PG_PORT}"
PG_ENV = {"PGPORT": str(PG_PORT), "TIMBRA_PG_DATA": PG_DATA}
BOOTSTRAP = f"127.0.0.1:{KAFKA_PORT}"
DSN = f"postgresql://timbra:timbra@127.0.0.1:{PG_PORT}/timbra"


def _without_resets(environ: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k not in ("KAFKA_RESET", "PG_RESET")}


def deploy(script: str, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run deploy/<script> <command> as CI does: no stdin, output captured."""
    return subprocess.run(
        [str(ROOT / "deploy" / script), command],
        env={**_without_resets(os.environ), **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def started(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`start`, failing the test with the script's output when it does not succeed."""
    result = deploy(script, "start", env)
    assert result.returncode == 0, f"{script} start failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def kafka_env() -> Iterator[dict[str, str]]:
    """The test broker's variables; the broker is stopped and its state removed afterwards."""
    yield KAFKA_ENV
    deploy("kafka.sh", "stop", KAFKA_ENV)
    deploy_dir = Path(os.environ.get("TIMBRA_DEPLOY_DIR") or ROOT / ".deploy")
    shutil.rmtree(deploy_dir / "kafka" / f"broker-{KAFKA_PORT}", ignore_errors=True)


@pytest.fixture
def pg_env() -> Iterator[dict[str, str]]:
    """The test cluster's variables; the cluster is stopped and deleted afterwards."""
    yield PG_ENV
    deploy("postgres.sh", "stop", PG_ENV)
    shutil.rmtree(PG_DATA, ignore_errors=True)
    Path(f"{PG_DATA}.lock").unlink(missing_ok=True)


def topics() -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="deploy-test")
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


@pytest.mark.kafka
def test_kafka_script_runs_a_real_broker(kafka_env: dict[str, str]) -> None:
    line = f"KAFKA_BOOTSTRAP={BOOTSTRAP}"
    first = started("kafka.sh", {**kafka_env, "KAFKA_RESET": "1"})
    assert first.stdout.strip() == line
    assert deploy("kafka.sh", "status", kafka_env).returncode == 0
    assert deploy("kafka.sh", "env", kafka_env).stdout.strip() == line

    topic = f"timbra.deploy-test.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP, client_id="deploy-test")
    try:
        admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        admin.close()
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all", enable_idempotence=True)
    try:
        producer.send(topic, key=b"doc-1", value=b"DocumentSigned").get(timeout=30)
    finally:
        producer.close()
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        group_id="deploy-test",
        auto_offset_reset="earliest",
        consumer_timeout_ms=30_000,
    )
    try:
        received = next(((record.key, record.value) for record in consumer), None)
    finally:
        consumer.close()
    assert received == (b"doc-1", b"DocumentSigned")

    # Topics are never created by accident: the application creates them explicitly.
    stray = KafkaProducer(bootstrap_servers=BOOTSTRAP, max_block_ms=2_000)
    try:
        with pytest.raises(KafkaTimeoutError):
            stray.send("timbra.deploy-test.never-created", b"x").get(timeout=5)
    finally:
        stray.close()
    assert "timbra.deploy-test.never-created" not in topics()

    began = time.monotonic()
    again = started("kafka.sh", kafka_env)
    assert again.stdout.strip() == line
    assert "already running" in again.stderr
    assert time.monotonic() - began < 10

    assert deploy("kafka.sh", "stop", kafka_env).returncode == 0
    assert deploy("kafka.sh", "status", kafka_env).returncode == 3
    assert deploy("kafka.sh", "stop", kafka_env).returncode == 0

    started("kafka.sh", kafka_env)
    assert topic in topics(), "a restart must keep the topics"
    started("kafka.sh", {**kafka_env, "KAFKA_RESET": "1"})
    assert topic not in topics(), "KAFKA_RESET=1 must wipe the data"


@pytest.mark.postgres
def test_postgres_script_runs_a_real_cluster(pg_env: dict[str, str]) -> None:
    line = f"TIMBRA_POSTGRES_DSN={DSN}"
    first = started("postgres.sh", {**pg_env, "PG_RESET": "1"})
    assert first.stdout.strip() == line
    assert deploy("postgres.sh", "status", pg_env).returncode == 0
    assert deploy("postgres.sh", "env", pg_env).stdout.strip() == line

    with psycopg.connect(DSN, autocommit=True) as conn:
        assert conn.execute("SELECT current_user, current_database()").fetchone() == (
            "timbra",
            "timbra",
        )
        conn.execute("CREATE TABLE kept (n int)")
        conn.execute("CREATE DATABASE timbra_deploy_test")
        with psycopg.connect(DSN.rsplit("/", 1)[0] + "/timbra_deploy_test") as other:
            assert other.execute("SELECT 41 + 1").fetchone() == (42,)
        conn.execute("DROP DATABASE timbra_deploy_test")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(DSN.replace("timbra:timbra@", "timbra:wrong@"), connect_timeout=5)

    again = started("postgres.sh", pg_env)
    assert again.stdout.strip() == line
    assert "already running" in again.stderr

    assert deploy("postgres.sh", "stop", pg_env).returncode == 0
    assert deploy("postgres.sh", "status", pg_env).returncode == 3
    assert deploy("postgres.sh", "stop", pg_env).returncode == 0

    started("postgres.sh", pg_env)
    with psycopg.connect(DSN) as conn:
        assert conn.execute("SELECT to_regclass('kept') IS NOT NULL").fetchone() == (True,)
    started("postgres.sh", {**pg_env, "PG_RESET": "1"})
    with psycopg.connect(DSN) as conn:
        assert conn.execute("SELECT to_regclass('kept') IS NULL").fetchone() == (True,)


@pytest.mark.parametrize("script", ["kafka.sh", "postgres.sh"])
def test_scripts_reject_unknown_commands(script: str) -> None:
    result = deploy(script, "bogus", {})
    assert result.returncode == 2
    assert "usage" in result.stderr
