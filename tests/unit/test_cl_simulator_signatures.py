"""The simulator checks a DTE's signature as the SII does (reference §5.4): the DTE taken out of
its envelope; and every signature against the one URI it must sign."""

from __future__ import annotations

import base64

import pytest
import xmlsec
from cryptography.hazmat.primitives import serialization
from lxml import etree

from services.countries.cl.signer_certificate import issue_sandbox_certificate
from services.countries.cl.simulator import signatures
from services.countries.cl.simulator.document_check import signature_holds
from services.signing import testca

SII = "http://www.sii.cl/SiiDte"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DS = "http://www.w3.org/2000/09/xmldsig#"
DOCUMENT = (
    '<Documento ID="T33F1"><Encabezado><IdDoc><Folio>1</Folio></IdDoc></Encabezado></Documento>'
)


@pytest.fixture(scope="module")
def key_pair() -> tuple[bytes, bytes, object]:
    authority = testca.create_authority()
    key, certificate = issue_sandbox_certificate(authority, run="13185095-6", name="Ana")
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private, certificate.public_bytes(serialization.Encoding.PEM), key


def sign(parent: etree._Element, uri: str, key_pair: tuple) -> None:
    """Append to `parent` a Signature over `uri` in the SII's profile (libxmlsec1)."""
    private, certificate, key = key_pair
    signature = xmlsec.template.create(parent, xmlsec.Transform.C14N, xmlsec.Transform.RSA_SHA1)
    parent.append(signature)
    xmlsec.template.add_reference(signature, xmlsec.Transform.SHA1, uri=uri)
    info = xmlsec.template.ensure_key_info(signature)
    value = xmlsec.template.add_key_value(info)
    xmlsec.template.x509_data_add_certificate(xmlsec.template.add_x509_data(info))
    xmlsec.tree.add_ids(parent.getroottree().getroot(), ["ID"])
    loaded = xmlsec.Key.from_memory(private, xmlsec.KeyFormat.PEM)
    loaded.load_cert_from_memory(certificate, xmlsec.KeyFormat.PEM)
    context = xmlsec.SignatureContext()
    context.key = loaded
    context.sign(signature)
    numbers = key.public_key().public_numbers()
    rsa_value = etree.SubElement(value, f"{{{DS}}}RSAKeyValue")
    for name, number in (("Modulus", numbers.n), ("Exponent", numbers.e)):
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        etree.SubElement(rsa_value, f"{{{DS}}}{name}").text = base64.b64encode(raw).decode()


def reparsed(root: etree._Element) -> etree._Element:
    """The document as the simulator receives it: serialised, then parsed (libxmlsec1's
    templates leave in-memory nodes whose namespace only a reparse settles)."""
    return etree.fromstring(etree.tostring(root))


def in_envelope(dte: bytes) -> etree._Element:
    """The DTE's bytes spliced unchanged into an envelope declaring xmlns and xmlns:xsi."""
    envelope = (
        f'<EnvioDTE xmlns="{SII}" xmlns:xsi="{XSI}" version="1.0"><SetDTE ID="SetDoc">'.encode()
        + dte
        + b"</SetDTE></EnvioDTE>"
    )
    return etree.fromstring(envelope).find(f"{{{SII}}}SetDTE/{{{SII}}}DTE")


def test_a_dte_signed_standalone_holds_inside_its_envelope(key_pair: tuple) -> None:
    dte = etree.fromstring(f'<DTE xmlns="{SII}" version="1.0">{DOCUMENT}</DTE>')
    sign(dte, "#T33F1", key_pair)
    assert signature_holds(in_envelope(etree.tostring(dte)))


def test_a_dte_signed_without_namespace_holds_too(key_pair: tuple) -> None:
    dte = etree.fromstring(f'<DTE version="1.0">{DOCUMENT}</DTE>')
    sign(dte, "#T33F1", key_pair)
    assert signature_holds(in_envelope(etree.tostring(dte)))


def test_a_dte_signed_inside_the_envelope_fails_as_at_the_sii(key_pair: tuple) -> None:
    envelope = etree.fromstring(
        f'<EnvioDTE xmlns="{SII}" xmlns:xsi="{XSI}" version="1.0"><SetDTE ID="SetDoc">'
        f'<DTE version="1.0">{DOCUMENT}</DTE></SetDTE></EnvioDTE>'
    )
    sign(envelope.find(f"{{{SII}}}SetDTE/{{{SII}}}DTE"), "#T33F1", key_pair)
    dte = reparsed(envelope).find(f"{{{SII}}}SetDTE/{{{SII}}}DTE")
    assert signatures.verify(dte.find(f"{{{DS}}}Signature"), "#T33F1"), "valid in context"
    assert not signature_holds(dte), "but not once the DTE is taken out (DTE-3-505)"


def test_a_valid_signature_over_another_element_is_refused(key_pair: tuple) -> None:
    envelope = etree.fromstring(
        f'<EnvioDTE xmlns="{SII}" version="1.0"><SetDTE ID="SetDoc"><X ID="Other"/></SetDTE>'
        "</EnvioDTE>"
    )
    sign(envelope, "#Other", key_pair)
    envelope = reparsed(envelope)
    with pytest.raises(signatures.BadSignature, match="SetDoc"):
        signatures.verify(envelope.find(f"{{{DS}}}Signature"), "#SetDoc")
    assert signatures.verify(envelope.find(f"{{{DS}}}Signature"), "#Other").run == "13185095-6"
