"""The simulator's WS-Security check: what passes, and the WCF fault for everything else."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from services.countries.co.simulator.soap import SoapFault, fault
from services.countries.co.simulator.trust import TrustStore, fingerprint
from services.countries.co.simulator.wss import WCF_REASON, SecurityCheck
from services.countries.co.wssecurity import SOAP, WSA, WSSE, WSU, DianWsSecurity
from services.countries.pack import Credentials
from services.signing import testca
from tests.unit.test_co_client_wssecurity import NS, bare_envelope

NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def authority() -> testca.TestAuthority:
    return testca.create_authority()


@pytest.fixture(scope="module")
def credentials(authority: testca.TestAuthority) -> Credentials:
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="D")
    return Credentials(key, certificate, (authority.certificate,))


def signed(credentials: Credentials, at: datetime = NOW) -> etree._Element:
    envelope = DianWsSecurity(credentials, clock=lambda: at).secure(bare_envelope())
    return etree.fromstring(etree.tostring(envelope))


def refused(check: SecurityCheck, envelope: etree._Element) -> SoapFault:
    with pytest.raises(SoapFault) as caught:
        check.verify(envelope, NOW)
    problem = caught.value
    assert (problem.reason, problem.subcode, problem.http_status) == (
        WCF_REASON,
        "o:InvalidSecurity",
        500,
    )
    return problem


def test_a_correctly_signed_request_passes_and_names_its_sender(credentials) -> None:
    sender = SecurityCheck(TrustStore()).verify(signed(credentials), NOW)
    assert sender.nit == "900373076" and sender.certificate == credentials.certificate


def test_an_unsigned_request_is_invalid_security() -> None:
    problem = refused(SecurityCheck(TrustStore()), bare_envelope())
    assert "wsse:Security" in problem.detail
    # The fault is written as WCF writes it: Sender / wsse InvalidSecurity.
    document = etree.fromstring(fault(problem))
    value = document.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault/{{{SOAP}}}Code/{{{SOAP}}}Subcode")[0]
    assert value.text == "o:InvalidSecurity" and value.nsmap["o"] == WSSE


def test_wsa_to_changed_after_signing_is_refused(credentials) -> None:
    envelope = signed(credentials)
    envelope.find("soap:Header/wsa:To", NS).text = "https://elsewhere.test/svc"
    assert "firma" in refused(SecurityCheck(TrustStore()), envelope).detail


def test_an_expired_or_future_timestamp_is_refused(credentials) -> None:
    check = SecurityCheck(TrustStore())
    late = refused(check, signed(credentials, NOW - timedelta(minutes=11)))
    assert "expiró" in late.detail
    assert "futuro" in refused(check, signed(credentials, NOW + timedelta(minutes=6))).detail
    # Within the clock-skew allowance either way, it passes.
    check.verify(signed(credentials, NOW - timedelta(minutes=9)), NOW)
    check.verify(signed(credentials, NOW + timedelta(minutes=4)), NOW)


def test_trust_when_enforced(authority, credentials) -> None:
    stranger = testca.create_authority("stranger CA")
    key, certificate = testca.issue_signing_certificate(stranger, tax_id="900373076", name="D")
    from_stranger = Credentials(key, certificate)
    trust = TrustStore(
        enforced=True, authorities={fingerprint(authority.certificate): authority.certificate}
    )
    check = SecurityCheck(trust)
    check.verify(signed(credentials), NOW)
    assert "confianza" in refused(check, signed(from_stranger)).detail
    trust.certificates[fingerprint(certificate)] = certificate  # a registered certificate
    check.verify(signed(from_stranger), NOW)
    # Not enforced: any certificate whose signature verifies.
    SecurityCheck(TrustStore()).verify(signed(from_stranger), NOW)


def test_an_expired_certificate_is_refused(authority) -> None:
    key, certificate = testca.issue_signing_certificate(authority, tax_id="1", name="Old")
    old = Credentials(key, certificate)
    later = certificate.not_valid_after_utc + timedelta(days=1)
    with pytest.raises(SoapFault) as caught:
        SecurityCheck(TrustStore()).verify(signed(old, later), later)
    assert "vencido" in caught.value.detail


def test_a_wrapped_copy_of_wsa_to_does_not_vouch_for_a_changed_header(credentials) -> None:
    envelope = signed(credentials)
    to = envelope.find("soap:Header/wsa:To", NS)
    # Move the signed wsa:To aside and put a forged one, with the same Id, in its place.
    hideout = etree.SubElement(envelope.find("soap:Header/wsse:Security", NS), "Hideout")
    hideout.append(copy.deepcopy(to))
    to.text = "https://attacker.test/"
    assert "único" in refused(SecurityCheck(TrustStore()), envelope).detail


def test_a_signature_over_something_else_is_refused(credentials) -> None:
    envelope = signed(credentials)
    to = envelope.find("soap:Header/wsa:To", NS)
    action = envelope.find("soap:Header/wsa:Action", NS)
    # The signed Id now sits on wsa:Action: the reference no longer names wsa:To.
    action.set(f"{{{WSU}}}Id", to.attrib.pop(f"{{{WSU}}}Id"))
    assert "wsa:To" in refused(SecurityCheck(TrustStore()), envelope).detail


def test_a_token_that_is_not_a_certificate_is_refused(credentials) -> None:
    envelope = signed(credentials)
    envelope.find(f".//{{{WSSE}}}BinarySecurityToken").text = "bm90IGEgY2VydA=="
    assert "X.509" in refused(SecurityCheck(TrustStore()), envelope).detail


def test_two_security_headers_are_refused(credentials) -> None:
    envelope = signed(credentials)
    header = envelope.find(f"{{{SOAP}}}Header")
    header.append(copy.deepcopy(header.find(f"{{{WSSE}}}Security")))
    refused(SecurityCheck(TrustStore()), envelope)
    assert envelope.find(f"{{{SOAP}}}Header/{{{WSA}}}To") is not None
