"""The rest of the public API on the embedded default: watching, lookups, certificates, audit."""

from __future__ import annotations

import asyncio
import pathlib
import subprocess
import sys

import grpc
import pytest

from services.signing import testca
from tests import flows
from timbra.v1 import issuing_pb2, issuing_pb2_grpc, signing_pb2, signing_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_watch_documents_follows_changes_live_and_from_the_beginning(embedded):
    target = embedded["target"]
    issuer = flows.sandbox_issuer(target)
    [request] = flows.requests_for(target, 1, seed=31)

    async def watch_while_issuing() -> list[issuing_pb2.DocumentUpdate]:
        async with grpc.aio.insecure_channel(target) as channel:
            stub = issuing_pb2_grpc.IssuingStub(channel)
            watch = stub.WatchDocuments(issuing_pb2.WatchDocumentsRequest(issuer=issuer))
            await asyncio.sleep(0.3)  # the watch is registered before the document exists
            issued = await stub.Issue(request)
            seen = []
            async for update in watch:
                if update.document_id == issued.document_id:
                    seen.append(update)
                    if update.state == issuing_pb2.ACCEPTED:
                        watch.cancel()
                        return seen
            return seen

    live = asyncio.run(asyncio.wait_for(watch_while_issuing(), 120))
    assert [u.state for u in live][-1] == issuing_pb2.ACCEPTED
    assert [u.state for u in live] == sorted(u.state for u in live)
    assert live[-1].verdict.is_valid and live[-1].verdict.status_code == "00"

    async def replay() -> list[issuing_pb2.DocumentUpdate]:
        async with grpc.aio.insecure_channel(target) as channel:
            stub = issuing_pb2_grpc.IssuingStub(channel)
            watch = stub.WatchDocuments(
                issuing_pb2.WatchDocumentsRequest(
                    document_ids=[live[0].document_id], from_beginning=True
                )
            )
            first = await watch.read()
            watch.cancel()
            return [first]

    [current] = asyncio.run(asyncio.wait_for(replay(), 30))
    assert current.document_id == live[0].document_id and current.state == issuing_pb2.ACCEPTED


def test_documents_can_be_found_by_id_number_and_request_id(embedded):
    target = embedded["target"]
    [request] = flows.requests_for(target, 1, seed=32)
    final = flows.final_update(flows.issue_streams(target, [[request]])[request.request_id])
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        by_id = stub.GetDocument(
            issuing_pb2.GetDocumentRequest(document_id=final.document_id, include_files=True)
        )
        by_number = stub.GetDocument(
            issuing_pb2.GetDocumentRequest(issuer=final.issuer, number=final.number)
        )
        by_request = stub.GetDocument(
            issuing_pb2.GetDocumentRequest(issuer=final.issuer, request_id=request.request_id)
        )
        with pytest.raises(grpc.RpcError) as missing:
            stub.GetDocument(issuing_pb2.GetDocumentRequest(issuer=final.issuer, number="NOPE1"))
        with pytest.raises(grpc.RpcError) as no_issuer:
            stub.GetDocument(issuing_pb2.GetDocumentRequest(number=final.number))
    assert by_id.document_id == by_number.document_id == by_request.document_id
    assert by_id.signed_xml.startswith(b"<?xml") and by_id.authority_response
    assert not by_number.signed_xml  # files only when asked for
    assert by_id.payable_amount == request.document.totals.payable_amount
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert no_issuer.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_certificate_that_cannot_sign_is_refused_and_the_key_never_comes_back(embedded):
    authority = testca.create_authority()
    key, cert = testca.issue_signing_certificate(authority, tax_id="900555666", name="Otra S.A.S.")
    bundle = testca.to_pkcs12(key, cert, [authority.certificate], b"right")
    with grpc.insecure_channel(embedded["target"]) as channel:
        stub = signing_pb2_grpc.SigningStub(channel)
        with pytest.raises(grpc.RpcError) as wrong_password:
            stub.RegisterCertificate(
                signing_pb2.RegisterCertificateRequest(
                    country="co", issuer="900555666", pkcs12=bundle, password="wrong"
                )
            )
        with pytest.raises(grpc.RpcError) as unknown_country:
            stub.RegisterCertificate(
                signing_pb2.RegisterCertificateRequest(
                    country="xx", issuer="900555666", pkcs12=bundle, password="right"
                )
            )
        info = stub.RegisterCertificate(
            signing_pb2.RegisterCertificateRequest(
                country="co", issuer="900555666", pkcs12=bundle, password="right"
            )
        )
        listed = stub.ListCertificates(signing_pb2.ListCertificatesRequest(issuer="900555666"))
    assert wrong_password.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert dict(wrong_password.value.trailing_metadata())["timbra-field"] == "pkcs12"
    assert dict(unknown_country.value.trailing_metadata())["timbra-field"] == "country"
    assert info.serial == str(cert.serial_number) and "900555666" in info.subject
    assert [c.sha256_fingerprint for c in listed.certificates] == [info.sha256_fingerprint]
    assert b"PRIVATE" not in listed.SerializeToString()


def test_audit_command_replays_a_document_by_number(embedded):
    target = embedded["target"]
    [request] = flows.requests_for(target, 1, seed=33)
    final = flows.final_update(flows.issue_streams(target, [[request]])[request.request_id])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "audit",
            "document",
            final.number,
            "--issuer",
            final.issuer,
            "--target",
            target,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0].split() == [final.number, final.document_key, "ACCEPTED"]
    assert [line.split()[-1] for line in lines[1:]] == [
        "DocumentDrafted",
        "DocumentSigned",
        "DocumentTransmitted",
        "DocumentAccepted",
    ]
