"""Asynchronous delivery against the simulator: SendBillAsync batches, GetStatusZip while
pending and after, and the client's submit/poll over them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from services.countries.co.client import DianClient, UploadRefused, zip_document, zip_documents
from services.countries.pack import Submission, SubmissionInDoubt
from tests.integration.dian.support import (
    NIT,
    UBL,
    Sandbox,
    enrol,
    find,
    poll_until,
    put,
    settle,
    start,
)


@pytest.fixture
def slow_batches(sandbox: Sandbox) -> Iterator[None]:
    """Batches wait 1.5 s before validation, so the pending state is certainly seen."""
    url = f"{sandbox.simulator.admin_url}/settings"
    previous = put(url, {"processing_delay_ms": 1500})
    assert previous == {"processing_delay_ms": 1500}
    yield
    put(url, {"processing_delay_ms": 500})


def wrong_cufe(root) -> None:
    find(root, "cbc:UUID").text = "0" * 96


def test_a_batch_is_pending_then_answered_document_by_document(
    sandbox: Sandbox, slow_batches: None
) -> None:
    made = [sandbox.invoice(seed=seed) for seed in (21, 22, 23)]
    bad_draft, bad = sandbox.invoice(edit=wrong_cufe, seed=24)
    files = [(f"fv{index}.xml", signed) for index, (_, signed) in enumerate(made)]
    files.insert(1, ("fv-bad.xml", bad))
    receipt = sandbox.client.send_bill_async("z-batch.zip", zip_documents(files))
    assert len(receipt.zip_key) == 36 and receipt.problems == ()

    pending = sandbox.client.get_status_zip(receipt.zip_key)
    assert pending.pending and pending.documents == ()
    assert pending.responses[0].status_code == ""
    assert pending.responses[0].status_description == "Batch en proceso de validación."

    done = settle(sandbox.client, receipt.zip_key)
    assert not done.pending and len(done.documents) == 4
    good_keys = [draft.document_key for draft, _ in made]
    first, rejected, *rest = done.documents
    assert [first.document_key, *(s.document_key for s in rest)] == good_keys
    assert all(s.is_valid and s.status_code == "00" for s in (first, *rest))
    assert not rejected.is_valid and rejected.status_code == "99"
    assert any("FAD06" in error for error in rejected.errors)
    assert rejected.file_name == "fv-bad"
    for key in good_keys:  # each accepted document is known to GetStatus too
        status = sandbox.client.get_status(key)
        assert status is not None and status.accepted
    assert sandbox.client.get_status(bad_draft.document_key) is None  # its CUFE was wrong


def test_submit_with_send_bill_async_then_poll(sandbox: Sandbox, slow_batches: None) -> None:
    draft, signed = sandbox.invoice(seed=31)
    submission = Submission(
        "doc",
        NIT,
        "01",
        draft.number,
        draft.document_key,
        signed,
        "2",
        {"operation": "SendBillAsync"},
    )
    delivery = sandbox.client.submit(submission)
    assert delivery.operation == "SendBillAsync" and delivery.verdict is None
    assert delivery.track_id and delivery.file_name.endswith(".zip")
    assert sandbox.client.poll(submission, delivery.track_id) is None  # still pending
    verdict = poll_until(sandbox.client, submission, delivery.track_id)
    assert verdict.accepted and verdict.document_key == draft.document_key
    assert find_response_code(verdict.response_xml) == "02"


def find_response_code(response_xml: bytes) -> str:
    from lxml import etree

    root = etree.fromstring(response_xml)
    return root.findtext("cac:DocumentResponse/cac:Response/cbc:ResponseCode", namespaces=UBL)


def test_a_batch_that_is_not_a_zip_is_refused_as_a_whole(sandbox: Sandbox) -> None:
    receipt = sandbox.client.send_bill_async("z.zip", b"not a zip at all")
    done = settle(sandbox.client, receipt.zip_key)
    (only,) = done.responses
    assert only.status_code == "89" and "ZIP" in only.status_description


def test_more_than_fifty_documents_is_refused_as_a_whole(sandbox: Sandbox) -> None:
    _, signed = sandbox.invoice(seed=41)
    content = zip_documents([(f"fv{index}.xml", signed) for index in range(51)])
    done = settle(sandbox.client, sandbox.client.send_bill_async("z.zip", content).zip_key)
    (only,) = done.responses
    assert only.status_code == "89" and "50" in only.status_description


def test_an_unknown_zip_key_is_66_and_polling_it_is_in_doubt(sandbox: Sandbox) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    (only,) = sandbox.client.get_status_zip(unknown).responses
    assert only.status_code == "66"
    draft, signed = sandbox.invoice(seed=42)
    submission = Submission("d", NIT, "01", draft.number, draft.document_key, signed, "2")
    with pytest.raises(SubmissionInDoubt):
        sandbox.client.poll(submission, unknown)


def test_a_test_set_that_does_not_exist_gets_no_zip_key(sandbox: Sandbox) -> None:
    _, signed = sandbox.invoice(seed=43)
    with pytest.raises(UploadRefused, match="no existe"):
        sandbox.client.send_test_set_async(
            "z.zip", zip_document("fv.xml", signed), "11111111-2222-4333-8444-555555555555"
        )


def test_a_batch_received_before_a_restart_is_processed_after_it(tmp_path: Path) -> None:
    first = start(tmp_path / "state")
    try:
        enrolled = enrol(first)
        put(f"{first.admin_url}/settings", {"processing_delay_ms": 600_000})
        draft, signed = enrolled.invoice(seed=44)
        receipt = enrolled.client.send_bill_async("z.zip", zip_document("fv.xml", signed))
        assert enrolled.client.get_status_zip(receipt.zip_key).pending
    finally:
        assert first.stop() == 0
    second = start(tmp_path / "state")  # the default delay again: processed soon after start
    try:
        client = DianClient(second.service_url, 10, credentials=enrolled.credentials)
        (status,) = settle(client, receipt.zip_key).documents
        assert status.is_valid and status.document_key == draft.document_key
        client.close()
    finally:
        assert second.stop() == 0
