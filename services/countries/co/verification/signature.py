"""A DIAN document's XAdES-EPES signature examined the way DIAN checks it.

libxmlsec1 (through python-xmlsec, `services.core.signature_core`) does the core validation:
every Reference digest and the SignatureValue, with the public key of the certificate in KeyInfo.
Around it, DIAN's profile (reference §5): the signature sits in a UBLExtension, covers the
whole document, and is XAdES-EPES (signed SignedProperties with the policy's identifier and hash, a
SigningCertificate whose digest and issuer/serial match the KeyInfo certificate, a SigningTime
and a ClaimedRole). `examine` records everything it finds; the simulator turns that into
DIAN's ZE01/ZE02 (`check_signature`), `timbra verify` into a report.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from lxml import etree

from services.core import signature_core
from services.countries.co.verification.findings import Finding
from services.countries.co.verification.values import NS

DS = NS["ds"]
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
POLICY_IDENTIFIER = "facturaelectronica.dian.gov.co/politicadefirma/v2/politicadefirmav2.pdf"
ROLES = ("supplier", "third party", "thirdparty")  # policy §12; Nómina rule DC56

# Digest algorithms by URI, and the hash of DIAN's signature policy v2 under each (reference §5).
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
POLICY_HASHES = {
    "sha1": "sbcECQ7v+y/m3OcBCJyvmkBhtFs=",
    "sha256": "dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y=",
    "sha384": "EQC0kiWPaAME6IsEZ7WuaTWJ97Zmf6hIO69rMCVURmQxBB9ebgLrjhL5BArQ0a0l",
    "sha512": (
        "Zcjw1Z9nGQn2j6NyGx8kAaLbOfJGd/fJxRTCeirlqAg7zRG27piJkJOpflGu7XACpMj9hC6dVMcCyzqHxxPZeQ=="
    ),
}
_LOCAL_REFERENCE = re.compile(r"#[A-Za-z_][\w.\-]*")
_ROLES = "xades:SignerRole/xades:ClaimedRoles/xades:ClaimedRole"
_SIGNED_SIGNATURE_PROPERTIES = (
    "ds:Object/xades:QualifyingProperties/xades:SignedProperties/xades:SignedSignatureProperties"
)

# DIAN judges signing dates in Colombian time (UTC-5, no daylight saving).
BOGOTA = timezone(timedelta(hours=-5))

NOT_SIGNED = "Documento no firmado: no contiene ds:Signature."
NOT_EPES = "La firma no es XAdES-EPES: falta {} firmado."
BAD_VALUE = "Valor de la firma inválido."


@dataclass(frozen=True)
class SignatureExamination:
    """Everything learned about one document's signature (empty fields when not reached)."""

    blocking: Finding | None = None  # a problem that stopped the examination (ZE01/ZE02)
    core: signature_core.CoreResult | None = None
    certificate: x509.Certificate | None = None
    signing_time: str = ""
    policy_identifier: str = ""
    policy_hash_matches: bool = False
    cert_digest_matches: bool = False
    issuer_name: str = ""  # xades:IssuerSerial/ds:X509IssuerName as written
    issuer_name_matches: bool = False
    serial: str = ""  # xades:IssuerSerial/ds:X509SerialNumber as written
    serial_matches: bool = False
    claimed_roles: tuple[str, ...] = ()
    chain: tuple[x509.Certificate, ...] = ()  # other certificates in ds:X509Data

    @property
    def policy_identifier_matches(self) -> bool:
        """Whether the policy Identifier names DIAN's policy v2 (a slash more or less is fine)."""
        # Odoo writes "https:/facturaelectronica..." and DIAN accepts it (reference §5).
        return re.sub(r"^https?:/+", "", self.policy_identifier) == POLICY_IDENTIFIER

    @property
    def role_is_dians(self) -> bool:
        """Whether a ClaimedRole is one DIAN's policy names."""
        return any(role.strip().lower() in ROLES for role in self.claimed_roles)


@dataclass(frozen=True)
class SignatureCheck:
    """What the simulator reports about a signature, and the signing time it read (FAD09e)."""

    findings: tuple[Finding, ...]
    signing_time: str = ""


def _ze01(missing: str) -> SignatureExamination:
    return SignatureExamination(Finding("ZE01", NOT_EPES.format(missing)))


def _ze02(text: str) -> SignatureExamination:
    return SignatureExamination(Finding("ZE02", text))


def _certificates(signature: etree._Element) -> list[tuple[x509.Certificate, bytes]] | None:
    found = []
    for node in signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS):
        try:
            der = base64.b64decode("".join((node.text or "").split()), validate=True)
            found.append((x509.load_der_x509_certificate(der), der))
        except (binascii.Error, ValueError):
            return None
    return found or None


def _digest(holder: etree._Element | None) -> tuple[str | None, str]:
    """(hashlib name of ds:DigestMethod, ds:DigestValue) of a digest holder."""
    if holder is None:
        return None, ""
    method = holder.find("ds:DigestMethod", NS)
    algorithm = DIGESTS.get(method.get("Algorithm", "") if method is not None else "")
    return algorithm, holder.findtext("ds:DigestValue", "", NS).strip()


def _digest_matches(holder: etree._Element | None, data: bytes) -> bool:
    algorithm, value = _digest(holder)
    if algorithm is None:
        return False
    return value == base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def _policy_hash_matches(holder: etree._Element | None) -> bool:
    algorithm, value = _digest(holder)
    return algorithm is not None and value == POLICY_HASHES[algorithm]


def issuer_names_match(written: str, issuer: x509.Name) -> bool:
    """Whether an X509IssuerName names `issuer`, whatever the RDN order or spacing."""
    # Many signers write ", " between RDNs (RFC 2253 style); RFC 4514 parsing wants ",".
    compact = re.sub(r"(?<!\\),\s+", ",", written.strip())
    try:
        parsed = x509.Name.from_rfc4514_string(compact)
    except ValueError:
        return False

    def _attributes(name: x509.Name) -> list[tuple[str, str]]:
        return sorted((a.oid.dotted_string, str(a.value).strip()) for a in name)

    return _attributes(parsed) == _attributes(issuer)


def _locate(root: etree._Element) -> SignatureExamination | etree._Element:
    """The signature element, or the examination that ends at a profile problem."""
    signatures = root.findall(f".//{{{DS}}}Signature")
    if not signatures:
        return SignatureExamination(Finding("ZE01", NOT_SIGNED))
    if len(signatures) > 1:
        return _ze02("El documento contiene más de una firma.")
    signature = signatures[0]
    container = signature.getparent()
    if container is None or container.tag != f"{{{NS['ext']}}}ExtensionContent":
        return _ze01("ds:Signature dentro de ext:ExtensionContent")
    return signature


def _profile(root: etree._Element, signature: etree._Element) -> SignatureExamination | None:
    """The first way the signature departs from DIAN's XAdES-EPES profile, if any."""
    signed_properties = signature.find(
        "ds:Object/xades:QualifyingProperties/xades:SignedProperties", NS
    )
    if signed_properties is None:
        return _ze01("xades:SignedProperties")
    properties = signature.find(_SIGNED_SIGNATURE_PROPERTIES, NS)
    if properties is None:
        return _ze01("xades:SignedSignatureProperties")
    if properties.find("xades:SignaturePolicyIdentifier/xades:SignaturePolicyId", NS) is None:
        return _ze01("xades:SignaturePolicyIdentifier")
    if properties.find("xades:SigningCertificate/xades:Cert/xades:CertDigest", NS) is None:
        return _ze01("xades:SigningCertificate")
    uris = [ref.get("URI") for ref in signature.findall("ds:SignedInfo/ds:Reference", NS)]
    if any(uri is None or (uri and not _LOCAL_REFERENCE.fullmatch(uri)) for uri in uris):
        return _ze02("La firma referencia contenido fuera del documento.")
    if f"#{signed_properties.get('Id', '')}" not in uris:
        return _ze01("xades:SignedProperties referenciado desde ds:SignedInfo")
    whole = signature.findall("ds:SignedInfo/ds:Reference[@URI='']", NS)
    if len(whole) != 1 or ENVELOPED not in {
        t.get("Algorithm") for t in whole[0].findall("ds:Transforms/ds:Transform", NS)
    }:
        return _ze02('La firma no cubre el documento completo (referencia URI="" enveloped).')
    # A repeated Id lets a forged element shadow the signed one (signature wrapping).
    ids = root.xpath("//@Id")
    if len(ids) != len(set(ids)):
        return _ze02("El documento repite valores del atributo Id.")
    return None


def examine(root: etree._Element, *, detailed: bool = True) -> SignatureExamination:
    """Examine the document's signature; never raises on hostile or broken input.

    `detailed` also names the broken Reference or value (what `timbra verify` reports).
    """
    located = _locate(root)
    if isinstance(located, SignatureExamination):
        return located
    signature = located
    problem = _profile(root, signature)
    if problem is not None:
        return problem
    certificates = _certificates(signature)
    if certificates is None:
        return _ze02("No se encontró un certificado válido en ds:X509Certificate.")
    properties = signature.find(_SIGNED_SIGNATURE_PROPERTIES, NS)
    cert = properties.find("xades:SigningCertificate/xades:Cert", NS)
    issuer_name = cert.findtext("xades:IssuerSerial/ds:X509IssuerName", "", NS).strip()
    serial = cert.findtext("xades:IssuerSerial/ds:X509SerialNumber", "", NS).strip()
    # The signing certificate is the one xades:Cert digests; the others are its chain.
    signing = next(
        (c for c in certificates if _digest_matches(cert.find("xades:CertDigest", NS), c[1])),
        certificates[0],
    )
    certificate, der = signing
    policy = properties.find("xades:SignaturePolicyIdentifier/xades:SignaturePolicyId", NS)
    return SignatureExamination(
        core=signature_core.core_validation(root, signature, der, detailed=detailed),
        certificate=certificate,
        signing_time=properties.findtext("xades:SigningTime", "", NS).strip(),
        policy_identifier=policy.findtext("xades:SigPolicyId/xades:Identifier", "", NS).strip(),
        policy_hash_matches=_policy_hash_matches(policy.find("xades:SigPolicyHash", NS)),
        cert_digest_matches=_digest_matches(cert.find("xades:CertDigest", NS), der),
        issuer_name=issuer_name,
        issuer_name_matches=issuer_names_match(issuer_name, certificate.issuer),
        serial=serial,
        serial_matches=serial == str(certificate.serial_number),
        claimed_roles=tuple((node.text or "").strip() for node in properties.findall(_ROLES, NS)),
        chain=tuple(c for c, _ in certificates if c is not certificate),
    )


def signing_day(signing_time: str) -> str | None:
    """The Colombian date of an xsd:dateTime ("YYYY-MM-DD"), None when it is not one."""
    try:
        signed = datetime.fromisoformat(signing_time)
    except ValueError:
        return None
    if signed.tzinfo is not None:
        signed = signed.astimezone(BOGOTA)
    return signed.date().isoformat()


def check_signature(root: etree._Element) -> SignatureCheck:
    """Verify the document's signature; its findings use DIAN's ZE01 and ZE02."""
    found = examine(root, detailed=False)
    if found.blocking is not None:
        return SignatureCheck((found.blocking,))
    findings: list[Finding] = []
    if found.core is None or not found.core.verified:
        findings.append(Finding("ZE02", BAD_VALUE))
    if not found.cert_digest_matches:
        findings.append(
            Finding("ZE02", "xades:CertDigest no corresponde al certificado de la firma.")
        )
    if found.serial and not found.serial_matches:
        findings.append(
            Finding("ZE02", "xades:IssuerSerial no corresponde al certificado de la firma.")
        )
    if not found.policy_hash_matches:
        findings.append(Finding("ZE02", "Política de firma inválida."))
    return SignatureCheck(tuple(findings), found.signing_time)
