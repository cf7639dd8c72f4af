"""Reading DIAN documents into facts: every root, every group, exactly as written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.countries.co.verification.facts import (
    AllowanceChargeFacts,
    PartyId,
    PaymentMeansFacts,
    ReferenceFacts,
)
from services.countries.co.verification.reading import read_document
from services.countries.co.verification.safe_xml import parse
from services.countries.co.verification.values import SchemaViolation

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
STS = "dian:gov:co:facturaelectronica:Structures-2-1"
LEGACY_STS = "http://www.dian.gov.co/contratos/facturaelectronica/v1/Structures"


def party(group: str, nit: str, dv: str, scheme: str = "31") -> str:
    ident = f'schemeID="{dv}" schemeName="{scheme}"'
    return f"""<cac:{group}><cbc:AdditionalAccountID>1</cbc:AdditionalAccountID><cac:Party>
<cac:PartyTaxScheme><cbc:RegistrationName>N {nit}</cbc:RegistrationName>
<cbc:CompanyID {ident}>{nit}</cbc:CompanyID></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:CompanyID {ident}>{nit}</cbc:CompanyID>
<cac:CorporateRegistrationScheme><cbc:ID>SETP</cbc:ID></cac:CorporateRegistrationScheme>
</cac:PartyLegalEntity></cac:Party></cac:{group}>"""


def tax(group: str, base: str, amount: str, percent: str, scheme: str) -> str:
    """A TaxTotal or WithholdingTaxTotal with one subtotal."""
    money = 'currencyID="USD"'
    return f"""<cac:{group}><cbc:TaxAmount {money}>{amount}</cbc:TaxAmount><cac:TaxSubtotal>
<cbc:TaxableAmount {money}>{base}</cbc:TaxableAmount><cbc:TaxAmount {money}>{amount}</cbc:TaxAmount>
<cac:TaxCategory><cbc:Percent>{percent}</cbc:Percent><cac:TaxScheme><cbc:ID>{scheme}</cbc:ID>
</cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:{group}>"""


def document(
    root: str = "Invoice",
    type_element: str = "<cbc:InvoiceTypeCode>02</cbc:InvoiceTypeCode>",
    totals: str = "LegalMonetaryTotal",
    supplier: str = party("AccountingSupplierParty", "900373076", "4"),
    customer: str = party("AccountingCustomerParty", "800197268", "4"),
    sts: str = STS,
    profile: str = "DIAN 2.1: Factura Electrónica de Venta",
    extra: str = "",
) -> bytes:
    """A complete (unsigned) document with one of every group the facts read."""
    line = {"Invoice": "InvoiceLine", "CreditNote": "CreditNoteLine", "DebitNote": "DebitNoteLine"}
    quantity = {"Invoice": "Invoiced", "CreditNote": "Credited", "DebitNote": "Debited"}[root]
    return f"""<{root} xmlns="{UBL}{root}-2" xmlns:cac="{UBL}CommonAggregateComponents-2"
 xmlns:cbc="{UBL}CommonBasicComponents-2" xmlns:ext="{UBL}CommonExtensionComponents-2"
 xmlns:sts="{sts}"><ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>
<sts:DianExtensions><sts:InvoiceControl><sts:InvoiceAuthorization>18760000001</sts:InvoiceAuthorization>
<sts:AuthorizationPeriod><cbc:StartDate>2019-01-19</cbc:StartDate><cbc:EndDate>2030-01-19</cbc:EndDate>
</sts:AuthorizationPeriod><sts:AuthorizedInvoices><sts:Prefix>SETP</sts:Prefix><sts:From>990000000</sts:From>
<sts:To>995000000</sts:To></sts:AuthorizedInvoices></sts:InvoiceControl>
<sts:SoftwareProvider><sts:ProviderID schemeID="4" schemeName="31">900373076</sts:ProviderID>
<sts:SoftwareID>sw-1</sts:SoftwareID></sts:SoftwareProvider>
<sts:SoftwareSecurityCode>ABCD</sts:SoftwareSecurityCode>
<x:Totals xmlns:x="urn:x"><x:Amount currencyID="COP">1</x:Amount></x:Totals>
</sts:DianExtensions></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
<cbc:CustomizationID>10</cbc:CustomizationID><cbc:ProfileID>{profile}</cbc:ProfileID>
<cbc:ProfileExecutionID>2</cbc:ProfileExecutionID><cbc:ID>SETP990000001</cbc:ID>
<cbc:UUID schemeID="2" schemeName="CUFE-SHA384">ABCDEF</cbc:UUID>
<cbc:IssueDate>2026-03-02</cbc:IssueDate><cbc:IssueTime>10:15:00-05:00</cbc:IssueTime>
{type_element}<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>
<cbc:LineCountNumeric>1</cbc:LineCountNumeric>
<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>SETP1</cbc:ID>
<cbc:UUID schemeName="CUFE-SHA384">FF00</cbc:UUID><cbc:IssueDate>2026-03-01</cbc:IssueDate>
</cac:InvoiceDocumentReference></cac:BillingReference>
{supplier}{customer}
<cac:PaymentMeans><cbc:ID>2</cbc:ID><cbc:PaymentMeansCode>42</cbc:PaymentMeansCode>
<cbc:PaymentDueDate>2026-04-01</cbc:PaymentDueDate></cac:PaymentMeans>
<cac:PrepaidPayment><cbc:PaidAmount currencyID="USD">10.00</cbc:PaidAmount></cac:PrepaidPayment>
<cac:AllowanceCharge><cbc:ID>1</cbc:ID><cbc:ChargeIndicator>false</cbc:ChargeIndicator>
<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>
<cbc:Amount currencyID="USD">10.00</cbc:Amount>
<cbc:BaseAmount currencyID="USD">100.00</cbc:BaseAmount></cac:AllowanceCharge>
<cac:PaymentExchangeRate><cbc:SourceCurrencyCode>USD</cbc:SourceCurrencyCode>
<cbc:SourceCurrencyBaseRate>1.00</cbc:SourceCurrencyBaseRate><cbc:TargetCurrencyCode>COP</cbc:TargetCurrencyCode>
<cbc:TargetCurrencyBaseRate>1.00</cbc:TargetCurrencyBaseRate><cbc:CalculationRate>4000.50</cbc:CalculationRate>
<cbc:Date>2026-03-02</cbc:Date></cac:PaymentExchangeRate>
{tax("TaxTotal", "100.00", "19.00", "19.00", "01")}
{tax("WithholdingTaxTotal", "19.00", "2.85", "15.00", "05")}
<cac:{totals}><cbc:LineExtensionAmount currencyID="USD">100.00</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="USD">100.00</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="USD">119.00</cbc:TaxInclusiveAmount>
<cbc:AllowanceTotalAmount currencyID="USD">10.00</cbc:AllowanceTotalAmount>
<cbc:PrepaidAmount currencyID="USD">10.00</cbc:PrepaidAmount>
<cbc:PayableAmount currencyID="USD">109.00</cbc:PayableAmount></cac:{totals}>
<cac:{line[root]}><cbc:ID>1</cbc:ID><cbc:{quantity}Quantity unitCode="94">2</cbc:{quantity}Quantity>
<cbc:LineExtensionAmount currencyID="USD">100.00</cbc:LineExtensionAmount>
{tax("TaxTotal", "100.00", "19.00", "19.00", "01")}</cac:{line[root]}>{extra}</{root}>""".encode()


def test_every_group_of_an_export_invoice_is_read_as_written() -> None:
    facts = read_document(parse(document()))
    assert (facts.root, facts.document_type, facts.type_code) == ("Invoice", "02", "02")
    assert facts.uuid == "abcdef" and facts.uuid_scheme_name == "CUFE-SHA384"
    assert facts.currency == "USD" and facts.line_count == "1"
    # The currencyID inside the DIAN extension is not the document's business (FAD15b).
    assert facts.currency_ids == ("USD",)
    assert facts.supplier.tax_id == PartyId("900373076", "4", "31")
    assert facts.supplier.legal_id == PartyId("900373076", "4", "31")
    assert facts.supplier.branch == "SETP" and facts.issuer_nit == "900373076"
    assert facts.customer_id == "800197268" and facts.provider == PartyId("900373076", "4", "31")
    assert facts.numbering.authorization == "18760000001" and facts.consecutive == "990000001"
    assert facts.software_id == "sw-1" and facts.security_code == "abcd"
    assert facts.totals.prepaid == Decimal("10.00") and facts.prepaid_payments == (Decimal(10),)
    assert facts.taxes == {"01": Decimal("19.00")}
    assert facts.withholdings[0].scheme == "05" and facts.withholdings[0].amount == Decimal("2.85")
    assert facts.allowance_charges == (
        AllowanceChargeFacts("1", "false", Decimal("10.00"), Decimal(10), Decimal(100)),
    )
    assert facts.payment_means == (PaymentMeansFacts("2", "42", "2026-04-01"),)
    assert facts.exchange_rate is not None
    assert facts.exchange_rate.calculation_rate == Decimal("4000.50")
    assert facts.references == (ReferenceFacts("SETP1", "ff00", "CUFE-SHA384", "2026-03-01"),)
    (line,) = facts.lines
    assert line.quantity == Decimal(2) and line.taxes[0].subtotals[0].taxable == Decimal(100)


@pytest.mark.parametrize(
    ("root", "type_element", "totals", "profile", "kind"),
    [
        ("CreditNote", "<cbc:CreditNoteTypeCode>91</cbc:CreditNoteTypeCode>", "Legal", "", "91"),
        ("CreditNote", "<cbc:CreditNoteTypeCode>95</cbc:CreditNoteTypeCode>", "Legal", "", "95"),
        ("CreditNote", "", "Legal", "DIAN 2.1: Nota de ajuste al documento soporte ...", "95"),
        ("CreditNote", "", "Legal", "DIAN 2.1: Nota Crédito de Factura Electrónica", "91"),
        ("DebitNote", "", "Requested", "", "92"),
    ],
)
def test_notes_take_their_type_and_totals_from_their_own_elements(
    root: str, type_element: str, totals: str, profile: str, kind: str
) -> None:
    xml = document(root, type_element, f"{totals}MonetaryTotal", profile=profile)
    if kind == "95":  # a nota de ajuste is issued by the buyer (the customer party)
        xml = document(
            root,
            type_element,
            f"{totals}MonetaryTotal",
            supplier=party("AccountingSupplierParty", "1018419008", "5"),
            customer=party("AccountingCustomerParty", "900373076", "4"),
            profile=profile,
        )
    facts = read_document(parse(xml))
    assert (facts.root, facts.document_type) == (root, kind)
    assert facts.totals.payable == Decimal("109.00") and len(facts.lines) == 1
    expected_issuer = "900373076"
    assert facts.issuer_nit == expected_issuer


def test_a_documento_soporte_is_issued_by_the_customer_party() -> None:
    xml = document(
        type_element="<cbc:InvoiceTypeCode>05</cbc:InvoiceTypeCode>",
        supplier=party("AccountingSupplierParty", "1018419008", "5"),
        customer=party("AccountingCustomerParty", "900373076", "4"),
    )
    facts = read_document(parse(xml))
    assert facts.is_support and facts.issuer_nit == "900373076"
    assert facts.counterpart.tax_id.value == "1018419008"
    without_issuer = document(
        type_element="<cbc:InvoiceTypeCode>05</cbc:InvoiceTypeCode>",
        customer="",
    )
    with pytest.raises(SchemaViolation, match="AccountingCustomerParty"):
        read_document(parse(without_issuer))


def test_the_legacy_structures_namespace_is_read_too() -> None:
    facts = read_document(parse(document(sts=LEGACY_STS)))
    assert facts.software_id == "sw-1" and facts.numbering.prefix == "SETP"


def test_a_missing_buyer_id_is_left_to_the_rules() -> None:
    facts = read_document(parse(document(customer="")))
    assert not facts.customer.present and facts.customer_id == ""


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (b"2026-03-02</cbc:IssueDate>", b"2026-13-45</cbc:IssueDate>", "cbc:IssueDate"),
        (b">109.00</cbc:PayableAmount>", b">1,09</cbc:PayableAmount>", "PayableAmount"),
        (b"LegalMonetaryTotal", b"OtherMonetaryTotal", "cac:LegalMonetaryTotal"),
        (b"<sts:DianExtensions>", b"<sts:Other>", "sts:DianExtensions"),
    ],
)
def test_unreadable_values_name_the_element(old: bytes, new: bytes, named: str) -> None:
    broken = document().replace(old, new)
    if old == b"<sts:DianExtensions>":
        broken = broken.replace(b"</sts:DianExtensions>", b"</sts:Other>")
    with pytest.raises(SchemaViolation, match=named):
        read_document(parse(broken))
