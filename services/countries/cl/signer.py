"""Signs one issuer's drafted DTEs: the TED's FRMT with the folio (CAF) key, then the XMLDSig
of the Documento with the issuer's certificate.

The folio key is chosen by the CAF the draft's TED carries (`<TD>:<D>-<H>`), from the keys the
signing service loaded into `Credentials.folio_keys`. TmstFirma is the moment of signing on
Chilean time, never before the TED's TSTED. Each DTE is signed as a standalone document and
comes out in ISO-8859-1; its bytes are final (sii-chile.md §5.3-§5.4).

The draft is worked on as bytes in canonical form (`draft_layout`): FRMT and TmstFirma are
written into their places, the Documento is digested as it then stands, and the Signature is
added before `</DTE>`. A draft that is not canonical (recorded before drafts were, or written
elsewhere) is parsed and canonicalised first, then signed the same way. Signing a draft that
claims to be canonical and is not gives a signature that does not verify: the claim is the
drafting service's, whose drafts reach the signer unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.cl import clock, sii_xml, ted, xmldsig
from services.countries.cl.draft_layout import DraftLayout, read_layout
from services.countries.cl.flatten import flattened, flattened_canonical
from services.countries.cl.xml_input import parse_xml
from services.countries.pack import Credentials, SignedDocument

# A signer stamps with a handful of CAFs; the cap only bounds what odd drafts could add.
_KNOWN_CAFS = 256


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


def canonical_form(unsigned_xml: bytes) -> bytes:
    """A draft in any serialisation as its inclusive C14N 1.0 form, comments left out."""
    root = parse_xml(unsigned_xml)
    # The root of its document: lxml's C14N is exact there (its pitfall is for subtrees).
    return etree.tostring(root, method="c14n", with_comments=False)


class ChileanSigner:
    """Stamps and signs one issuer's DTEs; create once per process, reuse per document."""

    def __init__(self, credentials: Credentials, *, now: Callable[[], datetime] = _utc_now) -> None:
        if not isinstance(credentials.private_key, rsa.RSAPrivateKey):
            raise TypeError("the SII signs with RSA (rsa-sha1): the certificate key must be RSA")
        self._writer = xmldsig.SignatureWriter(credentials.private_key, credentials.certificate)
        # Loaded once here: parsing and validating an RSA key costs far more than signing.
        self._folio_keys = {
            key_id: _folio_key(value) for key_id, value in credentials.folio_keys.items()
        }
        self._by_caf: dict[bytes, rsa.RSAPrivateKey] = {}
        self._now = now

    def _key_for(self, draft: DraftLayout) -> rsa.RSAPrivateKey:
        """The folio key of the draft's CAF, found once per CAF by its key id."""
        key = self._by_caf.get(draft.caf)
        if key is not None:
            return key
        key_id = ted.key_id(draft.element(draft.caf))
        key = self._folio_keys.get(key_id)
        if key is None:
            raise MissingFolioKey(
                f"no folio key is registered for CAF {key_id}: register the CAF file with the "
                "signing service (RegisterFolioKey)"
            )
        if len(self._by_caf) >= _KNOWN_CAFS:
            self._by_caf.clear()
        self._by_caf[draft.caf] = key
        return key

    def _stamp(self, draft: DraftLayout) -> str:
        """FRMT: the flattened DD signed with the folio key."""
        key = self._key_for(draft)
        dd = flattened_canonical(draft.dd)
        if dd is None:  # not already flat (never so in our drafts): flatten it the long way
            dd = flattened(draft.element(draft.dd))
        return ted.sign_dd(dd, key)

    def _signed_at(self, issued_at: datetime, stamped_at: str) -> tuple[datetime, str]:
        moment = clock.in_chile(max(self._now(), issued_at))
        text = clock.timestamp(moment)
        if text < stamped_at:  # a signer whose clock runs behind the drafting service
            text = stamped_at
        return moment, text

    def sign(
        self, unsigned_xml: bytes, issued_at: datetime, *, canonical: bool = False
    ) -> SignedDocument:
        """Stamp the TED, set TmstFirma and sign the Documento; ISO-8859-1 bytes out."""
        draft = read_layout(unsigned_xml if canonical else canonical_form(unsigned_xml))
        frmt = self._stamp(draft)
        moment, signed_at = self._signed_at(issued_at, draft.stamped_at)
        tail = b"".join(
            (frmt.encode("ascii"), draft.to_tmst, signed_at.encode("ascii"), draft.documento_end)
        )
        digest = hashlib.sha1(draft.documento_head_in_context())
        digest.update(tail)
        signature = self._writer.signature(digest.digest(), draft.document_id, draft.root.prefixed)
        body = b"".join(
            (
                draft.root.start_tag,
                draft.lead,
                draft.head,
                tail,
                draft.before_signature,
                signature,
                b"</DTE>",
            )
        )
        # Canonical bytes are UTF-8; the SII's files are ISO-8859-1, which parses to the same
        # document (a character outside it, refused at drafting, would become a reference).
        latin1 = body.decode("utf-8").encode(sii_xml.ENCODING, "xmlcharrefreplace")
        return SignedDocument(signed_xml=sii_xml.XML_DECLARATION + latin1, signing_time=moment)
