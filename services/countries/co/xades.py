"""The XAdES-EPES signature of DIAN's signature policy v2 (dian-colombia.md §5), made by signxml.

Shape of the result (DIAN's samples): enveloped, RSA-SHA256, SHA-256 digests, inclusive C14N
1.0, three references in the order `URI=""` (enveloped-signature transform only),
`#…-keyinfo`, `#…-signedprops` (Type SignedProperties); KeyInfo with the X.509 certificate
only; SignedProperties with SigningTime (Colombian time), v1 SigningCertificate, the policy
identifier and hash, and ClaimedRole "supplier"; the whole Signature inside the last
UBLExtension. Nothing is reformatted after signing.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.util import SigningSettings
from signxml.xades import XAdESSignaturePolicy, XAdESSigner

from services.countries.co.clock import COLOMBIA_TIME, in_colombia
from services.countries.co.namespaces import DS, DS_NS, EXT, XADES, XML_DECLARATION
from services.countries.pack import Credentials, SignedDocument

POLICY_URL = "https://facturaelectronica.dian.gov.co/politicadefirma/v2/politicadefirmav2.pdf"
POLICY_DESCRIPTION = "Política de firma para facturas electrónicas de la República de Colombia."
POLICY_SHA256 = "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y="
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"
SUPPLIER_ROLE = "supplier"

_POLICY = XAdESSignaturePolicy(
    Identifier=POLICY_URL,
    Description=POLICY_DESCRIPTION,
    DigestMethod=DigestAlgorithm.SHA256,
    DigestValue=POLICY_SHA256,
)
_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class _CertRef:
    """What xades:Cert says about one certificate, computed once per signer."""

    digest: str  # base64 SHA-256 of the DER certificate
    issuer_name: str
    serial: str


def _cert_ref(certificate: x509.Certificate) -> _CertRef:
    der = certificate.public_bytes(Encoding.DER)
    return _CertRef(
        digest=base64.b64encode(hashlib.sha256(der).digest()).decode(),
        # RFC 4514 is the string form XMLDSig names for X509IssuerName.
        issuer_name=certificate.issuer.rfc4514_string(),
        serial=str(certificate.serial_number),
    )


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


class _DianXAdESSigner(XAdESSigner):
    """signxml's XAdES signer bent to DIAN's profile; one instance per signature."""

    def __init__(self, certs: tuple[_CertRef, ...], moment: datetime) -> None:
        super().__init__(
            signature_policy=_POLICY,
            claimed_roles=[SUPPLIER_ROLE],
            signature_algorithm=SignatureMethod.RSA_SHA256,
            digest_algorithm=DigestAlgorithm.SHA256,
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        )
        self._certs = certs
        self._moment = moment
        # DIAN's Id style; a fresh UUID per signature instead of signxml's token registry.
        self._id = f"xmldsig-{uuid.uuid4()}"

    @property
    def parser(self) -> etree.XMLParser:
        """signxml re-reads the document with this parser: ours, which keeps CDATA as written."""
        return _parser()

    def _build_xades_ds_object(self, sig_root: Any, signing_settings: SigningSettings) -> None:
        # Replaces signxml's version for three reasons: DIAN-style Ids on the Signature, its
        # first Reference, SignatureValue, KeyInfo and SignedProperties; no
        # SignedDataObjectProperties/DataObjectFormat (absent from DIAN's profile); and the
        # reference order DIAN's samples use (KeyInfo before SignedProperties; signxml adds
        # them the other way round).
        sig_id = self._id
        sig_root.set("Id", sig_id)
        self._find(sig_root, "SignedInfo").find(f"{DS}Reference").set("Id", f"{sig_id}-ref0")
        self._find(sig_root, "SignatureValue").set("Id", f"{sig_id}-sigvalue")
        key_info = self._find(sig_root, "KeyInfo")
        key_info.set("Id", f"{sig_id}-keyinfo")

        ds_object = etree.SubElement(sig_root, f"{DS}Object")
        qualifying = etree.SubElement(
            ds_object, f"{XADES}QualifyingProperties", Target=f"#{sig_id}"
        )
        signed = etree.SubElement(
            qualifying, f"{XADES}SignedProperties", Id=f"{sig_id}-signedprops"
        )
        properties = etree.SubElement(signed, f"{XADES}SignedSignatureProperties")
        for annotate in self.signed_signature_properties_annotators:
            annotate(properties, sig_root=sig_root, signing_settings=signing_settings)

        self._add_reference_to_signed_info(sig_root, key_info)
        self._add_reference_to_signed_info(sig_root, signed, Type=SIGNED_PROPERTIES_TYPE)

    def add_signing_time(
        self, signed_signature_properties: Any, sig_root: Any, signing_settings: SigningSettings
    ) -> None:
        """xades:SigningTime on Colombian time (signxml writes UTC, DIAN compares local dates)."""
        node = etree.SubElement(signed_signature_properties, f"{XADES}SigningTime")
        node.text = self._moment.isoformat(timespec="milliseconds")

    def add_signing_certificate(
        self, signed_signature_properties: Any, sig_root: Any, signing_settings: SigningSettings
    ) -> None:
        """xades:SigningCertificate (v1): SHA-256 CertDigest and IssuerSerial of each cert."""
        # DIAN's policy asks for the XAdES 1.3.2 SigningCertificate (CertDigest + IssuerSerial);
        # signxml writes SigningCertificateV2, and its legacy switch adds v1 beside v2 with
        # SHA-1, which is schema-invalid. Digests and names are precomputed per signer.
        signing_certificate = etree.SubElement(
            signed_signature_properties, f"{XADES}SigningCertificate"
        )
        for ref in self._certs:
            cert = etree.SubElement(signing_certificate, f"{XADES}Cert")
            digest = etree.SubElement(cert, f"{XADES}CertDigest")
            etree.SubElement(digest, f"{DS}DigestMethod", Algorithm=DigestAlgorithm.SHA256.value)
            etree.SubElement(digest, f"{DS}DigestValue").text = ref.digest
            issuer_serial = etree.SubElement(cert, f"{XADES}IssuerSerial")
            etree.SubElement(issuer_serial, f"{DS}X509IssuerName").text = ref.issuer_name
            etree.SubElement(issuer_serial, f"{DS}X509SerialNumber").text = ref.serial


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ColombianSigner:
    """Signs one issuer's DIAN documents with its certificate; create once, reuse per document."""

    def __init__(
        self, credentials: Credentials, *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._key = credentials.private_key  # an already-loaded key object: never parsed here
        # KeyInfo and SigningCertificate name the signing certificate alone, as the
        # implementations DIAN accepts do (Odoo, ubl21dian); a verifier that matches every
        # xades:Cert against KeyInfo (signxml's does) then accepts it too. The chain is not
        # embedded: DIAN builds it from its own ONAC trust store.
        self._certs = (_cert_ref(credentials.certificate),)
        self._certificate_b64 = base64.b64encode(
            credentials.certificate.public_bytes(Encoding.DER)
        ).decode()
        self._clock = clock

    def _key_info(self) -> etree._Element:
        # Built here rather than by signxml: X509Data with the signing certificate only (no
        # KeyValue), base64 on one line as in DIAN's samples (signxml keeps PEM line breaks),
        # and no PEM re-encoding per document.
        key_info = etree.Element(f"{DS}KeyInfo", nsmap={"ds": DS_NS})
        data = etree.SubElement(key_info, f"{DS}X509Data")
        etree.SubElement(data, f"{DS}X509Certificate").text = self._certificate_b64
        return key_info

    def sign(
        self, unsigned_xml: bytes, issued_at: datetime, *, canonical: bool = False
    ) -> SignedDocument:
        """Sign a drafted DIAN document; the signing time falls on its issue date (FAD09e)."""
        moment = signing_time(self._clock(), issued_at)
        root = etree.fromstring(unsigned_xml, _parser())
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            raise ValueError("a document to sign must not carry a DTD")
        content = _signature_slot(root)
        etree.SubElement(content, f"{DS}Signature", {"Id": "placeholder"}, nsmap={"ds": DS_NS})
        signer = _DianXAdESSigner(self._certs, moment)
        signed_root = signer.sign(
            root,
            key=self._key,
            key_info=self._key_info(),
            # Reference URI="" carries the enveloped-signature transform alone (DIAN's
            # samples); the implicit node-set-to-octets step is then inclusive C14N 1.0.
            exclude_c14n_transform_element=True,
        )
        signed = XML_DECLARATION + etree.tostring(
            signed_root, encoding="UTF-8", xml_declaration=False
        )
        return SignedDocument(signed_xml=signed, signing_time=moment)


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers must not be shared between threads. No entities,
    # no DTD, no network, no whitespace changes (the document is signed as drafted), and CDATA
    # kept as written (an AttachedDocument carries documents in CDATA; C14N reads it as text).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
        strip_cdata=False,
    )


def _signature_slot(root: etree._Element) -> etree._Element:
    """The ExtensionContent of the last UBLExtension, which must be empty."""
    extensions = root.find(f"{EXT}UBLExtensions")
    content = (
        None
        if extensions is None or not len(extensions)
        else extensions[-1].find(f"{EXT}ExtensionContent")
    )
    free = content is not None and not len(content) and not (content.text or "").strip()
    if content is None or (not free and len(extensions) < 2):
        # An invoice's only extension holds DianExtensions; a container (AttachedDocument)
        # may have just the empty one.
        raise ValueError(
            "a DIAN document needs UBLExtensions with a last, empty extension for the signature"
        )
    if not free:
        raise ValueError(
            "the last UBLExtension must hold an empty ExtensionContent for the signature"
        )
    if root.find(f".//{DS}Signature") is not None:
        raise ValueError("the document is already signed")
    return content
