"""The DIAN simulator's protocol side: archives, hostile XML, GetStatus, faults, the sandbox
portal and restarts."""

from __future__ import annotations

import base64
import io
import itertools
import os
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from lxml import etree

from services.core.simulators import SimulatorProcess
from services.countries.co import demo
from services.countries.co.client import DianClient, zip_document
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.wssecurity import DianWsSecurity
from services.countries.pack import (
    AuthorityUnavailable,
    Credentials,
    Submission,
    SubmissionInDoubt,
    Verdict,
)
from services.signing import testca
from tests.integration.dian.support import NIT, Sandbox, post, rules, start

# --- archives and hostile XML --------------------------------------------------------------


def send_zip(sandbox: Sandbox, *files: tuple[str, bytes]) -> Verdict:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return sandbox.client.send_bill_sync("z.zip", buffer.getvalue())


def test_two_documents_in_one_zip_is_status_89(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice()
    verdict = send_zip(sandbox, ("a.xml", signed), ("b.xml", signed))
    assert not verdict.accepted and verdict.status_code == "89"
    assert "El método síncrono solo puede recibir un documento." in verdict.status_description
    assert sandbox.client.get_status(draft.document_key) is None


def test_a_document_above_500_kb_is_za01(sandbox: Sandbox) -> None:
    big = b"<Invoice>" + b"<cbc:Note>0123456789abcdef</cbc:Note>" * 16_000 + b"</Invoice>"
    verdict = send_zip(sandbox, ("fv.xml", big))
    assert not verdict.accepted and rules(verdict) == ["ZA01"]


def test_a_request_above_the_size_cap_is_refused_unread(sandbox: Sandbox) -> None:
    with pytest.raises(AuthorityUnavailable):
        sandbox.client.send_bill_sync("z.zip", os.urandom(13 * 1024 * 1024))


class CountingHandler(BaseHTTPRequestHandler):
    """Counts every request: the simulator must never fetch what a document points to."""

    hits = 0

    def do_GET(self) -> None:
        CountingHandler.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"fetched")

    def log_message(self, *args: object) -> None:
        pass


def test_hostile_or_broken_xml_is_zb01_without_network_or_file_access(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    server = HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    url = f"http://127.0.0.1:{server.server_port}/entity"
    _, signed = sandbox.invoice()
    body = signed.split(b"?>", 1)[1]
    external = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY web SYSTEM "' + url.encode() + b'">'
        b'<!ENTITY file SYSTEM "'
        + secret.as_uri().encode()
        + b'">]>'
        + body.replace(b"<cbc:UBLVersionID>", b"<cbc:UBLVersionID>&web;&file;", 1)
    )
    laughs = b"".join(
        [b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "ha">']
        + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)]
        + [b"]><Invoice>&l9;</Invoice>"]
    )
    try:
        for content in (external, laughs, b"%PDF-1.7 definitely not XML"):
            verdict = send_zip(sandbox, ("fv.xml", content))
            assert rules(verdict) == ["ZB01"] and verdict.status_code == "99"
            assert b"TOP-SECRET" not in verdict.response_xml
            assert "TOP-SECRET" not in verdict.status_description
    finally:
        server.shutdown()
    assert CountingHandler.hits == 0


# --- GetStatus and faults -------------------------------------------------------------------


def test_get_status_knows_accepted_documents_only(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice()
    sandbox.submit(draft, signed)
    status = sandbox.client.get_status(draft.document_key)
    assert status is not None and status.accepted and status.document_key == draft.document_key
    assert sandbox.client.get_status("f" * 96) is None


@pytest.fixture
def faults(sandbox: Sandbox) -> Iterator[Callable[[dict], None]]:
    url = f"{sandbox.simulator.admin_url}/faults"
    yield lambda body: post(url, body)
    assert requests.delete(url, timeout=10).status_code == 200


def test_a_503_is_unavailability_and_nothing_is_stored(sandbox: Sandbox, faults) -> None:
    draft, signed = sandbox.invoice()
    faults({"http_status": 503, "count": 1})
    with pytest.raises(AuthorityUnavailable) as caught:
        sandbox.submit(draft, signed)
    assert not isinstance(caught.value, SubmissionInDoubt)
    assert sandbox.client.get_status(draft.document_key) is None
    assert sandbox.submit(draft, signed).accepted  # the fault was for one call only


def test_a_dropped_answer_is_in_doubt_and_get_status_shows_it_accepted(
    sandbox: Sandbox, faults
) -> None:
    draft, signed = sandbox.invoice()
    faults({"drop_response": True})
    with pytest.raises(SubmissionInDoubt):
        sandbox.submit(draft, signed)
    status = sandbox.client.get_status(draft.document_key)
    assert status is not None and status.accepted
    resent = sandbox.submit(draft, signed)
    assert resent.accepted and rules(resent) == ["90"]


def test_latency_is_applied(sandbox: Sandbox, faults) -> None:
    draft, signed = sandbox.invoice()
    faults({"latency_ms": 600})
    started = time.monotonic()
    assert sandbox.submit(draft, signed).accepted
    assert time.monotonic() - started >= 0.6


def test_an_answer_later_than_the_timeout_is_in_doubt(sandbox: Sandbox, faults) -> None:
    draft, signed = sandbox.invoice()
    impatient = sandbox.new_client(timeout=0.3)
    faults({"latency_ms": 1000})
    with pytest.raises(SubmissionInDoubt):
        impatient.submit(Submission("d", NIT, "01", draft.number, draft.document_key, signed, "2"))
    impatient.close()
    deadline = time.monotonic() + 10
    status = None
    while time.monotonic() < deadline and status is None:
        time.sleep(0.2)
        status = sandbox.client.get_status(draft.document_key)
    assert status is not None and status.accepted


def test_operations_of_later_versions_are_soap_faults(sandbox: Sandbox) -> None:
    operation = "GetStatusEvent"
    action = f"http://wcf.dian.colombia/IWcfDianCustomerServices/{operation}"
    envelope = etree.fromstring(
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
        ' xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>'
        f"<a:Action>{action}</a:Action><a:To>{sandbox.simulator.service_url}</a:To>"
        f'</s:Header><s:Body><{operation} xmlns="http://wcf.dian.colombia"><trackId>x</trackId>'
        f"</{operation}></s:Body></s:Envelope>"
    )
    assert sandbox.credentials is not None
    signed = DianWsSecurity(sandbox.credentials).secure(envelope)
    response = requests.post(
        sandbox.simulator.service_url,
        data=etree.tostring(signed),
        headers={"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'},
        timeout=10,
    )
    assert response.status_code == 500
    assert "no está disponible en esta versión del simulador" in response.text


# --- the sandbox portal and restarts -------------------------------------------------------


def test_the_portal_validates_its_input(simulator: SimulatorProcess) -> None:
    admin = simulator.admin_url
    assert "nit" in post(f"{admin}/issuers", {"name": "x"}, expect=400)["error"]
    assert "nit" in post(f"{admin}/resolutions", {"nit": "123456789"}, expect=404)["error"]
    assert (
        "to" in post(f"{admin}/resolutions", {"nit": NIT, "from": 5, "to": 1}, expect=400)["error"]
    )
    listed = requests.get(f"{admin}/resolutions", params={"nit": NIT}, timeout=10).json()
    assert all(item["nit"] == NIT for item in listed["resolutions"]) and listed["resolutions"]
    assert requests.get(f"{admin}/resolutions", timeout=10).status_code == 400


def test_state_survives_a_restart(tmp_path: Path) -> None:
    first = start(tmp_path / "state")
    try:
        software = post(f"{first.admin_url}/issuers", {"nit": NIT, "name": "Demo"})
        resolution = post(
            f"{first.admin_url}/resolutions", {"nit": NIT, "valid_from": "2020-01-01"}
        )
    finally:
        assert first.stop() == 0
    second = start(tmp_path / "state")
    try:
        listed = requests.get(f"{second.admin_url}/resolutions", params={"nit": NIT}, timeout=10)
        assert listed.json()["resolutions"] == [resolution]
        authority = testca.create_authority()
        key, certificate = testca.issue_signing_certificate(authority, tax_id=NIT, name="Demo")
        profile = demo.issuer_profile(NIT, "Demo S.A.S.")
        profile.software_id, profile.software_pin = (
            software["software_id"],
            software["software_pin"],
        )
        credentials = Credentials(key, certificate, (authority.certificate,))
        sandbox = Sandbox(
            second,
            DianClient(second.service_url, timeout=10, credentials=credentials),
            parse_issuer(profile, "issuer"),
            resolution,
            PACK.create_signer(credentials),
            itertools.count(resolution["from"]),
            credentials,
        )
        draft, signed = sandbox.invoice()
        assert sandbox.submit(draft, signed).accepted
    finally:
        assert second.stop() == 0
    third = start(tmp_path / "state")
    try:
        client = DianClient(third.service_url, timeout=10, credentials=credentials)
        status = client.get_status(draft.document_key)
        assert status is not None and status.accepted
        again = client.send_bill_sync("z.zip", zip_document("fv.xml", signed), draft.document_key)
        assert again.accepted and rules(again) == ["90"]
        client.close()
    finally:
        assert third.stop() == 0


def test_contents_are_base64_of_a_zip(sandbox: Sandbox) -> None:
    # A guard on the test helpers: what the simulator received is what the client zipped.
    draft, signed = sandbox.invoice()
    content = zip_document("fv.xml", signed)
    assert (
        zipfile.ZipFile(io.BytesIO(base64.b64decode(base64.b64encode(content)))).read("fv.xml")
        == signed
    )
    assert sandbox.client.send_bill_sync("z.zip", content, draft.document_key).accepted
