"""The contract between the services and a country pack, and the plain data that crosses it.

Services never import a country by name: they ask `registry.pack_for(code)` and talk to the
`CountryPack` it returns. Everything here is plain data (no protobuf, no I/O) so it can be
stored in events and tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from timbra.v1 import document_pb2, issuing_pb2


@dataclass(frozen=True)
class Address:
    """A postal address as a country pack writes it."""

    line: str = ""
    city_code: str = ""
    city_name: str = ""
    subdivision_code: str = ""
    subdivision_name: str = ""
    postal_zone: str = ""
    country: str = ""


@dataclass(frozen=True)
class Party:
    """A validated party (issuer or customer)."""

    tax_id: str
    check_digit: str
    id_type: str
    name: str
    person_type: str  # "1" legal, "2" natural (DIAN AdditionalAccountID)
    tax_responsibilities: tuple[str, ...] = ()
    tax_scheme: str = ""
    address: Address | None = None
    email: str = ""
    phone: str = ""
    trade_name: str = ""
    business_activity: str = ""  # CL: giro


@dataclass(frozen=True)
class IssuerProfile:
    """A registered issuer: its party data and its software registration with the authority."""

    country: str
    party: Party
    software_id: str = ""
    software_pin: str = field(default="", repr=False)
    environment: str = "2"
    provider_tax_id: str = ""
    provider_check_digit: str = ""
    commercial_registration: str = ""
    industry_code: str = ""
    test_set_id: str = ""  # CO habilitación: DIAN's TestSetId; empty in production
    support_software_id: str = ""  # CO documento soporte software (empty: software_id)
    support_software_pin: str = field(default="", repr=False)
    activity_codes: tuple[str, ...] = ()  # CL: Acteco
    authorization_date: date | None = None  # CL: FchResol
    authorization_number: str = ""  # CL: NroResol

    @property
    def tax_id(self) -> str:
        """The issuer's tax id, the key documents name it by."""
        return self.party.tax_id


@dataclass(frozen=True)
class RangeSpec:
    """A validated numbering range registration (DIAN resolution + prefix; Chile CAF)."""

    country: str
    issuer: str
    document_types: tuple[str, ...]
    authorization: str
    prefix: str
    range_from: int
    range_to: int
    valid_from: date
    valid_to: date
    technical_key: str = field(default="", repr=False)
    # The authority's signed, public authorisation the document must carry (CL: the CAF's
    # DA + FRMA, copied into every TED); empty where none exists.
    public_authorization: str = ""


@dataclass(frozen=True)
class NumberingFile:
    """An authority's numbering file (CL: a CAF), split into what each service may hold."""

    range: RangeSpec
    key_id: str  # how the signer finds the private key again (CL: "33:1-100")
    private_key_pem: bytes = field(default=b"", repr=False)  # for signing only; never logged


@dataclass(frozen=True)
class NumberingSlot:
    """One number taken from an authorised range, with what the document must say about it."""

    range_id: str
    authorization: str
    prefix: str
    number: int
    range_from: int
    range_to: int
    valid_from: date
    valid_to: date
    technical_key: str = field(default="", repr=False)
    public_authorization: str = ""

    @property
    def full_number(self) -> str:
        """Prefix and consecutive with no separator, as it is printed (e.g. SETP990000001)."""
        return f"{self.prefix}{self.number}"


@dataclass(frozen=True)
class Reference:
    """The document a note corrects, as the note names it."""

    number: str
    document_key: str
    issue_date: date
    document_type: str
    field: str = ""  # the request path that names it, for refusals


class ParsedDocument(Protocol):
    """A request document the pack has validated; opaque to services but for these facts."""

    document_type: str
    range_prefix: str
    range_field: str  # the request field that chooses the range (for refusals)
    customer_id: str
    currency: str
    payable_amount: Decimal
    # A number and moment the document already has (CO type 03, entered after the fact from
    # paper); None when timbra assigns them.
    paper_number: int | None
    paper_issued_at: datetime | None
    reference: Reference | None  # notes: the corrected document


@dataclass(frozen=True)
class Draft:
    """A numbered document with its unsigned legal XML and its document key."""

    number: str
    document_type: str
    document_key: str
    key_scheme: str
    unsigned_xml: bytes
    issue_date: date
    issued_at: datetime
    customer_id: str
    currency: str
    payable_amount: Decimal
    environment: str
    transmission_options: dict[str, str] = field(default_factory=dict)
    # True when `unsigned_xml` is the document's inclusive C14N 1.0 form (no XML declaration):
    # a signer may then digest it as it stands, without parsing it again.
    canonical: bool = False


@dataclass(frozen=True)
class Credentials:
    """An issuer's signing key and certificate chain, loaded once per process."""

    private_key: Any  # cryptography private key object
    certificate: Any  # cryptography x509.Certificate
    chain: tuple[Any, ...] = ()
    # CL: the issuer's folio (CAF) private keys by key id, for the TED stamp
    folio_keys: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class SignedDocument:
    """What the signer produced."""

    signed_xml: bytes
    signing_time: datetime


@dataclass(frozen=True)
class AuthorityMessage:
    """One rule message from the authority (rejection or notification)."""

    rule: str
    text: str
    rejection: bool


@dataclass(frozen=True)
class Verdict:
    """The authority's decision on a document."""

    accepted: bool
    authority: str
    status_code: str
    status_description: str
    messages: tuple[AuthorityMessage, ...] = ()
    document_key: str = ""
    track_id: str = ""
    response_xml: bytes = b""


@dataclass(frozen=True)
class Submission:
    """A signed document ready for the authority."""

    document_id: str
    issuer: str
    document_type: str
    number: str
    document_key: str
    signed_xml: bytes
    environment: str
    transmission_options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Delivery:
    """One delivery of a document to the authority and what came back.

    A synchronous operation answers with the verdict. An asynchronous one (CO SendBillAsync,
    SendTestSetAsync; CL DTEUpload) answers with a track id only: the verdict comes later,
    through `AuthorityClient.poll`.
    """

    endpoint: str
    operation: str
    file_name: str
    sent_at: datetime
    verdict: Verdict | None
    track_id: str = ""


class AuthorityUnavailable(Exception):
    """The authority could not be reached or refused service (5xx): nothing was delivered."""


class SubmissionInDoubt(Exception):
    """The request left but no answer came back: the authority may have the document."""


_Own = TypeVar("_Own")


def own_document(document: ParsedDocument, kind: type[_Own]) -> _Own:
    """`document` as the pack's own `kind`; TypeError when another pack parsed it."""
    if not isinstance(document, kind):
        raise TypeError(f"not a document this pack parsed: {type(document).__name__}")
    return document


class DocumentSigner(Protocol):
    """A signer bound to one issuer's credentials."""

    def sign(
        self, unsigned_xml: bytes, issued_at: datetime, *, canonical: bool = False
    ) -> SignedDocument:
        """Sign a drafted document; the signing time must fall on its issue date.

        `canonical` says the draft is already in inclusive C14N 1.0 form (Draft.canonical).
        """
        ...


class AuthorityClient(Protocol):
    """A country's authority web service, as the transmission service uses it."""

    authority: str
    # How many documents one delivery may carry (DIAN SendBillSync: 1; SII EnvioDTE: 2,000),
    # and how long to wait for more before sending a partial batch.
    batch_size: int
    batch_wait: float

    def submit_batch(self, submissions: list[Submission]) -> list[Delivery]:
        """Deliver several documents in one delivery (all of one issuer); one Delivery each."""
        ...

    def submit(self, submission: Submission) -> Delivery:
        """Deliver a signed document and return the authority's verdict."""
        ...

    def poll(self, submission: Submission, track_id: str) -> Verdict | None:
        """The verdict on an asynchronous delivery; None while the authority is still at it."""
        ...

    def reconcile(self, submission: Submission) -> Delivery | None:
        """Ask the authority what it holds for a document sent in doubt; None if nothing."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class CountryPack(Protocol):
    """Everything a service needs from one country."""

    code: str
    authority: str
    timezone: tzinfo

    def parse_issuer(self, profile: issuing_pb2.IssuerProfile, path: str) -> IssuerProfile:
        """Validate an issuer registration; raise InputRejected naming the field."""
        ...

    def parse_range(self, spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
        """Validate a numbering range registration; raise InputRejected naming the field."""
        ...

    def parse_numbering_file(self, issuer: str, content: bytes, path: str) -> NumberingFile:
        """Validate an authority's numbering file for `issuer` (CL: a CAF, its signature checked
        against the configured authority keys); raise InputRejected saying why not."""
        ...

    def parse_document(self, document: document_pb2.Document, path: str) -> ParsedDocument:
        """Validate a request document; raise InputRejected naming the field and rule."""
        ...

    def build_draft(
        self,
        document: ParsedDocument,
        issuer: IssuerProfile,
        slot: NumberingSlot,
        issued_at: datetime,
    ) -> Draft:
        """Build the unsigned legal XML and the document key. Pure: no I/O."""
        ...

    def contingency_variant(self, document: ParsedDocument) -> ParsedDocument | None:
        """The same document as issued while the authority is down (CO: type 01 becomes 04),
        or None when its type has no such variant."""
        ...

    def create_signer(self, credentials: Credentials) -> DocumentSigner:
        """A signer for one issuer; created once per process and reused."""
        ...

    def create_authority_client(
        self, endpoint: str, timeout: float, credentials: Credentials | None = None
    ) -> AuthorityClient:
        """A client for the authority's web service at `endpoint` (the simulator by default),
        authenticating with `credentials` where the protocol wants it (CO: WS-Security)."""
        ...
