"""XMLDSig of DTEs and envelopes, checked with libxmlsec1 (python-xmlsec), not with signxml."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import xmlsec
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from services.countries.cl import demo, envelope, ted
from services.countries.cl.sandbox import SANDBOX_SIGNER_RUN, create_sandbox
from services.countries.cl.signer import ChileanSigner, MissingFolioKey
from services.countries.cl.xml_input import parse_xml
from services.countries.pack import Credentials
from tests.signatures import libxmlsec_verify

DS = "http://www.w3.org/2000/09/xmldsig#"
SII = "http://www.sii.cl/SiiDte"
NS = {"ds": DS, "sii": SII}
ISSUED_AT = dt.datetime(2025, 3, 10, 15, 45, 12, tzinfo=dt.UTC)  # 12:45:12 in Santiago


@pytest.fixture(scope="module")
def sandbox():
    return create_sandbox(authorized_on=dt.date(2025, 3, 1))


@pytest.fixture(scope="module")
def signed(sandbox) -> bytes:
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=3)[0]
    document.customer.name = "Ñandú & Cía. Ltda."
    return sandbox.issue(document, 7, ISSUED_AT)[1]


def xmlsec_verify(root: etree._Element, signature: etree._Element) -> None:
    """Core validation by libxmlsec1, keyed by the certificate in KeyInfo."""
    libxmlsec_verify(root, signature, "ID")


def verify_last_signature(xml: bytes) -> None:
    root = etree.fromstring(xml)
    xmlsec_verify(root, root[-1])


def test_libxmlsec1_verifies_the_dte_signature(signed):
    verify_last_signature(signed)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<TipoDTE>33</TipoDTE>", b"<TipoDTE>34</TipoDTE>"),
        (b"<Folio>7</Folio>", b"<Folio>8</Folio>"),
        ("Cía.".encode("iso-8859-1"), b"Cia."),
        (b"<TmstFirma>2", b"<TmstFirma>1"),
        (b'<FRMT algoritmo="SHA1withRSA">', b'<FRMT algoritmo="SHA1withRSA">A'),
    ],
)
def test_any_change_to_the_document_breaks_it(signed, old, new):
    assert old in signed
    with pytest.raises(xmlsec.Error):
        verify_last_signature(signed.replace(old, new, 1))


def test_the_signature_has_the_shape_sii_schema_allows(signed):
    root = etree.fromstring(signed)
    signature = root[-1]
    assert signature.tag == f"{{{DS}}}Signature" and signature.prefix is None
    assert root.index(signature) == 1  # last child of DTE, after Documento
    info = signature.find("ds:SignedInfo", NS)
    assert info.find("ds:CanonicalizationMethod", NS).get("Algorithm") == (
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    )
    assert info.find("ds:SignatureMethod", NS).get("Algorithm") == f"{DS}rsa-sha1"
    (reference,) = info.findall("ds:Reference", NS)
    assert reference.get("URI") == "#T33F7"
    assert len(reference.findall("ds:Transforms/ds:Transform", NS)) == 1
    assert reference.find("ds:DigestMethod", NS).get("Algorithm") == f"{DS}sha1"
    key_info = signature.find("ds:KeyInfo", NS)
    assert [etree.QName(child).localname for child in key_info] == ["KeyValue", "X509Data"]
    assert key_info.find("ds:KeyValue/ds:RSAKeyValue/ds:Modulus", NS).text


def test_the_dte_is_iso_8859_1_and_names_survive(signed):
    assert signed.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<DTE ')
    assert "Ñandú &amp; Cía. Ltda.".encode("iso-8859-1") in signed
    assert b"xmlns:xsi" not in signed  # signed standalone, without the envelope's namespaces


def test_the_ted_is_stamped_with_the_folio_key(signed):
    stamp = etree.fromstring(signed).find("sii:Documento/sii:TED", NS)
    assert stamp.findtext("sii:FRMT", namespaces=NS)
    assert ted.verify_stamp(stamp)
    assert stamp.findtext("sii:DD/sii:RSR", namespaces=NS) == "Ñandú & Cía. Ltda."


def test_tmstfirma_is_chilean_time_and_not_before_tsted(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=4)[0]
    draft, _ = sandbox.issue(document, 9, ISSUED_AT)
    behind = ChileanSigner(sandbox.credentials, now=lambda: ISSUED_AT - dt.timedelta(hours=2))
    root = etree.fromstring(behind.sign(draft.unsigned_xml, ISSUED_AT).signed_xml)
    assert root.findtext("sii:Documento/sii:TmstFirma", namespaces=NS) == "2025-03-10T12:45:12"
    later = ChileanSigner(sandbox.credentials, now=lambda: ISSUED_AT + dt.timedelta(minutes=3))
    root = etree.fromstring(later.sign(draft.unsigned_xml, ISSUED_AT).signed_xml)
    assert root.findtext("sii:Documento/sii:TmstFirma", namespaces=NS) == "2025-03-10T12:48:12"
    assert root.findtext("sii:Documento/sii:TED/sii:DD/sii:TSTED", namespaces=NS) == (
        "2025-03-10T12:45:12"
    )


def test_a_draft_whose_caf_key_is_missing_is_not_signed(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=5)[0]
    draft, _ = sandbox.issue(document, 11, ISSUED_AT)
    credentials = Credentials(
        private_key=sandbox.credentials.private_key, certificate=sandbox.certificate
    )
    with pytest.raises(MissingFolioKey, match="33:1-10000"):
        ChileanSigner(credentials).sign(draft.unsigned_xml, ISSUED_AT)


def test_folio_keys_may_be_given_as_the_cafs_rsask_pem(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=6)[0]
    draft, _ = sandbox.issue(document, 12, ISSUED_AT)
    numbering = sandbox.numbering[33]
    credentials = Credentials(
        private_key=sandbox.credentials.private_key,
        certificate=sandbox.certificate,
        folio_keys={numbering.key_id: numbering.private_key_pem},
    )
    signed = ChileanSigner(credentials).sign(draft.unsigned_xml, ISSUED_AT).signed_xml
    assert ted.verify_stamp(etree.fromstring(signed).find("sii:Documento/sii:TED", NS))
    verify_last_signature(signed)


def test_a_signed_dte_is_not_signed_again(sandbox, signed):
    with pytest.raises(ValueError, match="already signed"):
        sandbox.signer.sign(signed, ISSUED_AT)


@pytest.fixture(scope="module")
def batch(sandbox) -> list[bytes]:
    """One signed DTE of each type, notes referencing the first factura."""
    issuer = sandbox.issuer.tax_id
    out = []
    for dte_type in (33, 34, 52):
        document = demo.generate_documents(1, issuer, seed=dte_type, dte_type=dte_type)[0]
        out.append(sandbox.issue(document, 1, ISSUED_AT)[1])
    reference = demo.document_pb2.ChileReference(document_type="33", folio="1", date="2025-03-10")
    for dte_type in (61, 56):
        note = demo.generate_documents(1, issuer, seed=1, dte_type=dte_type, references=[reference])
        out.append(sandbox.issue(note[0], 1, ISSUED_AT)[1])
    return out


@pytest.fixture(scope="module")
def sobre(sandbox, batch) -> bytes:
    notes_first = [batch[3], batch[4], batch[0], batch[1], batch[2]]
    return envelope.build_envelope(
        notes_first, sandbox.issuer, sandbox.credentials, signed_at=ISSUED_AT
    )


def test_libxmlsec1_verifies_the_envelope_signature_in_full_context(sobre):
    verify_last_signature(sobre)


def test_each_dte_inside_the_envelope_verifies_as_it_was_signed(sobre, batch):
    inside = envelope.signed_dtes(sobre)
    assert len(inside) == 5
    for dte in inside:
        verify_last_signature(dte)
    # Spliced unchanged: every signed DTE's bytes are in the envelope as they were.
    for dte in batch:
        assert dte.split(b"?>\n", 1)[1] in sobre


def test_a_dte_changed_inside_the_envelope_breaks_both_signatures(sobre):
    tampered = sobre.replace(b"<TipoDTE>34</TipoDTE>", b"<TipoDTE>33</TipoDTE>", 1)
    with pytest.raises(xmlsec.Error):
        verify_last_signature(tampered)
    broken = [d for d in envelope.signed_dtes(tampered) if b"T34F1" in d]
    with pytest.raises(xmlsec.Error):
        verify_last_signature(broken[0])


def test_the_caratula(sobre, sandbox):
    root = parse_xml(sobre)
    assert root.nsmap == {None: SII, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    cover = root.find("sii:SetDTE/sii:Caratula", NS)
    assert root.find("sii:SetDTE", NS).get("ID") == "SetDoc"
    assert cover.findtext("sii:RutEmisor", namespaces=NS) == sandbox.issuer.tax_id
    assert cover.findtext("sii:RutEnvia", namespaces=NS) == SANDBOX_SIGNER_RUN  # from the cert
    assert cover.findtext("sii:RutReceptor", namespaces=NS) == "60803000-K"
    assert cover.findtext("sii:FchResol", namespaces=NS) == "2024-03-01"
    assert cover.findtext("sii:NroResol", namespaces=NS) == "0"
    assert cover.findtext("sii:TmstFirmaEnv", namespaces=NS) == "2025-03-10T12:45:12"
    subtotals = [
        (s.findtext("sii:TpoDTE", namespaces=NS), s.findtext("sii:NroDTE", namespaces=NS))
        for s in cover.findall("sii:SubTotDTE", NS)
    ]
    assert subtotals == [("33", "1"), ("34", "1"), ("52", "1"), ("56", "1"), ("61", "1")]


def test_notes_come_after_the_documents_they_may_correct(sobre):
    types = [
        d.findtext("sii:Documento/sii:Encabezado/sii:IdDoc/sii:TipoDTE", namespaces=NS)
        for d in parse_xml(sobre).findall("sii:SetDTE/sii:DTE", NS)
    ]
    assert types == ["33", "34", "52", "61", "56"]


def test_the_envelope_signature_is_last_and_carries_the_sender_certificate(sobre, sandbox):
    root = etree.fromstring(sobre)
    signature = root[-1]
    assert signature.tag == f"{{{DS}}}Signature"
    assert signature.find("ds:SignedInfo/ds:Reference", NS).get("URI") == "#SetDoc"
    der = sandbox.certificate.public_bytes(Encoding.DER)
    text = signature.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
    assert base64.b64decode(text) == der
