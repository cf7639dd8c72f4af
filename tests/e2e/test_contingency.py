"""A contingency episode on the embedded default (DIAN contingencia tipo 4, with the retry
pattern shortened for a test): DIAN goes down, transmission declares contingency after its
retry pattern, invoicing continues as type 04, DIAN comes back, the backlog is transmitted,
each document with its deadline: all accepted, none lost, none duplicated."""

from __future__ import annotations

import threading
import time
import uuid

import grpc
import pytest
import requests

from services.countries.co import demo
from tests import flows
from tests.conftest import start_platform
from tests.e2e.test_colombia_documents import _transmission_history
from timbra.v1 import issuing_pb2, issuing_pb2_grpc

OUTAGE_SECONDS = 8


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """A platform of its own (the outage must not disturb other tests), fast retry pattern."""
    process, found = start_platform(
        tmp_path_factory.mktemp("contingency"),
        contingency_attempts="2",
        contingency_retry_seconds="0.5",
        contingency_probe_seconds="2",
        authority_timeout="5",
    )
    try:
        yield found
    finally:
        process.stop()


def _request(issuer: str, seed: int) -> issuing_pb2.IssueRequest:
    [document] = demo.generate_documents(1, issuer, seed)
    return issuing_pb2.IssueRequest(request_id=f"outage-{uuid.uuid4().hex}", document=document)


def test_an_outage_is_a_contingency_and_nothing_is_lost_or_duplicated(platform):
    target, portal = platform["target"], platform["co_portal"]
    issuer = flows.sandbox_issuer(target)
    before = [_request(issuer, 70 + i) for i in range(3)]
    normal = flows.issue_streams(target, [before])
    assert [flows.final_update(normal[r.request_id]).state for r in before] == [
        issuing_pb2.ACCEPTED
    ] * 3

    down = requests.post(f"{portal}/faults", json={"outage_seconds": OUTAGE_SECONDS}, timeout=10)
    assert down.status_code in (200, 201), down.text
    outage_started = time.monotonic()
    during: list[issuing_pb2.IssueRequest] = []
    drafted: dict[str, issuing_pb2.DocumentUpdate] = {}
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        # Keep invoicing through the outage: once transmission has declared contingency and
        # issuing has noted it, new invoices come out as type 04.
        while time.monotonic() - outage_started < OUTAGE_SECONDS - 1:
            request = _request(issuer, 100 + len(during))
            during.append(request)
            drafted[request.request_id] = stub.Issue(request)
            time.sleep(0.3)
    types = [drafted[r.request_id].document_type for r in during]
    assert types[0] == "01" and "04" in types, types
    first_04 = types.index("04")
    assert set(types[first_04:]) == {"04"}, "once in contingency, every new invoice is a 04"

    # Wait for every document to be final (the platform sees DIAN back through its probe).
    finals: dict[str, issuing_pb2.DocumentUpdate] = {}
    collector = threading.Thread(
        target=lambda: finals.update(
            {k: v[-1] for k, v in flows.issue_streams(target, [during], timeout=300).items()}
        )
    )
    collector.start()
    collector.join(timeout=300)
    assert not collector.is_alive()
    assert all(f.state == issuing_pb2.ACCEPTED for f in finals.values()), [
        (f.number, list(f.verdict.messages))
        for f in finals.values()
        if f.state != issuing_pb2.ACCEPTED
    ]
    numbers = [f.number for f in finals.values()]
    assert len(set(numbers)) == len(during)
    flows.assert_no_gap_no_duplicate(target, issuer)

    # The episode is in transmission's record: declared, ended, deadlines on the backlog.
    from services.core.settings import Settings
    from services.transmission.domain import AuthorityLink
    from services.wiring import transmission_app, vault_for

    settings = Settings.load({"TIMBRA_DATA_DIR": platform["data_dir"]})
    app = transmission_app(settings, vault_for(settings))
    try:
        link = [type(e).__name__ for e in app.events.get(AuthorityLink.id_for("co"))]
        ended = [
            e
            for e in app.events.get(AuthorityLink.id_for("co"))
            if type(e).__name__ == "ContingencyEnded"
        ]
    finally:
        app.close()
    assert link[-2:] == ["ContingencyDeclared", "ContingencyEnded"]
    deadline = ended[-1].backlog_deadline
    assert abs((deadline - ended[-1].ended_at).total_seconds() - 48 * 3600) < 1
    waited = [_transmission_history(platform["data_dir"], f.document_id) for f in finals.values()]
    with_deadline = [h for h in waited if any(name == "DeadlineSet" for name, _ in h)]
    assert with_deadline, "the documents held during the contingency got their deadline"
    for history in with_deadline:
        names = [name for name, _ in history]
        assert names.count("DocumentAccepted") == 1 and names.count("DocumentTransmitted") == 1
