"""The unsigned DIAN UBL 2.1 Invoice (factura electrónica de venta) and its CUFE.

Element order follows the OASIS UBL-Invoice-2.1 sequence; DIAN's content per dian-colombia.md §3.
The CUFE is computed from exactly the strings written in the XML, because DIAN recomputes it
by reading those strings back (FAD06). Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from lxml import etree

from services.core.decimals import fixed
from services.core.rejection import precondition_failed
from services.countries.co import codes, cufe
from services.countries.co.clock import in_colombia, issue_time_text
from services.countries.co.dian_extensions import dian_extensions
from services.countries.co.fragments import FragmentCache, holder
from services.countries.co.invoice import ColombianInvoice, InvoiceLine
from services.countries.co.namespaces import (
    CAC,
    CBC,
    INV,
    INVOICE_NSMAP,
    INVOICE_SCHEMA_LOCATION,
    XML_DECLARATION,
    XSI,
)
from services.countries.co.totals import TaxSubtotal, TaxTotal
from services.countries.co.ubl_party import customer_party, supplier_party
from services.countries.pack import Draft, IssuerProfile, NumberingSlot

KEY_SCHEME = "CUFE-SHA384"
_SubElement = etree.SubElement
_COP = {"currencyID": "COP"}


def _text(
    parent: etree._Element, tag: str, text: str, attrib: dict[str, str] | None = None
) -> None:
    _SubElement(parent, tag, attrib).text = text


def _money(parent: etree._Element, tag: str, value: Decimal) -> None:
    _SubElement(parent, tag, _COP).text = fixed(value, 2)


def build_draft(
    invoice: ColombianInvoice, issuer: IssuerProfile, slot: NumberingSlot, issued_at: datetime
) -> Draft:
    """Number the invoice, write its unsigned UBL 2.1 XML and compute its CUFE."""
    if not slot.range_from <= slot.number <= slot.range_to:
        raise ValueError(f"number {slot.number} is outside range {slot.range_from}-{slot.range_to}")
    local = in_colombia(issued_at)
    issue_date = local.date()
    if not slot.valid_from <= issue_date <= slot.valid_to:
        # FAD09a/b: DIAN refuses an issue date outside the resolution's validity.
        raise precondition_failed(
            "document.co.range_prefix",
            f"numbering range {slot.prefix or '(no prefix)'} of resolution {slot.authorization} "
            f"is valid from {slot.valid_from} to {slot.valid_to}; {issue_date} is outside it",
        )
    number = slot.full_number
    totals = invoice.totals

    # The strings written in the XML; the key is computed from these very strings.
    date_text = issue_date.isoformat()
    time_text = issue_time_text(local)
    line_extension = fixed(totals.line_extension, 2)
    payable = fixed(totals.payable, 2)
    taxes = {total.scheme: fixed(total.amount, 2) for total in totals.tax_totals}
    key_fields = cufe.KeyFields(
        number=number,
        issue_date=date_text,
        issue_time=time_text,
        line_extension=Decimal(line_extension),
        taxes={scheme: Decimal(text) for scheme, text in taxes.items()},
        payable=Decimal(payable),
        supplier_nit=issuer.party.tax_id,
        customer_id=invoice.customer.tax_id,
        environment=issuer.environment,
    )
    document_key = cufe.cufe(key_fields, slot.technical_key)

    root = etree.Element(INV + "Invoice", nsmap=INVOICE_NSMAP)
    root.set(XSI + "schemaLocation", INVOICE_SCHEMA_LOCATION)
    dian_extensions(root, issuer, slot, number, document_key)
    _text(root, CBC + "UBLVersionID", "UBL 2.1")
    _text(root, CBC + "CustomizationID", invoice.operation_type)
    _text(root, CBC + "ProfileID", codes.INVOICE_PROFILE)
    _text(root, CBC + "ProfileExecutionID", issuer.environment)
    _text(root, CBC + "ID", number)
    _text(
        root, CBC + "UUID", document_key, {"schemeID": issuer.environment, "schemeName": KEY_SCHEME}
    )
    _text(root, CBC + "IssueDate", date_text)
    _text(root, CBC + "IssueTime", time_text)
    if invoice.payment.due_date is not None:
        _text(root, CBC + "DueDate", invoice.payment.due_date.isoformat())
    _text(root, CBC + "InvoiceTypeCode", invoice.document_type)
    for note in invoice.notes:
        _text(root, CBC + "Note", note)
    _text(
        root,
        CBC + "DocumentCurrencyCode",
        invoice.currency,
        {
            "listAgencyID": "6",
            "listAgencyName": "United Nations Economic Commission for Europe",
            "listID": "ISO 4217 Alpha",
        },
    )
    _text(root, CBC + "LineCountNumeric", str(len(invoice.lines)))
    if invoice.order_reference:
        _text(_SubElement(root, CAC + "OrderReference"), CBC + "ID", invoice.order_reference)
    supplier_party(root, issuer, slot.prefix)
    customer_party(root, invoice.customer)
    _payment_means(root, invoice)
    for tax_total in totals.tax_totals:
        _tax_total(root, tax_total)
    _monetary_total(root, invoice, line_extension, payable)
    for line in invoice.lines:
        _invoice_line(root, line)

    xml = XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return Draft(
        number=number,
        document_type=invoice.document_type,
        document_key=document_key,
        key_scheme=KEY_SCHEME,
        unsigned_xml=xml,
        issue_date=issue_date,
        issued_at=local,
        customer_id=invoice.customer_id,
        currency=invoice.currency,
        payable_amount=invoice.payable_amount,
        environment=issuer.environment,
    )


def _payment_means(root: etree._Element, invoice: ColombianInvoice) -> None:
    payment = invoice.payment
    node = _SubElement(root, CAC + "PaymentMeans")
    _text(node, CBC + "ID", payment.means)
    _text(node, CBC + "PaymentMeansCode", payment.method_code)
    if payment.due_date is not None:
        _text(node, CBC + "PaymentDueDate", payment.due_date.isoformat())


def _build_category(key: tuple[str, Decimal]) -> etree._Element:
    scheme_id, percent = key
    category = _SubElement(holder(), CAC + "TaxCategory")
    _text(category, CBC + "Percent", fixed(percent, 2))
    scheme = _SubElement(category, CAC + "TaxScheme")
    _text(scheme, CBC + "ID", scheme_id)
    _text(scheme, CBC + "Name", codes.TAX_NAMES[scheme_id])
    return category


_CATEGORIES = FragmentCache(_build_category, limit=64)


def _subtotal(parent: etree._Element, subtotal: TaxSubtotal) -> None:
    node = _SubElement(parent, CAC + "TaxSubtotal")
    _money(node, CBC + "TaxableAmount", subtotal.taxable)
    _money(node, CBC + "TaxAmount", subtotal.tax)
    node.append(_CATEGORIES.copy((subtotal.scheme, subtotal.percent)))


def _tax_total(root: etree._Element, total: TaxTotal) -> None:
    node = _SubElement(root, CAC + "TaxTotal")
    _money(node, CBC + "TaxAmount", total.amount)
    for subtotal in total.subtotals:
        _subtotal(node, subtotal)


def _monetary_total(
    root: etree._Element, invoice: ColombianInvoice, line_extension: str, payable: str
) -> None:
    totals = invoice.totals
    node = _SubElement(root, CAC + "LegalMonetaryTotal")
    _text(node, CBC + "LineExtensionAmount", line_extension, _COP)
    _money(node, CBC + "TaxExclusiveAmount", totals.tax_exclusive)
    _money(node, CBC + "TaxInclusiveAmount", totals.tax_inclusive)
    _money(node, CBC + "AllowanceTotalAmount", totals.allowance)
    _money(node, CBC + "ChargeTotalAmount", totals.charge)
    _text(node, CBC + "PayableAmount", payable, _COP)


def _invoice_line(root: etree._Element, line: InvoiceLine) -> None:
    node = _SubElement(root, CAC + "InvoiceLine")
    _text(node, CBC + "ID", str(line.number))
    unit = {"unitCode": line.unit_code}
    _text(node, CBC + "InvoicedQuantity", f"{line.quantity:f}", unit)
    _money(node, CBC + "LineExtensionAmount", line.line_extension_amount)
    # Every line carries its tax subtotal, even at 0 % (FAS01b / FAU04).
    tax_total = _SubElement(node, CAC + "TaxTotal")
    _money(tax_total, CBC + "TaxAmount", line.tax_amount)
    _subtotal(
        tax_total,
        TaxSubtotal(line.tax_scheme, line.tax_percent, line.line_extension_amount, line.tax_amount),
    )
    item = _SubElement(node, CAC + "Item")
    _text(item, CBC + "Description", line.description)
    if line.item_code:
        _text(_SubElement(item, CAC + "SellersItemIdentification"), CBC + "ID", line.item_code)
    if line.standard_item_code:
        scheme = line.standard_item_scheme
        _text(
            _SubElement(item, CAC + "StandardItemIdentification"),
            CBC + "ID",
            line.standard_item_code,
            {"schemeID": scheme, "schemeName": codes.ITEM_SCHEMES[scheme]},
        )
    price = _SubElement(node, CAC + "Price")
    _money(price, CBC + "PriceAmount", line.unit_price)
    # The price is per one unit of the invoiced unit code.
    _text(price, CBC + "BaseQuantity", "1", unit)
