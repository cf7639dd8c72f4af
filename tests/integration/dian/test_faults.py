"""Faults on command for every operation: an outage window (503 for N seconds, then normal
service), answers held past the client's timeout, and faults aimed at one operation."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import requests

from services.countries.pack import AuthorityUnavailable, Submission, SubmissionInDoubt
from tests.integration.dian.support import NIT, Sandbox, post


@pytest.fixture
def faults(sandbox: Sandbox) -> Iterator[Callable[[dict], dict]]:
    url = f"{sandbox.simulator.admin_url}/faults"
    yield lambda body: post(url, body)
    assert requests.delete(url, timeout=10).status_code == 200


def test_an_outage_answers_503_to_everything_then_service_resumes(sandbox: Sandbox, faults) -> None:
    draft, signed = sandbox.invoice(seed=51)
    shown = faults({"outage_seconds": 2})
    assert 0 < shown["outage_remaining_seconds"] <= 2
    started = time.monotonic()
    with pytest.raises(AuthorityUnavailable) as caught:
        sandbox.submit(draft, signed)
    assert not isinstance(caught.value, SubmissionInDoubt)  # nothing was delivered
    for call in (
        lambda: sandbox.client.get_status(draft.document_key),
        lambda: sandbox.client.get_status_zip("00000000-0000-4000-8000-000000000000"),
        lambda: sandbox.client.get_numbering_range(NIT, NIT, sandbox.issuer.software_id),
    ):
        with pytest.raises(AuthorityUnavailable, match="HTTP 503"):
            call()
    raw = requests.post(sandbox.simulator.service_url, data=b"", timeout=10)
    assert raw.status_code == 503
    time.sleep(max(0.0, 2.1 - (time.monotonic() - started)))
    assert sandbox.submit(draft, signed).accepted  # the window closed by itself
    assert (
        "outage_remaining_seconds"
        not in requests.get(f"{sandbox.simulator.admin_url}/faults", timeout=10).json()
    )


def test_an_outage_can_be_ended_early(sandbox: Sandbox, faults) -> None:
    faults({"outage_seconds": 600})
    with pytest.raises(AuthorityUnavailable):
        sandbox.client.get_status("f" * 96)
    assert requests.delete(f"{sandbox.simulator.admin_url}/faults", timeout=10).ok
    assert sandbox.client.get_status("f" * 96) is None


def test_an_answer_held_past_the_timeout_is_in_doubt_but_processed(
    sandbox: Sandbox, faults
) -> None:
    draft, signed = sandbox.invoice(seed=52)
    impatient = sandbox.new_client(timeout=0.5)
    faults({"timeout_ms": 1500})
    started = time.monotonic()
    with pytest.raises(SubmissionInDoubt):
        impatient.submit(Submission("d", NIT, "01", draft.number, draft.document_key, signed, "2"))
    impatient.close()
    assert time.monotonic() - started < 1.4  # the client gave up; the answer was still held
    # Unlike latency, the document was processed before the wait: DIAN has it already.
    status = sandbox.client.get_status(draft.document_key)
    assert status is not None and status.accepted


def test_a_fault_can_aim_at_one_operation(sandbox: Sandbox, faults) -> None:
    draft, signed = sandbox.invoice(seed=53)
    faults({"http_status": 500, "operations": ["GetStatus"], "count": 1})
    assert sandbox.submit(draft, signed).accepted  # SendBillSync is not affected
    with pytest.raises(AuthorityUnavailable, match="HTTP 500"):
        sandbox.client.get_status(draft.document_key)
    status = sandbox.client.get_status(draft.document_key)  # the one fault is spent
    assert status is not None and status.accepted


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outage_seconds": 0}, "outage_seconds"),
        ({"outage_seconds": 5, "count": 2}, "outage_seconds"),
        ({"timeout_ms": 10, "drop_response": True}, "timeout_ms"),
        ({"operations": "GetStatus"}, "operations"),
    ],
)
def test_fault_requests_are_checked(sandbox: Sandbox, body: dict, field: str) -> None:
    answer = post(f"{sandbox.simulator.admin_url}/faults", body, expect=400)
    assert answer["error"].startswith(field)
