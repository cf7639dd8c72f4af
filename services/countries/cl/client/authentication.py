"""The SII's automatic authentication (reference §7.1–7.2): seed, signed seed, token.

The signed seed is `<getToken><item><Semilla>…</Semilla></item>` with an enveloped XMLDSig
(Reference URI "", enveloped-signature transform, inclusive C14N, RSA-SHA1, KeyInfo with the
RSA key value and the certificate), written here with lxml and `cryptography` (signxml refuses
SHA-1 and cannot write the SII's KeyInfo). The token is kept until it is refused or reaches
`max_age`; only one thread renews it at a time, and a token never appears in a log or error.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from services.countries.cl.client.answers import read_respuesta
from services.countries.cl.client.wire import SiiRefused, Wire
from services.countries.pack import Credentials

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
# The SII does not publish a token lifetime; renewing after this long avoids most refusals,
# and a refusal renews it anyway.
TOKEN_MAX_AGE = 600.0


def _b64(number: int) -> str:
    return base64.b64encode(number.to_bytes((number.bit_length() + 7) // 8, "big")).decode()


def _child(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{DS}}}{name}", attributes)
    element.text = text
    return element


def signed_seed(seed: str, credentials: Credentials) -> str:
    """The getToken document for `seed`, signed with `credentials`."""
    key = credentials.private_key
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the SII authenticates RSA certificates only")
    root = etree.Element("getToken")
    etree.SubElement(etree.SubElement(root, "item"), "Semilla").text = seed
    # Enveloped transform: the digest covers the document as it is before the Signature.
    digest = hashlib.sha1(etree.tostring(root, method="c14n")).digest()
    # SignedInfo is canonicalised as a root of its own: getToken declares no namespace, so
    # in place it has exactly this context (and lxml's subtree C14N pitfall is avoided).
    info = etree.Element(f"{{{DS}}}SignedInfo", nsmap={None: DS})
    _child(info, "CanonicalizationMethod", Algorithm=C14N)
    _child(info, "SignatureMethod", Algorithm=f"{DS}rsa-sha1")
    reference = _child(info, "Reference", URI="")
    _child(_child(reference, "Transforms"), "Transform", Algorithm=f"{DS}enveloped-signature")
    _child(reference, "DigestMethod", Algorithm=f"{DS}sha1")
    _child(reference, "DigestValue", base64.b64encode(digest).decode())
    value = key.sign(etree.tostring(info, method="c14n"), padding.PKCS1v15(), hashes.SHA1())
    signature = etree.SubElement(root, f"{{{DS}}}Signature", nsmap={None: DS})
    signature.append(info)
    _child(signature, "SignatureValue", base64.b64encode(value).decode())
    key_info = _child(signature, "KeyInfo")
    numbers = key.public_key().public_numbers()
    rsa_value = _child(_child(key_info, "KeyValue"), "RSAKeyValue")
    _child(rsa_value, "Modulus", _b64(numbers.n))
    _child(rsa_value, "Exponent", _b64(numbers.e))
    certificate: x509.Certificate = credentials.certificate
    der = certificate.public_bytes(serialization.Encoding.DER)
    _child(_child(key_info, "X509Data"), "X509Certificate", base64.b64encode(der).decode())
    return '<?xml version="1.0"?>' + etree.tostring(root, encoding="unicode")


class TokenKeeper:
    """The current token of one set of credentials, renewed on demand; thread-safe."""

    def __init__(
        self, wire: Wire, credentials: Credentials, max_age: float = TOKEN_MAX_AGE
    ) -> None:
        self._wire = wire
        self._credentials = credentials
        self._max_age = max_age
        self._lock = threading.Lock()
        self._token: str | None = None
        self._obtained = 0.0

    def current(self) -> str:
        """A token believed valid (obtaining one if there is none or it is old)."""
        with self._lock:
            if self._token is None or time.monotonic() - self._obtained > self._max_age:
                self._token = self._obtain()
                self._obtained = time.monotonic()
            return self._token

    def renew(self, refused: str) -> str:
        """A new token after `refused` was refused (another thread may have renewed already)."""
        with self._lock:
            if self._token == refused or self._token is None:
                self._token = self._obtain()
                self._obtained = time.monotonic()
            return self._token

    def _obtain(self) -> str:
        seed = read_respuesta(self._wire.soap("CrSeed", "getSeed", []))
        if seed.estado != "00" or not dict(seed.body).get("SEMILLA"):
            raise SiiRefused(f"getSeed ESTADO {seed.estado}: {seed.glosa()}")
        document = signed_seed(dict(seed.body)["SEMILLA"], self._credentials)
        answer = read_respuesta(
            self._wire.soap("GetTokenFromSeed", "getToken", [("pszXml", document)])
        )
        token = dict(answer.body).get("TOKEN", "")
        if answer.estado != "00" or not token:
            raise SiiRefused(f"getToken ESTADO {answer.estado}: {answer.glosa()}")
        return token
