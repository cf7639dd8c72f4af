"""Colombia complete, end to end on the embedded default: every DIAN document type through the
platform and the DIAN simulator, in-doubt deliveries reconciled, habilitación, timbra verify."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import uuid

import grpc
import pytest
import requests

from services.countries.co import demo, schemas
from services.countries.co.verify import verify_bytes
from tests import flows
from timbra.v1 import document_pb2, issuing_pb2, issuing_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]


def issue(target: str, documents: list[document_pb2.Document]) -> list:
    """Issue documents over one stream; their final updates, accepted or not, in order."""
    run = uuid.uuid4().hex[:8]
    requests_ = [
        issuing_pb2.IssueRequest(request_id=f"co-{run}-{i}", document=d)
        for i, d in enumerate(documents)
    ]
    updates = flows.issue_streams(target, [requests_])
    return [flows.final_update(updates[r.request_id]) for r in requests_]


def view(target: str, document_id: str) -> issuing_pb2.DocumentView:
    """A document with its files."""
    with grpc.insecure_channel(target) as channel:
        return issuing_pb2_grpc.IssuingStub(channel).GetDocument(
            issuing_pb2.GetDocumentRequest(document_id=document_id, include_files=True)
        )


def reference_to(final: issuing_pb2.DocumentUpdate, target: str) -> document_pb2.BillingReference:
    """How a note names an accepted document."""
    return document_pb2.BillingReference(
        number=final.number,
        document_key=final.document_key,
        issue_date=view(target, final.document_id).issue_date,
        document_type=final.document_type,
    )


def assert_accepted_and_sound(target: str, finals: list, document_type: str) -> None:
    """Accepted by DIAN, schema-valid, and the signature verifies independently."""
    for final in finals:
        reasons = [f"{m.rule}: {m.text}" for m in final.verdict.messages if m.rejection]
        assert final.state == issuing_pb2.ACCEPTED, (final.number, reasons)
        assert final.document_type == document_type
        signed = view(target, final.document_id).signed_xml
        assert schemas.validate(signed) == []
        report = verify_bytes(signed, final.number)
        assert report.passed, report.render()


def test_every_document_type_is_accepted_end_to_end(embedded):
    target = embedded["target"]
    issuer = flows.sandbox_issuer(target)

    invoices = issue(target, demo.generate_documents(3, issuer, 41))
    assert_accepted_and_sound(target, invoices, "01")

    exports = issue(target, demo.generate_documents(2, issuer, 42, document_type="02"))
    assert_accepted_and_sound(target, exports, "02")

    paper = issue(
        target, demo.generate_documents(2, issuer, 43, document_type="03", paper_range=(1, 5000))
    )
    assert_accepted_and_sound(target, paper, "03")
    assert {f.number for f in paper} == {"CONT1", "CONT2"}  # the numbers printed on paper

    support = issue(target, demo.generate_documents(2, issuer, 44, document_type="05"))
    assert_accepted_and_sound(target, support, "05")

    references = [reference_to(f, target) for f in invoices]
    credit = issue(
        target,
        demo.generate_documents(2, issuer, 45, document_type="91", references=references),
    )
    assert_accepted_and_sound(target, credit, "91")
    debit = issue(
        target,
        demo.generate_documents(2, issuer, 46, document_type="92", references=references),
    )
    assert_accepted_and_sound(target, debit, "92")
    adjustments = issue(
        target,
        demo.generate_documents(
            1, issuer, 47, document_type="95", references=[reference_to(support[0], target)]
        ),
    )
    assert_accepted_and_sound(target, adjustments, "95")


def test_a_paper_number_cannot_be_entered_twice(embedded):
    target = embedded["target"]
    issuer = flows.sandbox_issuer(target)
    [document] = demo.generate_documents(
        1, issuer, 48, document_type="03", paper_range=(4000, 4000)
    )
    [first] = issue(target, [document])
    assert first.number == "CONT4000"
    again = issuing_pb2.IssueRequest(
        request_id=f"paper-again-{uuid.uuid4().hex}", document=document
    )
    again.document.notes.append("another request for the same paper number")
    with grpc.insecure_channel(target) as channel, pytest.raises(grpc.RpcError) as refused:
        issuing_pb2_grpc.IssuingStub(channel).Issue(again)
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert dict(refused.value.trailing_metadata())["timbra-field"] == "document.co.paper.number"


def test_a_note_must_reference_the_document_as_it_was_accepted(embedded):
    target = embedded["target"]
    issuer = flows.sandbox_issuer(target)
    [invoice] = issue(target, demo.generate_documents(1, issuer, 49))
    wrong = reference_to(invoice, target)
    wrong.document_key = "0" * 96
    [note] = demo.generate_documents(1, issuer, 50, document_type="91", references=[wrong])
    with grpc.insecure_channel(target) as channel, pytest.raises(grpc.RpcError) as refused:
        issuing_pb2_grpc.IssuingStub(channel).Issue(
            issuing_pb2.IssueRequest(request_id=f"note-{uuid.uuid4().hex}", document=note)
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    metadata = dict(refused.value.trailing_metadata())
    assert metadata["timbra-field"] == "document.co.billing_reference.document_key"


def test_an_answer_lost_after_acceptance_is_reconciled_not_resent(embedded):
    target, portal = embedded["target"], embedded["co_portal"]
    issuer = flows.sandbox_issuer(target)
    armed = requests.post(
        f"{portal}/faults",
        json={"drop_response": True, "count": 1, "operations": ["SendBillSync"]},
        timeout=10,
    )
    assert armed.status_code in (200, 201), armed.text
    try:
        [final] = issue(target, demo.generate_documents(1, issuer, 51))
    finally:
        requests.delete(f"{portal}/faults", timeout=10)
    assert final.state == issuing_pb2.ACCEPTED
    history = _transmission_history(embedded["data_dir"], final.document_id)
    assert [name for name, _ in history] == [
        "SubmissionOpened",
        "SubmissionInDoubt",
        "DocumentTransmitted",
        "DocumentAccepted",
    ]
    # the document that left before the doubt was found with GetStatus, never sent again
    assert history[2][1]["operation"] == "GetStatus"


def _transmission_history(data_dir: str, document_id: str) -> list[tuple[str, dict]]:
    from services.core.settings import Settings
    from services.transmission.domain import Submission
    from services.wiring import transmission_app, vault_for

    settings = Settings.load({"TIMBRA_DATA_DIR": data_dir})
    app = transmission_app(settings, vault_for(settings))
    try:
        events = list(app.events.get(Submission.id_for(document_id)))
        return [(type(e).__name__, dict(e.__dict__)) for e in events]
    finally:
        app.close()


def test_habilitacion_runs_the_test_set_to_acceptance(embedded):
    target, portal = embedded["target"], embedded["co_portal"]
    issuer = flows.sandbox_issuer(target)
    with grpc.insecure_channel(target) as channel:
        profile = issuing_pb2_grpc.IssuingStub(channel).GetIssuer(
            issuing_pb2.GetIssuerRequest(country="co", issuer=issuer)
        )
    created = requests.post(
        f"{portal}/test-sets",
        json={"nit": issuer, "software_id": profile.software_id, "kind": "invoice"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    test_set_id = created.json()["test_set_id"]
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "services.cli",
                "co",
                "habilitacion",
                "--target",
                target,
                "--issuer",
                issuer,
                "--test-set-id",
                test_set_id,
                "--invoices",
                "10",
                "--credit-notes",
                "2",
                "--debit-notes",
                "2",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "services.cli",
                "co",
                "habilitacion",
                "--target",
                target,
                "--issuer",
                issuer,
                "--leave",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Aceptado" in run.stdout
    status = requests.get(f"{portal}/test-sets/{test_set_id}", timeout=10).json()
    assert "acept" in json.dumps(status).lower()


def test_verify_checks_exported_files_and_refuses_a_tampered_one(embedded, tmp_path):
    target = embedded["target"]
    issuer = flows.sandbox_issuer(target)
    [final] = issue(target, demo.generate_documents(1, issuer, 52))
    signed = view(target, final.document_id).signed_xml
    good = tmp_path / f"{final.number}.xml"
    good.write_bytes(signed)
    # the same file with one amount changed after signing (a 1 put before the payable amount)
    text = signed.decode()
    start = text.index(">", text.index("<cbc:PayableAmount")) + 1
    tampered = tmp_path / "tampered.xml"
    tampered.write_text(text[:start] + "1" + text[start:], encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "services.cli", "verify", str(good), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["passed"] is True
    bad = subprocess.run(
        [sys.executable, "-m", "services.cli", "verify", str(good), str(tampered)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1
    assert "tampered.xml" in bad.stdout


def test_a_production_resolution_is_fetched_from_dian_and_numbers_accepted_invoices(embedded):
    target, portal = embedded["target"], embedded["co_portal"]
    issuer = flows.sandbox_issuer(target)
    with grpc.insecure_channel(target) as channel:
        profile = issuing_pb2_grpc.IssuingStub(channel).GetIssuer(
            issuing_pb2.GetIssuerRequest(country="co", issuer=issuer)
        )
    created = requests.post(
        f"{portal}/resolutions",
        json={
            "nit": issuer,
            "kind": "invoice",
            "prefix": "FX",
            "from": 1,
            "to": 50_000,
            "software_id": profile.software_id,
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    fetched = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "co",
            "ranges",
            "fetch",
            "--issuer",
            issuer,
            "--target",
            target,
            "--dian-url",
            embedded["co_url"],
            "--data-dir",
            embedded["data_dir"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert f"resolution {created.json()['resolution_number']} FX1-50000" in fetched.stdout
    [document] = demo.generate_documents(1, issuer, 53)
    document.co.range_prefix = "FX"
    [final] = issue(target, [document])
    assert final.number == "FX1"
    assert final.state == issuing_pb2.ACCEPTED, list(final.verdict.messages)
