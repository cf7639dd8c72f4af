"""The spine on the distributed layout: issuing, signing and transmission as separate processes
(`timbra serve ...`), a real Kafka broker and a real PostgreSQL, the DIAN simulator."""

from __future__ import annotations

import collections
import signal
import threading
import time
import uuid
from collections.abc import Iterator

import grpc
import psycopg
import pytest
import requests
from kafka import KafkaConsumer, TopicPartition

from services.core.envelope import all_topics
from services.core.simulators import start_simulator
from tests import flows
from tests.conftest import TimbraProcess, free_port
from timbra.v1 import events_pb2, issuing_pb2, issuing_pb2_grpc

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


@pytest.fixture(scope="module")
def cluster(kafka_bootstrap, postgres_dsn, tmp_path_factory) -> Iterator[dict]:
    """A fresh database and topic namespace, the simulator, and the three services."""
    database = f"timbra_e2e_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    dsn = postgres_dsn.rsplit("/", 1)[0] + f"/{database}"
    data_dir = tmp_path_factory.mktemp("distributed")
    simulator = start_simulator("co", data_dir / "simulator")
    sii = start_simulator("cl", data_dir / "sii-simulator")
    sii_key = data_dir / "sii-key.pem"
    sii_key.write_bytes(requests.get(f"{sii.admin_url}/sii-key", timeout=30).content)
    prefix = f"t{uuid.uuid4().hex[:8]}"
    ports = {"issuing": free_port(), "signing": free_port(), "transmission": free_port()}
    env = {
        "TIMBRA_TRANSPORT": "kafka",
        "TIMBRA_STORE": "postgres",
        "TIMBRA_POSTGRES_DSN": dsn,
        "TIMBRA_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "TIMBRA_KAFKA_TOPIC_PREFIX": prefix,
        "TIMBRA_DATA_DIR": str(data_dir),
        "TIMBRA_CO_DIAN_URL": simulator.service_url,
        "TIMBRA_CL_SII_URL": sii.service_url,
        "TIMBRA_CL_SII_KEYS": str(sii_key),
        "TIMBRA_CL_SII_INFORME_URL": f"{sii.admin_url}/informes",
        "TIMBRA_GRPC_PORT": str(ports["issuing"]),
        "TIMBRA_SIGNING_GRPC_PORT": str(ports["signing"]),
        "TIMBRA_TRANSMISSION_GRPC_PORT": str(ports["transmission"]),
        "TIMBRA_LOG_LEVEL": "WARNING",
    }
    processes: dict[str, TimbraProcess] = {}

    def start(service: str) -> TimbraProcess:
        processes[service] = TimbraProcess(["serve", service], env)
        processes[service].wait_for(f"timbra: {service} serving on", timeout=120)
        return processes[service]

    try:
        for service in ("issuing", "signing", "transmission"):
            start(service)
        target = f"127.0.0.1:{ports['issuing']}"
        for country, admin in (("co", simulator.admin_url), ("cl", sii.admin_url)):
            box = TimbraProcess(
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
            box.wait_for("sandbox issuer", timeout=60)
            assert box.process.wait(60) == 0, "\n".join(box.lines)
        yield {
            "target": target,
            "bootstrap": kafka_bootstrap,
            "prefix": prefix,
            "dsn": dsn,
            "processes": processes,
            "start": start,
        }
    finally:
        for process in processes.values():
            process.stop()
        simulator.stop()
        sii.stop()
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def published(bootstrap: str, prefix: str) -> dict[str, list[events_pb2.EventEnvelope]]:
    """Everything on the deployment's topics, read back with a plain Kafka consumer."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000
    )
    partitions = [
        TopicPartition(topic, p)
        for topic in all_topics(prefix)
        for p in (consumer.partitions_for_topic(topic) or ())
    ]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    found: dict[str, list[events_pb2.EventEnvelope]] = collections.defaultdict(list)
    for record in consumer:
        envelope = events_pb2.EventEnvelope.FromString(record.value)
        assert record.key == envelope.document_id.encode()
        found[record.topic].append(envelope)
    consumer.close()
    return found


def assert_exactly_once_on_topics(cluster: dict, finals: list) -> None:
    """Each document's drafted, signed, transmitted and accepted events once each on Kafka."""
    ours = {f.document_id for f in finals}
    on_topics = published(cluster["bootstrap"], cluster["prefix"])
    for kind in ("drafted", "signed", "transmitted", "accepted"):
        topic = f"{cluster['prefix']}.document.{kind}"
        mine = [e for e in on_topics[topic] if e.document_id in ours]
        assert len(mine) == len(ours), f"{topic}: {len(mine)} messages for {len(ours)} documents"
        assert {e.document_id for e in mine} == ours
        assert len({e.event_id for e in mine}) == len(mine)
    rejected = on_topics[f"{cluster['prefix']}.document.rejected"]
    assert not [e for e in rejected if e.document_id in ours]


def test_a_thousand_invoices_over_one_stream_each_event_once_on_its_topic(cluster):
    target = cluster["target"]
    requests = flows.requests_for(target, 1000, seed=21)
    updates = flows.issue_streams(target, [requests])
    finals = [flows.final_update(updates[r.request_id]) for r in requests]
    rejected = [list(f.verdict.messages) for f in finals if f.state != issuing_pb2.ACCEPTED]
    assert not rejected, rejected[:3]
    numbers = sorted(flows.consecutive(f.number) for f in finals)
    assert numbers == list(range(numbers[0], numbers[0] + 1000))
    flows.assert_no_gap_no_duplicate(target, finals[0].issuer)
    assert_exactly_once_on_topics(cluster, finals)


def test_three_concurrent_streams_without_gap_or_duplicate(cluster):
    target = cluster["target"]
    requests = flows.requests_for(target, 900, seed=23)
    updates = flows.issue_streams(target, [requests[:300], requests[300:600], requests[600:]])
    finals = [flows.final_update(updates[r.request_id]) for r in requests]
    assert all(f.state == issuing_pb2.ACCEPTED for f in finals)
    assert len({f.number for f in finals}) == 900
    flows.assert_no_gap_no_duplicate(target, finals[0].issuer)
    assert_exactly_once_on_topics(cluster, finals)


def test_killing_signing_mid_stream_loses_nothing_and_duplicates_nothing(cluster):
    target = cluster["target"]
    requests = flows.requests_for(target, 400, seed=22)
    progressed = [issuing_pb2.SIGNED, issuing_pb2.TRANSMITTED, issuing_pb2.ACCEPTED]

    def signed_so_far(stub: issuing_pb2_grpc.IssuingStub) -> int:
        listing = issuing_pb2.ListDocumentsRequest(states=progressed)
        return sum(1 for _ in stub.ListDocuments(listing))

    result: dict[str, list] = {}
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        baseline = signed_so_far(stub)
        streaming = threading.Thread(
            target=lambda: result.update(flows.issue_streams(target, [requests], timeout=900))
        )
        streaming.start()
        # wait until signing is busy with this stream, then kill it without warning
        deadline = time.monotonic() + 120
        while signed_so_far(stub) < baseline + 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        at_kill = signed_so_far(stub) - baseline
    assert 40 <= at_kill < len(requests), f"signing was not mid-stream: {at_kill} signed"
    cluster["processes"]["signing"].stop(sig=signal.SIGKILL)
    time.sleep(2)
    cluster["start"]("signing")
    streaming.join(timeout=900)
    assert not streaming.is_alive()

    finals = [flows.final_update(result[r.request_id]) for r in requests]
    assert all(f.state == issuing_pb2.ACCEPTED for f in finals)
    flows.assert_no_gap_no_duplicate(target, finals[0].issuer)
    ours = {f.document_id for f in finals}
    # one signature, one final state per document, in signing's store and on the invoice itself
    with psycopg.connect(cluster["dsn"]) as db:
        rows = db.execute(
            "SELECT originator_id::text, count(*) FROM signing_events"
            " WHERE topic LIKE %s GROUP BY originator_id",
            ("%:Signature.%",),
        ).fetchall()
    assert len(rows) >= 400, "every document of the stream has its signature record"
    assert all(count == 1 for _, count in rows), "a signature record has more than one event"
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        for document_id in list(ours)[::20]:
            view = stub.GetDocument(issuing_pb2.GetDocumentRequest(document_id=document_id))
            assert [h.event for h in view.history] == [
                "DocumentDrafted",
                "DocumentSigned",
                "DocumentTransmitted",
                "DocumentAccepted",
            ]
    on_topics = published(cluster["bootstrap"], cluster["prefix"])
    signed = [e for e in on_topics[f"{cluster['prefix']}.document.signed"] if e.document_id in ours]
    # a relay killed between the broker's ack and its bookkeeping may send an event again,
    # but never a second signature: one distinct signed event per document
    per_document = collections.defaultdict(set)
    for envelope in signed:
        per_document[envelope.document_id].add(envelope.event_id)
    assert set(per_document) == ours
    assert all(len(ids) == 1 for ids in per_document.values())
    accepted = [
        e for e in on_topics[f"{cluster['prefix']}.document.accepted"] if e.document_id in ours
    ]
    assert {e.document_id for e in accepted} == ours
    assert len({e.event_id for e in accepted}) == len(ours)


def test_every_document_type_of_both_countries_on_kafka_and_postgres(cluster):
    from services.countries.cl import demo as cl_demo
    from services.countries.co import demo as co_demo
    from tests.e2e import test_chile_documents as cl
    from tests.e2e import test_colombia_documents as co

    target = cluster["target"]
    nit = flows.sandbox_issuer(target, "co")
    invoices = co.issue(target, co_demo.generate_documents(2, nit, 81))
    co.assert_accepted_and_sound(target, invoices, "01")
    for kind, seed in (("02", 82), ("05", 84)):
        co.assert_accepted_and_sound(
            target,
            co.issue(target, co_demo.generate_documents(1, nit, seed, document_type=kind)),
            kind,
        )
    paper = co_demo.generate_documents(1, nit, 83, document_type="03", paper_range=(100, 100))
    co.assert_accepted_and_sound(target, co.issue(target, paper), "03")
    references = [co.reference_to(f, target) for f in invoices]
    for kind, seed in (("91", 85), ("92", 86)):
        notes = co_demo.generate_documents(1, nit, seed, document_type=kind, references=references)
        co.assert_accepted_and_sound(target, co.issue(target, notes), kind)

    rut = flows.sandbox_issuer(target, "cl")
    facturas = cl.issue(target, cl_demo.generate_documents(2, rut, 91, dte_type=33))
    cl.assert_accepted(target, facturas, 33)
    for dte_type, seed in ((34, 92), (52, 93)):
        cl.assert_accepted(
            target,
            cl.issue(target, cl_demo.generate_documents(1, rut, seed, dte_type=dte_type)),
            dte_type,
        )
    refs = [cl.reference(f, target) for f in facturas]
    for dte_type, seed in ((61, 94), (56, 95)):
        notes = cl_demo.generate_documents(1, rut, seed, dte_type=dte_type, references=refs)
        cl.assert_accepted(target, cl.issue(target, notes), dte_type)
