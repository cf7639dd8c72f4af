"""The XAdES-EPES signature of DIAN's signature policy v2 (dian-colombia.md §5).

Shape of the result (DIAN's samples): enveloped, RSA-SHA256, SHA-256 digests, inclusive C14N
1.0, three references in the order `URI=""` (enveloped-signature transform only),
`#…-keyinfo`, `#…-signedprops` (Type SignedProperties); KeyInfo with the X.509 certificate
only; SignedProperties with SigningTime (Colombian time), v1 SigningCertificate, the policy
identifier and hash, and ClaimedRole "supplier"; the whole Signature inside the last
UBLExtension. Nothing is reformatted after signing.

The Signature comes from a template made once per signer (xades_template). The first
reference's digest is SHA-256 of the document's inclusive C14N form without the Signature:
for a canonical draft (`canonical=True`, what `ubl.build_draft` writes) that is the draft's
own bytes, so the draft is neither parsed nor rewritten and the Signature's bytes are
spliced into it. Any other input is parsed and canonicalised first, and written back as
lxml serialises it (CDATA kept) with the same Signature bytes in its slot.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from services.countries.co.clock import COLOMBIA_TIME, in_colombia
from services.countries.co.namespaces import XML_DECLARATION
from services.countries.co.signature_slot import canonical_slot, parser, tree_context, tree_slot
from services.countries.co.xades_template import (
    DOCUMENT,
    ID,
    KEY_INFO,
    POLICY_DESCRIPTION,
    POLICY_SHA256,
    POLICY_URL,
    PROPERTIES,
    SIGNED_PROPERTIES_TYPE,
    SUPPLIER_ROLE,
    TIME,
    VALUE,
    CertificateFacts,
    SignatureContext,
    SignatureTemplate,
    build_template,
)
from services.countries.pack import Credentials, SignedDocument

__all__ = [
    "POLICY_DESCRIPTION",
    "POLICY_SHA256",
    "POLICY_URL",
    "SIGNED_PROPERTIES_TYPE",
    "SUPPLIER_ROLE",
    "ColombianSigner",
    "signing_time",
]

_END_OF_DAY = time(23, 59, 59)
_PKCS1V15 = padding.PKCS1v15()
_SHA256 = hashes.SHA256()
# Distinct namespace contexts a signer meets: one per kind of root (Invoice, CreditNote,
# DebitNote, AttachedDocument, ApplicationResponse); the bound only guards against oddities.
_MAX_TEMPLATES = 32


def signing_time(now: datetime, issued_at: datetime) -> datetime:
    """The SigningTime to write: now on Colombian time, kept on the document's issue date."""
    now_local = in_colombia(now)
    issued_local = in_colombia(issued_at)
    # FAD09e rejects a SigningTime whose date differs from cbc:IssueDate. A document signed
    # after midnight (a backlog, a retry) would otherwise be rejected, so it is signed at the
    # last second of its issue day. A signer whose clock runs behind the issuing service would
    # sign "before" the document existed; the issue instant is the earliest truthful time.
    if now_local < issued_local:
        return issued_local
    if now_local.date() > issued_local.date():
        return datetime.combine(issued_local.date(), _END_OF_DAY, tzinfo=COLOMBIA_TIME)
    return now_local


def _certificate_facts(certificate: x509.Certificate) -> CertificateFacts:
    der = certificate.public_bytes(Encoding.DER)
    return CertificateFacts(
        der_base64=base64.b64encode(der).decode(),
        digest=base64.b64encode(hashlib.sha256(der).digest()).decode(),
        issuer_name=certificate.issuer.rfc4514_string(),
        serial=str(certificate.serial_number),
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _b64_sha256(data: bytes) -> bytes:
    return base64.b64encode(hashlib.sha256(data).digest())


class ColombianSigner:
    """Signs one issuer's DIAN documents with its certificate; create once, reuse per document."""

    def __init__(
        self, credentials: Credentials, *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._key = credentials.private_key  # an already-loaded key object: never parsed here
        # KeyInfo and SigningCertificate name the signing certificate alone, as the
        # implementations DIAN accepts do (Odoo, ubl21dian). The chain is not embedded: DIAN
        # builds it from its own ONAC trust store.
        self._certificate = _certificate_facts(credentials.certificate)
        self._templates: dict[SignatureContext, SignatureTemplate] = {}
        self._clock = clock

    def sign(
        self, unsigned_xml: bytes, issued_at: datetime, *, canonical: bool = False
    ) -> SignedDocument:
        """Sign a drafted DIAN document; the signing time falls on its issue date (FAD09e).

        `canonical` says `unsigned_xml` is the document's inclusive C14N 1.0 form, as
        `Draft.canonical` does: its bytes are then digested as they stand.
        """
        moment = signing_time(self._clock(), issued_at)
        found = canonical_slot(unsigned_xml) if canonical else None
        if found is None:
            signed = self._sign_parsed(unsigned_xml, moment)
        else:
            offset, context = found
            signature = self._signature(context, unsigned_xml, moment)
            signed = b"".join(
                (XML_DECLARATION, unsigned_xml[:offset], signature, unsigned_xml[offset:])
            )
        return SignedDocument(signed_xml=signed, signing_time=moment)

    def _sign_parsed(self, unsigned_xml: bytes, moment: datetime) -> bytes:
        root = etree.fromstring(unsigned_xml, parser())
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            raise ValueError("a document to sign must not carry a DTD")
        slot = tree_slot(root)
        # The root element alone, as written back below: what lies outside it (comments,
        # processing instructions) is neither digested nor kept.
        canonical = etree.tostring(root, method="c14n", exclusive=False, with_comments=False)
        signature = self._signature(tree_context(slot), canonical, moment)
        # A comment holds the Signature's place in lxml's serialisation; C14N ignores it.
        marker = f"timbra-signature-{uuid.uuid4()}"
        slot.append(etree.Comment(marker))
        written = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        before, _, after = written.partition(f"<!--{marker}-->".encode())
        return b"".join((XML_DECLARATION, before, signature, after))

    def _template(self, context: SignatureContext) -> SignatureTemplate:
        template = self._templates.get(context)
        if template is None:
            template = build_template(context, self._certificate)
            if len(self._templates) >= _MAX_TEMPLATES:
                self._templates.clear()
            self._templates[context] = template
        return template

    def _signature(self, context: SignatureContext, canonical: bytes, moment: datetime) -> bytes:
        """The Signature's bytes over a document whose canonical form without it is given."""
        template = self._template(context)
        values = {
            # DIAN's Id style; a fresh UUID per signature.
            ID: f"xmldsig-{uuid.uuid4()}".encode(),
            TIME: moment.isoformat(timespec="milliseconds").encode(),
            DOCUMENT: _b64_sha256(canonical),
        }
        values[KEY_INFO] = _b64_sha256(template.key_info.fill(values))
        values[PROPERTIES] = _b64_sha256(template.signed_properties.fill(values))
        signed_info = template.signed_info.fill(values)
        values[VALUE] = base64.b64encode(self._key.sign(signed_info, _PKCS1V15, _SHA256))
        return template.signature.fill(values)
