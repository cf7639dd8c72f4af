"""The spine on the embedded default: `timbra run` as a real process, its DIAN simulator, gRPC."""

from __future__ import annotations

import json
import pathlib
import sqlite3
import subprocess
import sys

import grpc
import pytest
import requests
from lxml import etree

from tests import flows
from timbra.v1 import issuing_pb2, issuing_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]


def stored_event_count(data_dir: str) -> int:
    """How many events issuing's store holds (read straight from its SQLite file)."""
    with sqlite3.connect(f"file:{data_dir}/issuing.sqlite3?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]


def test_a_thousand_invoices_over_one_stream_are_all_accepted(embedded):
    target = embedded["target"]
    requests = flows.requests_for(target, 1000, seed=1)
    updates = flows.issue_streams(target, [requests])
    finals = [flows.final_update(updates[r.request_id]) for r in requests]
    rejected = [
        (f.number, list(f.verdict.messages)) for f in finals if f.state != issuing_pb2.ACCEPTED
    ]
    assert not rejected, rejected[:3]
    numbers = [flows.consecutive(f.number) for f in finals]
    assert len(set(numbers)) == 1000
    # one stream, one writer: the stream's documents took one consecutive block
    assert sorted(numbers) == list(range(min(numbers), min(numbers) + 1000))
    flows.assert_no_gap_no_duplicate(target, finals[0].issuer)


def test_three_concurrent_streams_share_the_range_without_gap_or_duplicate(embedded):
    target = embedded["target"]
    requests = flows.requests_for(target, 900, seed=2)
    updates = flows.issue_streams(target, [requests[0:300], requests[300:600], requests[600:900]])
    finals = [flows.final_update(updates[r.request_id]) for r in requests]
    assert all(f.state == issuing_pb2.ACCEPTED for f in finals)
    assert len({f.number for f in finals}) == 900
    flows.assert_no_gap_no_duplicate(target, finals[0].issuer)


def _metric(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples carrying these labels, in Prometheus text (0 if none)."""
    wanted = {f'{key}="{value}"' for key, value in labels.items()}
    total = 0.0
    for line in text.splitlines():
        if line.startswith(f"{name}{{"):
            sample, _, value = line.rpartition(" ")
            if wanted <= set(sample[len(name) + 1 : -1].split(",")):
                total += float(value)
    return total


def test_metrics_count_what_every_process_of_the_platform_did(embedded):
    # Drafting runs in the API process; verdicts are recorded by the transmission worker.
    def scrape() -> str:
        answer = requests.get(embedded["metrics"], timeout=10)
        assert answer.status_code == 200
        return answer.text

    before = scrape()
    target = embedded["target"]
    batch = flows.requests_for(target, 4, seed=9)
    updates = flows.issue_streams(target, [batch])
    assert all(
        flows.final_update(updates[r.request_id]).state == issuing_pb2.ACCEPTED for r in batch
    )
    after = scrape()
    accepted = {"country": "co", "verdict": "accepted"}
    drafted = {"country": "co"}
    assert (
        _metric(after, "timbra_verdicts_total", **accepted)
        - _metric(before, "timbra_verdicts_total", **accepted)
        >= 4
    )
    assert (
        _metric(after, "timbra_documents_drafted_total", **drafted)
        - _metric(before, "timbra_documents_drafted_total", **drafted)
        >= 4
    )
    assert "timbra_range_remaining" in after


def test_each_update_follows_the_lifecycle_in_order(embedded):
    target = embedded["target"]
    requests = flows.requests_for(target, 5, seed=3)
    updates = flows.issue_streams(target, [requests])
    for request in requests:
        states = [u.state for u in updates[request.request_id]]
        assert states[0] == issuing_pb2.DRAFTED
        assert states == sorted(states) and states[-1] == issuing_pb2.ACCEPTED


def test_the_same_request_id_returns_the_same_document_and_writes_nothing(embedded):
    target = embedded["target"]
    [request] = flows.requests_for(target, 1, seed=4)
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        first = stub.Issue(request)
        assert not first.duplicate_request
        flows.issue_streams(target, [[request]])  # let it reach its final state
        before = stored_event_count(embedded["data_dir"])
        again = stub.Issue(request)
        over_stream = flows.issue_streams(target, [[request]])[request.request_id]
        after = stored_event_count(embedded["data_dir"])
    assert again.duplicate_request
    assert (again.document_id, again.number, again.document_key) == (
        first.document_id,
        first.number,
        first.document_key,
    )
    assert over_stream[0].duplicate_request and over_stream[0].number == first.number
    assert after == before


def test_a_reused_request_id_with_a_different_document_is_refused(embedded):
    target = embedded["target"]
    [request] = flows.requests_for(target, 1, seed=5)
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        stub.Issue(request)
        changed = issuing_pb2.IssueRequest()
        changed.CopyFrom(request)
        changed.document.notes.append("a different document")
        with pytest.raises(grpc.RpcError) as refused:
            stub.Issue(changed)
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "request_id" in refused.value.details()


def test_replaying_an_invoice_from_the_event_store(embedded):
    target = embedded["target"]
    [request] = flows.requests_for(target, 1, seed=6)
    final = flows.final_update(flows.issue_streams(target, [[request]])[request.request_id])
    with grpc.insecure_channel(target) as channel:
        view = issuing_pb2_grpc.IssuingStub(channel).GetDocument(
            issuing_pb2.GetDocumentRequest(document_id=final.document_id)
        )
    events = [(h.event, h.version) for h in view.history]
    assert events == [
        ("DocumentDrafted", 1),
        ("DocumentSigned", 2),
        ("DocumentTransmitted", 3),
        ("DocumentAccepted", 4),
    ]
    times = [h.at.ToDatetime() for h in view.history]
    assert times == sorted(times)
    # and straight from the store, as an auditor would, without the running service
    from services.core.settings import Settings
    from services.wiring import issuing_app, vault_for

    settings = Settings.load({"TIMBRA_DATA_DIR": embedded["data_dir"]})
    app = issuing_app(settings, vault_for(settings))
    try:
        import uuid

        replayed = app.history(uuid.UUID(final.document_id))
    finally:
        app.close()
    assert [type(e).__name__ for e in replayed] == [e for e, _ in events]
    assert all(e.timestamp.tzinfo is not None for e in replayed)


def test_export_writes_signed_xml_and_response_named_by_number(embedded, tmp_path):
    target = embedded["target"]
    [request] = flows.requests_for(target, 1, seed=7)
    final = flows.final_update(flows.issue_streams(target, [[request]])[request.request_id])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "export",
            "--target",
            target,
            "--out",
            str(tmp_path),
            "--status",
            "accepted",
            "--number",
            final.number,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "exported 1 document" in result.stdout
    folder = tmp_path / "co" / final.issuer
    signed = etree.parse(str(folder / f"{final.number}.xml"))
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert signed.findtext("cbc:ID", namespaces=ns) == final.number
    assert signed.findtext("cbc:UUID", namespaces=ns) == final.document_key
    assert signed.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue") is not None
    response = etree.parse(str(folder / f"{final.number}.response.xml"))
    assert response.getroot().tag.endswith("ApplicationResponse")
    meta = json.loads((folder / f"{final.number}.json").read_text())
    assert meta["state"] == "accepted" and meta["document_key"] == final.document_key
    # what the buyer receives: the AttachedDocument (document + DIAN's response) and the QR
    attached = etree.parse(str(folder / f"{final.number}.attached.xml")).getroot()
    assert attached.tag.endswith("AttachedDocument")
    assert final.document_key.encode() in etree.tostring(attached)
    qr = (folder / f"{final.number}.qr.txt").read_text()
    assert f"CUFE: {final.document_key}" in qr and f"NumFac: {final.number}" in qr


def test_demo_command_prints_a_json_summary(embedded):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "demo",
            "--target",
            embedded["target"],
            "--count",
            "40",
            "--streams",
            "2",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["outcomes"] == {"accepted": 40}
    assert summary["throughput_per_second"] > 0
    assert set(summary["latency_ms"]) == {"p50", "p95", "p99", "max"}
    assert summary["latency_ms"]["p50"] <= summary["latency_ms"]["p99"]
