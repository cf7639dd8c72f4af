"""WS-Security as DIAN's WCF service requires it (dian-colombia.md §6.2), on zeep's `wsse` seam.

Every request carries, in `wsse:Security`: a `wsu:Timestamp` (Created/Expires, UTC), the
sender's X.509 certificate as a `wsse:BinarySecurityToken` (base64 DER), and an XMLDSig
signature made by libxmlsec1 (python-xmlsec) over one thing only, the `wsa:To` header (which
carries a `wsu:Id`): exclusive C14N with InclusiveNamespaces `wsa soap wcf` for SignedInfo and
`soap wcf` for the reference, RSA-SHA256, SHA-256 digest, and KeyInfo pointing at the token
through a `wsse:SecurityTokenReference`. The Timestamp and the Body are not signed: DIAN's
profile signs `wsa:To` alone.

The envelope is re-issued with DIAN's prefixes (`soap`, `wsa`, `wcf`, ...) before signing, so
the InclusiveNamespaces prefix lists name prefixes that are really in scope, as in DIAN's own
samples; the XML infoset is unchanged.
"""

from __future__ import annotations

import base64
import copy
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import xmlsec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from lxml import etree

from services.countries.pack import Credentials

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WCF = "http://wcf.dian.colombia"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_BINARY = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
# The prefixes DIAN's samples use; the signature's InclusiveNamespaces lists refer to them.
PREFIXES: dict[str, str] = {
    "soap": SOAP,
    "wsa": WSA,
    "wcf": WCF,
    "wsse": WSSE,
    "wsu": WSU,
    "xsi": XSI,
}
SIGNED_INFO_INCLUSIVE = ("wsa", "soap", "wcf")
REFERENCE_INCLUSIVE = ("soap", "wcf")
DEFAULT_LIFETIME = timedelta(minutes=5)


def timestamp_text(moment: datetime) -> str:
    """xsd:dateTime in UTC with milliseconds and a Z, as WCF writes and reads it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def with_dian_prefixes(element: etree._Element) -> etree._Element:
    """A copy of `element` whose namespaces are declared once, at the top, with DIAN's prefixes."""
    # lxml cannot rename a prefix in place; rebuilding under a root that declares every
    # namespace makes each descendant reuse the root's prefixes.
    top = etree.Element(element.tag, dict(element.attrib), nsmap=PREFIXES)
    top.text, top.tail = element.text, element.tail
    stack = [(element, top)]
    while stack:
        source, target = stack.pop()
        for child in source:
            if not isinstance(child.tag, str):
                target.append(copy.deepcopy(child))  # a comment or processing instruction
                continue
            made = etree.SubElement(target, child.tag, dict(child.attrib))
            made.text, made.tail = child.text, child.tail
            stack.append((child, made))
    return top


class DianWsSecurity:
    """zeep's `wsse` plugin that signs each request's `wsa:To` with the sender's certificate.

    Safe to share between threads: each thread keeps its own libxmlsec1 key, and every call
    builds its own signature context.
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        lifetime: timedelta = DEFAULT_LIFETIME,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        der = credentials.certificate.public_bytes(Encoding.DER)
        self._token = base64.b64encode(der).decode()
        self._certificate_pem = credentials.certificate.public_bytes(Encoding.PEM)
        # The key stays in this process's memory only, in the form libxmlsec1 loads.
        self._key_pem = credentials.private_key.private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
        self._lifetime = lifetime
        self._clock = clock
        self._local = threading.local()

    def __repr__(self) -> str:
        return "DianWsSecurity(<credentials>)"

    def _key(self) -> xmlsec.Key:
        key = getattr(self._local, "key", None)
        if key is None:
            key = xmlsec.Key.from_memory(self._key_pem, xmlsec.constants.KeyDataFormatPem)
            self._local.key = key
        return key

    def apply(self, envelope: etree._Element, headers: dict[str, Any]) -> tuple[Any, Any]:
        """Add wsse:Security (timestamp, token, signature of wsa:To) to an outgoing envelope."""
        return self.secure(envelope), headers

    def verify(self, envelope: etree._Element) -> etree._Element:
        """Accept responses as they are: DIAN signs its answers' content, not their envelope."""
        # DIAN's responses carry an unsigned wsu:Timestamp only; what matters in them, the
        # ApplicationResponse, is XAdES-signed and checked where it is used.
        return envelope

    def secure(self, envelope: etree._Element) -> etree._Element:
        """The signed copy of a SOAP 1.2 envelope that already has its wsa:To header."""
        envelope = with_dian_prefixes(envelope)
        header = envelope.find(f"{{{SOAP}}}Header")
        to = header.find(f"{{{WSA}}}To") if header is not None else None
        if to is None:
            raise ValueError("the envelope has no wsa:To header to sign")
        to_id = f"id-{uuid.uuid4()}"
        to.set(f"{{{WSU}}}Id", to_id)
        token_id = f"X509-{uuid.uuid4()}"
        security = etree.Element(f"{{{WSSE}}}Security", {f"{{{SOAP}}}mustUnderstand": "true"})
        header.insert(0, security)
        created = self._clock()
        timestamp = etree.SubElement(
            security, f"{{{WSU}}}Timestamp", {f"{{{WSU}}}Id": f"TS-{uuid.uuid4()}"}
        )
        etree.SubElement(timestamp, f"{{{WSU}}}Created").text = timestamp_text(created)
        etree.SubElement(timestamp, f"{{{WSU}}}Expires").text = timestamp_text(
            created + self._lifetime
        )
        token = etree.SubElement(
            security,
            f"{{{WSSE}}}BinarySecurityToken",
            {
                "EncodingType": BASE64_BINARY,
                "ValueType": X509V3,
                f"{{{WSU}}}Id": token_id,
            },
        )
        token.text = self._token
        signature = self._signature_template(envelope, to_id, token_id)
        security.append(signature)
        context = xmlsec.SignatureContext()
        context.key = self._key()
        context.register_id(to, "Id", WSU)
        context.sign(signature)
        return envelope

    def _signature_template(
        self, envelope: etree._Element, to_id: str, token_id: str
    ) -> etree._Element:
        transform = xmlsec.constants
        signature = xmlsec.template.create(
            envelope, transform.TransformExclC14N, transform.TransformRsaSha256, ns="ds"
        )
        signature.set("Id", f"SIG-{uuid.uuid4()}")
        c14n = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}CanonicalizationMethod")
        xmlsec.template.transform_add_c14n_inclusive_namespaces(c14n, list(SIGNED_INFO_INCLUSIVE))
        reference = xmlsec.template.add_reference(
            signature, transform.TransformSha256, uri=f"#{to_id}"
        )
        step = xmlsec.template.add_transform(reference, transform.TransformExclC14N)
        xmlsec.template.transform_add_c14n_inclusive_namespaces(step, list(REFERENCE_INCLUSIVE))
        key_info = xmlsec.template.ensure_key_info(signature, id=f"KI-{uuid.uuid4()}")
        pointer = etree.SubElement(
            key_info,
            f"{{{WSSE}}}SecurityTokenReference",
            {f"{{{WSU}}}Id": f"STR-{uuid.uuid4()}"},
        )
        etree.SubElement(pointer, f"{{{WSSE}}}Reference", URI=f"#{token_id}", ValueType=X509V3)
        return signature
