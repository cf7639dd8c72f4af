"""The DIAN simulator as a separate process, driven by the country pack and DianClient.

Invoices are built and signed by the Colombian pack exactly as the platform does. A document
meant to break one rule is made by changing what the pack is given (the numbering slot, the
issuer's software, the signing day) or by editing the unsigned XML before the pack signs it,
so only the intended rule breaks.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from lxml import etree

from services.countries.co import demo
from services.countries.co.client import DianClient, DianFault, zip_document
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.pack import (
    AuthorityUnavailable,
    Credentials,
    Draft,
    IssuerProfile,
    NumberingSlot,
    Submission,
    SubmissionInDoubt,
    Verdict,
)
from services.signing import testca

NIT = "900373076"
OTHER_NIT = "901210113"
UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "sts": "dian:gov:co:facturaelectronica:Structures-2-1",
    "ar": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
}
TODAY = datetime.now(COLOMBIA_TIME).date()


@dataclass
class Simulator:
    """A simulator process and its URLs."""

    process: subprocess.Popen[bytes]
    service_url: str
    admin_url: str

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)


def start(data_dir: Path) -> Simulator:
    """`python -m services.countries.co.simulator` on a free port; wait for its JSON line."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "services.countries.co.simulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=(data_dir.parent / f"{data_dir.name}.log").open("ab"),
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    assert ready, "the simulator printed nothing within 60 s"
    urls = json.loads(process.stdout.readline())
    assert set(urls) == {"service_url", "admin_url"}
    assert urls["service_url"].endswith("/WcfDianCustomerServices.svc")
    assert urls["admin_url"].endswith("/sandbox")
    return Simulator(process, urls["service_url"], urls["admin_url"])


def post(url: str, body: object, expect: int = 201) -> dict:
    response = requests.post(url, json=body, timeout=10)
    assert response.status_code == expect, response.text
    return response.json()


@dataclass
class Sandbox:
    """An issuer enrolled with the simulator, and what the pack needs to invoice as it."""

    simulator: Simulator
    client: DianClient
    issuer: IssuerProfile
    resolution: dict
    signer: object
    numbers: Iterator[int]

    def slot(self, resolution: dict | None = None, **changes: object) -> NumberingSlot:
        resolution = resolution or self.resolution
        slot = NumberingSlot(
            range_id="test",
            authorization=resolution["resolution_number"],
            prefix=resolution["prefix"],
            number=next(self.numbers) if resolution is self.resolution else resolution["from"],
            range_from=resolution["from"],
            range_to=resolution["to"],
            valid_from=date.fromisoformat(resolution["valid_from"]),
            valid_to=date.fromisoformat(resolution["valid_to"]),
            technical_key=resolution["technical_key"],
        )
        return replace(slot, **changes)

    def invoice(
        self,
        slot: NumberingSlot | None = None,
        *,
        issuer: IssuerProfile | None = None,
        edit: Callable[[etree._Element], None] | None = None,
        sign_as_of: timedelta = timedelta(0),
        seed: int = 1,
    ) -> tuple[Draft, bytes]:
        """Build and sign one invoice; `edit` changes the unsigned XML before signing."""
        issuer = issuer or self.issuer
        document = demo.generate_documents(1, issuer.tax_id, seed=seed)[0]
        issued_at = datetime.now(COLOMBIA_TIME)
        draft = PACK.build_draft(
            PACK.parse_document(document, "document"), issuer, slot or self.slot(), issued_at
        )
        unsigned = draft.unsigned_xml
        if edit is not None:
            root = etree.fromstring(unsigned)
            edit(root)
            unsigned = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        signed = self.signer.sign(unsigned, issued_at + sign_as_of)
        return draft, signed.signed_xml

    def submit(self, draft: Draft, signed_xml: bytes) -> Verdict:
        submission = Submission(
            "doc", self.issuer.tax_id, "01", draft.number, draft.document_key, signed_xml, "2"
        )
        return self.client.submit(submission).verdict


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    running = start(tmp_path_factory.mktemp("dian") / "state")
    yield running
    assert running.stop() == 0, "the simulator must stop cleanly on SIGTERM"


@pytest.fixture(scope="module")
def sandbox(simulator: Simulator) -> Iterator[Sandbox]:
    software = post(f"{simulator.admin_url}/issuers", {"nit": NIT, "name": "Demo S.A.S."})
    resolution = post(
        f"{simulator.admin_url}/resolutions",
        {
            "nit": NIT,
            "valid_from": (TODAY - timedelta(days=30)).isoformat(),
            "valid_to": (TODAY + timedelta(days=365)).isoformat(),
        },
    )
    profile = demo.issuer_profile(NIT, "Demo S.A.S.")
    profile.software_id, profile.software_pin = software["software_id"], software["software_pin"]
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id=NIT, name="Demo")
    signer = PACK.create_signer(Credentials(key, certificate, (authority.certificate,)))
    client = DianClient(simulator.service_url, timeout=10)
    yield Sandbox(
        simulator,
        client,
        parse_issuer(profile, "issuer"),
        resolution,
        signer,
        itertools.count(resolution["from"] + 1),
    )
    client.close()


def rules(verdict: Verdict) -> list[str]:
    return [message.rule for message in verdict.messages]


def find(root: etree._Element, path: str) -> etree._Element:
    node = root.find(path, UBL)
    assert node is not None, path
    return node


def resolution_for(sandbox: Sandbox, **fields: object) -> dict:
    return post(f"{sandbox.simulator.admin_url}/resolutions", {"nit": NIT, **fields})


# --- acceptance --------------------------------------------------------------------------


def test_a_valid_invoice_is_accepted(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice()
    verdict = sandbox.submit(draft, signed)
    assert verdict.accepted and verdict.status_code == "00", verdict
    assert verdict.messages == ()
    assert verdict.document_key == draft.document_key == verdict.track_id
    assert "ha sido autorizada" in verdict.status_description
    response = etree.fromstring(verdict.response_xml)
    assert response.tag == f"{{{UBL['ar']}}}ApplicationResponse"
    sender = "cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID"
    assert find(response, sender).text == "800197268"
    assert find(response, "cac:DocumentResponse/cac:Response/cbc:ResponseCode").text == "02"
    reference = find(response, "cac:DocumentResponse/cac:DocumentReference")
    assert find(reference, "cbc:ID").text == draft.number
    assert find(reference, "cbc:UUID").text == draft.document_key


def test_the_wsdl_is_served_with_the_simulators_address(simulator: Simulator) -> None:
    response = requests.get(f"{simulator.service_url}?wsdl", timeout=10)
    assert response.status_code == 200
    assert f'location="{simulator.service_url}"' in response.text
    assert "SendBillSync" in response.text and "GetNumberingRange" in response.text


# --- one rule at a time --------------------------------------------------------------------


def test_a_change_after_signing_is_ze02(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice()
    tampered = signed.replace(b"<cbc:Description>", b"<cbc:Description>X", 1)
    assert rules(sandbox.submit(draft, tampered)) == ["ZE02"]


def test_an_amount_changed_after_signing_breaks_the_signature_and_the_cufe(
    sandbox: Sandbox,
) -> None:
    draft, signed = sandbox.invoice()
    root = etree.fromstring(signed)
    payable = find(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    tampered = signed.replace(
        f">{payable.text}</cbc:PayableAmount>".encode(), b">1.00</cbc:PayableAmount>"
    )
    verdict = sandbox.submit(draft, tampered)
    assert not verdict.accepted and rules(verdict) == ["ZE02", "FAD06"]


def test_an_unsigned_invoice_is_ze01(sandbox: Sandbox) -> None:
    draft, _ = sandbox.invoice()
    assert rules(sandbox.submit(draft, draft.unsigned_xml)) == ["ZE01"]


def test_signing_on_another_day_is_fad09e(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sign_as_of=timedelta(days=1))
    assert rules(sandbox.submit(draft, signed)) == ["FAD09e"]


def test_a_wrong_technical_key_is_fad06(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sandbox.slot(technical_key="0" * 40))
    verdict = sandbox.submit(draft, signed)
    assert rules(verdict) == ["FAD06"]
    assert verdict.messages[0].text == "Valor del CUFE no está calculado correctamente."


def test_an_environment_mismatch_is_fad07(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(edit=lambda root: find(root, "cbc:UUID").set("schemeID", "1"))
    assert rules(sandbox.submit(draft, signed)) == ["FAD07"]


def test_a_missing_authorisation_is_fab05a(sandbox: Sandbox) -> None:
    def drop(root: etree._Element) -> None:
        node = find(root, ".//sts:InvoiceAuthorization")
        node.getparent().remove(node)

    draft, signed = sandbox.invoice(edit=drop)
    assert rules(sandbox.submit(draft, signed)) == ["FAB05a"]


def test_an_unknown_resolution_is_fab05b(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sandbox.slot(authorization="18760000000000"))
    assert rules(sandbox.submit(draft, signed)) == ["FAB05b"]


def test_another_issuers_resolution_is_fab05b(sandbox: Sandbox) -> None:
    admin = sandbox.simulator.admin_url
    post(f"{admin}/issuers", {"nit": OTHER_NIT, "name": "Otra S.A.S."})
    theirs = post(f"{admin}/resolutions", {"nit": OTHER_NIT, "valid_from": "2020-01-01"})
    slot = sandbox.slot(
        authorization=theirs["resolution_number"], technical_key=theirs["technical_key"]
    )
    draft, signed = sandbox.invoice(slot)
    assert rules(sandbox.submit(draft, signed)) == ["FAB05b"]


def test_period_dates_other_than_the_resolutions_are_fab07b_and_fab08b(sandbox: Sandbox) -> None:
    start = date.fromisoformat(sandbox.resolution["valid_from"])
    end = date.fromisoformat(sandbox.resolution["valid_to"])
    draft, signed = sandbox.invoice(sandbox.slot(valid_from=start - timedelta(days=1)))
    assert rules(sandbox.submit(draft, signed)) == ["FAB07b"]
    draft, signed = sandbox.invoice(sandbox.slot(valid_to=end + timedelta(days=1)))
    assert rules(sandbox.submit(draft, signed)) == ["FAB08b"]


def test_range_bounds_other_than_the_resolutions_are_fab11b_and_fab12b(sandbox: Sandbox) -> None:
    low, high = sandbox.resolution["from"], sandbox.resolution["to"]
    draft, signed = sandbox.invoice(sandbox.slot(range_from=low - 1))
    assert rules(sandbox.submit(draft, signed)) == ["FAB11b"]
    draft, signed = sandbox.invoice(sandbox.slot(range_to=high + 1))
    assert rules(sandbox.submit(draft, signed)) == ["FAB12b"]


def test_another_prefix_is_only_a_notification_fab10b(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sandbox.slot(prefix="ABCD"))
    verdict = sandbox.submit(draft, signed)
    assert verdict.accepted and verdict.status_code == "00"
    assert [(m.rule, m.rejection) for m in verdict.messages] == [("FAB10b", False)]
    codes = etree.fromstring(verdict.response_xml).findall(
        ".//cac:LineResponse//cbc:ResponseCode", UBL
    )
    assert [code.text for code in codes] == ["0000", "FAB10b"]


def test_numbers_outside_the_authorised_range_are_fad05b_and_fad05c(sandbox: Sandbox) -> None:
    small = resolution_for(sandbox, prefix="RNG", **{"from": 100, "to": 200})

    def declare(tag: str, value: int) -> Callable[[etree._Element], None]:
        # The pack only builds numbers inside the range it is given: widen the slot, then
        # write the authorised bound back so that only the number is wrong.
        return lambda root: setattr(find(root, f".//sts:{tag}"), "text", str(value))

    below = sandbox.slot(small, number=99, range_from=99)
    draft, signed = sandbox.invoice(below, edit=declare("From", 100))
    assert rules(sandbox.submit(draft, signed)) == ["FAD05b"]
    above = sandbox.slot(small, number=201, range_to=201)
    draft, signed = sandbox.invoice(above, edit=declare("To", 200))
    assert rules(sandbox.submit(draft, signed)) == ["FAD05c"]


def test_a_number_outside_the_declared_prefix_is_fad05d(sandbox: Sandbox) -> None:
    # cbc:ID keeps SETP but InvoiceControl declares SETX: the consecutive cannot be located.
    draft, signed = sandbox.invoice(
        edit=lambda root: setattr(find(root, ".//sts:Prefix"), "text", "SETX")
    )
    verdict = sandbox.submit(draft, signed)
    assert [m.rule for m in verdict.messages if m.rejection] == ["FAD05d"]
    assert rules(verdict) == ["FAB10b", "FAD05d"]


def test_issue_dates_outside_the_authorised_period_are_fad09a_and_fad09b(
    sandbox: Sandbox,
) -> None:
    tomorrow, yesterday = TODAY + timedelta(days=1), TODAY - timedelta(days=1)

    def declare(tag: str, value: date) -> Callable[[etree._Element], None]:
        return lambda root: setattr(find(root, f".//cbc:{tag}"), "text", value.isoformat())

    future = resolution_for(sandbox, prefix="FUT", valid_from=tomorrow.isoformat())
    slot = sandbox.slot(future, valid_from=TODAY)
    draft, signed = sandbox.invoice(slot, edit=declare("StartDate", tomorrow))
    assert rules(sandbox.submit(draft, signed)) == ["FAD09a"]

    past = resolution_for(sandbox, prefix="OLD", valid_from="2020-01-01", valid_to=str(yesterday))
    slot = sandbox.slot(past, valid_to=TODAY)
    draft, signed = sandbox.invoice(slot, edit=declare("EndDate", yesterday))
    assert rules(sandbox.submit(draft, signed)) == ["FAD09b"]


def test_a_security_code_from_another_pin_is_fab27b(sandbox: Sandbox) -> None:
    wrong_pin = replace(sandbox.issuer, software_pin="00000")
    draft, signed = sandbox.invoice(issuer=wrong_pin)
    verdict = sandbox.submit(draft, signed)
    assert rules(verdict) == ["FAB27b"]
    assert (
        verdict.messages[0].text == "Huella no corresponde a un software autorizado para este OFE."
    )


def test_software_not_registered_for_the_issuer_is_fab24b(sandbox: Sandbox) -> None:
    stranger = replace(
        sandbox.issuer, software_id="0b8f2d3e-0000-4000-8000-000000000000", software_pin="12345"
    )
    draft, signed = sandbox.invoice(issuer=stranger)
    assert rules(sandbox.submit(draft, signed)) == ["FAB24b"]


def test_the_same_invoice_twice_is_regla_90_which_the_client_reads_as_accepted(
    sandbox: Sandbox,
) -> None:
    draft, signed = sandbox.invoice()
    first = sandbox.submit(draft, signed)
    again = sandbox.submit(draft, signed)
    assert first.accepted and again.accepted
    assert again.status_code == "99" and rules(again) == ["90"]
    assert again.document_key == draft.document_key
    assert "Regla 90" in again.status_description
    assert again.response_xml == first.response_xml


def test_one_client_serves_several_threads(sandbox: Sandbox) -> None:
    invoices = [sandbox.invoice(seed=seed) for seed in range(24)]
    verdicts: list[Verdict] = []
    lock = threading.Lock()

    def deliver(batch: list[tuple[Draft, bytes]]) -> None:
        for draft, signed in batch:
            verdict = sandbox.submit(draft, signed)
            with lock:
                verdicts.append(verdict)

    threads = [threading.Thread(target=deliver, args=(invoices[i::6],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(verdicts) == 24 and all(v.accepted and v.status_code == "00" for v in verdicts)
    assert {v.document_key for v in verdicts} == {draft.document_key for draft, _ in invoices}


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
        sandbox.client.send_bill_sync("z.zip", os.urandom(5 * 1024 * 1024))


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
    impatient = DianClient(sandbox.simulator.service_url, timeout=0.3)
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
    action = "http://wcf.dian.colombia/IWcfDianCustomerServices/GetNumberingRange"
    envelope = (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
        '<GetNumberingRange xmlns="http://wcf.dian.colombia"><accountCode>1</accountCode>'
        "</GetNumberingRange></s:Body></s:Envelope>"
    )
    response = requests.post(
        sandbox.simulator.service_url,
        data=envelope.encode(),
        headers={"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'},
        timeout=10,
    )
    assert response.status_code == 500
    assert "no está disponible en esta versión del simulador" in response.text
    with pytest.raises(DianFault):
        sandbox.client._call("GetStatusZip", False, trackId="x")


# --- the sandbox portal and restarts -------------------------------------------------------


def test_the_portal_validates_its_input(simulator: Simulator) -> None:
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
        sandbox = Sandbox(
            second,
            DianClient(second.service_url, timeout=10),
            parse_issuer(profile, "issuer"),
            resolution,
            PACK.create_signer(Credentials(key, certificate, (authority.certificate,))),
            itertools.count(resolution["from"]),
        )
        draft, signed = sandbox.invoice()
        assert sandbox.submit(draft, signed).accepted
    finally:
        assert second.stop() == 0
    third = start(tmp_path / "state")
    try:
        client = DianClient(third.service_url, timeout=10)
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
