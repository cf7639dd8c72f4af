"""Faults on command, and what the client concludes from each: nothing delivered
(AuthorityUnavailable) or maybe delivered (SubmissionInDoubt, then reconcile)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
import requests

from services.core.simulators import SimulatorProcess
from services.countries.cl.client import SiiClient
from services.countries.pack import AuthorityUnavailable, SubmissionInDoubt
from tests.integration.sii.support import Company, post, sandbox_credentials, settle


@pytest.fixture(autouse=True)
def no_faults_left(simulator: SimulatorProcess) -> Iterator[None]:
    """Each test starts and ends with no fault armed."""
    requests.delete(f"{simulator.admin_url}/faults", timeout=10).raise_for_status()
    yield
    requests.delete(f"{simulator.admin_url}/faults", timeout=10).raise_for_status()


def arm(simulator: SimulatorProcess, **fault: object) -> None:
    """Arm a fault in the simulator."""
    post(f"{simulator.admin_url}/faults", fault)


def test_an_http_503_is_unavailable_and_takes_nothing(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client()
    client.submit_batch(company.documents(1, seed=50))  # authenticated already
    arm(simulator, http_status=503, operations=["DTEUpload"])
    items = company.documents(1, seed=51)
    with pytest.raises(AuthorityUnavailable, match="HTTP 503"):
        client.submit_batch(items)
    assert client.reconcile(items[0]) is None, "the SII did not take the refused upload"
    delivery = client.submit_batch(items)[0]
    assert settle(client, items[0], delivery.track_id).accepted
    client.close()


def test_an_outage_makes_every_call_unavailable_until_it_ends(
    simulator: SimulatorProcess, company: Company
) -> None:
    arm(simulator, outage_seconds=0.5)
    client = company.client()
    items = company.documents(1, seed=52)
    with pytest.raises(AuthorityUnavailable):
        client.submit_batch(items)
    time.sleep(0.6)
    assert settle(client, items[0], client.submit_batch(items)[0].track_id).accepted
    client.close()


def test_a_dropped_answer_is_in_doubt_and_reconcile_finds_the_document(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client()
    items = company.documents(2, seed=53)
    arm(simulator, drop_response=True, operations=["DTEUpload"])
    with pytest.raises(SubmissionInDoubt):
        client.submit_batch(items)
    deadline = time.monotonic() + 30
    found = None
    while found is None and time.monotonic() < deadline:
        found = client.reconcile(items[1])
        time.sleep(0.05)
    assert found is not None, "the SII took the upload whose answer was dropped"
    assert found.operation == "getEstDte"
    assert found.verdict.accepted and found.verdict.status_code == "DOK"
    client.close()


def test_reconcile_of_a_document_never_sent_finds_nothing(company: Company) -> None:
    client = company.client()
    assert client.reconcile(company.documents(1, seed=54)[0]) is None
    client.close()


def test_an_upload_answered_too_late_is_in_doubt(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client(timeout=1)
    client.submit_batch(company.documents(1, seed=55))
    arm(simulator, timeout_ms=3000, operations=["DTEUpload"])
    with pytest.raises(SubmissionInDoubt):
        client.submit_batch(company.documents(1, seed=56))
    client.close()


def test_a_query_answered_too_late_is_only_unavailable(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client(timeout=1)
    items = company.documents(1, seed=57)
    track_id = client.submit_batch(items)[0].track_id
    arm(simulator, timeout_ms=3000, operations=["getEstUp"])
    with pytest.raises(AuthorityUnavailable):
        client.poll(items[0], track_id)
    client.close()


def test_latency_slows_a_call_down_without_failing_it(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client()
    items = company.documents(1, seed=58)
    client.submit_batch(company.documents(1, seed=59))
    arm(simulator, latency_ms=400, operations=["DTEUpload"])
    started = time.monotonic()
    delivery = client.submit_batch(items)[0]
    assert time.monotonic() - started >= 0.4
    assert settle(client, items[0], delivery.track_id).accepted
    client.close()


def test_an_authentication_failure_is_unavailable(
    simulator: SimulatorProcess, company: Company
) -> None:
    arm(simulator, http_status=500, operations=["getSeed"])
    client = company.client()
    with pytest.raises(AuthorityUnavailable, match="HTTP 500"):
        client.submit_batch(company.documents(1, seed=60))
    client.close()


def test_nobody_listening_is_unavailable(company: Company) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SiiClient(f"http://127.0.0.1:{port}", 2, credentials=sandbox_credentials())
    with pytest.raises(AuthorityUnavailable, match="refused"):
        client.submit_batch(company.documents(1, seed=61))
    client.close()
