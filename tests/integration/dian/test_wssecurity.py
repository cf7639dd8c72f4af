"""WS-Security against the simulator: every operation wants a valid signature of wsa:To by a
live certificate (trusted, when trust is enforced); anything else is WCF's InvalidSecurity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from cryptography.hazmat.primitives.serialization import Encoding

from services.countries.co.client import DianClient, DianFault
from services.countries.co.wssecurity import WSA, DianWsSecurity
from services.countries.pack import Credentials
from tests.integration.dian.support import NIT, Sandbox, credentials_for, post, put

UNKNOWN_KEY = "f" * 96


def client_with(sandbox: Sandbox, wsse: object) -> DianClient:
    return DianClient(sandbox.simulator.service_url, 10, wsse=wsse)


def assert_invalid_security(call) -> DianFault:
    with pytest.raises(DianFault) as caught:
        call()
    assert "An error occurred when verifying security for the message." in str(caught.value)
    return caught.value


def test_a_correctly_signed_request_is_answered(sandbox: Sandbox) -> None:
    assert sandbox.client.get_status(UNKNOWN_KEY) is None  # DIAN's "not found", no fault


def test_an_unsigned_request_gets_wcfs_invalid_security_fault(sandbox: Sandbox) -> None:
    unsigned = DianClient(sandbox.simulator.service_url, 10)
    fault = assert_invalid_security(lambda: unsigned.get_status(UNKNOWN_KEY))
    assert "wsse:Security" in fault.detail
    unsigned.close()
    envelope = (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
        '<GetStatus xmlns="http://wcf.dian.colombia"><trackId>x</trackId></GetStatus>'
        "</s:Body></s:Envelope>"
    )
    action = "http://wcf.dian.colombia/IWcfDianCustomerServices/GetStatus"
    raw = requests.post(
        sandbox.simulator.service_url,
        data=envelope.encode(),
        headers={"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'},
        timeout=10,
    )
    assert raw.status_code == 500 and "InvalidSecurity" in raw.text


class Tampering:
    """Signs correctly, then changes wsa:To: what a man in the middle would do."""

    def __init__(self, credentials: Credentials) -> None:
        self._inner = DianWsSecurity(credentials)

    def apply(self, envelope, headers):
        """Sign, then redirect."""
        envelope, headers = self._inner.apply(envelope, headers)
        envelope.find(f".//{{{WSA}}}To").text = "https://elsewhere.test/svc"
        return envelope, headers

    def verify(self, envelope):
        """Responses are not checked here."""
        return envelope


def test_wsa_to_changed_after_signing_is_refused(sandbox: Sandbox) -> None:
    tampering = client_with(sandbox, Tampering(sandbox.credentials))
    fault = assert_invalid_security(lambda: tampering.get_status(UNKNOWN_KEY))
    assert "firma" in fault.detail


def test_an_expired_timestamp_is_refused(sandbox: Sandbox) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    stale = DianWsSecurity(sandbox.credentials, clock=lambda: an_hour_ago)
    fault = assert_invalid_security(lambda: client_with(sandbox, stale).get_status(UNKNOWN_KEY))
    assert "expiró" in fault.detail


@pytest.fixture
def enforced_trust(sandbox: Sandbox) -> Iterator[str]:
    url = f"{sandbox.simulator.admin_url}/trust"
    assert put(url, {"enforced": True})["enforced"] is True
    yield url
    put(url, {"enforced": False})


def test_an_untrusted_certificate_is_refused_while_trust_is_enforced(
    sandbox: Sandbox, enforced_trust: str
) -> None:
    # The sandbox client's certificate comes from a CA the simulator does not know yet.
    fault = assert_invalid_security(lambda: sandbox.client.get_status(UNKNOWN_KEY))
    assert "confianza" in fault.detail
    authority_pem = sandbox.credentials.chain[0].public_bytes(Encoding.PEM).decode()
    shown = post(f"{enforced_trust}/authorities", {"certificate_pem": authority_pem})
    assert shown["enforced"] and len(shown["authorities"]) >= 1
    assert sandbox.client.get_status(UNKNOWN_KEY) is None  # its CA is trusted now

    # A certificate registered with the issuer is trusted on its own, whatever its CA.
    own = credentials_for(NIT, "Own")
    pem = own.certificate.public_bytes(Encoding.PEM).decode()
    stranger = DianClient(sandbox.simulator.service_url, 10, credentials=credentials_for())
    assert_invalid_security(lambda: stranger.get_status(UNKNOWN_KEY))
    post(
        f"{sandbox.simulator.admin_url}/issuers",
        {"nit": NIT, "name": "Demo S.A.S.", "certificate_pem": pem},
    )
    assert (
        DianClient(sandbox.simulator.service_url, 10, credentials=own).get_status(UNKNOWN_KEY)
        is None
    )


def test_the_trust_endpoints_check_their_input(sandbox: Sandbox) -> None:
    url = f"{sandbox.simulator.admin_url}/trust"
    assert put(url, {"enforced": "yes"}, expect=400)["error"].startswith("enforced")
    leaf_pem = sandbox.credentials.certificate.public_bytes(Encoding.PEM).decode()
    refused = post(f"{url}/authorities", {"certificate_pem": leaf_pem}, expect=400)
    assert "not a CA" in refused["error"]
    assert "certificate_pem" in post(f"{url}/authorities", {"certificate_pem": "x"}, 400)["error"]
