"""The client's WS-Security header: what it signs and how, checked with libxmlsec1 directly."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
import requests
import xmlsec
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from services.countries.co.client import DianClient
from services.countries.co.wssecurity import (
    DS,
    EXC_C14N,
    SOAP,
    WCF,
    WSA,
    WSSE,
    WSU,
    X509V3,
    DianWsSecurity,
)
from services.countries.pack import Credentials, Submission
from services.signing import testca
from tests.unit.test_co_client import DIAN_ACCEPTED_WITH_NOTIFICATIONS as ACCEPTED
from tests.unit.test_co_client import ENDPOINT, KEY, CannedAdapter, http_response

NS = {"soap": SOAP, "wsa": WSA, "wsse": WSSE, "wsu": WSU, "ds": DS, "ec": EXC_C14N, "wcf": WCF}
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="D")
    return Credentials(key, certificate, (authority.certificate,))


def bare_envelope(to: str = ENDPOINT) -> etree._Element:
    return etree.fromstring(
        f'<s:Envelope xmlns:s="{SOAP}" xmlns:a="{WSA}"><s:Header>'
        f"<a:Action>{WCF}/IWcfDianCustomerServices/GetStatus</a:Action>"
        f"<a:MessageID>urn:uuid:1</a:MessageID><a:To>{to}</a:To></s:Header><s:Body>"
        f'<GetStatus xmlns="{WCF}"><trackId>abc</trackId></GetStatus></s:Body></s:Envelope>'
    )


def libxmlsec1_verifies(envelope: etree._Element, credentials: Credentials) -> bool:
    """Verify the signature with python-xmlsec alone, with the certificate given out of band."""
    to = envelope.find("soap:Header/wsa:To", NS)
    context = xmlsec.SignatureContext()
    context.register_id(to, "Id", WSU)
    context.key = xmlsec.Key.from_memory(
        credentials.certificate.public_bytes(Encoding.PEM), xmlsec.constants.KeyDataFormatCertPem
    )
    try:
        context.verify(envelope.find(".//ds:Signature", NS))
    except xmlsec.Error:
        return False
    return True


def test_the_header_signs_wsa_to_as_dian_documents(credentials: Credentials) -> None:
    signed = DianWsSecurity(credentials, clock=lambda: NOW).secure(bare_envelope())
    # Serialised and parsed again, as the server receives it.
    envelope = etree.fromstring(etree.tostring(signed))
    assert {envelope.prefix, *envelope.nsmap} >= {"soap", "wsa", "wcf"}
    security = envelope.find("soap:Header/wsse:Security", NS)
    assert [etree.QName(child).localname for child in security] == [
        "Timestamp",
        "BinarySecurityToken",
        "Signature",
    ]
    assert security.findtext("wsu:Timestamp/wsu:Created", namespaces=NS) == (
        "2026-03-02T15:00:00.000Z"
    )
    assert security.findtext("wsu:Timestamp/wsu:Expires", namespaces=NS) == (
        "2026-03-02T15:05:00.000Z"
    )
    token = security.find("wsse:BinarySecurityToken", NS)
    assert token.get("ValueType") == X509V3
    assert base64.b64decode(token.text) == credentials.certificate.public_bytes(Encoding.DER)
    signed_info = security.find("ds:Signature/ds:SignedInfo", NS)
    c14n = signed_info.find("ds:CanonicalizationMethod", NS)
    assert c14n.get("Algorithm") == EXC_C14N
    assert c14n.find("ec:InclusiveNamespaces", NS).get("PrefixList") == "wsa soap wcf"
    assert signed_info.find("ds:SignatureMethod", NS).get("Algorithm").endswith("rsa-sha256")
    (reference,) = signed_info.findall("ds:Reference", NS)
    to = envelope.find("soap:Header/wsa:To", NS)
    assert reference.get("URI") == "#" + to.get(f"{{{WSU}}}Id")
    (transform,) = reference.findall("ds:Transforms/ds:Transform", NS)
    assert transform.get("Algorithm") == EXC_C14N
    assert transform.find("ec:InclusiveNamespaces", NS).get("PrefixList") == "soap wcf"
    assert reference.find("ds:DigestMethod", NS).get("Algorithm").endswith("sha256")
    pointer = security.find(
        "ds:Signature/ds:KeyInfo/wsse:SecurityTokenReference/wsse:Reference", NS
    )
    assert pointer.get("URI") == "#" + token.get(f"{{{WSU}}}Id")
    assert libxmlsec1_verifies(envelope, credentials)


def test_the_signature_covers_wsa_to_and_nothing_else(credentials: Credentials) -> None:
    signed = DianWsSecurity(credentials).secure(bare_envelope())
    signed.find(".//wcf:trackId", NS).text = "changed"  # the Body is not signed (DIAN's profile)
    assert libxmlsec1_verifies(signed, credentials)
    signed.find("soap:Header/wsa:To", NS).text = "https://attacker.test/"
    assert not libxmlsec1_verifies(signed, credentials)


def test_an_envelope_without_wsa_to_cannot_be_signed(credentials: Credentials) -> None:
    envelope = bare_envelope()
    header = envelope.find("soap:Header", NS)
    header.remove(header.find("wsa:To", NS))
    with pytest.raises(ValueError, match="wsa:To"):
        DianWsSecurity(credentials).secure(envelope)


def test_the_lifetime_sets_expires(credentials: Credentials) -> None:
    signed = DianWsSecurity(credentials, lifetime=timedelta(hours=2), clock=lambda: NOW).secure(
        bare_envelope()
    )
    assert signed.findtext(".//wsu:Expires", namespaces=NS) == "2026-03-02T17:00:00.000Z"


def test_the_key_never_shows_in_a_repr(credentials: Credentials) -> None:
    assert "PRIVATE" not in repr(DianWsSecurity(credentials))


def test_a_client_with_credentials_signs_every_request(credentials: Credentials) -> None:
    adapter = CannedAdapter(lambda request: http_response(request, ACCEPTED))
    session = requests.Session()
    session.mount("http://", adapter)
    client = DianClient(ENDPOINT, 5, credentials=credentials, session=session)
    for number in ("SETP1", "SETP2"):
        client.submit(Submission("d", "900373076", "01", number, KEY, b"<Invoice/>", "2"))
    assert len(adapter.sent) == 2
    for request in adapter.sent:
        envelope = etree.fromstring(request.body)
        assert envelope.findtext("soap:Header/wsa:To", namespaces=NS) == ENDPOINT
        assert libxmlsec1_verifies(envelope, credentials)
