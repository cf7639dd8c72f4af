"""Colombia's country pack: DIAN invoices (UBL 2.1, XAdES-EPES, WcfDianCustomerServices)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from services.countries.co import registration, ubl
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.invoice import ColombianInvoice, parse_invoice
from services.countries.co.xades import ColombianSigner
from services.countries.pack import (
    AuthorityClient,
    Credentials,
    DocumentSigner,
    Draft,
    IssuerProfile,
    NumberingSlot,
    ParsedDocument,
    RangeSpec,
)
from timbra.v1 import document_pb2, issuing_pb2


class ColombiaPack:
    """The CountryPack for Colombia (DIAN)."""

    code = "co"
    authority = "DIAN"
    timezone: tzinfo = COLOMBIA_TIME

    def parse_issuer(self, profile: issuing_pb2.IssuerProfile, path: str) -> IssuerProfile:
        """Validate an issuer registration; raise InputRejected naming the field."""
        return registration.parse_issuer(profile, path)

    def parse_range(self, spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
        """Validate a DIAN numbering resolution; raise InputRejected naming the field."""
        return registration.parse_range(spec, path)

    def parse_document(self, document: document_pb2.Document, path: str) -> ParsedDocument:
        """Validate a request document as a Colombian invoice (type 01)."""
        return parse_invoice(document, path)

    def build_draft(
        self,
        document: ParsedDocument,
        issuer: IssuerProfile,
        slot: NumberingSlot,
        issued_at: datetime,
    ) -> Draft:
        """Build the unsigned UBL 2.1 XML and the CUFE. Pure: no I/O."""
        if not isinstance(document, ColombianInvoice):
            raise TypeError(f"not a document this pack parsed: {type(document).__name__}")
        return ubl.build_draft(document, issuer, slot, issued_at)

    def create_signer(self, credentials: Credentials) -> DocumentSigner:
        """A XAdES-EPES signer for one issuer's certificate; create once, reuse."""
        return ColombianSigner(credentials)

    def create_authority_client(self, endpoint: str, timeout: float) -> AuthorityClient:
        """A SOAP client for DIAN's WcfDianCustomerServices at `endpoint`."""
        # Imported here so that parsing and building never load the SOAP stack.
        from services.countries.co.client import DianClient

        return DianClient(endpoint=endpoint, timeout=timeout)


PACK = ColombiaPack()
