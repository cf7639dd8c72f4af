"""The simulator's XAdES-EPES check on invoices signed by the country pack's signer.

Documents that break one signature rule only are made by editing a signed invoice and signing
its SignedInfo again with libxmlsec1 (which recomputes every digest and the SignatureValue).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import pytest
import xmlsec
from cryptography.hazmat.primitives import serialization
from lxml import etree

from services.core import untrusted_xml
from services.countries.co import demo
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.simulator.signature import (
    BAD_VALUE,
    NOT_SIGNED,
    SignatureCheck,
    check_signature,
)
from services.countries.pack import Credentials, NumberingSlot
from services.signing import testca

NS = {"ds": "http://www.w3.org/2000/09/xmldsig#", "xades": "http://uri.etsi.org/01903/v1.3.2#"}


@cache
def credentials() -> Credentials:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="Demo")
    return Credentials(key, certificate, (authority.certificate,))


@cache
def documents() -> tuple[bytes, bytes]:
    """(unsigned, signed) XML of one demo invoice."""
    issuer = parse_issuer(demo.issuer_profile(), "issuer")
    document = PACK.parse_document(demo.generate_documents(1, issuer.tax_id, seed=3)[0], "doc")
    slot = NumberingSlot(
        "range",
        "18760000001",
        "SETP",
        990000001,
        990000000,
        995000000,
        date(2019, 1, 19),
        date(2030, 1, 19),
        "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c",
    )
    now = datetime.now(COLOMBIA_TIME)
    draft = PACK.build_draft(document, issuer, slot, now)
    signed = PACK.create_signer(credentials()).sign(draft.unsigned_xml, now)
    return draft.unsigned_xml, signed.signed_xml


def signed_root() -> etree._Element:
    return untrusted_xml.parse(documents()[1])


def sign_again(root: etree._Element) -> etree._Element:
    """Recompute the signature of an edited document with the issuer's key."""
    pem = credentials().private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(pem, xmlsec.constants.KeyDataFormatPem)
    xmlsec.tree.add_ids(root, ["Id"])
    context.sign(root.find(".//ds:Signature", NS))
    # Verify from the serialised bytes, as the simulator would receive them.
    return untrusted_xml.parse(etree.tostring(root))


def texts(check: SignatureCheck) -> list[tuple[str, str]]:
    return [(finding.rule, finding.text) for finding in check.findings]


def test_a_signature_from_the_pack_verifies() -> None:
    check = check_signature(signed_root())
    assert check.findings == ()
    assert datetime.fromisoformat(check.signing_time).date() == datetime.now(COLOMBIA_TIME).date()


def test_resigning_an_untouched_document_still_verifies() -> None:
    # Guards the helper: edits below are the only reason their checks fail.
    assert check_signature(sign_again(signed_root())).findings == ()


def test_an_unsigned_document_is_ze01() -> None:
    assert texts(check_signature(untrusted_xml.parse(documents()[0]))) == [("ZE01", NOT_SIGNED)]


def test_a_change_after_signing_is_ze02() -> None:
    root = signed_root()
    line = root.find(".//{*}InvoiceLine/{*}Item/{*}Description")
    line.text = "tampered"
    assert texts(check_signature(root)) == [("ZE02", BAD_VALUE)]


def test_a_wrong_policy_hash_is_ze02_even_when_signed() -> None:
    root = signed_root()
    root.find(".//xades:SigPolicyHash/ds:DigestValue", NS).text = "AAAA"
    assert texts(check_signature(sign_again(root))) == [("ZE02", "Política de firma inválida.")]


def test_a_cert_digest_of_another_certificate_is_ze02() -> None:
    root = signed_root()
    root.find(".//xades:CertDigest/ds:DigestValue", NS).text = "AAAA"
    (finding,) = check_signature(sign_again(root)).findings
    assert finding.rule == "ZE02" and "CertDigest" in finding.text


def test_without_a_signature_policy_it_is_not_xades_epes() -> None:
    root = signed_root()
    policy = root.find(".//xades:SignaturePolicyIdentifier", NS)
    policy.getparent().remove(policy)
    ((rule, text),) = texts(check_signature(sign_again(root)))
    assert rule == "ZE01" and "SignaturePolicyIdentifier" in text


def test_references_outside_the_document_are_refused_unread() -> None:
    root = signed_root()
    root.findall(".//ds:Reference", NS)[1].set("URI", "file:///etc/passwd")
    ((rule, text),) = texts(check_signature(root))
    assert rule == "ZE02" and "fuera del documento" in text


def test_an_xslt_transform_is_not_run_even_in_a_valid_signature() -> None:
    root = signed_root()
    reference = root.findall(".//ds:Reference", NS)[1]
    transforms = etree.SubElement(reference, f"{{{NS['ds']}}}Transforms")
    reference.insert(0, transforms)
    transform = etree.SubElement(
        transforms,
        f"{{{NS['ds']}}}Transform",
        Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116",
    )
    stylesheet = etree.SubElement(
        transform, "{http://www.w3.org/1999/XSL/Transform}stylesheet", version="1.0"
    )
    etree.SubElement(stylesheet, "{http://www.w3.org/1999/XSL/Transform}template", match="/")
    assert texts(check_signature(sign_again(root))) == [("ZE02", BAD_VALUE)]


def test_a_repeated_id_is_refused_as_signature_wrapping() -> None:
    root = signed_root()
    signed_properties = root.find(".//xades:SignedProperties", NS)
    decoy = etree.SubElement(root, f"{{{NS['xades']}}}SignedProperties")
    decoy.set("Id", signed_properties.get("Id"))
    ((rule, text),) = texts(check_signature(root))
    assert rule == "ZE02" and "Id" in text


@pytest.mark.parametrize("where", ["root", "cbc:Note"])
def test_a_signature_outside_the_extensions_is_not_dians_profile(where: str) -> None:
    root = signed_root()
    signature = root.find(".//ds:Signature", NS)
    signature.getparent().remove(signature)
    holder = root if where == "root" else etree.SubElement(root, "Note")
    holder.append(signature)
    (finding,) = check_signature(root).findings
    assert finding.rule == "ZE01"
