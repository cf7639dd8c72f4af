"""Chile complete, end to end on the embedded default: every DTE type through the platform and
the SII simulator (stamped, signed, enveloped, uploaded, polled), CAF files, annulled folios,
bad RUTs, and a certification set run to acceptance."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import uuid

import grpc
import pytest
import requests

from services.countries.cl import demo
from services.countries.cl.schemas import validate
from tests import flows
from timbra.v1 import document_pb2, issuing_pb2, issuing_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE_SET = ROOT / "services" / "countries" / "cl" / "data" / "set_basico.txt"


def chilean_issuer(target: str) -> str:
    """The Chilean sandbox issuer (its RUT with check digit)."""
    return flows.sandbox_issuer(target, "cl")


def issue(target: str, documents: list[document_pb2.Document]) -> list:
    """Issue over one stream; every document's final update, in order."""
    run = uuid.uuid4().hex[:8]
    batch = [
        issuing_pb2.IssueRequest(request_id=f"cl-{run}-{i}", document=d)
        for i, d in enumerate(documents)
    ]
    updates = flows.issue_streams(target, [batch])
    return [flows.final_update(updates[r.request_id]) for r in batch]


def signed_xml(target: str, document_id: str) -> bytes:
    """The signed DTE as the platform keeps it."""
    with grpc.insecure_channel(target) as channel:
        return (
            issuing_pb2_grpc.IssuingStub(channel)
            .GetDocument(
                issuing_pb2.GetDocumentRequest(document_id=document_id, include_files=True)
            )
            .signed_xml
        )


def reference(final: issuing_pb2.DocumentUpdate, target: str) -> document_pb2.ChileReference:
    """How a note names an accepted DTE."""
    with grpc.insecure_channel(target) as channel:
        issued = issuing_pb2_grpc.IssuingStub(channel).GetDocument(
            issuing_pb2.GetDocumentRequest(document_id=final.document_id)
        )
    return document_pb2.ChileReference(
        document_type=final.document_type, folio=final.number, date=issued.issue_date
    )


def assert_accepted(target: str, finals: list, dte_type: int) -> None:
    for final in finals:
        reasons = [f"{m.rule}: {m.text}" for m in final.verdict.messages if m.rejection]
        assert final.state == issuing_pb2.ACCEPTED, (final.number, reasons)
        assert final.document_type == str(dte_type)
        assert final.verdict.authority == "SII"
        assert validate(signed_xml(target, final.document_id)) == []


def test_every_dte_type_is_accepted_end_to_end(embedded):
    target = embedded["target"]
    issuer = chilean_issuer(target)
    facturas = issue(target, demo.generate_documents(4, issuer, 61, dte_type=33))
    assert_accepted(target, facturas, 33)
    assert_accepted(target, issue(target, demo.generate_documents(2, issuer, 62, dte_type=34)), 34)
    assert_accepted(target, issue(target, demo.generate_documents(2, issuer, 63, dte_type=52)), 52)
    references = [reference(f, target) for f in facturas]
    credit = issue(
        target, demo.generate_documents(2, issuer, 64, dte_type=61, references=references)
    )
    assert_accepted(target, credit, 61)
    debit = issue(
        target, demo.generate_documents(2, issuer, 65, dte_type=56, references=references)
    )
    assert_accepted(target, debit, 56)
    # folios are consecutive per type, from the CAF's range
    numbers = sorted(int(f.number) for f in facturas)
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_a_bad_rut_is_refused_at_the_boundary_with_its_path(embedded):
    target = embedded["target"]
    issuer = chilean_issuer(target)
    [document] = demo.generate_documents(1, issuer, 66, dte_type=33)
    document.customer.tax_id = "76192083-8"  # the check digit of 76192083 is 9
    with grpc.insecure_channel(target) as channel, pytest.raises(grpc.RpcError) as refused:
        issuing_pb2_grpc.IssuingStub(channel).Issue(
            issuing_pb2.IssueRequest(request_id=f"rut-{uuid.uuid4().hex}", document=document)
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert dict(refused.value.trailing_metadata())["timbra-field"].startswith(
        "document.customer.tax_id"
    )


def test_a_caf_from_the_sii_is_loaded_and_annulled_folios_are_skipped(embedded, tmp_path):
    target, portal = embedded["target"], embedded["cl_portal"]
    issuer = chilean_issuer(target)
    answer = requests.post(
        f"{portal}/cafs", json={"rut": issuer, "dte_type": 34, "count": 20}, timeout=30
    )
    assert answer.status_code == 201, answer.text
    caf = tmp_path / "caf.xml"
    caf.write_bytes(answer.content)
    loaded = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "cl",
            "caf",
            str(caf),
            "--issuer",
            issuer,
            "--issuing",
            target,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "folio key 34:" in loaded.stdout
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        ranges = stub.ListNumberingRanges(
            issuing_pb2.ListNumberingRangesRequest(country="cl", issuer=issuer)
        ).ranges
        [new] = [r for r in ranges if "34" in r.document_types and r.remaining == 20]
        annulled = stub.AnnulNumbers(
            issuing_pb2.AnnulNumbersRequest(
                range_id=new.range_id,
                number_from=new.range_from + 5,
                number_to=new.range_to,
                reason="folios no usados: cambio de sistema",
            )
        )
        assert annulled.remaining == 5
        with pytest.raises(grpc.RpcError) as no_reason:
            stub.AnnulNumbers(
                issuing_pb2.AnnulNumbersRequest(
                    range_id=new.range_id, number_from=new.range_from, number_to=new.range_from
                )
            )
    assert no_reason.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_caf_for_another_company_is_refused(embedded):
    target, portal = embedded["target"], embedded["cl_portal"]
    other = "77123450-K"
    requests.post(
        f"{portal}/companies",
        json={
            "rut": other,
            "name": "Otra Empresa SpA",
            "resolution_date": "2024-03-01",
            "resolution_number": 0,
            "senders": [],
        },
        timeout=30,
    )
    caf = requests.post(
        f"{portal}/cafs", json={"rut": other, "dte_type": 33, "count": 5}, timeout=30
    )
    assert caf.status_code == 201, caf.text
    with grpc.insecure_channel(target) as channel, pytest.raises(grpc.RpcError) as refused:
        issuing_pb2_grpc.IssuingStub(channel).LoadNumberingFile(
            issuing_pb2.LoadNumberingFileRequest(
                country="cl", issuer=chilean_issuer(target), content=caf.content
            )
        )
    assert refused.value.code() in (
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    assert other.split("-")[0] in refused.value.details()


def test_a_certification_set_runs_to_acceptance(embedded):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "cl",
            "certificacion",
            "--set",
            str(SAMPLE_SET),
            "--target",
            embedded["target"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "11 of 11 cases accepted" in run.stdout
