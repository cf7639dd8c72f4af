"""EnvioDTE assembly: its limits and refusals, and a full envelope of 2,000 DTEs (timed)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import time

import pytest
import xmlsec
from lxml import etree

from services.countries.cl import demo, envelope, schemas, sii_xml
from services.countries.cl.sandbox import create_sandbox
from services.countries.cl.signer_certificate import NoHolderRun
from services.countries.pack import Credentials
from services.signing import testca

DS = "http://www.w3.org/2000/09/xmldsig#"
SII = "http://www.sii.cl/SiiDte"
ISSUED_AT = dt.datetime(2025, 3, 10, 15, 45, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sandbox():
    return create_sandbox(authorized_on=dt.date(2025, 3, 1))


@pytest.fixture(scope="module")
def two(sandbox) -> list[bytes]:
    documents = demo.generate_documents(2, sandbox.issuer.tax_id, seed=8)
    return [sandbox.issue(d, n, ISSUED_AT)[1] for n, d in enumerate(documents, 1)]


def verify(root: etree._Element, signature: etree._Element) -> None:
    xmlsec.tree.add_ids(root, ["ID"])
    certificate = signature.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(
        base64.b64decode(certificate), xmlsec.constants.KeyDataFormatCertDer
    )
    context.verify(signature)


def test_an_envelope_of_2000_dtes_is_valid_and_verifies(sandbox):
    documents = demo.generate_documents(2000, sandbox.issuer.tax_id, seed=2000)
    started = time.perf_counter()
    signed = [sandbox.issue(d, n, ISSUED_AT)[1] for n, d in enumerate(documents, 1)]
    issued = time.perf_counter()
    sobre = envelope.build_envelope(signed, sandbox.issuer, sandbox.credentials)
    enveloped = time.perf_counter()
    print(
        f"\n2,000 DTEs parsed+drafted+signed in {issued - started:.2f} s "
        f"({2000 / (issued - started):.0f}/s); envelope built and signed in "
        f"{enveloped - issued:.2f} s ({len(sobre) / 1e6:.1f} MB)"
    )
    assert schemas.validate(sobre) == []
    root = etree.fromstring(sobre, etree.XMLParser(huge_tree=True))
    verify(root, root[-1])
    inside = envelope.signed_dtes(sobre)
    assert len(inside) == 2000
    for dte in inside:
        dte_root = etree.fromstring(dte)
        verify(dte_root, dte_root[-1])
    cover = root.find(f"{{{SII}}}SetDTE/{{{SII}}}Caratula/{{{SII}}}SubTotDTE")
    assert cover.findtext(f"{{{SII}}}NroDTE") == "2000"


def test_2001_dtes_do_not_fit(sandbox, two):
    with pytest.raises(envelope.EnvelopeRefused, match="1 to 2000"):
        envelope.build_envelope(two * 1001, sandbox.issuer, sandbox.credentials)
    with pytest.raises(envelope.EnvelopeRefused, match="1 to 2000"):
        envelope.build_envelope([], sandbox.issuer, sandbox.credentials)


def test_the_same_dte_twice_is_refused(sandbox, two):
    with pytest.raises(envelope.EnvelopeRefused, match="type 33 folio 1 is there twice"):
        envelope.build_envelope([two[0], two[1], two[0]], sandbox.issuer, sandbox.credentials)


def test_dtes_of_another_issuer_are_refused(sandbox, two):
    other = dataclasses.replace(
        sandbox.issuer, party=dataclasses.replace(sandbox.issuer.party, tax_id="77777777-7")
    )
    with pytest.raises(envelope.EnvelopeRefused, match="not by 77777777-7"):
        envelope.build_envelope(two, other, sandbox.credentials)


def test_unsigned_or_utf8_dtes_are_refused(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=3)[0]
    draft, signed = sandbox.issue(document, 40, ISSUED_AT)
    # The draft (canonical, UTF-8) written as an ISO-8859-1 file, so that only its lack of a
    # signature is wrong.
    unsigned = sii_xml.to_bytes(etree.fromstring(draft.unsigned_xml))
    with pytest.raises(envelope.EnvelopeRefused, match="not a signed <DTE>"):
        envelope.build_envelope([unsigned], sandbox.issuer, sandbox.credentials)
    with pytest.raises(envelope.EnvelopeRefused):
        envelope.build_envelope([draft.unsigned_xml], sandbox.issuer, sandbox.credentials)
    utf8 = signed.replace(b'encoding="ISO-8859-1"', b'encoding="UTF-8"')
    with pytest.raises(envelope.EnvelopeRefused, match="ISO-8859-1"):
        envelope.build_envelope([utf8], sandbox.issuer, sandbox.credentials)


def test_rutenvia_needs_the_run_of_the_certificate_holder(sandbox, two):
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="1", name="Sin RUN")
    without_run = Credentials(private_key=key, certificate=certificate)
    with pytest.raises(NoHolderRun):
        envelope.build_envelope(two, sandbox.issuer, without_run)
    sobre = envelope.build_envelope(
        two, sandbox.issuer, without_run, sender_run="7880442-4", receiver="96874030-K"
    )
    cover = etree.fromstring(sobre).find(f"{{{SII}}}SetDTE/{{{SII}}}Caratula")
    assert cover.findtext(f"{{{SII}}}RutEnvia") == "7880442-4"
    assert cover.findtext(f"{{{SII}}}RutReceptor") == "96874030-K"  # intercambio to a buyer
    assert schemas.validate(sobre) == []
