"""The DIAN XAdES-EPES signature, checked with libxmlsec1 (python-xmlsec), not with signxml."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import xmlsec
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from services.countries.co import demo, habilitacion
from services.countries.co.namespaces import PREFIXES as NS
from services.countries.co.namespaces import XML_DECLARATION
from services.countries.co.pack import PACK
from services.countries.co.xades import POLICY_SHA256, POLICY_URL, ColombianSigner, signing_time
from services.countries.pack import Credentials
from services.signing import testca
from tests.signatures import libxmlsec_verify

BOGOTA = timezone(timedelta(hours=-5))
ISSUED_AT = datetime(2026, 5, 4, 10, 30, 15, tzinfo=BOGOTA)
DS_SIGNATURE = "{http://www.w3.org/2000/09/xmldsig#}Signature"


@pytest.fixture(scope="module")
def authority():
    return testca.create_authority()


@pytest.fixture(scope="module")
def credentials(authority):
    key, certificate = testca.issue_signing_certificate(
        authority, tax_id="900373076", name="Comercializadora Timbra Demo S.A.S."
    )
    return Credentials(private_key=key, certificate=certificate, chain=(authority.certificate,))


def drafted(number: int = 990000200, issued_at: datetime = ISSUED_AT):
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    (document,) = demo.generate_documents(1, issuer.tax_id, seed=number, today=date(2026, 5, 4))
    invoice = PACK.parse_document(document, "document")
    return PACK.build_draft(invoice, issuer, habilitacion.slot(number), issued_at)


@pytest.fixture(scope="module", params=[True, False], ids=["canonical draft", "parsed"])
def signed(request, credentials):
    """Signed both ways: the draft digested as it stands, and parsed and canonicalised first."""
    signer = ColombianSigner(credentials, clock=lambda: ISSUED_AT + timedelta(seconds=2))
    draft = drafted()
    assert draft.canonical
    return signer.sign(draft.unsigned_xml, ISSUED_AT, canonical=request.param)


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def xmlsec_verify(xml: bytes) -> None:
    """Core XMLDSig validation by libxmlsec1, keyed by the certificate found in KeyInfo."""
    libxmlsec_verify(parse(xml))


def test_libxmlsec1_verifies_the_signature(signed):
    xmlsec_verify(signed.signed_xml)


def test_keyinfo_carries_the_issuer_certificate_only(signed, credentials):
    key_info = parse(signed.signed_xml).find(".//ds:Signature/ds:KeyInfo", NS)
    assert [etree.QName(child).localname for child in key_info] == ["X509Data"]
    (certificate,) = key_info.findall("ds:X509Data/ds:X509Certificate", NS)
    der = credentials.certificate.public_bytes(Encoding.DER)
    assert certificate.text == base64.b64encode(der).decode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('<cbc:PayableAmount currencyID="COP">', '<cbc:PayableAmount currencyID="COP">1'),
        ("<xades:ClaimedRole>supplier", "<xades:ClaimedRole>third party"),
        ("<ds:X509SerialNumber>", "<ds:X509SerialNumber>1"),
    ],
    ids=["payable amount", "signed property", "signing certificate"],
)
def test_tampering_after_signing_breaks_verification(signed, old, new):
    original = signed.signed_xml
    assert original.count(old.encode()) >= 1
    tampered = original.replace(old.encode(), new.encode(), 1)
    with pytest.raises(xmlsec.Error):
        xmlsec_verify(tampered)


def test_the_signature_is_in_the_last_extension_and_nothing_else_moved(signed):
    root = parse(signed.signed_xml)
    (signature,) = root.iter(DS_SIGNATURE)
    extensions = root.findall("ext:UBLExtensions/ext:UBLExtension", NS)
    assert len(extensions) == 2
    assert signature.getparent() is extensions[-1].find("ext:ExtensionContent", NS)
    unsigned = drafted().unsigned_xml
    # Removing the signature gives back the drafted document byte for byte, behind the XML
    # declaration the signer writes: not reformatted.
    start = signed.signed_xml.index(b"<ds:Signature")
    end = signed.signed_xml.index(b"</ds:Signature>") + len(b"</ds:Signature>")
    without = signed.signed_xml[:start] + signed.signed_xml[end:]
    assert without == XML_DECLARATION + unsigned


def test_signed_info_follows_dian_policy(signed):
    signature = next(parse(signed.signed_xml).iter(DS_SIGNATURE))
    signature_id = signature.get("Id")
    assert signature_id.startswith("xmldsig-") and len(signature_id) == len("xmldsig-") + 36
    info = signature.find("ds:SignedInfo", NS)
    assert info.find("ds:CanonicalizationMethod", NS).get("Algorithm") == (
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    )
    assert info.find("ds:SignatureMethod", NS).get("Algorithm") == (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    )
    whole, key_info, properties = info.findall("ds:Reference", NS)
    assert (whole.get("URI"), whole.get("Id")) == ("", f"{signature_id}-ref0")
    assert [t.get("Algorithm") for t in whole.findall("ds:Transforms/ds:Transform", NS)] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
    ]
    assert key_info.get("URI") == f"#{signature_id}-keyinfo"
    assert signature.find("ds:KeyInfo", NS).get("Id") == f"{signature_id}-keyinfo"
    assert properties.get("URI") == f"#{signature_id}-signedprops"
    assert properties.get("Type") == "http://uri.etsi.org/01903#SignedProperties"
    for reference in (whole, key_info, properties):
        assert reference.find("ds:DigestMethod", NS).get("Algorithm") == (
            "http://www.w3.org/2001/04/xmlenc#sha256"
        )
    assert signature.find("ds:SignatureValue", NS).get("Id") == f"{signature_id}-sigvalue"


def test_signed_properties(signed, credentials):
    signature = next(parse(signed.signed_xml).iter(DS_SIGNATURE))
    qualifying = signature.find("ds:Object/xades:QualifyingProperties", NS)
    assert qualifying.get("Target") == f"#{signature.get('Id')}"
    props = qualifying.find("xades:SignedProperties", NS)
    assert props.get("Id") == f"{signature.get('Id')}-signedprops"
    ssp = props.find("xades:SignedSignatureProperties", NS)
    assert [etree.QName(c).localname for c in ssp] == [
        "SigningTime",
        "SigningCertificate",
        "SignaturePolicyIdentifier",
        "SignerRole",
    ]
    assert ssp.find("xades:SigningTime", NS).text == "2026-05-04T10:30:17.000-05:00"
    (first,) = ssp.findall("xades:SigningCertificate/xades:Cert", NS)
    der = credentials.certificate.public_bytes(Encoding.DER)
    assert first.find("xades:CertDigest/ds:DigestMethod", NS).get("Algorithm").endswith("#sha256")
    assert first.find("xades:CertDigest/ds:DigestValue", NS).text == (
        base64.b64encode(hashlib.sha256(der).digest()).decode()
    )
    assert first.find("xades:IssuerSerial/ds:X509IssuerName", NS).text == (
        "CN=timbra sandbox CA,O=timbra sandbox,C=CO"
    )
    assert first.find("xades:IssuerSerial/ds:X509SerialNumber", NS).text == str(
        credentials.certificate.serial_number
    )
    policy = ssp.find("xades:SignaturePolicyIdentifier/xades:SignaturePolicyId", NS)
    assert policy.find("xades:SigPolicyId/xades:Identifier", NS).text == POLICY_URL
    assert (
        policy.find("xades:SigPolicyHash/ds:DigestMethod", NS).get("Algorithm").endswith("#sha256")
    )
    assert policy.find("xades:SigPolicyHash/ds:DigestValue", NS).text == POLICY_SHA256
    assert POLICY_SHA256 == "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y="
    roles = ssp.findall("xades:SignerRole/xades:ClaimedRoles/xades:ClaimedRole", NS)
    assert [r.text for r in roles] == ["supplier"]
    assert props.find("xades:SignedDataObjectProperties", NS) is None


def test_signing_time_date_equals_the_issue_date(signed):
    root = parse(signed.signed_xml)
    signing = root.find(".//xades:SigningTime", NS).text
    assert signing.endswith("-05:00")
    assert signing[:10] == root.find("cbc:IssueDate", NS).text
    assert signed.signing_time == datetime(2026, 5, 4, 10, 30, 17, tzinfo=BOGOTA)


def test_signing_time_rules():
    issued = datetime(2026, 5, 4, 23, 50, 0, tzinfo=BOGOTA)
    same_day = datetime(2026, 5, 5, 4, 55, 0, tzinfo=UTC)  # 23:55 in Bogotá
    assert signing_time(same_day, issued) == datetime(2026, 5, 4, 23, 55, tzinfo=BOGOTA)
    next_day = datetime(2026, 5, 5, 6, 0, 0, tzinfo=UTC)  # 01:00 on the 5th in Bogotá
    assert signing_time(next_day, issued) == datetime(2026, 5, 4, 23, 59, 59, tzinfo=BOGOTA)
    clock_behind = datetime(2026, 5, 4, 23, 49, 0, tzinfo=BOGOTA)
    assert signing_time(clock_behind, issued) == issued
    assert signing_time(same_day, issued).utcoffset() == timedelta(hours=-5)


def test_a_late_signature_still_falls_on_the_issue_date(credentials):
    next_morning = ISSUED_AT + timedelta(days=1)
    result = ColombianSigner(credentials, clock=lambda: next_morning).sign(
        drafted().unsigned_xml, ISSUED_AT
    )
    assert result.signing_time.isoformat() == "2026-05-04T23:59:59-05:00"
    xmlsec_verify(result.signed_xml)


def test_every_signature_gets_its_own_ids(credentials):
    signer = PACK.create_signer(credentials)
    first = parse(signer.sign(drafted(990000201).unsigned_xml, ISSUED_AT).signed_xml)
    second = parse(signer.sign(drafted(990000202).unsigned_xml, ISSUED_AT).signed_xml)
    assert next(first.iter(DS_SIGNATURE)).get("Id") != next(second.iter(DS_SIGNATURE)).get("Id")


@pytest.mark.parametrize("canonical", [True, False], ids=["claimed canonical", "parsed"])
def test_a_document_without_a_free_last_extension_is_refused(credentials, signed, canonical):
    signer = ColombianSigner(credentials)
    with pytest.raises(ValueError, match="empty ExtensionContent"):
        signer.sign(signed.signed_xml, ISSUED_AT, canonical=canonical)
    single = drafted().unsigned_xml.replace(
        b"<ext:UBLExtension><ext:ExtensionContent></ext:ExtensionContent></ext:UBLExtension>", b""
    )
    with pytest.raises(ValueError, match="last, empty extension"):
        signer.sign(single, ISSUED_AT, canonical=canonical)


@pytest.mark.parametrize("canonical", [True, False], ids=["claimed canonical", "parsed"])
def test_a_document_with_a_dtd_is_refused_before_anything_is_expanded(credentials, canonical):
    body = drafted().unsigned_xml.decode()
    hostile = (
        XML_DECLARATION.decode()
        + '<!DOCTYPE Invoice [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
        + body.replace("<cbc:UBLVersionID>UBL 2.1", "<cbc:UBLVersionID>UBL 2.1&e;", 1)
    )
    with pytest.raises(ValueError, match="must not carry a DTD"):
        ColombianSigner(credentials).sign(hostile.encode(), ISSUED_AT, canonical=canonical)
