"""SII totals: the reference's §10.4 vectors, half-up IVA, line and global adjustments."""

from __future__ import annotations

from decimal import Decimal

from services.countries.cl.document import parse_document
from services.countries.cl.erp_totals import expected_totals, with_totals
from services.countries.cl.totals import vat
from timbra.v1 import document_pb2

ISSUER = "76192083-9"


def document(
    dte_type: int, lines: list[document_pb2.Line], **kwargs: object
) -> document_pb2.Document:
    request = document_pb2.Document(
        country="cl",
        issuer=ISSUER,
        customer=document_pb2.Party(
            tax_id="77777777-7",
            name="Cliente Ltda.",
            business_activity="Comercio",
            address=document_pb2.Address(line="Calle 1", city_name="Santiago"),
        ),
        lines=lines,
        cl=document_pb2.ChileDocument(dte_type=dte_type, payment_form=1),
        **kwargs,
    )
    return request


def test_33_001_quantity_times_price():
    # montos_esperados 33_001: 450 × 70 → neto 31500, IVA 5985, total 37485.
    totals = expected_totals(
        document(33, [document_pb2.Line(description="Item", quantity="450", unit_price="70")])
    )
    assert (totals.net, totals.vat, totals.total) == (31500, 5985, 37485)


def test_33_004_global_discount_of_ten_percent():
    # 33_004: 1 × 104090 with a 10 % global discount → neto 93681, IVA 17799, total 111480.
    request = document(
        33,
        [document_pb2.Line(description="Item", quantity="1", unit_price="104090")],
        allowance_charges=[document_pb2.AllowanceCharge(percent="10")],
    )
    totals = expected_totals(request)
    assert (totals.net, totals.vat, totals.total) == (93681, 17799, 111480)
    assert totals.discounts == 10409


def test_39_001_iva_of_a_neto_of_1000():
    # 39_001 (boleta, gross 1190): neto 1000, IVA 190. timbra issues no boletas; the IVA rule
    # from neto is the same.
    assert vat(Decimal(1000)) == 190
    assert Decimal(1000) + vat(Decimal(1000)) == 1190


def test_61_002_text_correction_is_all_zeros():
    request = document(
        61,
        [document_pb2.Line(description="Corrige giro\nDONDE DICE: A DEBE DECIR: B")],
    )
    request.cl.payment_form = 0
    request.cl.references.add(document_type="33", folio="1", date="2025-01-01", code=2)
    totals = parse_document(with_totals(request), "document").totals
    assert (totals.net, totals.exempt, totals.vat, totals.total) == (0, 0, 0, 0)


def test_iva_rounds_half_up_never_to_even():
    # 150 × 19 % = 28.5: half-up gives 29 (PHP round, the SII's examples), banker's gives 28.
    assert vat(Decimal(150)) == 29
    assert round(Decimal("28.5")) == 28  # the pitfall the rule avoids
    assert vat(Decimal(50)) == 10  # 9.5
    assert vat(Decimal(149)) == 28  # 28.31


def test_line_discount_and_surcharge_are_shares_of_quantity_times_price():
    line = document_pb2.Line(description="Item", quantity="3", unit_price="1234.5")  # 3703.5 → 3704
    line.allowance_charges.add(percent="7.5")  # 277.8 → 278
    line.allowance_charges.add(charge=True, percent="2")  # 74.08 → 74
    parsed = parse_document(with_totals(document(33, [line])), "document")
    item = parsed.lines[0]
    assert (item.gross, item.discount.amount, item.surcharge.amount, item.amount) == (
        3704,
        278,
        74,
        3500,
    )
    assert parsed.totals.net == 3500 and parsed.totals.vat == 665


def test_exempt_lines_and_global_discounts_by_base():
    lines = [
        document_pb2.Line(description="Afecto", quantity="2", unit_price="10000"),
        document_pb2.Line(description="Exento", quantity="1", unit_price="5000", exemption="1"),
        document_pb2.Line(
            description="No facturable", quantity="1", unit_price="700", exemption="2"
        ),
    ]
    request = document(
        33,
        lines,
        allowance_charges=[
            document_pb2.AllowanceCharge(percent="5"),  # of 20000 taxed → 1000
            document_pb2.AllowanceCharge(amount="500", exempt_amounts=True),  # of 5000 exempt
            document_pb2.AllowanceCharge(charge=True, amount="300"),  # surcharge on taxed
        ],
    )
    totals = expected_totals(request)
    assert totals.net == 20000 - 1000 + 300
    assert totals.exempt == 4500
    assert totals.vat == 3667  # 19300 × 19 % = 3667
    assert totals.total == 19300 + 4500 + 3667
    assert totals.not_billable == 700  # MontoNF, outside MntTotal
    assert (totals.discounts, totals.surcharges) == (1500, 300)


def test_percent_global_discounts_are_each_computed_on_the_line_sum():
    lines = [document_pb2.Line(description="Afecto", quantity="1", unit_price="1000")]
    request = document(
        33,
        lines,
        allowance_charges=[
            document_pb2.AllowanceCharge(percent="10"),
            document_pb2.AllowanceCharge(percent="10"),
        ],
    )
    assert expected_totals(request).net == 800


def test_a_factura_exenta_is_all_exempt_without_iva():
    lines = [document_pb2.Line(description="Curso", quantity="2", unit_price="45000")]
    request = document(34, lines, allowance_charges=[document_pb2.AllowanceCharge(percent="5")])
    totals = parse_document(with_totals(request), "document").totals
    assert (totals.net, totals.exempt, totals.vat, totals.total) == (0, 85500, 0, 85500)
