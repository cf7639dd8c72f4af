"""Seed and token against the simulator: a token only for a really signed, fresh, unused seed;
and a client that renews an expired or refused token without its caller noticing."""

from __future__ import annotations

import base64
import time

import pytest
import requests
from lxml import etree

from services.core.simulators import SimulatorProcess
from services.countries.cl.client import SiiRefused
from services.countries.cl.client.answers import Respuesta, read_respuesta
from services.countries.cl.client.authentication import signed_seed
from services.countries.cl.client.wire import Wire
from services.countries.pack import Credentials
from services.signing import testca
from tests.integration.sii.support import Company, post, put, sandbox_credentials, settle

DS = "http://www.w3.org/2000/09/xmldsig#"


@pytest.fixture(scope="module")
def wire(simulator: SimulatorProcess) -> Wire:
    """Raw access to the simulator's SOAP services."""
    return Wire(simulator.service_url, 10)


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    """A certificate naming the sender's RUN."""
    return sandbox_credentials()


def seed(wire: Wire) -> str:
    """A fresh seed from getSeed."""
    answer = read_respuesta(wire.soap("CrSeed", "getSeed", []))
    assert answer.estado == "00", answer.xml
    return dict(answer.body)["SEMILLA"]


def get_token(wire: Wire, document: str) -> Respuesta:
    """getToken's answer to a signed-seed document."""
    return read_respuesta(wire.soap("GetTokenFromSeed", "getToken", [("pszXml", document)]))


def tokens(simulator: SimulatorProcess) -> dict:
    """How many tokens the simulator issued, and how many are live."""
    return requests.get(f"{simulator.admin_url}/tokens", timeout=10).json()


def test_a_correctly_signed_seed_gets_a_token(wire: Wire, credentials: Credentials) -> None:
    value = seed(wire)
    assert len(value) == 12 and value.isdigit()
    answer = get_token(wire, signed_seed(value, credentials))
    assert (answer.estado, answer.header["GLOSA"]) == ("00", "Token Creado")
    assert len(dict(answer.body)["TOKEN"]) == 13


def test_a_tampered_seed_is_refused(wire: Wire, credentials: Credentials) -> None:
    signed, other = seed(wire), seed(wire)
    document = signed_seed(signed, credentials).replace(signed, other)
    assert get_token(wire, document).estado == "05"


def test_an_unsigned_seed_is_refused(wire: Wire) -> None:
    document = f"<getToken><item><Semilla>{seed(wire)}</Semilla></item></getToken>"
    assert get_token(wire, document).estado == "04"


def test_a_seed_is_good_once(wire: Wire, credentials: Credentials) -> None:
    document = signed_seed(seed(wire), credentials)
    assert get_token(wire, document).estado == "00"
    again = get_token(wire, document)
    assert again.estado == "08" and "UTILIZADO" in again.glosa()


def test_an_expired_seed_is_refused(
    simulator: SimulatorProcess, wire: Wire, credentials: Credentials
) -> None:
    put(f"{simulator.admin_url}/settings", {"seed_lifetime_s": 0})
    try:
        answer = get_token(wire, signed_seed(seed(wire), credentials))
    finally:
        put(f"{simulator.admin_url}/settings", {"seed_lifetime_s": 120})
    assert answer.estado == "08" and "TIME-OUT" in answer.glosa()


def test_a_seed_the_sii_never_gave_is_refused(wire: Wire, credentials: Credentials) -> None:
    assert get_token(wire, signed_seed("000000000001", credentials)).estado == "08"


def test_a_key_value_other_than_the_certificates_is_refused(
    wire: Wire, credentials: Credentials
) -> None:
    root = etree.fromstring(signed_seed(seed(wire), credentials).encode())
    modulus = root.find(f".//{{{DS}}}Modulus")
    number = int.from_bytes(base64.b64decode(modulus.text), "big") + 2
    modulus.text = base64.b64encode(number.to_bytes(256, "big")).decode()
    assert get_token(wire, etree.tostring(root, encoding="unicode")).estado == "21"


def test_a_seed_signed_without_certificate_is_refused(wire: Wire, credentials: Credentials) -> None:
    root = etree.fromstring(signed_seed(seed(wire), credentials).encode())
    data = root.find(f".//{{{DS}}}X509Data")
    data.getparent().remove(data)
    assert get_token(wire, etree.tostring(root, encoding="unicode")).estado == "11"


def test_a_certificate_naming_no_run_gets_no_token(wire: Wire) -> None:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="ACME", name="Acme")
    answer = get_token(wire, signed_seed(seed(wire), Credentials(key, certificate)))
    assert answer.estado == "-07"


def test_an_expired_token_is_renewed_during_an_upload(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client()
    items = company.documents(1, seed=11)
    first = client.submit_batch(items)[0]  # authenticates
    before = tokens(simulator)["issued"]
    post(f"{simulator.admin_url}/faults", {"expire_tokens": 1})
    delivery = client.submit_batch(company.documents(1, seed=12))[0]
    assert delivery.track_id and delivery.track_id != first.track_id
    assert tokens(simulator)["issued"] == before + 1, "the refused token was renewed once"
    assert settle(client, items[0], first.track_id).accepted
    client.close()


def test_a_token_past_its_lifetime_is_renewed_for_a_query(
    simulator: SimulatorProcess, company: Company
) -> None:
    put(f"{simulator.admin_url}/settings", {"token_lifetime_s": 1})
    client = company.client()
    try:
        items = company.documents(1, seed=13)
        track_id = client.submit_batch(items)[0].track_id
        issued = tokens(simulator)["issued"]
        time.sleep(1.2)
        assert settle(client, items[0], track_id).accepted
        assert tokens(simulator)["issued"] == issued + 1
    finally:
        put(f"{simulator.admin_url}/settings", {"token_lifetime_s": 3600})
        client.close()


def test_tokens_expired_on_command_are_renewed(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client()
    items = company.documents(1, seed=16)
    track_id = client.submit_batch(items)[0].track_id
    requests.post(f"{simulator.admin_url}/tokens/expire", timeout=10).raise_for_status()
    assert tokens(simulator)["live"] == 0
    assert settle(client, items[0], track_id).accepted
    assert tokens(simulator)["live"] == 1
    client.close()


def test_a_fresh_token_refused_again_is_not_retried_forever(
    simulator: SimulatorProcess, company: Company
) -> None:
    client = company.client()
    client.submit_batch(company.documents(1, seed=14))
    post(f"{simulator.admin_url}/faults", {"expire_tokens": 2})
    with pytest.raises(SiiRefused):
        client.submit_batch(company.documents(1, seed=15))
    client.close()
