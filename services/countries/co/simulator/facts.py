"""The values DIAN reads from a UBL invoice before judging it, taken from the XML itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS = {
    "inv": INVOICE,
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    # DIAN accepts both structure namespaces in practice (reference §3.1).
    "sts": "dian:gov:co:facturaelectronica:Structures-2-1",
    "sts1": "http://www.dian.gov.co/contratos/facturaelectronica/v1/Structures",
}
_EXTENSIONS = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent"
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?")


class SchemaViolation(ValueError):
    """The document lacks an element DIAN's schema requires, or a value has the wrong type."""


@dataclass(frozen=True)
class InvoiceFacts:
    """What the rules need from one invoice, as written in it (strings unless a number)."""

    number: str  # cbc:ID, prefix + consecutive
    uuid: str  # cbc:UUID, the CUFE the issuer computed
    uuid_scheme_id: str
    issue_date: str
    issue_time: str
    environment: str  # cbc:ProfileExecutionID
    invoice_type: str
    line_extension: Decimal
    payable: Decimal
    taxes: dict[str, Decimal] = field(default_factory=dict)  # header TaxTotal by scheme id
    supplier_nit: str = ""
    supplier_name: str = ""
    customer_id: str = ""
    authorization: str = ""  # sts:InvoiceAuthorization ("" when absent)
    period_start: str = ""
    period_end: str = ""
    prefix: str = ""
    range_from: str = ""
    range_to: str = ""
    software_id: str = ""
    security_code: str = ""

    @property
    def consecutive(self) -> str:
        """cbc:ID without the prefix the document declares ("" when it does not start with it)."""
        if not self.number.startswith(self.prefix):
            return ""
        return self.number[len(self.prefix) :]


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _required(node: etree._Element, path: str) -> str:
    value = _text(node, path)
    if not value:
        raise SchemaViolation(f"{path} is required")
    return value


def _amount(node: etree._Element, path: str) -> Decimal:
    value = _required(node, path)
    if not _DECIMAL.fullmatch(value):
        raise SchemaViolation(f"{path} is not a decimal: {value!r}")
    return Decimal(value)


def _dian_extensions(root: etree._Element) -> etree._Element:
    found = root.findall(f"{_EXTENSIONS}/sts:DianExtensions", NS)
    found += root.findall(f"{_EXTENSIONS}/sts1:DianExtensions", NS)
    if not found:
        raise SchemaViolation("sts:DianExtensions is required")
    return found[0]


def _header_taxes(root: etree._Element) -> dict[str, Decimal]:
    taxes: dict[str, Decimal] = {}
    for total in root.findall("cac:TaxTotal", NS):
        scheme = _text(total, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID")
        # DIAN reads one value per tax with an XPath; a second group is FAS01b's business.
        if scheme and scheme not in taxes:
            taxes[scheme] = _amount(total, "cbc:TaxAmount")
    return taxes


def read_invoice(root: etree._Element) -> InvoiceFacts:
    """Read an Invoice's facts; raise SchemaViolation when it is not a usable UBL invoice."""
    if root.tag != f"{{{INVOICE}}}Invoice":
        raise SchemaViolation(f"root element {root.tag} is not a UBL 2.1 Invoice")
    issue_date = _required(root, "cbc:IssueDate")
    if not _DATE.fullmatch(issue_date):
        raise SchemaViolation(f"cbc:IssueDate is not a date: {issue_date!r}")
    issue_time = _required(root, "cbc:IssueTime")
    if not _TIME.fullmatch(issue_time):
        raise SchemaViolation(f"cbc:IssueTime is not a time: {issue_time!r}")
    uuid = root.find("cbc:UUID", NS)
    if uuid is None or not (uuid.text or "").strip():
        raise SchemaViolation("cbc:UUID is required")
    dian = _dian_extensions(root)
    sts = "sts:" if dian.tag.startswith(f"{{{NS['sts']}}}") else "sts1:"
    control = f"{sts}InvoiceControl"
    totals = "cac:LegalMonetaryTotal"
    return InvoiceFacts(
        number=_required(root, "cbc:ID"),
        uuid=(uuid.text or "").strip().lower(),
        uuid_scheme_id=uuid.get("schemeID", ""),
        issue_date=issue_date,
        issue_time=issue_time,
        environment=_required(root, "cbc:ProfileExecutionID"),
        invoice_type=_text(root, "cbc:InvoiceTypeCode"),
        line_extension=_amount(root, f"{totals}/cbc:LineExtensionAmount"),
        payable=_amount(root, f"{totals}/cbc:PayableAmount"),
        taxes=_header_taxes(root),
        supplier_nit=_required(
            root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
        ),
        supplier_name=_text(
            root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:RegistrationName"
        ),
        customer_id=_required(
            root, "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
        ),
        authorization=_text(dian, f"{control}/{sts}InvoiceAuthorization"),
        period_start=_text(dian, f"{control}/{sts}AuthorizationPeriod/cbc:StartDate"),
        period_end=_text(dian, f"{control}/{sts}AuthorizationPeriod/cbc:EndDate"),
        prefix=_text(dian, f"{control}/{sts}AuthorizedInvoices/{sts}Prefix"),
        range_from=_text(dian, f"{control}/{sts}AuthorizedInvoices/{sts}From"),
        range_to=_text(dian, f"{control}/{sts}AuthorizedInvoices/{sts}To"),
        software_id=_required(dian, f"{sts}SoftwareProvider/{sts}SoftwareID"),
        security_code=_required(dian, f"{sts}SoftwareSecurityCode").lower(),
    )
