"""Chile's country pack: the SII's DTEs (33, 34, 52, 56, 61), CAF folios, the TED and XMLDSig."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from services.countries.cl import caf, dte, registration
from services.countries.cl.clock import CHILE_TIME, in_chile
from services.countries.cl.document import ChileanDocument, parse_document
from services.countries.cl.signer import ChileanSigner
from services.countries.cl.sii_keys import load_sii_keys
from services.countries.pack import (
    AuthorityClient,
    Credentials,
    DocumentSigner,
    Draft,
    IssuerProfile,
    NumberingFile,
    NumberingSlot,
    ParsedDocument,
    RangeSpec,
    own_document,
)
from timbra.v1 import document_pb2, issuing_pb2


def _utc_now() -> datetime:
    return datetime.now(UTC)


# The SII's limit of DTEs in one EnvioDTE (EnvioDTE_v10.xsd).
MAX_ENVELOPE = 2000


class ChilePack:
    """The CountryPack for Chile (SII).

    CAF signatures are checked against the trusted SII keys given to the constructor or to
    `configure` (PEM public keys, or the certificates the SII publishes).
    """

    code = "cl"
    authority = "SII"
    timezone: tzinfo = CHILE_TIME

    def __init__(
        self,
        trusted_sii_keys: list[bytes] | None = None,
        *,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._now = now
        self._trusted = load_sii_keys(trusted_sii_keys or [])
        self._informe_url: str | None = None
        self._envelope: tuple[int, float] = (MAX_ENVELOPE, 3.0)

    def configure(
        self,
        trusted_sii_keys: list[bytes],
        informe_url: str | None = None,
        *,
        envelope_size: int = MAX_ENVELOPE,
        envelope_wait: float = 3.0,
    ) -> None:
        """Replace the SII keys CAF signatures (FRMA) are checked against; `informe_url` is
        where the SII's result reports can be read (the simulator's; the SII e-mails them);
        envelopes carry up to `envelope_size` DTEs, sent when full or `envelope_wait` old."""
        if not 1 <= envelope_size <= MAX_ENVELOPE:
            raise ValueError(f"an EnvioDTE carries 1 to {MAX_ENVELOPE} DTEs, not {envelope_size}")
        self._trusted = load_sii_keys(trusted_sii_keys)
        self._informe_url = informe_url
        self._envelope = (envelope_size, envelope_wait)

    def parse_issuer(self, profile: issuing_pb2.IssuerProfile, path: str) -> IssuerProfile:
        """Validate an issuer: RUT, razón social, giro, Acteco, address, SII resolution."""
        return registration.parse_issuer(profile, path)

    def parse_range(self, spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
        """Refused: Chilean folio ranges come from CAF files (parse_numbering_file)."""
        return registration.parse_range(spec, path)

    def parse_numbering_file(self, issuer: str, content: bytes, path: str) -> NumberingFile:
        """A CAF for `issuer`, its FRMA checked against the trusted SII keys."""
        today = in_chile(self._now()).date()
        return caf.parse_caf(issuer, content, path, trusted_keys=self._trusted, today=today)

    def parse_document(self, document: document_pb2.Document, path: str) -> ParsedDocument:
        """Validate a DTE request (33, 34, 52, 56, 61)."""
        return parse_document(document, path)

    def build_draft(
        self,
        document: ParsedDocument,
        issuer: IssuerProfile,
        slot: NumberingSlot,
        issued_at: datetime,
    ) -> Draft:
        """The unsigned DTE with its TED (FRMT pending) and its identity. Pure: no I/O."""
        return dte.build_draft(own_document(document, ChileanDocument), issuer, slot, issued_at)

    def contingency_variant(self, document: ParsedDocument) -> ParsedDocument | None:
        """None: a DTE stamped offline with its TED is the same document (no variant)."""
        return None

    def create_signer(self, credentials: Credentials) -> DocumentSigner:
        """A TED + XMLDSig signer for one issuer's certificate and folio keys; create once."""
        return ChileanSigner(credentials)

    def create_authority_client(
        self, endpoint: str, timeout: float, credentials: Credentials | None = None
    ) -> AuthorityClient:
        """A client for the SII's web services (seed, token, DTEUpload, status) at `endpoint`."""
        # Imported here so that parsing and building never load the HTTP stack.
        from services.countries.cl.client import SiiClient

        client = SiiClient(
            endpoint=endpoint,
            timeout=timeout,
            credentials=credentials,
            informe_url=self._informe_url,
            batch_wait=self._envelope[1],
        )
        client.batch_size = self._envelope[0]
        return client  # type: ignore[no-any-return]


PACK = ChilePack()
