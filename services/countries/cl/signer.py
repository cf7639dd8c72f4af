"""Signs one issuer's drafted DTEs: the TED's FRMT with the folio (CAF) key, then the XMLDSig
of the Documento with the issuer's certificate.

The folio key is chosen by the CAF the draft's TED carries (`<TD>:<D>-<H>`), from the keys the
signing service loaded into `Credentials.folio_keys`. TmstFirma is the moment of signing on
Chilean time, never before the TED's TSTED. Each DTE is signed as a standalone document and
comes out in ISO-8859-1; its bytes are final (sii-chile.md §5.3-§5.4).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.countries.cl import clock, sii_xml, ted, xmldsig
from services.countries.cl.sii_xml import tag
from services.countries.cl.xml_input import parse_xml
from services.countries.pack import Credentials, SignedDocument


class MissingFolioKey(LookupError):
    """The signer holds no private key for the CAF a draft's TED names."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _folio_key(value: Any) -> rsa.RSAPrivateKey:
    """A folio key given as a key object or as the CAF's RSASK PEM."""
    if isinstance(value, bytes | str):
        value = serialization.load_pem_private_key(
            value.encode("ascii") if isinstance(value, str) else value, None
        )
    if not isinstance(value, rsa.RSAPrivateKey):
        raise TypeError("a folio key is an RSA private key")
    return value


class ChileanSigner:
    """Stamps and signs one issuer's DTEs; create once per process, reuse per document."""

    def __init__(self, credentials: Credentials, *, now: Callable[[], datetime] = _utc_now) -> None:
        if not isinstance(credentials.private_key, rsa.RSAPrivateKey):
            raise TypeError("the SII signs with RSA (rsa-sha1): the certificate key must be RSA")
        self._key = credentials.private_key
        self._certificate = credentials.certificate
        # Loaded once here: parsing and validating an RSA key costs far more than signing.
        self._folio_keys = {
            key_id: _folio_key(value) for key_id, value in credentials.folio_keys.items()
        }
        self._now = now

    def _stamp(self, documento: Any) -> str:
        stamp = documento.find(tag("TED"))
        caf = stamp.find(f"{tag('DD')}/{tag('CAF')}") if stamp is not None else None
        if stamp is None or caf is None:
            raise ValueError("the draft has no TED with a CAF to stamp")
        key_id = ted.key_id(caf)
        key = self._folio_keys.get(key_id)
        if key is None:
            raise MissingFolioKey(
                f"no folio key is registered for CAF {key_id}: register the CAF file with the "
                "signing service (RegisterFolioKey)"
            )
        ted.stamp(stamp, key)
        return stamp.findtext(f"{tag('DD')}/{tag('TSTED')}") or ""

    def sign(
        self, unsigned_xml: bytes, issued_at: datetime, *, canonical: bool = False
    ) -> SignedDocument:
        """Stamp the TED, set TmstFirma and sign the Documento; ISO-8859-1 bytes out."""
        root = parse_xml(unsigned_xml)
        documento = root.find(tag("Documento"))
        if root.tag != tag("DTE") or documento is None or not documento.get("ID"):
            raise ValueError("not a drafted DTE: <DTE> with a <Documento ID=...>")
        if root.find(f"{{{sii_xml.DS_NS}}}Signature") is not None:
            raise ValueError("the DTE is already signed")
        stamped_at = self._stamp(documento)
        moment = clock.in_chile(max(self._now(), issued_at))
        text = clock.timestamp(moment)
        if text < stamped_at:  # a signer whose clock runs behind the drafting service
            text = stamped_at
        signed_at = documento.find(tag("TmstFirma"))
        if signed_at is None:
            raise ValueError("the draft has no TmstFirma")
        signed_at.text = text
        root.append(xmldsig.signature(root, documento.get("ID"), self._key, self._certificate))
        return SignedDocument(signed_xml=sii_xml.to_bytes(root), signing_time=moment)
