"""DIAN's totals with discounts, surcharges, several taxes, withholdings and prepayments.

One document worked by hand, then DIAN's FAU/FAS/FAQ formulas recomputed from its XML.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from services.countries.co import demo
from services.countries.co.allowances import percent_for
from services.countries.co.invoice import parse_invoice
from services.countries.co.namespaces import PREFIXES as NS
from tests.unit.test_co_documents import build, parse, text
from timbra.v1 import document_pb2 as pb


def worked_example() -> pb.Document:
    """Line 1: 2 × 1000.00 − 10 % = 1800.00, IVA 19 % 342.00, ReteFuente 2.5 % 45.00,
    ReteIVA 15 % of the IVA 51.30. Line 2: 500.00 with INC 8 % 40.00 and ICA 9.66 ‰ 4.83.
    Document: discount 100.00 (its percent derived), freight 5 % of 2300.00 = 115.00, an
    advance of 50.00. Taxes 386.83; TaxInclusive 2686.83; payable 2686.83 − 100 + 115."""
    return pb.Document(
        country="co",
        issuer="900373076",
        customer=pb.Party(tax_id="860046645", name="Cliente Ejemplo S.A.S."),
        lines=[
            pb.Line(
                description="Mouse inalámbrico",
                quantity="2",
                unit_price="1000.00",
                taxes=[
                    pb.LineTax(scheme="01", percent="19"),
                    pb.LineTax(scheme="06", percent="2.5"),
                    pb.LineTax(scheme="05", percent="15", taxable_amount="342.00"),
                ],
                allowance_charges=[pb.AllowanceCharge(reason_code="10", percent="10")],
            ),
            pb.Line(
                description="Almuerzo ejecutivo",
                quantity="1",
                unit_price="500.00",
                taxes=[
                    pb.LineTax(scheme="04", percent="8", amount="40.00"),
                    pb.LineTax(scheme="03", percent="0.966"),
                ],
            ),
        ],
        allowance_charges=[
            pb.AllowanceCharge(amount="100.00"),
            pb.AllowanceCharge(charge=True, reason="Flete", percent="5"),
        ],
        totals=pb.Totals(
            line_extension_amount="2300.00",
            tax_exclusive_amount="2300.00",
            tax_inclusive_amount="2686.83",
            allowance_total_amount="100.00",
            charge_total_amount="115.00",
            prepaid_amount="50.00",
            payable_amount="2701.83",
        ),
        co=pb.ColombiaDocument(
            prepayments=[pb.Prepayment(id="ANT-1", amount="50.00", received_date="2026-05-01")]
        ),
    )


def test_the_worked_example_parses_with_the_hand_computed_totals():
    invoice = parse_invoice(worked_example())
    totals = invoice.totals
    assert (totals.line_extension, totals.tax_exclusive, totals.tax_inclusive) == (
        Decimal("2300.00"),
        Decimal("2300.00"),
        Decimal("2686.83"),
    )
    assert (totals.allowance, totals.charge, totals.prepaid, totals.payable) == (
        Decimal("100.00"),
        Decimal("115.00"),
        Decimal("50.00"),
        Decimal("2701.83"),
    )
    assert {t.scheme: t.amount for t in totals.tax_totals} == {
        "01": Decimal("342.00"),
        "03": Decimal("4.83"),
        "04": Decimal("40.00"),
    }
    assert {w.scheme: w.amount for w in totals.withholding_totals} == {
        "05": Decimal("51.30"),
        "06": Decimal("45.00"),
    }
    first, second = invoice.lines
    assert (first.line_extension_amount, first.tax_amount) == (Decimal("1800.00"), Decimal("342"))
    assert second.tax_amount == Decimal("44.83")


def test_totals_computed_by_the_demo_erp_are_the_same():
    document = worked_example()
    document.ClearField("totals")
    assert demo.with_totals(document).totals == worked_example().totals


def amount(node, path: str) -> Decimal:
    return Decimal(text(node, path))


def rounded(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def root():
    return parse(build(worked_example()).unsigned_xml)


def test_fau_rules_hold_on_the_xml(root):
    ns = NS
    total = root.find("cac:LegalMonetaryTotal", ns)
    lines = root.findall("cac:InvoiceLine", ns)
    line_sum = sum(amount(line, "cbc:LineExtensionAmount") for line in lines)
    assert amount(total, "cbc:LineExtensionAmount") == line_sum
    # FAU04: each line's base counted once, though line 2 carries INC and ICA.
    bases = [amount(line, "cac:TaxTotal[1]/cac:TaxSubtotal/cbc:TaxableAmount") for line in lines]
    assert amount(total, "cbc:TaxExclusiveAmount") == sum(bases)
    taxes = sum(Decimal(t.text) for t in root.findall("cac:TaxTotal/cbc:TaxAmount", ns))
    assert amount(total, "cbc:TaxInclusiveAmount") == rounded(line_sum + taxes)  # FAU06
    groups = root.findall("cac:AllowanceCharge", ns)
    discounts = sum(
        amount(g, "cbc:Amount") for g in groups if text(g, "cbc:ChargeIndicator") == "false"
    )
    charges = sum(
        amount(g, "cbc:Amount") for g in groups if text(g, "cbc:ChargeIndicator") == "true"
    )
    assert amount(total, "cbc:AllowanceTotalAmount") == discounts == Decimal("100.00")  # FAU08
    assert amount(total, "cbc:ChargeTotalAmount") == charges == Decimal("115.00")  # FAU10
    prepaid = sum(amount(p, "cbc:PaidAmount") for p in root.findall("cac:PrepaidPayment", ns))
    assert amount(total, "cbc:PrepaidAmount") == prepaid == Decimal("50.00")  # FAU12
    expected = amount(total, "cbc:TaxInclusiveAmount") - discounts + charges  # FAU14
    assert amount(total, "cbc:PayableAmount") == expected == Decimal("2701.83")


def test_every_subtotal_satisfies_fas07(root):
    ns = NS
    subtotals = root.findall(".//cac:TaxSubtotal", ns)
    assert len(subtotals) == 10  # header: 3 taxes + 2 withholdings; line 1: 1 + 2; line 2: 2
    for subtotal in subtotals:
        taxable = amount(subtotal, "cbc:TaxableAmount")
        percent = amount(subtotal, "cac:TaxCategory/cbc:Percent")
        assert amount(subtotal, "cbc:TaxAmount") == rounded(taxable * percent / 100)


def test_withholdings_are_reported_apart_and_change_no_total(root):
    ns = NS
    header = {
        text(w, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID"): text(w, "cbc:TaxAmount")
        for w in root.findall("cac:WithholdingTaxTotal", ns)
    }
    assert header == {"05": "51.30", "06": "45.00"}
    rete_iva = root.find("cac:WithholdingTaxTotal/cac:TaxSubtotal", ns)
    assert text(rete_iva, "cbc:TaxableAmount") == "342.00"  # the IVA, not the line
    names = [t.text for t in root.findall("cac:TaxTotal//cac:TaxScheme/cbc:Name", ns)]
    assert names == ["IVA", "ICA", "INC"]
    assert text(root, "cac:TaxTotal[2]/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "0.966"


def test_allowance_groups_are_numbered_and_complete(root):
    ns = NS
    discount, freight = root.findall("cac:AllowanceCharge", ns)
    assert [text(discount, f"cbc:{n}") for n in ("ID", "ChargeIndicator")] == ["1", "false"]
    assert text(discount, "cbc:AllowanceChargeReasonCode") == "09"
    assert text(discount, "cbc:AllowanceChargeReason") == "Descuento general"
    base = amount(discount, "cbc:BaseAmount")
    factor = amount(discount, "cbc:MultiplierFactorNumeric")
    assert base == Decimal("2300.00") and rounded(base * factor / 100) == Decimal("100.00")
    assert (
        text(freight, "cbc:ID") == "2" and freight.find("cbc:AllowanceChargeReasonCode", ns) is None
    )
    assert text(freight, "cbc:MultiplierFactorNumeric") == "5.00"
    (line_discount,) = root.findall("cac:InvoiceLine[1]/cac:AllowanceCharge", ns)
    assert [text(line_discount, f"cbc:{n}") for n in ("ID", "Amount", "BaseAmount")] == [
        "1",
        "200.00",
        "2000.00",
    ]
    assert text(line_discount, "cbc:AllowanceChargeReasonCode") == "10"


@pytest.mark.parametrize(
    ("amount_", "base"),
    [("100.00", "2300.00"), ("0.01", "987654321.98"), ("33.33", "99.99"), ("7.00", "7.00")],
)
def test_a_derived_percent_gives_back_the_amount(amount_, base):
    percent = percent_for(Decimal(amount_), Decimal(base))
    assert rounded(Decimal(base) * percent / 100) == Decimal(amount_)
    assert percent <= 100
