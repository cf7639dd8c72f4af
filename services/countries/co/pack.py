"""Colombia's country pack: every DIAN document (UBL 2.1, XAdES-EPES, WcfDianCustomerServices)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from services.countries.co import registration, ubl
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.cufe import CudsLayout
from services.countries.co.invoice import ColombianInvoice, as_dian_contingency, parse_invoice
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
    own_document,
)
from timbra.v1 import document_pb2, issuing_pb2


class ColombiaPack:
    """The CountryPack for Colombia (DIAN).

    `cuds_layout` chooses between the two published CUDS layouts of the documento soporte
    (dian-colombia.md §1.3); the default is the one Odoo and ubl21dian use in production.
    """

    code = "co"
    authority = "DIAN"
    timezone: tzinfo = COLOMBIA_TIME

    def __init__(self, cuds_layout: CudsLayout = CudsLayout.IVA_ONLY) -> None:
        self.cuds_layout = cuds_layout

    def parse_issuer(self, profile: issuing_pb2.IssuerProfile, path: str) -> IssuerProfile:
        """Validate an issuer registration; raise InputRejected naming the field."""
        return registration.parse_issuer(profile, path)

    def parse_range(self, spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
        """Validate a numbering range (resolution, or the notes' own sequence)."""
        return registration.parse_range(spec, path)

    def parse_document(self, document: document_pb2.Document, path: str) -> ParsedDocument:
        """Validate a request document of any DIAN type (01–03, 05, 91, 92, 95)."""
        return parse_invoice(document, path)

    def build_draft(
        self,
        document: ParsedDocument,
        issuer: IssuerProfile,
        slot: NumberingSlot,
        issued_at: datetime,
    ) -> Draft:
        """Build the unsigned UBL 2.1 XML and its CUFE/CUDE/CUDS. Pure: no I/O."""
        return ubl.build_draft(
            own_document(document, ColombianInvoice),
            issuer,
            slot,
            issued_at,
            cuds_layout=self.cuds_layout,
        )

    def contingency_variant(self, document: ParsedDocument) -> ParsedDocument | None:
        """A sales invoice (01) as issued while DIAN is down (04); None for other types."""
        return as_dian_contingency(own_document(document, ColombianInvoice))

    def create_signer(self, credentials: Credentials) -> DocumentSigner:
        """A XAdES-EPES signer for one issuer's certificate; create once, reuse."""
        return ColombianSigner(credentials)

    def create_authority_client(
        self, endpoint: str, timeout: float, credentials: Credentials | None = None
    ) -> AuthorityClient:
        """A SOAP client for DIAN's WcfDianCustomerServices at `endpoint`.

        With `credentials`, requests carry DIAN's WS-Security signature made with them.
        """
        # Imported here so that parsing and building never load the SOAP stack.
        from services.countries.co.client import DianClient

        return DianClient(endpoint=endpoint, timeout=timeout, credentials=credentials)


PACK = ColombiaPack()
