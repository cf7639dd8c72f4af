"""The client's signed seed, checked by libxmlsec1 directly, and its token keeping."""

from __future__ import annotations

import threading

import pytest
import xmlsec
from cryptography.hazmat.primitives import serialization
from lxml import etree

from services.countries.cl.client.authentication import TokenKeeper, signed_seed
from services.countries.cl.client.wire import SiiRefused
from services.countries.cl.signer_certificate import issue_sandbox_certificate
from services.countries.pack import Credentials
from services.signing import testca
from tests.unit.test_cl_client import ScriptedWire, respuesta

DS = "http://www.w3.org/2000/09/xmldsig#"


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    authority = testca.create_authority()
    key, certificate = issue_sandbox_certificate(authority, run="13185095-6", name="Ana")
    return Credentials(key, certificate)


def verify(document: str, credentials: Credentials) -> None:
    root = etree.fromstring(document.encode())
    context = xmlsec.SignatureContext()
    pem = credentials.certificate.public_bytes(serialization.Encoding.PEM)
    context.key = xmlsec.Key.from_memory(pem, xmlsec.KeyFormat.CERT_PEM)
    context.verify(root.find(f"{{{DS}}}Signature"))


def test_the_signed_seed_is_the_sii_shape_and_verifies(credentials: Credentials) -> None:
    document = signed_seed("000000000078", credentials)
    assert document.startswith('<?xml version="1.0"?><getToken><item><Semilla>000000000078<')
    verify(document, credentials)
    root = etree.fromstring(document.encode())
    signature = root.find(f"{{{DS}}}Signature")
    assert signature.getparent() is root and signature.prefix is None
    reference = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    assert reference.get("URI") == ""
    transforms = reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
    assert [t.get("Algorithm") for t in transforms] == [f"{DS}enveloped-signature"]
    key_info = [etree.QName(e).localname for e in signature.find(f"{{{DS}}}KeyInfo")]
    assert key_info == ["KeyValue", "X509Data"]


def test_a_changed_seed_no_longer_verifies(credentials: Credentials) -> None:
    document = signed_seed("000000000078", credentials).replace("78<", "79<")
    with pytest.raises(xmlsec.Error):
        verify(document, credentials)


def test_a_refused_token_is_renewed_once_for_all_threads(credentials: Credentials) -> None:
    wire = ScriptedWire()
    keeper = TokenKeeper(wire, credentials)  # type: ignore[arg-type]
    refused = keeper.current()
    renewed: list[str] = []
    threads = [
        threading.Thread(target=lambda: renewed.append(keeper.renew(refused))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(renewed) == {"TOKEN00000002"} and wire.tokens == 2


def test_an_old_token_is_replaced_before_use(credentials: Credentials) -> None:
    wire = ScriptedWire()
    keeper = TokenKeeper(wire, credentials, max_age=0)  # type: ignore[arg-type]
    assert keeper.current() != keeper.current()


def test_a_refused_seed_is_a_refusal(credentials: Credentials) -> None:
    class NoSeeds(ScriptedWire):
        def soap(self, service: str, operation: str, parameters: list) -> etree._Element:
            return respuesta("-1", GLOSA="ERROR")

    with pytest.raises(SiiRefused, match="getSeed"):
        TokenKeeper(NoSeeds(), credentials).current()  # type: ignore[arg-type]
