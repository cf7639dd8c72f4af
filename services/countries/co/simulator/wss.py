"""Checking a request's WS-Security header as DIAN's WCF binding does (dian-colombia.md §6.2).

A request passes when its `wsse:Security` header holds a live `wsu:Timestamp`, an X.509 v3
`wsse:BinarySecurityToken` whose certificate parses, is within its dates and (when trust is
enforced) is trusted, and one XMLDSig signature by that certificate over exactly the header's
`wsa:To`, checked by libxmlsec1 with exclusive C14N, RSA-SHA2 and SHA-2 digests only. Anything
else gets the fault WCF gives: `s:Sender` / `wsse:InvalidSecurity`, "An error occurred when
verifying security for the message.", with the specific reason in the fault's detail.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from services.countries.co.simulator.soap import SOAP, WSA, WSSE, WSU, SoapFault
from services.countries.co.simulator.trust import TrustStore
from services.countries.co.wssecurity import BASE64_BINARY, DS, EXC_C14N, X509V3

# WCF's words for every security failure; it never says which check failed.
WCF_REASON = "An error occurred when verifying security for the message."
DEFAULT_SKEW = timedelta(minutes=5)  # WCF's default MaxClockSkew
_SIGNATURE_METHODS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
}
_DIGEST_METHODS = {
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
}
_C = xmlsec.constants
# Nothing but these may run inside libxmlsec1 for a request signature.
_ALLOWED_TRANSFORMS = (
    _C.TransformExclC14N,
    _C.TransformRsaSha256,
    _C.TransformRsaSha384,
    _C.TransformRsaSha512,
    _C.TransformSha256,
    _C.TransformSha384,
    _C.TransformSha512,
)
_ID = f"{{{WSU}}}Id"


def invalid_security(detail: str) -> SoapFault:
    """WCF's fault for a request whose security header does not verify."""
    return SoapFault(
        WCF_REASON,
        subcode="o:InvalidSecurity",
        subcode_namespace=("o", WSSE),
        detail=detail,
        http_status=500,  # WCF answers every fault with HTTP 500
    )


@dataclass(frozen=True)
class Sender:
    """Who signed a request: the token's certificate, and the NIT its subject names."""

    certificate: x509.Certificate
    nit: str


def _one(parent: etree._Element, tag: str, what: str) -> etree._Element:
    found = parent.findall(tag)
    if len(found) != 1:
        raise invalid_security(f"{what}: se espera exactamente uno, hay {len(found)}.")
    return found[0]


def _instant(node: etree._Element, tag: str) -> datetime:
    text = (node.findtext(tag) or "").strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_security(f"wsu:Timestamp: {tag.split('}')[1]} no es una fecha.") from None
    if moment.tzinfo is None:
        raise invalid_security("wsu:Timestamp: las fechas deben indicar la zona (UTC).")
    return moment


def _nit(certificate: x509.Certificate) -> str:
    found = certificate.subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)
    value = found[0].value if found else ""
    return value if isinstance(value, str) else value.decode(errors="replace")


class SecurityCheck:
    """Verifies WS-Security headers against a trust store and a clock-skew allowance."""

    def __init__(self, trust: TrustStore, skew: timedelta = DEFAULT_SKEW) -> None:
        self.trust = trust
        self.skew = skew

    def verify(self, envelope: etree._Element, now: datetime | None = None) -> Sender:
        """The sender of a request whose security header verifies; SoapFault otherwise."""
        now = now or datetime.now(UTC)
        header = envelope.find(f"{{{SOAP}}}Header")
        if header is None:
            raise invalid_security("El mensaje no tiene encabezado SOAP (soap:Header).")
        security = _one(header, f"{{{WSSE}}}Security", "wsse:Security")
        self._check_timestamp(_one(security, f"{{{WSU}}}Timestamp", "wsu:Timestamp"), now)
        signature = _one(security, f"{{{DS}}}Signature", "ds:Signature")
        to = _one(header, f"{{{WSA}}}To", "wsa:To")
        self._check_signed_info(envelope, signature, to)
        certificate = self._token_certificate(security, signature)
        self._check_certificate(certificate, now)
        context = xmlsec.SignatureContext()
        context.register_id(to, "Id", WSU)
        for transform in _ALLOWED_TRANSFORMS:
            context.enable_reference_transform(transform)
            context.enable_signature_transform(transform)
        try:
            context.key = xmlsec.Key.from_memory(
                certificate.public_bytes(Encoding.DER),
                _C.KeyDataFormatCertDer,
            )
            context.verify(signature)
        except xmlsec.Error:
            raise invalid_security(
                "La firma de wsa:To no es válida (digest o SignatureValue no coinciden)."
            ) from None
        return Sender(certificate, _nit(certificate))

    def _check_timestamp(self, timestamp: etree._Element, now: datetime) -> None:
        created = _instant(timestamp, f"{{{WSU}}}Created")
        expires = _instant(timestamp, f"{{{WSU}}}Expires")
        if expires <= created:
            raise invalid_security("wsu:Timestamp: Expires debe ser posterior a Created.")
        if created > now + self.skew:
            raise invalid_security("wsu:Timestamp: Created está en el futuro.")
        if expires < now - self.skew:
            raise invalid_security("wsu:Timestamp: el mensaje expiró (Expires ya pasó).")

    def _check_signed_info(
        self, envelope: etree._Element, signature: etree._Element, to: etree._Element
    ) -> None:
        signed_info = _one(signature, f"{{{DS}}}SignedInfo", "ds:SignedInfo")
        c14n = _one(signed_info, f"{{{DS}}}CanonicalizationMethod", "ds:CanonicalizationMethod")
        if c14n.get("Algorithm") != EXC_C14N:
            raise invalid_security("SignedInfo debe canonicalizarse con C14N exclusivo.")
        method = _one(signed_info, f"{{{DS}}}SignatureMethod", "ds:SignatureMethod")
        if method.get("Algorithm") not in _SIGNATURE_METHODS:
            raise invalid_security("SignatureMethod debe ser RSA con SHA-256, -384 o -512.")
        reference = _one(signed_info, f"{{{DS}}}Reference", "ds:Reference")
        uri = reference.get("URI", "")
        target = to.get(_ID, "")
        # The one reference must name wsa:To itself, and no other element may carry its Id:
        # otherwise a signed copy elsewhere could vouch for a changed header (XML wrapping).
        if not target or uri != f"#{target}":
            raise invalid_security("La firma debe referenciar wsa:To por su wsu:Id.")
        holders = envelope.xpath("//*[@wsu:Id=$id or @Id=$id]", namespaces={"wsu": WSU}, id=target)
        if len(holders) != 1:
            raise invalid_security(f"El identificador {target} no es único en el mensaje.")
        transforms = reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
        if any(step.get("Algorithm") != EXC_C14N for step in transforms):
            raise invalid_security("La referencia solo admite la transformación C14N exclusiva.")
        digest = _one(reference, f"{{{DS}}}DigestMethod", "ds:DigestMethod")
        if digest.get("Algorithm") not in _DIGEST_METHODS:
            raise invalid_security("DigestMethod debe ser SHA-256, -384 o -512.")

    def _token_certificate(
        self, security: etree._Element, signature: etree._Element
    ) -> x509.Certificate:
        pointer = signature.find(
            f"{{{DS}}}KeyInfo/{{{WSSE}}}SecurityTokenReference/{{{WSSE}}}Reference"
        )
        if pointer is None or not pointer.get("URI", "").startswith("#"):
            raise invalid_security(
                "KeyInfo debe apuntar al BinarySecurityToken (SecurityTokenReference)."
            )
        token_id = pointer.get("URI", "")[1:]
        tokens = [
            token
            for token in security.findall(f"{{{WSSE}}}BinarySecurityToken")
            if token.get(_ID) == token_id
        ]
        if len(tokens) != 1:
            raise invalid_security(f"No hay un BinarySecurityToken con wsu:Id {token_id}.")
        token = tokens[0]
        if token.get("ValueType") != X509V3:
            raise invalid_security("El BinarySecurityToken debe ser un certificado X.509 v3.")
        if token.get("EncodingType", BASE64_BINARY) != BASE64_BINARY:
            raise invalid_security("El BinarySecurityToken debe venir en Base64Binary.")
        try:
            der = base64.b64decode("".join((token.text or "").split()), validate=True)
            return x509.load_der_x509_certificate(der)
        except (binascii.Error, ValueError):
            raise invalid_security("El BinarySecurityToken no es un certificado X.509.") from None

    def _check_certificate(self, certificate: x509.Certificate, now: datetime) -> None:
        if not certificate.not_valid_before_utc - self.skew <= now:
            raise invalid_security("El certificado del remitente aún no es válido.")
        if now > certificate.not_valid_after_utc + self.skew:
            raise invalid_security("El certificado del remitente está vencido.")
        if self.trust.enforced and not self.trust.trusts(certificate, now):
            raise invalid_security(
                "El certificado del remitente no fue emitido por una entidad de confianza."
            )
