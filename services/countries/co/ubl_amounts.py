"""The money groups of a DIAN document: taxes, withholdings, discounts, totals, rate, payments.

Each function returns a detached UBL 2.1 element (built under a namespace holder) so that the
document builder can place it where the root's sequence wants it; amounts carry the document
currency in @currencyID (FAD15) and are written with exactly two decimals.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from services.core.decimals import fixed
from services.countries.co import codes
from services.countries.co.allowances import AllowanceCharge
from services.countries.co.exchange import ExchangeRate
from services.countries.co.fragments import FragmentCache, holder
from services.countries.co.namespaces import CAC, CBC
from services.countries.co.payment import PaymentTerms, Prepayment
from services.countries.co.totals import DocumentTotals, Portion, TaxSubtotal, TaxTotal

_SubElement = etree.SubElement


def text(parent: etree._Element, tag: str, value: str, **attrib: str) -> etree._Element:
    """A child element with text."""
    element = _SubElement(parent, tag, attrib)
    element.text = value
    return element


def money(parent: etree._Element, tag: str, value: Decimal, currency: str) -> None:
    """An amount element: two decimals and the document currency."""
    _SubElement(parent, tag, {"currencyID": currency}).text = fixed(value, 2)


def _percent_text(percent: Decimal) -> str:
    # Two decimals as DIAN's tables write them (19.00); three when a municipal rate needs it.
    return fixed(percent, 3) if percent != percent.quantize(Decimal("0.01")) else fixed(percent, 2)


def _build_category(key: tuple[str, Decimal]) -> etree._Element:
    scheme_id, percent = key
    category = _SubElement(holder(), CAC + "TaxCategory")
    text(category, CBC + "Percent", _percent_text(percent))
    scheme = _SubElement(category, CAC + "TaxScheme")
    text(scheme, CBC + "ID", scheme_id)
    text(scheme, CBC + "Name", codes.TAX_NAMES[scheme_id])
    return category


_CATEGORIES = FragmentCache(_build_category, limit=64)


def _subtotal(parent: etree._Element, subtotal: TaxSubtotal, currency: str) -> None:
    node = _SubElement(parent, CAC + "TaxSubtotal")
    money(node, CBC + "TaxableAmount", subtotal.taxable, currency)
    money(node, CBC + "TaxAmount", subtotal.tax, currency)
    node.append(_CATEGORIES.copy((subtotal.scheme, subtotal.percent)))


def tax_total(total: TaxTotal, currency: str, tag: str = "TaxTotal") -> etree._Element:
    """A TaxTotal (or WithholdingTaxTotal): the scheme's amount and its subtotals by rate."""
    node = _SubElement(holder(), CAC + tag)
    money(node, CBC + "TaxAmount", total.amount, currency)
    for subtotal in total.subtotals:
        _subtotal(node, subtotal, currency)
    return node


def line_tax_total(portion: Portion, currency: str, tag: str = "TaxTotal") -> etree._Element:
    """A line's TaxTotal (or WithholdingTaxTotal) of one scheme."""
    return tax_total(
        TaxTotal(
            portion.scheme,
            portion.amount,
            (TaxSubtotal(portion.scheme, portion.percent, portion.taxable, portion.amount),),
        ),
        currency,
        tag,
    )


def allowance_charge(group: AllowanceCharge, currency: str) -> etree._Element:
    """cac:AllowanceCharge: number, direction, reason, percent, amount and base."""
    node = _SubElement(holder(), CAC + "AllowanceCharge")
    text(node, CBC + "ID", str(group.number))
    text(node, CBC + "ChargeIndicator", "true" if group.charge else "false")
    if group.reason_code:
        text(node, CBC + "AllowanceChargeReasonCode", group.reason_code)
    text(node, CBC + "AllowanceChargeReason", group.reason)
    text(
        node, CBC + "MultiplierFactorNumeric", fixed(group.percent, max(2, _places(group.percent)))
    )
    money(node, CBC + "Amount", group.amount, currency)
    money(node, CBC + "BaseAmount", group.base, currency)
    return node


def monetary_total(totals: DocumentTotals, currency: str, tag: str) -> etree._Element:
    """LegalMonetaryTotal (RequestedMonetaryTotal on debit notes), FAU04–FAU14."""
    node = _SubElement(holder(), CAC + tag)
    money(node, CBC + "LineExtensionAmount", totals.line_extension, currency)
    money(node, CBC + "TaxExclusiveAmount", totals.tax_exclusive, currency)
    money(node, CBC + "TaxInclusiveAmount", totals.tax_inclusive, currency)
    money(node, CBC + "AllowanceTotalAmount", totals.allowance, currency)
    money(node, CBC + "ChargeTotalAmount", totals.charge, currency)
    if totals.prepaid:
        money(node, CBC + "PrepaidAmount", totals.prepaid, currency)
    money(node, CBC + "PayableAmount", totals.payable, currency)
    return node


def payment_exchange_rate(rate: ExchangeRate) -> etree._Element:
    """cac:PaymentExchangeRate from the document currency to pesos (FAR01–FAR04)."""
    node = _SubElement(holder(), CAC + "PaymentExchangeRate")
    text(node, CBC + "SourceCurrencyCode", rate.source_currency)
    text(node, CBC + "SourceCurrencyBaseRate", "1.00")
    text(node, CBC + "TargetCurrencyCode", rate.target_currency)
    text(node, CBC + "TargetCurrencyBaseRate", "1.00")
    text(node, CBC + "CalculationRate", fixed(rate.rate, max(2, _places(rate.rate))))
    text(node, CBC + "Date", rate.date.isoformat())
    return node


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def prepaid_payment(prepayment: Prepayment, currency: str) -> etree._Element:
    """cac:PrepaidPayment: an advance's id, amount and the date it was received."""
    node = _SubElement(holder(), CAC + "PrepaidPayment")
    text(node, CBC + "ID", prepayment.id)
    money(node, CBC + "PaidAmount", prepayment.amount, currency)
    text(node, CBC + "ReceivedDate", prepayment.received_date.isoformat())
    return node


def payment_means(payment: PaymentTerms) -> etree._Element:
    """cac:PaymentMeans: cash or credit, the method, and the due date of a credit sale."""
    node = _SubElement(holder(), CAC + "PaymentMeans")
    text(node, CBC + "ID", payment.means)
    text(node, CBC + "PaymentMeansCode", payment.method_code)
    if payment.due_date is not None:
        text(node, CBC + "PaymentDueDate", payment.due_date.isoformat())
    return node
