"""The lines of a DIAN document: InvoiceLine, CreditNoteLine or DebitNoteLine.

Element order follows each UBL 2.1 line type, which differ: an InvoiceLine has its
AllowanceCharge before TaxTotal and may carry WithholdingTaxTotal; CreditNoteLine and
DebitNoteLine put TaxTotal first, and a DebitNoteLine has no InvoicePeriod. Content per
dian-colombia.md §3.8.
"""

from __future__ import annotations

from lxml import etree

from services.countries.co import codes
from services.countries.co.document_types import DocumentKind
from services.countries.co.fragments import holder
from services.countries.co.lines import InvoiceLine
from services.countries.co.namespaces import CAC, CBC
from services.countries.co.ubl_amounts import allowance_charge, line_tax_total, money, text

_SubElement = etree.SubElement


def _period(node: etree._Element, line: InvoiceLine) -> None:
    period = line.period
    if period is None:
        return
    element = _SubElement(node, CAC + "InvoicePeriod")
    text(element, CBC + "StartDate", period.start.isoformat())
    if period.end is not None:
        text(element, CBC + "EndDate", period.end.isoformat())
    text(element, CBC + "DescriptionCode", period.description_code)


def _allowances(node: etree._Element, line: InvoiceLine, currency: str) -> None:
    for group in line.allowance_charges:
        node.append(allowance_charge(group, currency))


def _taxes(node: etree._Element, line: InvoiceLine, currency: str, withholdings: bool) -> None:
    # Every line carries its tax subtotals, even at 0 % (FAS01b / FAU04).
    for portion in line.taxes:
        node.append(line_tax_total(portion, currency))
    if withholdings:
        for portion in line.withholdings:
            node.append(line_tax_total(portion, currency, "WithholdingTaxTotal"))


def _item(node: etree._Element, line: InvoiceLine) -> None:
    item = _SubElement(node, CAC + "Item")
    text(item, CBC + "Description", line.description)
    if line.item_code:
        text(_SubElement(item, CAC + "SellersItemIdentification"), CBC + "ID", line.item_code)
    if line.standard_item_code:
        scheme = line.standard_item_scheme
        text(
            _SubElement(item, CAC + "StandardItemIdentification"),
            CBC + "ID",
            line.standard_item_code,
            schemeID=scheme,
            schemeName=codes.ITEM_SCHEMES[scheme],
        )


def document_line(kind: DocumentKind, line: InvoiceLine, currency: str) -> etree._Element:
    """One line element of the document's root type."""
    node = _SubElement(holder(), CAC + kind.line_element)
    text(node, CBC + "ID", str(line.number))
    unit = {"unitCode": line.unit_code}
    text(node, CBC + kind.quantity_element, f"{line.quantity:f}", **unit)
    money(node, CBC + "LineExtensionAmount", line.line_extension_amount, currency)
    if kind.line_element == "InvoiceLine":
        _period(node, line)
        _allowances(node, line, currency)
        _taxes(node, line, currency, withholdings=True)
    else:
        if kind.line_element == "CreditNoteLine":
            _period(node, line)
        _taxes(node, line, currency, withholdings=False)
        _allowances(node, line, currency)
    _item(node, line)
    price = _SubElement(node, CAC + "Price")
    money(price, CBC + "PriceAmount", line.unit_price, currency)
    # The price is per one unit of the invoiced unit code.
    text(price, CBC + "BaseQuantity", "1", **unit)
    return node
