"""DIAN's ApplicationResponse is signed (XAdES-EPES) with the simulator's own DIAN certificate,
which the sandbox publishes with its CA; libxmlsec1 verifies it against that certificate."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import requests
import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from services.countries.co.simulator.responses import DIAN_NIT
from tests.integration.dian.support import Sandbox

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {
    "ds": DS,
    "xades": XADES,
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
POLICY_SHA256 = "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y="


def published(sandbox: Sandbox) -> tuple[x509.Certificate, x509.Certificate]:
    shown = requests.get(f"{sandbox.simulator.admin_url}/dian-certificate", timeout=10).json()
    certificate = x509.load_pem_x509_certificate(shown["certificate_pem"].encode())
    authority = x509.load_pem_x509_certificate(shown["ca_certificate_pem"].encode())
    return certificate, authority


def verifies(document: etree._Element, certificate: x509.Certificate) -> bool:
    signature = document.find(".//ds:Signature", NS)
    context = xmlsec.SignatureContext()
    for node in document.iter():
        if node.get("Id"):
            context.register_id(node, "Id")
    context.key = xmlsec.Key.from_memory(
        certificate.public_bytes(Encoding.PEM), xmlsec.constants.KeyDataFormatCertPem
    )
    try:
        context.verify(signature)
    except xmlsec.Error:
        return False
    return True


def test_the_application_response_verifies_against_the_published_certificate(
    sandbox: Sandbox,
) -> None:
    certificate, authority = published(sandbox)
    certificate.verify_directly_issued_by(authority)  # the published chain holds together
    serial = certificate.subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value
    assert serial == DIAN_NIT

    draft, signed = sandbox.invoice(seed=61)
    verdict = sandbox.submit(draft, signed)
    assert verdict.accepted
    response = etree.fromstring(verdict.response_xml)
    assert verifies(response, certificate)
    # The signature is DIAN's XAdES profile: in the last UBLExtension, with the signing
    # certificate in KeyInfo and in SigningCertificate, and DIAN's policy hash.
    signature = response.find("ext:UBLExtensions/ext:UBLExtension[2]//ds:Signature", NS)
    assert signature is not None
    der = certificate.public_bytes(Encoding.DER)
    key_info = signature.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
    assert base64.b64decode(key_info) == der
    digest = signature.findtext(".//xades:SigningCertificate//ds:DigestValue", namespaces=NS)
    assert base64.b64decode(digest) == hashlib.sha256(der).digest()
    policy = signature.findtext(".//xades:SigPolicyHash/ds:DigestValue", namespaces=NS)
    assert policy == POLICY_SHA256

    # Changing what DIAN said breaks the signature.
    code = response.find(".//{*}DocumentResponse/{*}Response/{*}ResponseCode")
    assert code.text == "02"
    code.text = "04"
    assert not verifies(response, certificate)


def test_rejections_are_signed_too_and_the_pem_chain_is_published(sandbox: Sandbox) -> None:
    certificate, authority = published(sandbox)
    # Signed the day after its issue date: FAD09e rejects it.
    draft, signed = sandbox.invoice(seed=62, sign_as_of=timedelta(days=1))
    verdict = sandbox.submit(draft, signed)
    assert not verdict.accepted and verdict.response_xml
    assert verifies(etree.fromstring(verdict.response_xml), certificate)
    chain = requests.get(f"{sandbox.simulator.admin_url}/dian-certificate.pem", timeout=10).text
    assert x509.load_pem_x509_certificates(chain.encode()) == [certificate, authority]
