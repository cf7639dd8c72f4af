"""Signing drafts written in canonical form, and drafts that are not (recorded before drafts
were canonical): both give DTEs that libxmlsec1, cl-sii, the SII's XSDs and timbra's own
verifier accept, for every type; the same bytes either way; the TED vector of sii-chile.md
§10.3 through the signer; and a draft that claims to be canonical and is not does not verify."""

from __future__ import annotations

import datetime as dt

import pytest
import xmlsec
from cl_sii.dte import parse as cl_sii_parse
from cl_sii.libs import xml_utils
from cryptography.hazmat.primitives import serialization
from lxml import etree

from services.countries.cl import clock, demo, schemas, sii_xml, ted, verify
from services.countries.cl.draft_layout import read_layout
from services.countries.cl.flatten import flattened, flattened_canonical
from services.countries.cl.sandbox import create_sandbox
from services.countries.cl.signer import ChileanSigner, MissingFolioKey, canonical_form
from services.countries.pack import Credentials
from tests.signatures import libxmlsec_verify
from tests.unit.test_cl_ted import EXPECTED_DD, EXPECTED_FRMT, FIELDS, KEY_PEM

DS = "http://www.w3.org/2000/09/xmldsig#"
SII = "http://www.sii.cl/SiiDte"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"ds": DS, "sii": SII}
# Now, not a fixed date: `timbra verify` checks the sandbox certificate, issued today.
ISSUED_AT = dt.datetime.now(dt.UTC).replace(microsecond=0)
SIGNED_AT = ISSUED_AT + dt.timedelta(seconds=30)
TYPES = (33, 34, 52, 56, 61)
REFERENCE = demo.document_pb2.ChileReference(
    document_type="33", folio="1", date=clock.in_chile(ISSUED_AT).date().isoformat()
)


@pytest.fixture(scope="module")
def sandbox():
    return create_sandbox(authorized_on=clock.in_chile(ISSUED_AT).date() - dt.timedelta(days=1))


@pytest.fixture(scope="module")
def signer(sandbox) -> ChileanSigner:
    return ChileanSigner(sandbox.credentials, now=lambda: SIGNED_AT)


@pytest.fixture(scope="module")
def drafts(sandbox):
    """One draft of each type (the notes name a factura), Ñ and & in the receiver's name."""
    out = {}
    for dte_type in TYPES:
        references = [REFERENCE] if dte_type in (56, 61) else []
        document = demo.generate_documents(
            1, sandbox.issuer.tax_id, seed=dte_type, dte_type=dte_type, references=references
        )[0]
        document.customer.name = "Ñandú & Cía. Ltda."
        parsed = sandbox.pack.parse_document(document, "document")
        out[dte_type] = sandbox.pack.build_draft(
            parsed, sandbox.issuer, sandbox.slot(dte_type, 7), ISSUED_AT
        )
    return out


def as_before(canonical: bytes) -> bytes:
    """The draft as drafts were written before they were canonical: ISO-8859-1, declared."""
    return sii_xml.to_bytes(etree.fromstring(canonical))


def indented(canonical: bytes) -> bytes:
    """The draft pretty-printed: another document (whitespace between elements, in the DD too)."""
    root = etree.fromstring(canonical)
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")


def xmlsec_verify(xml: bytes) -> None:
    """Core validation by libxmlsec1 of the DTE's Signature, keyed by its certificate."""
    root = etree.fromstring(xml)
    libxmlsec_verify(root, root[-1], "ID")


def assert_accepted_everywhere(xml: bytes, sandbox) -> None:
    """libxmlsec1, the XSD, cl-sii (parse and signature) and `timbra verify` all accept it."""
    assert xml.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<DTE ')
    xmlsec_verify(xml)
    assert schemas.validate(xml) == []
    parsed = xml_utils.parse_untrusted_xml(xml)
    cl_sii_parse.validate_dte_xml(parsed)
    assert cl_sii_parse.parse_dte_xml(parsed).emisor_rut.canonical == sandbox.issuer.tax_id
    xml_utils.verify_xml_signature(parsed, trusted_x509_cert=sandbox.certificate)
    report = verify.verify_bytes(xml, sii_keys=[sandbox.trusted_key_pem])
    assert report.passed, report.render()


def test_drafts_are_canonical_and_say_so(drafts):
    for draft in drafts.values():
        assert draft.canonical
        assert not draft.unsigned_xml.startswith(b"<?xml")
        assert canonical_form(draft.unsigned_xml) == draft.unsigned_xml


@pytest.mark.parametrize("dte_type", TYPES)
def test_a_canonical_draft_signs_into_a_dte_everyone_accepts(drafts, signer, sandbox, dte_type):
    draft = drafts[dte_type]
    signed = signer.sign(draft.unsigned_xml, draft.issued_at, canonical=True)
    assert_accepted_everywhere(signed.signed_xml, sandbox)
    assert "Ñandú &amp; Cía. Ltda.".encode("iso-8859-1") in signed.signed_xml


@pytest.mark.parametrize("dte_type", TYPES)
def test_a_draft_written_before_signs_into_the_same_bytes(drafts, signer, sandbox, dte_type):
    draft = drafts[dte_type]
    expected = signer.sign(draft.unsigned_xml, draft.issued_at, canonical=True).signed_xml
    signed = signer.sign(as_before(draft.unsigned_xml), draft.issued_at).signed_xml
    assert_accepted_everywhere(signed, sandbox)
    assert signed == expected  # RSA PKCS#1 v1.5 is deterministic: one assembly, one result
    # A canonical draft not said to be so is canonicalised again, to itself.
    assert signer.sign(draft.unsigned_xml, draft.issued_at).signed_xml == expected


def test_the_signed_dte_is_its_own_canonical_form_in_iso_8859_1(drafts, signer):
    draft = drafts[33]
    signed = signer.sign(draft.unsigned_xml, draft.issued_at, canonical=True).signed_xml
    body = signed.split(b"?>\n", 1)[1]
    assert canonical_form(signed) == body.decode("iso-8859-1").encode("utf-8")


def test_an_indented_draft_is_flattened_the_long_way_and_verifies(drafts, signer, sandbox):
    draft = drafts[33]
    pretty = indented(draft.unsigned_xml)
    assert flattened_canonical(read_layout(canonical_form(pretty)).dd) is None
    signed = signer.sign(pretty, draft.issued_at).signed_xml
    assert b'<TED version="1.0">\n' in signed  # the whitespace is kept, and signed
    xmlsec_verify(signed)
    report = verify.verify_bytes(signed, sii_keys=[sandbox.trusted_key_pem])
    assert report.passed, report.render()  # FRMT over the flattened DD, whitespace removed


def test_a_dte_root_declaring_more_namespaces_signs_in_its_context(drafts, signer, sandbox):
    # xmlns:xsi on the DTE is in scope for the Documento's digest and for SignedInfo.
    draft = drafts[34]
    root = etree.fromstring(draft.unsigned_xml)
    wider = etree.Element(root.tag, nsmap={None: SII, "xsi": XSI}, attrib=dict(root.attrib))
    wider.set(f"{{{XSI}}}schemaLocation", "http://www.sii.cl/SiiDte DTE_v10.xsd")
    wider.extend(list(root))
    signed = signer.sign(sii_xml.to_bytes(wider), draft.issued_at).signed_xml
    assert b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in signed
    xmlsec_verify(signed)
    report = verify.verify_bytes(signed, sii_keys=[sandbox.trusted_key_pem])
    assert report.passed, report.render()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<RUTEmisor>", b"<RUTEmisor >"),  # a start tag C14N would write without the space
        (b"<TasaIVA>19</TasaIVA>", b"<TasaIVA>&#49;9</TasaIVA>"),  # a character reference
        ("Cía.".encode(), b"C&#237;a."),  # inside the DD, which FRMT also covers
        (b'<CAF version="1.0">', b"<CAF version='1.0'>"),
    ],
)
def test_a_draft_altered_after_drafting_but_claimed_canonical_does_not_verify(
    drafts, signer, old, new
):
    draft = drafts[33]
    assert old in draft.unsigned_xml
    altered = draft.unsigned_xml.replace(old, new, 1)
    signed = signer.sign(altered, draft.issued_at, canonical=True).signed_xml
    with pytest.raises(xmlsec.Error):
        xmlsec_verify(signed)
    # Said not to be canonical, the same bytes sign into a DTE that verifies.
    xmlsec_verify(signer.sign(altered, draft.issued_at).signed_xml)


def test_the_dd_read_from_a_draft_is_what_flattening_the_element_gives(drafts):
    for draft in drafts.values():
        layout = read_layout(draft.unsigned_xml)
        dd = etree.fromstring(draft.unsigned_xml).find("sii:Documento/sii:TED/sii:DD", NS)
        assert flattened_canonical(layout.dd) == flattened(dd)
        assert flattened(layout.element(layout.dd)) == flattened(dd)


@pytest.mark.parametrize(
    "dd",
    [
        b'<DD xmlns="http://www.sii.cl/SiiDte"><RE>1-9</RE></DD>',
        b"<DD> <RE>1-9</RE></DD>",
        b"<DD><RE>1-9</RE>\n</DD>",
        b"<DD>text<RE>1-9</RE></DD>",
        b"<DD><RE>1-9</RE>text</DD>",
        b"<DD><s:RE>1-9</s:RE></DD>",
        b'<DD><CAF s:version="1.0"></CAF></DD>',
        b"<DD><!--x--><RE>1-9</RE></DD>",
        b"<DD><?pi x?><RE>1-9</RE></DD>",
    ],
)
def test_what_flattening_would_change_is_left_to_it(dd):
    assert flattened_canonical(dd) is None


def test_leaf_text_is_kept_as_it_stands():
    dd = b"<DD><RSR>EMPRESA  LTDA &amp; CIA</RSR><X></X><TSTED>2025-01-03T10:00:00</TSTED></DD>"
    assert flattened_canonical(dd) == flattened(etree.fromstring(dd))


def _vector_draft() -> bytes:
    """A canonical draft whose TED is sii-chile.md §10.3's (the Documento is only a frame)."""
    root = etree.Element(f"{{{SII}}}DTE", nsmap={None: SII}, version="1.0")
    documento = etree.SubElement(root, f"{{{SII}}}Documento", ID="T33F1")
    documento.append(ted.ted_element(FIELDS))
    etree.SubElement(documento, f"{{{SII}}}TmstFirma").text = "2025-01-03T10:00:00"
    return etree.tostring(root, method="c14n")


@pytest.mark.parametrize("canonical", [True, False])
def test_the_signer_reproduces_the_ted_vector(sandbox, canonical):
    key = serialization.load_pem_private_key(KEY_PEM, None)
    credentials = Credentials(
        private_key=sandbox.credentials.private_key,
        certificate=sandbox.certificate,
        folio_keys={"33:1-100": key},
    )
    draft = _vector_draft()
    assert flattened_canonical(read_layout(draft).dd) == EXPECTED_DD.encode("iso-8859-1")
    unsigned = draft if canonical else as_before(draft)
    moment = dt.datetime(2025, 1, 3, 13, 0, tzinfo=dt.UTC)
    signed = ChileanSigner(credentials).sign(unsigned, moment, canonical=canonical).signed_xml
    stamp = etree.fromstring(signed).find("sii:Documento/sii:TED", NS)
    assert stamp.findtext("sii:FRMT", namespaces=NS) == EXPECTED_FRMT
    xmlsec_verify(signed)


def test_refusals_are_read_on_the_canonical_bytes(drafts, sandbox, signer):
    draft = drafts[33]
    signed = signer.sign(draft.unsigned_xml, draft.issued_at, canonical=True).signed_xml
    with pytest.raises(ValueError, match="already signed"):
        signer.sign(canonical_form(signed), draft.issued_at, canonical=True)
    without_key = ChileanSigner(
        Credentials(private_key=sandbox.credentials.private_key, certificate=sandbox.certificate)
    )
    with pytest.raises(MissingFolioKey, match="33:1-10000"):
        without_key.sign(draft.unsigned_xml, draft.issued_at, canonical=True)
    cases = {
        "not a drafted DTE": draft.unsigned_xml.replace(b"<DTE ", b"<EnvioDTE ", 1),
        "no TmstFirma": draft.unsigned_xml.replace(b"TmstFirma", b"Firma"),
        "no TED with a CAF": draft.unsigned_xml.replace(b"CAF", b"CAX"),
    }
    for message, unsigned in cases.items():
        with pytest.raises(ValueError, match=message):
            signer.sign(unsigned, draft.issued_at, canonical=True)
    with pytest.raises(ValueError, match="not a drafted DTE"):
        signer.sign(as_before(draft.unsigned_xml), draft.issued_at, canonical=True)
