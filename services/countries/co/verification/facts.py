"""What DIAN reads from a UBL invoice, credit note or debit note before judging it.

Every value is kept as written (strings, or Decimals parsed from the written text) so that the
rules and the document keys see exactly what DIAN sees. Documento soporte (05, 95) reverses the
roles: its issuer is the AccountingCustomerParty, the seller not obliged to invoice is the
AccountingSupplierParty (reference §1.3, §3.9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

INVOICE_TYPES = ("01", "02", "03", "04", "05")
SUPPORT_TYPES = ("05", "95")  # documento soporte and its nota de ajuste
NOTE_TYPES = ("91", "92", "95")


@dataclass(frozen=True)
class PartyId:
    """A CompanyID (or ProviderID): the number without DV, its DV and its identification type."""

    value: str = ""
    check_digit: str = ""  # @schemeID: the DV when the id is a NIT
    scheme_name: str = ""  # @schemeName: 31 = NIT, 13 = cédula, ...


@dataclass(frozen=True)
class PartyFacts:
    """AccountingSupplierParty or AccountingCustomerParty as DIAN's rules read them."""

    present: bool = True
    account_type: str = ""  # cbc:AdditionalAccountID: 1 legal, 2 natural person
    tax_id: PartyId = field(default_factory=PartyId)  # PartyTaxScheme/CompanyID
    name: str = ""  # PartyTaxScheme/RegistrationName
    legal_id: PartyId | None = None  # PartyLegalEntity/CompanyID, when the group exists
    branch: str = ""  # PartyLegalEntity/CorporateRegistrationScheme/ID


@dataclass(frozen=True)
class TaxSubtotalFacts:
    """One TaxSubtotal: base, amount, rate (or nominal per-unit amount) and tax scheme."""

    scheme: str
    tax: Decimal
    taxable: Decimal | None = None
    percent: Decimal | None = None
    per_unit: Decimal | None = None
    base_unit_measure: Decimal | None = None


@dataclass(frozen=True)
class TaxTotalFacts:
    """One TaxTotal or WithholdingTaxTotal group: its amount and its subtotals."""

    amount: Decimal
    subtotals: tuple[TaxSubtotalFacts, ...] = ()

    @property
    def scheme(self) -> str:
        """The tax scheme of the group, as DIAN's XPath reads it (the first subtotal's)."""
        return self.subtotals[0].scheme if self.subtotals else ""


@dataclass(frozen=True)
class AllowanceChargeFacts:
    """One cac:AllowanceCharge: a charge (indicator "true") or a discount ("false")."""

    id: str
    indicator: str  # as written; DIAN accepts only "true" or "false"
    amount: Decimal
    percent: Decimal | None = None  # cbc:MultiplierFactorNumeric
    base: Decimal | None = None  # cbc:BaseAmount

    @property
    def is_charge(self) -> bool:
        """Whether this is a charge (it adds to the total)."""
        return self.indicator == "true"


@dataclass(frozen=True)
class LineFacts:
    """One InvoiceLine / CreditNoteLine / DebitNoteLine."""

    id: str
    line_extension: Decimal
    quantity: Decimal | None = None
    taxes: tuple[TaxTotalFacts, ...] = ()
    allowance_charges: tuple[AllowanceChargeFacts, ...] = ()


@dataclass(frozen=True)
class MonetaryTotals:
    """LegalMonetaryTotal (RequestedMonetaryTotal on a debit note)."""

    line_extension: Decimal
    payable: Decimal
    tax_exclusive: Decimal | None = None
    tax_inclusive: Decimal | None = None
    allowance: Decimal | None = None
    charge: Decimal | None = None
    prepaid: Decimal | None = None


@dataclass(frozen=True)
class PaymentMeansFacts:
    """One cac:PaymentMeans: 1 contado / 2 crédito, the means code and the due date."""

    means: str
    code: str = ""
    due_date: str = ""


@dataclass(frozen=True)
class ExchangeRateFacts:
    """cac:PaymentExchangeRate of a document in foreign currency."""

    source_currency: str = ""
    source_rate: Decimal | None = None
    target_currency: str = ""
    target_rate: Decimal | None = None
    calculation_rate: Decimal | None = None
    date: str = ""


@dataclass(frozen=True)
class ReferenceFacts:
    """BillingReference/InvoiceDocumentReference of a note: the document it corrects."""

    number: str = ""
    uuid: str = ""
    scheme_name: str = ""
    issue_date: str = ""


@dataclass(frozen=True)
class NumberingFacts:
    """sts:InvoiceControl: the resolution the document claims ("" for each absent value)."""

    authorization: str = ""
    period_start: str = ""
    period_end: str = ""
    prefix: str = ""
    range_from: str = ""
    range_to: str = ""


@dataclass(frozen=True)
class DocumentFacts:
    """What the rules and the document key need from one document, as written in it."""

    root: str  # Invoice, CreditNote or DebitNote
    document_type: str  # 01..05 from InvoiceTypeCode, 91/95 from CreditNoteTypeCode, 92
    number: str  # cbc:ID, prefix + consecutive
    uuid: str  # cbc:UUID (lowercase), the key the issuer computed
    issue_date: str
    issue_time: str
    environment: str  # cbc:ProfileExecutionID
    totals: MonetaryTotals
    supplier: PartyFacts
    customer: PartyFacts
    type_code: str = ""  # the type code element as written ("" when absent)
    uuid_scheme_id: str = ""
    uuid_scheme_name: str = ""
    customization_id: str = ""
    profile_id: str = ""
    currency: str = ""  # cbc:DocumentCurrencyCode
    currency_ids: tuple[str, ...] = ()  # every @currencyID outside the extensions
    line_count: str = ""  # cbc:LineCountNumeric as written
    lines: tuple[LineFacts, ...] = ()
    tax_totals: tuple[TaxTotalFacts, ...] = ()
    withholdings: tuple[TaxTotalFacts, ...] = ()  # WithholdingTaxTotal groups
    allowance_charges: tuple[AllowanceChargeFacts, ...] = ()
    prepaid_payments: tuple[Decimal, ...] = ()
    payment_means: tuple[PaymentMeansFacts, ...] = ()
    exchange_rate: ExchangeRateFacts | None = None
    references: tuple[ReferenceFacts, ...] = ()
    numbering: NumberingFacts = field(default_factory=NumberingFacts)
    dian_extensions: int = 1  # how many UBLExtensions hold sts:DianExtensions
    software_id: str = ""
    security_code: str = ""  # lowercase
    provider: PartyId = field(default_factory=PartyId)  # sts:ProviderID

    @property
    def is_support(self) -> bool:
        """Whether this is a documento soporte or its nota de ajuste (roles reversed)."""
        return self.document_type in SUPPORT_TYPES

    @property
    def issuer(self) -> PartyFacts:
        """The party that issues and signs the document (the buyer, on a documento soporte)."""
        return self.customer if self.is_support else self.supplier

    @property
    def counterpart(self) -> PartyFacts:
        """The other party: the buyer of an invoice, the seller of a documento soporte."""
        return self.supplier if self.is_support else self.customer

    @property
    def issuer_nit(self) -> str:
        """The issuer's NIT without DV: who must own the resolution, software and references."""
        return self.issuer.tax_id.value

    # The names below are what the simulator's service and responses read.
    @property
    def supplier_nit(self) -> str:
        """AccountingSupplierParty/PartyTaxScheme/CompanyID."""
        return self.supplier.tax_id.value

    @property
    def supplier_name(self) -> str:
        """AccountingSupplierParty/PartyTaxScheme/RegistrationName."""
        return self.supplier.name

    @property
    def customer_id(self) -> str:
        """AccountingCustomerParty/PartyTaxScheme/CompanyID."""
        return self.customer.tax_id.value

    @property
    def invoice_type(self) -> str:
        """The DIAN document type (same as `document_type`)."""
        return self.document_type

    @property
    def authorization(self) -> str:
        """sts:InvoiceAuthorization ("" when absent)."""
        return self.numbering.authorization

    @property
    def prefix(self) -> str:
        """sts:AuthorizedInvoices/sts:Prefix ("" when absent)."""
        return self.numbering.prefix

    @property
    def consecutive(self) -> str:
        """cbc:ID without the prefix the document declares ("" when it does not start with it)."""
        if not self.number.startswith(self.prefix):
            return ""
        return self.number[len(self.prefix) :]

    @property
    def taxes(self) -> dict[str, Decimal]:
        """Header TaxTotal/TaxAmount by scheme, the first group of each (as DIAN's XPath)."""
        found: dict[str, Decimal] = {}
        for total in self.tax_totals:
            if total.scheme and total.scheme not in found:
                found[total.scheme] = total.amount
        return found
