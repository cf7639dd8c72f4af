"""The sandbox portal: companies, CAFs signed by the simulator's key, that key as PEM and as an
SII-shaped certificate, settings, faults; and state that survives a restart."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from services.core.simulators import SimulatorProcess
from services.countries.cl.flatten import flattened
from services.countries.cl.sii_keys import load_sii_key
from tests.integration.sii.support import (
    COMPANY,
    SENDER,
    Company,
    enrol,
    post,
    settle,
    start,
)


def test_the_sii_key_is_published_as_pem_and_as_an_sii_shaped_certificate(
    simulator: SimulatorProcess,
) -> None:
    pem = requests.get(f"{simulator.admin_url}/sii-key", timeout=10)
    certificate = requests.get(f"{simulator.admin_url}/sii-key/100.cer", timeout=10)
    assert pem.status_code == certificate.status_code == 200
    key = serialization.load_pem_public_key(pem.content)
    body = b"".join(certificate.content.splitlines()[1:-1])
    with pytest.raises(x509.InvalidVersion):
        x509.load_der_x509_certificate(base64.b64decode(body))
    numbers = load_sii_key(certificate.content).public_numbers()
    assert numbers == key.public_numbers(), "both files carry the same key"
    assert requests.get(f"{simulator.admin_url}/sii-key/300.cer", timeout=10).status_code == 404


def test_a_caf_is_signed_by_the_published_key_and_carries_its_private_key(
    simulator: SimulatorProcess, company: Company
) -> None:
    body = {"rut": COMPANY, "dte_type": 34, "from": 1, "to": 50}
    content = post(f"{simulator.admin_url}/cafs", body).content
    root = etree.fromstring(content)
    key = serialization.load_pem_public_key(
        requests.get(f"{simulator.admin_url}/sii-key", timeout=10).content
    )
    da = root.find("CAF/DA")
    signature = base64.b64decode(root.findtext("CAF/FRMA"))
    key.verify(signature, flattened(da), padding.PKCS1v15(), hashes.SHA1())  # type: ignore[union-attr]
    assert (da.findtext("RE"), da.findtext("TD"), da.findtext("IDK")) == (COMPANY, "34", "100")
    assert (da.findtext("RNG/D"), da.findtext("RNG/H")) == ("1", "50")
    assert "RSA PRIVATE KEY" in root.findtext("RSASK")


def test_folios_are_never_authorised_twice(simulator: SimulatorProcess, company: Company) -> None:
    post(f"{simulator.admin_url}/cafs", {"rut": COMPANY, "dte_type": 52, "count": 10})
    root = etree.fromstring(
        post(f"{simulator.admin_url}/cafs", {"rut": COMPANY, "dte_type": 52, "count": 5}).content
    )
    assert (root.findtext("CAF/DA/RNG/D"), root.findtext("CAF/DA/RNG/H")) == ("11", "15")
    overlap = {"rut": COMPANY, "dte_type": 52, "from": 5, "to": 12}
    assert "already" in post(f"{simulator.admin_url}/cafs", overlap, expect=409).json()["error"]
    listed = requests.get(f"{simulator.admin_url}/cafs", params={"rut": COMPANY}, timeout=10)
    assert [c["from"] for c in listed.json()["cafs"] if c["dte_type"] == 52] == [1, 11]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("companies", {"rut": "76192083-8", "name": "X"}, "rut"),
        ("companies", {"rut": COMPANY, "name": ""}, "name"),
        ("companies", {"rut": COMPANY, "name": "X", "senders": ["1-1"]}, "senders"),
        ("cafs", {"rut": "96874030-K", "dte_type": 33}, "rut"),
        ("cafs", {"rut": COMPANY, "dte_type": 99}, "dte_type"),
        ("cafs", {"rut": COMPANY, "dte_type": 33, "from": 10, "to": 5}, "to"),
        ("faults", {"http_status": 200}, "http_status"),
        ("faults", {"operations": ["getFoo"]}, "operations"),
        ("faults", {"drop_response": True, "http_status": 503}, "http_status"),
    ],
)
def test_bad_portal_requests_name_the_field(
    simulator: SimulatorProcess, company: Company, path: str, body: dict, field: str
) -> None:
    error = post(f"{simulator.admin_url}/{path}", body, expect=400).json()["error"]
    assert error.startswith(field) or field in error, error


def test_settings_and_faults_are_shown_and_cleared(simulator: SimulatorProcess) -> None:
    settings = requests.get(f"{simulator.admin_url}/settings", timeout=10).json()
    assert settings["step_delay_ms"] == 20 and settings["seed_lifetime_s"] == 120
    shown = post(f"{simulator.admin_url}/faults", {"latency_ms": 5, "count": 2}).json()
    assert (shown["latency_ms"], shown["remaining"]) == (5, 2)
    cleared = requests.delete(f"{simulator.admin_url}/faults", timeout=10).json()
    assert cleared["remaining"] == 0 and "latency_ms" not in cleared


def test_the_wsdl_points_at_the_simulator(simulator: SimulatorProcess) -> None:
    for service in ("CrSeed", "GetTokenFromSeed", "QueryEstUp", "QueryEstDte"):
        response = requests.get(f"{simulator.service_url}/DTEWS/{service}.jws?WSDL", timeout=10)
        root = etree.fromstring(response.content)
        address = root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
        assert address.get("location") == f"{simulator.service_url}/DTEWS/{service}.jws"


def test_state_survives_a_restart(tmp_path: Path) -> None:
    first = start(tmp_path / "state")
    try:
        company = enrol(first)
        client = company.client()
        items = company.documents(1, seed=95)
        track_id = client.submit_batch(items)[0].track_id
        assert settle(client, items[0], track_id).accepted
        client.close()
    finally:
        assert first.stop() == 0
    second = start(tmp_path / "state")
    try:
        shown = requests.get(f"{second.admin_url}/companies/{COMPANY}", timeout=10).json()
        assert shown["senders"] == [SENDER]
        company.simulator = second
        client = company.client()
        verdict = client.poll(items[0], track_id)
        assert verdict is not None and verdict.accepted, "uploads and results were kept"
        assert client.reconcile(items[0]) is not None, "received documents were kept"
        client.close()
    finally:
        assert second.stop() == 0
