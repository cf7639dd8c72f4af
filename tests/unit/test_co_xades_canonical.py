"""The DIAN signer's two ways in: a canonical draft digested as it stands, or any XML parsed.

Both are checked with libxmlsec1 (python-xmlsec) and with `timbra verify`'s own checks, for
every document type, and against each other. A draft that claims to be canonical but is not
gets a signature that does not verify: the first reference digests the bytes themselves.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache

import pytest
import xmlsec
from lxml import etree

from services.countries.co import demo, habilitacion, schemas
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.namespaces import XML_DECLARATION
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.signature_slot import canonical_slot
from services.countries.co.verify import verify_bytes
from services.countries.co.xades import ColombianSigner
from services.countries.pack import Credentials, Draft
from services.signing import testca
from tests.signatures import libxmlsec_verify
from timbra.v1 import document_pb2

NOW = datetime.now(COLOMBIA_TIME).replace(microsecond=0)
KINDS = ["01", "02", "03", "04", "05", "91", "92", "95"]
SECRETS = {"technical_key": habilitacion.TECHNICAL_KEY}
PIN = {"pin": demo.SANDBOX_SOFTWARE_PIN}
BOTH = pytest.mark.parametrize("canonical", [True, False], ids=["canonical", "parsed"])


@cache
def signer() -> ColombianSigner:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="D")
    credentials = Credentials(key, certificate, (authority.certificate,))
    return ColombianSigner(credentials, clock=lambda: NOW + timedelta(seconds=1))


@cache
def draft_of(kind: str) -> Draft:
    """An unsigned document of `kind` from the pack, numbered from a range that fits it."""
    issuer = parse_issuer(demo.issuer_profile(), "issuer")
    references = None
    if kind in ("91", "92", "95"):
        corrected = draft_of("05" if kind == "95" else "01")
        references = [
            document_pb2.BillingReference(
                number=corrected.number,
                document_key=corrected.document_key,
                issue_date=corrected.issue_date.isoformat(),
                document_type=corrected.document_type,
            )
        ]
    (request,) = demo.generate_documents(
        1,
        issuer.tax_id,
        seed=8,
        document_type="01" if kind == "04" else kind,
        references=references,
        paper_range=(1, 1) if kind == "03" else None,
    )
    document = PACK.parse_document(request, "document")
    if kind == "04":
        document = PACK.contingency_variant(document)
    slot = habilitacion.slot(990000009)
    if kind not in ("01", "02", "04"):
        authorization = "18760000009" if kind in ("03", "05") else ""
        prefix = {"03": "CONT", "05": "SEDS"}.get(kind, "N")
        slot = replace(slot, authorization=authorization, prefix=prefix, technical_key="")
        slot = replace(slot, number=1, range_from=1, range_to=999)
    return PACK.build_draft(document, issuer, slot, NOW)


def secret(kind: str) -> dict[str, str]:
    """What `timbra verify` needs to recompute the key of a document of `kind`."""
    return SECRETS if kind in ("01", "02", "04") else PIN


def xmlsec_verify(xml: bytes) -> None:
    """Core XMLDSig validation by libxmlsec1, keyed by the certificate in KeyInfo."""
    libxmlsec_verify(
        etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    )


def masked(signed: bytes) -> bytes:
    """`signed` without what differs between two signatures of it: Ids and what hangs on them."""
    (signature_id,) = set(re.findall(rb'<ds:Signature Id="(xmldsig-[0-9a-f-]{36})"', signed))
    signed = signed.replace(signature_id, b"xmldsig-ID")
    # The KeyInfo and SignedProperties digests cover an Id; the SignatureValue covers both.
    signed = re.sub(rb'(URI="#xmldsig-ID-\w+"[^>]*>.*?<ds:DigestValue>)[^<]*', rb"\1-", signed)
    return re.sub(rb"(<ds:SignatureValue[^>]*>)[^<]*", rb"\1-", signed)


@pytest.mark.parametrize("kind", KINDS)
def test_every_type_is_drafted_canonical_and_signed_either_way(kind: str) -> None:
    draft = draft_of(kind)
    assert draft.canonical and not draft.unsigned_xml.startswith(b"<?xml")
    root = etree.fromstring(draft.unsigned_xml)
    assert etree.tostring(root, method="c14n", exclusive=False) == draft.unsigned_xml
    assert canonical_slot(draft.unsigned_xml) is not None  # the fast path takes it
    signed = {}
    for canonical in (True, False):
        result = signer().sign(draft.unsigned_xml, draft.issued_at, canonical=canonical)
        xmlsec_verify(result.signed_xml)
        report = verify_bytes(result.signed_xml, **secret(kind))
        assert report.passed, report.render()
        assert schemas.validate(result.signed_xml) == []
        signed[canonical] = result.signed_xml
    # Same document both ways, down to the byte, but for the Ids and what they change; the
    # first reference's digest (the whole document) is the same.
    assert masked(signed[True]) == masked(signed[False])
    assert signed[True].startswith(XML_DECLARATION + draft.unsigned_xml[:50])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Each keeps the document's meaning and the fast path's byte checks; none is canonical.
        (
            b'<cbc:UUID schemeID="2" schemeName="CUFE-SHA384">',
            b'<cbc:UUID schemeName="CUFE-SHA384" schemeID="2">',
        ),
        (b"<cbc:UBLVersionID>UBL 2.1<", b"<cbc:UBLVersionID >UBL 2.1<"),
        (b"<cbc:ProfileExecutionID>2<", b"<cbc:ProfileExecutionID>&#50;<"),
    ],
    ids=["attribute order", "space in a tag", "character reference"],
)
def test_a_draft_altered_after_drafting_but_claimed_canonical_does_not_verify(
    old: bytes, new: bytes
) -> None:
    draft = draft_of("01")
    assert draft.unsigned_xml.count(old) == 1
    altered = draft.unsigned_xml.replace(old, new)
    assert canonical_slot(altered) is not None  # signed on the fast path, bytes as they are
    claimed = signer().sign(altered, draft.issued_at, canonical=True).signed_xml
    with pytest.raises(xmlsec.Error):
        xmlsec_verify(claimed)
    report = verify_bytes(claimed, **SECRETS)
    assert "signature.reference" in [check.name for check in report.failures], report.render()
    # Not claimed canonical, the same bytes are canonicalised first and the signature holds.
    xmlsec_verify(signer().sign(altered, draft.issued_at).signed_xml)
