"""The unsigned DIAN UBL 2.1 document of any type and its key (CUFE, CUDE or CUDS).

Invoice roots carry types 01–05, CreditNote 91 and 95, DebitNote 92 (dian-colombia.md §3).
Children are built as detached groups and placed in the order of the root's OASIS UBL 2.1
sequence, which differs between the three roots. The key is computed from exactly the strings
written in the XML, because DIAN recomputes it by reading those strings back (FAD06). Pure: no
I/O.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from services.core.decimals import fixed
from services.core.rejection import InputRejected, precondition_failed
from services.countries.co import cufe, support_document
from services.countries.co.clock import in_colombia, issue_time_text
from services.countries.co.dian_extensions import extensions
from services.countries.co.document_types import TECHNICAL_KEY, DocumentKind
from services.countries.co.invoice import ColombianInvoice
from services.countries.co.namespaces import (
    CAC,
    CBC,
    NSMAPS,
    SCHEMA_LOCATIONS,
    XSI,
)
from services.countries.co.notes import billing_reference, check_note_date, discrepancy_response
from services.countries.co.payment import check_due_date, check_prepayment_dates
from services.countries.co.ubl_amounts import (
    allowance_charge,
    monetary_total,
    payment_exchange_rate,
    payment_means,
    prepaid_payment,
    tax_total,
    text,
)
from services.countries.co.ubl_lines import document_line
from services.countries.co.ubl_party import CUSTOMER, SUPPLIER, issuer_party, other_party
from services.countries.pack import Draft, IssuerProfile, NumberingSlot

KEY_SCHEME = "CUFE-SHA384"  # of invoices; each type's scheme is in document_types

# The OASIS UBL 2.1 sequences of the three roots, limited to what DIAN documents use.
ORDER: dict[str, tuple[str, ...]] = {
    "Invoice": (
        "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID",
        "ID", "UUID", "IssueDate", "IssueTime", "DueDate", "InvoiceTypeCode", "Note",
        "DocumentCurrencyCode", "LineCountNumeric", "OrderReference", "BillingReference",
        "AccountingSupplierParty", "AccountingCustomerParty", "PaymentMeans", "PrepaidPayment",
        "AllowanceCharge", "PaymentExchangeRate", "TaxTotal", "WithholdingTaxTotal",
        "LegalMonetaryTotal", "InvoiceLine",
    ),
    "CreditNote": (
        "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID",
        "ID", "UUID", "IssueDate", "IssueTime", "CreditNoteTypeCode", "Note",
        "DocumentCurrencyCode", "LineCountNumeric", "DiscrepancyResponse", "OrderReference",
        "BillingReference", "AccountingSupplierParty", "AccountingCustomerParty",
        "PaymentMeans", "PaymentExchangeRate", "AllowanceCharge", "TaxTotal",
        "LegalMonetaryTotal", "CreditNoteLine",
    ),
    "DebitNote": (
        "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID",
        "ID", "UUID", "IssueDate", "IssueTime", "Note", "DocumentCurrencyCode",
        "LineCountNumeric", "DiscrepancyResponse", "OrderReference", "BillingReference",
        "AccountingSupplierParty", "AccountingCustomerParty", "PrepaidPayment",
        "AllowanceCharge", "PaymentMeans", "PaymentExchangeRate", "TaxTotal",
        "RequestedMonetaryTotal", "DebitNoteLine",
    ),
}  # fmt: skip
_CURRENCY_LIST = {
    "listAgencyID": "6",
    "listAgencyName": "United Nations Economic Commission for Europe",
    "listID": "ISO 4217 Alpha",
}


def _check_slot(invoice: ColombianInvoice, slot: NumberingSlot, issue_date: date) -> None:
    if not slot.range_from <= slot.number <= slot.range_to:
        raise ValueError(f"number {slot.number} is outside range {slot.range_from}-{slot.range_to}")
    if invoice.paper_number is not None and slot.number != invoice.paper_number:
        raise ValueError(f"slot {slot.number} is not the paper's number {invoice.paper_number}")
    if invoice.kind.invoice_control and not slot.valid_from <= issue_date <= slot.valid_to:
        # FAD09a/b: DIAN refuses an issue date outside the resolution's validity.
        raise precondition_failed(
            invoice.range_field,
            f"numbering range {slot.prefix or '(no prefix)'} of resolution {slot.authorization} "
            f"is valid from {slot.valid_from} to {slot.valid_to}; {issue_date} is outside it",
        )


def _check_dates(invoice: ColombianInvoice, issue_date: date) -> None:
    day = issue_date
    check_due_date(invoice.payment, day, "document.payment")
    check_prepayment_dates(invoice.prepayments, day, "document.co.prepayments")
    check_note_date(invoice.reference, day, "document.co")
    rate = invoice.exchange_rate
    if rate is not None and rate.date > day:
        raise InputRejected(
            "document.co.exchange_rate.date", f"{rate.date} is after the issue date {day}"
        )
    for index, line in enumerate(invoice.lines):
        if line.period is not None and line.period.start > day:
            raise InputRejected(
                f"document.lines[{index}].period.start_date",
                f"{line.period.start} is after the issue date {day}",
            )


def _key(
    invoice: ColombianInvoice,
    issuer: IssuerProfile,
    slot: NumberingSlot,
    fields: cufe.KeyFields,
    layout: cufe.CudsLayout,
) -> str:
    kind = invoice.kind
    if kind.key_secret == TECHNICAL_KEY:
        if not slot.technical_key:
            raise ValueError(f"range {slot.range_id} has no technical key to compute a CUFE")
        return cufe.cufe(fields, slot.technical_key)
    if kind.support:
        _, pin = support_document.software(issuer)
        return cufe.cuds(fields, pin, layout)
    return cufe.cude(fields, issuer.software_pin)


def build_draft(
    invoice: ColombianInvoice,
    issuer: IssuerProfile,
    slot: NumberingSlot,
    issued_at: datetime,
    *,
    cuds_layout: cufe.CudsLayout = cufe.CudsLayout.IVA_ONLY,
) -> Draft:
    """Number the document, write its unsigned UBL 2.1 XML and compute its key.

    A type-03 document keeps the number and moment of its paper original; `slot` must carry
    that number. `cuds_layout` picks the CUDS layout of a documento soporte (§1.3).
    """
    kind = invoice.kind
    if invoice.paper_issued_at is not None:
        issued_at = invoice.paper_issued_at
    local = in_colombia(issued_at)
    issue_date = local.date()
    _check_slot(invoice, slot, issue_date)
    _check_dates(invoice, issue_date)
    number = slot.full_number
    totals = invoice.totals
    currency = invoice.currency

    # The strings written in the XML; the key is computed from these very strings.
    date_text = issue_date.isoformat()
    time_text = issue_time_text(local)
    line_extension = fixed(totals.line_extension, 2)
    payable = fixed(totals.payable, 2)
    # Roles (§3.9): the supplier is the seller; on a DS that is the other party.
    supplier_id, customer_id = (
        (invoice.customer.tax_id, issuer.party.tax_id)
        if kind.support
        else (issuer.party.tax_id, invoice.customer.tax_id)
    )
    fields = cufe.KeyFields(
        number=number,
        issue_date=date_text,
        issue_time=time_text,
        line_extension=Decimal(line_extension),
        taxes={t.scheme: Decimal(fixed(t.amount, 2)) for t in totals.tax_totals},
        payable=Decimal(payable),
        supplier_nit=supplier_id,
        customer_id=customer_id,
        environment=issuer.environment,
    )
    document_key = _key(invoice, issuer, slot, fields, cuds_layout)

    parts = _header(invoice, kind, issuer, slot, number, document_key, date_text, time_text)
    parts += _body(invoice, kind, issuer, slot.prefix)
    order = ORDER[kind.root]
    parts.sort(key=lambda part: order.index(etree.QName(part).localname))
    root = etree.Element(f"{{{NSMAPS[kind.root][None]}}}{kind.root}", nsmap=NSMAPS[kind.root])
    root.set(XSI + "schemaLocation", SCHEMA_LOCATIONS[kind.root])
    root.extend(parts)

    # Inclusive C14N 1.0 (UTF-8, no XML declaration): the form the signature's first reference
    # digests, so the signer hashes these bytes as they stand (Draft.canonical).
    xml = etree.tostring(root, method="c14n", exclusive=False, with_comments=False)
    options = {"test_set_id": issuer.test_set_id} if issuer.test_set_id else {}
    return Draft(
        number=number,
        document_type=kind.code,
        document_key=document_key,
        key_scheme=kind.key_scheme,
        unsigned_xml=xml,
        issue_date=issue_date,
        issued_at=local,
        customer_id=invoice.customer_id,
        currency=currency,
        payable_amount=invoice.payable_amount,
        environment=issuer.environment,
        transmission_options=options,
        canonical=True,
    )


def _element(tag: str, value: str, **attrib: str) -> etree._Element:
    node = etree.Element(CBC + tag, attrib)
    node.text = value
    return node


def _header(
    invoice: ColombianInvoice,
    kind: DocumentKind,
    issuer: IssuerProfile,
    slot: NumberingSlot,
    number: str,
    key: str,
    date_text: str,
    time_text: str,
) -> list[etree._Element]:
    software = support_document.software(issuer) if kind.support else None
    parts = [
        extensions(
            issuer, slot, number, key, invoice_control=kind.invoice_control, software=software
        ),
        _element("UBLVersionID", "UBL 2.1"),
        _element("CustomizationID", invoice.operation_type),
        _element("ProfileID", kind.profile),
        _element("ProfileExecutionID", issuer.environment),
        _element("ID", number),
        _element("UUID", key, schemeID=issuer.environment, schemeName=kind.key_scheme),
        _element("IssueDate", date_text),
        _element("IssueTime", time_text),
    ]
    if invoice.payment.due_date is not None and kind.root == "Invoice":
        parts.append(_element("DueDate", invoice.payment.due_date.isoformat()))
    if kind.type_code_element:
        parts.append(_element(kind.type_code_element, kind.code))
    parts += [_element("Note", note) for note in invoice.notes]
    parts.append(_element("DocumentCurrencyCode", invoice.currency, **_CURRENCY_LIST))
    parts.append(_element("LineCountNumeric", str(len(invoice.lines))))
    if invoice.correction is not None:
        parts.append(discrepancy_response(invoice.correction, invoice.reference))
    if invoice.order_reference:
        order = etree.Element(CAC + "OrderReference")
        text(order, CBC + "ID", invoice.order_reference)
        parts.append(order)
    if invoice.reference is not None:
        parts.append(billing_reference(invoice.reference))
    return parts


def _body(
    invoice: ColombianInvoice, kind: DocumentKind, issuer: IssuerProfile, prefix: str
) -> list[etree._Element]:
    currency = invoice.currency
    totals = invoice.totals
    own, other = (CUSTOMER, SUPPLIER) if kind.support else (SUPPLIER, CUSTOMER)
    parts = [issuer_party(issuer, prefix, own), other_party(invoice.customer, other)]
    parts.append(payment_means(invoice.payment))
    parts += [prepaid_payment(p, currency) for p in invoice.prepayments]
    parts += [allowance_charge(g, currency) for g in invoice.allowance_charges]
    if invoice.exchange_rate is not None:
        parts.append(payment_exchange_rate(invoice.exchange_rate))
    parts += [tax_total(t, currency) for t in totals.tax_totals]
    if kind.withholdings:
        parts += [tax_total(t, currency, "WithholdingTaxTotal") for t in totals.withholding_totals]
    parts.append(monetary_total(totals, currency, kind.monetary_total_element))
    parts += [document_line(kind, line, currency) for line in invoice.lines]
    return parts
