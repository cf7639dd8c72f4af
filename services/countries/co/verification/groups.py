"""Reading the repeated groups of a DIAN document: parties, taxes, allowances, lines, payments."""

from __future__ import annotations

from lxml import etree

from services.countries.co.verification.facts import (
    AllowanceChargeFacts,
    ExchangeRateFacts,
    LineFacts,
    PartyFacts,
    PartyId,
    PaymentMeansFacts,
    ReferenceFacts,
    TaxSubtotalFacts,
    TaxTotalFacts,
)
from services.countries.co.verification.values import (
    NS,
    amount,
    attribute,
    optional_amount,
    text,
)


def party_id(node: etree._Element | None, path: str) -> PartyId:
    """A CompanyID-like element: its value, @schemeID (DV) and @schemeName."""
    return PartyId(
        value=text(node, path),
        check_digit=attribute(node, path, "schemeID"),
        scheme_name=attribute(node, path, "schemeName"),
    )


def party(root: etree._Element, group: str) -> PartyFacts:
    """AccountingSupplierParty or AccountingCustomerParty (`group`)."""
    holder = root.find(f"cac:{group}", NS)
    if holder is None:
        return PartyFacts(present=False)
    node = holder.find("cac:Party", NS)
    legal = node.find("cac:PartyLegalEntity", NS) if node is not None else None
    return PartyFacts(
        account_type=text(holder, "cbc:AdditionalAccountID"),
        tax_id=party_id(node, "cac:PartyTaxScheme/cbc:CompanyID"),
        name=text(node, "cac:PartyTaxScheme/cbc:RegistrationName"),
        legal_id=party_id(legal, "cbc:CompanyID") if legal is not None else None,
        branch=text(legal, "cac:CorporateRegistrationScheme/cbc:ID"),
    )


def _subtotal(node: etree._Element) -> TaxSubtotalFacts:
    return TaxSubtotalFacts(
        scheme=text(node, "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
        tax=amount(node, "cbc:TaxAmount"),
        taxable=optional_amount(node, "cbc:TaxableAmount"),
        percent=optional_amount(node, "cac:TaxCategory/cbc:Percent"),
        per_unit=optional_amount(node, "cbc:PerUnitAmount"),
        base_unit_measure=optional_amount(node, "cbc:BaseUnitMeasure"),
    )


def tax_totals(parent: etree._Element, tag: str = "cac:TaxTotal") -> tuple[TaxTotalFacts, ...]:
    """The TaxTotal (or WithholdingTaxTotal) groups directly under `parent`."""
    return tuple(
        TaxTotalFacts(
            amount=amount(total, "cbc:TaxAmount"),
            subtotals=tuple(_subtotal(sub) for sub in total.findall("cac:TaxSubtotal", NS)),
        )
        for total in parent.findall(tag, NS)
    )


def allowance_charges(parent: etree._Element) -> tuple[AllowanceChargeFacts, ...]:
    """The AllowanceCharge groups directly under `parent` (document or line)."""
    return tuple(
        AllowanceChargeFacts(
            id=text(node, "cbc:ID"),
            indicator=text(node, "cbc:ChargeIndicator"),
            amount=amount(node, "cbc:Amount"),
            percent=optional_amount(node, "cbc:MultiplierFactorNumeric"),
            base=optional_amount(node, "cbc:BaseAmount"),
        )
        for node in parent.findall("cac:AllowanceCharge", NS)
    )


# Line element and its quantity element, per document root.
LINE_TAGS = {
    "Invoice": ("cac:InvoiceLine", "cbc:InvoicedQuantity"),
    "CreditNote": ("cac:CreditNoteLine", "cbc:CreditedQuantity"),
    "DebitNote": ("cac:DebitNoteLine", "cbc:DebitedQuantity"),
}


def lines(root: etree._Element, document: str) -> tuple[LineFacts, ...]:
    """Every document line with its amounts, taxes and allowances."""
    tag, quantity = LINE_TAGS[document]
    return tuple(
        LineFacts(
            id=text(node, "cbc:ID"),
            line_extension=amount(node, "cbc:LineExtensionAmount"),
            quantity=optional_amount(node, quantity),
            taxes=tax_totals(node),
            allowance_charges=allowance_charges(node),
        )
        for node in root.findall(tag, NS)
    )


def payment_means(root: etree._Element) -> tuple[PaymentMeansFacts, ...]:
    """Every cac:PaymentMeans group."""
    return tuple(
        PaymentMeansFacts(
            means=text(node, "cbc:ID"),
            code=text(node, "cbc:PaymentMeansCode"),
            due_date=text(node, "cbc:PaymentDueDate"),
        )
        for node in root.findall("cac:PaymentMeans", NS)
    )


def exchange_rate(root: etree._Element) -> ExchangeRateFacts | None:
    """cac:PaymentExchangeRate, when present."""
    node = root.find("cac:PaymentExchangeRate", NS)
    if node is None:
        return None
    return ExchangeRateFacts(
        source_currency=text(node, "cbc:SourceCurrencyCode"),
        source_rate=optional_amount(node, "cbc:SourceCurrencyBaseRate"),
        target_currency=text(node, "cbc:TargetCurrencyCode"),
        target_rate=optional_amount(node, "cbc:TargetCurrencyBaseRate"),
        calculation_rate=optional_amount(node, "cbc:CalculationRate"),
        date=text(node, "cbc:Date"),
    )


def references(root: etree._Element) -> tuple[ReferenceFacts, ...]:
    """BillingReference/InvoiceDocumentReference groups (the documents a note corrects)."""
    return tuple(
        ReferenceFacts(
            number=text(node, "cbc:ID"),
            uuid=text(node, "cbc:UUID").lower(),
            scheme_name=attribute(node, "cbc:UUID", "schemeName"),
            issue_date=text(node, "cbc:IssueDate"),
        )
        for node in root.findall("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    )


def currency_ids(root: etree._Element) -> tuple[str, ...]:
    """Every distinct @currencyID outside ext:UBLExtensions (FAD15b exempts the extensions)."""
    found: list[str] = []
    for child in root:
        if child.tag == f"{{{NS['ext']}}}UBLExtensions":
            continue
        for node in child.iter():
            value = node.get("currencyID") if isinstance(node.tag, str) else None
            if value is not None and value not in found:
                found.append(value)
    return tuple(found)
