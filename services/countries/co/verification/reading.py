"""Reading a DIAN Invoice, CreditNote or DebitNote into DocumentFacts, as DIAN reads it."""

from __future__ import annotations

from lxml import etree

from services.countries.co.verification import groups
from services.countries.co.verification.facts import (
    SUPPORT_TYPES,
    DocumentFacts,
    MonetaryTotals,
    NumberingFacts,
)
from services.countries.co.verification.values import (
    NS,
    SchemaViolation,
    amount,
    issue_date,
    issue_time,
    optional_amount,
    required,
    root_name,
    text,
)

_EXTENSIONS = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent"
_DOCUMENTS = ("Invoice", "CreditNote", "DebitNote")


def document_type(root: etree._Element, document: str) -> str:
    """The DIAN document type: InvoiceTypeCode, 91/95 for credit notes, 92 for debit notes."""
    if document == "Invoice":
        return text(root, "cbc:InvoiceTypeCode")
    if document == "DebitNote":
        return "92"
    code = text(root, "cbc:CreditNoteTypeCode")
    if code in ("91", "95"):
        return code
    # A nota de ajuste without its type code still says what it is in its profile (§3.3).
    return "95" if "documento soporte" in text(root, "cbc:ProfileID").lower() else "91"


def _dian_extensions(root: etree._Element) -> list[etree._Element]:
    found = root.findall(f"{_EXTENSIONS}/sts:DianExtensions", NS)
    return found + root.findall(f"{_EXTENSIONS}/sts1:DianExtensions", NS)


def _totals(root: etree._Element, document: str) -> MonetaryTotals:
    path = "cac:RequestedMonetaryTotal" if document == "DebitNote" else "cac:LegalMonetaryTotal"
    node = root.find(path, NS)
    if node is None:
        raise SchemaViolation(f"{path} is required")
    return MonetaryTotals(
        line_extension=amount(node, "cbc:LineExtensionAmount"),
        payable=amount(node, "cbc:PayableAmount"),
        tax_exclusive=optional_amount(node, "cbc:TaxExclusiveAmount"),
        tax_inclusive=optional_amount(node, "cbc:TaxInclusiveAmount"),
        allowance=optional_amount(node, "cbc:AllowanceTotalAmount"),
        charge=optional_amount(node, "cbc:ChargeTotalAmount"),
        prepaid=optional_amount(node, "cbc:PrepaidAmount"),
    )


def _numbering(dian: etree._Element, sts: str) -> NumberingFacts:
    control = dian.find(f"{sts}:InvoiceControl", NS)
    authorized = f"{sts}:AuthorizedInvoices"
    return NumberingFacts(
        authorization=text(control, f"{sts}:InvoiceAuthorization"),
        period_start=text(control, f"{sts}:AuthorizationPeriod/cbc:StartDate"),
        period_end=text(control, f"{sts}:AuthorizationPeriod/cbc:EndDate"),
        prefix=text(control, f"{authorized}/{sts}:Prefix"),
        range_from=text(control, f"{authorized}/{sts}:From"),
        range_to=text(control, f"{authorized}/{sts}:To"),
    )


def read_document(root: etree._Element) -> DocumentFacts:
    """Read a document's facts; raise SchemaViolation when it is not a usable DIAN document."""
    document = root_name(root)
    if document not in _DOCUMENTS:
        raise SchemaViolation(
            f"root element {root.tag} is not a UBL 2.1 Invoice, CreditNote or DebitNote"
        )
    uuid = root.find("cbc:UUID", NS)
    if uuid is None or not (uuid.text or "").strip():
        raise SchemaViolation("cbc:UUID is required")
    extensions = _dian_extensions(root)
    if not extensions:
        raise SchemaViolation("sts:DianExtensions is required")
    dian = extensions[0]
    sts = "sts" if etree.QName(dian).namespace == NS["sts"] else "sts1"
    kind = document_type(root, document)
    supplier = groups.party(root, "AccountingSupplierParty")
    customer = groups.party(root, "AccountingCustomerParty")
    issuer = customer if kind in SUPPORT_TYPES else supplier
    if not issuer.tax_id.value:
        group = "AccountingCustomerParty" if kind in SUPPORT_TYPES else "AccountingSupplierParty"
        raise SchemaViolation(f"cac:{group}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID is required")
    type_tag = {"Invoice": "cbc:InvoiceTypeCode", "CreditNote": "cbc:CreditNoteTypeCode"}
    return DocumentFacts(
        root=document,
        document_type=kind,
        type_code=text(root, type_tag.get(document, "cbc:DebitNoteTypeCode")),
        number=required(root, "cbc:ID"),
        uuid=(uuid.text or "").strip().lower(),
        uuid_scheme_id=uuid.get("schemeID", ""),
        uuid_scheme_name=uuid.get("schemeName", ""),
        issue_date=issue_date(root),
        issue_time=issue_time(root),
        environment=required(root, "cbc:ProfileExecutionID"),
        customization_id=text(root, "cbc:CustomizationID"),
        profile_id=text(root, "cbc:ProfileID"),
        currency=text(root, "cbc:DocumentCurrencyCode"),
        currency_ids=groups.currency_ids(root),
        line_count=text(root, "cbc:LineCountNumeric"),
        totals=_totals(root, document),
        supplier=supplier,
        customer=customer,
        lines=groups.lines(root, document),
        tax_totals=groups.tax_totals(root),
        withholdings=groups.tax_totals(root, "cac:WithholdingTaxTotal"),
        allowance_charges=groups.allowance_charges(root),
        prepaid_payments=tuple(
            amount(node, "cbc:PaidAmount") for node in root.findall("cac:PrepaidPayment", NS)
        ),
        payment_means=groups.payment_means(root),
        exchange_rate=groups.exchange_rate(root),
        references=groups.references(root),
        numbering=_numbering(dian, sts),
        dian_extensions=len(extensions),
        software_id=text(dian, f"{sts}:SoftwareProvider/{sts}:SoftwareID"),
        security_code=text(dian, f"{sts}:SoftwareSecurityCode").lower(),
        provider=groups.party_id(dian, f"{sts}:SoftwareProvider/{sts}:ProviderID"),
    )
