"""Parsing a Colombian invoice: every rule refuses with the exact proto field path."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from services.core.rejection import InputRejected
from services.countries.co import totals as co_totals
from services.countries.co.invoice import ColombianInvoice, parse_invoice
from timbra.v1 import document_pb2 as pb


def valid_document() -> pb.Document:
    """2 × 1000.00 at 19 % + 3.5 × 4201.68 at 0 %: 16705.88 + 380.00 IVA = 17085.88."""
    return pb.Document(
        country="co",
        issuer="900373076",
        currency="COP",
        customer=pb.Party(
            tax_id="860046645", name="Cliente Ejemplo S.A.S.", email="compras@cliente.com.co"
        ),
        lines=[
            pb.Line(
                description="Mouse inalámbrico",
                quantity="2",
                unit_price="1000.00",
                taxes=[pb.LineTax(scheme="01", percent="19")],
            ),
            pb.Line(
                description="Leche entera 1 L",
                quantity="3.5",
                unit_price="4201.68",
                taxes=[pb.LineTax(scheme="01", percent="0")],
            ),
        ],
        totals=pb.Totals(
            line_extension_amount="16705.88",
            tax_exclusive_amount="16705.88",
            tax_inclusive_amount="17085.88",
            payable_amount="17085.88",
        ),
        co=pb.ColombiaDocument(),
    )


def rejected(document: pb.Document) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        parse_invoice(document)
    return caught.value


def test_a_valid_invoice_parses_with_dian_defaults():
    invoice = parse_invoice(valid_document())
    assert isinstance(invoice, ColombianInvoice)
    assert (invoice.document_type, invoice.operation_type, invoice.currency) == ("01", "10", "COP")
    customer = invoice.customer
    assert (customer.id_type, customer.check_digit, customer.person_type) == ("31", "9", "1")
    assert customer.tax_responsibilities == ("R-99-PN",)
    assert customer.tax_scheme == "ZZ"
    assert invoice.customer_id == "860046645"
    assert invoice.payable_amount == Decimal("17085.88")
    assert [line.line_extension_amount for line in invoice.lines] == [
        Decimal("2000.00"),
        Decimal("14705.88"),
    ]
    assert [line.unit_code for line in invoice.lines] == ["94", "94"]
    assert (invoice.payment.means, invoice.payment.method_code) == ("1", "10")


def edit(change: Callable[[pb.Document], object]) -> pb.Document:
    document = valid_document()
    change(document)
    return document


CASES = [
    ("missing customer", lambda d: d.ClearField("customer"), "document.customer"),
    (
        "missing customer id",
        lambda d: setattr(d.customer, "tax_id", ""),
        "document.customer.tax_id",
    ),
    (
        "unknown id type",
        lambda d: setattr(d.customer, "id_type", "99"),
        "document.customer.id_type",
    ),
    (
        "cédula with letters",
        lambda d: (setattr(d.customer, "id_type", "13"), setattr(d.customer, "tax_id", "12A45")),
        "document.customer.tax_id",
    ),
    (
        "NIT with dots",
        lambda d: setattr(d.customer, "tax_id", "860.046.645"),
        "document.customer.tax_id",
    ),
    (
        "check digit on a cédula",
        lambda d: (setattr(d.customer, "id_type", "13"), setattr(d.customer, "check_digit", "1")),
        "document.customer.check_digit",
    ),
    ("missing customer name", lambda d: setattr(d.customer, "name", " "), "document.customer.name"),
    (
        "unknown responsibility",
        lambda d: d.customer.tax_responsibilities.extend(["O-13", "O-99"]),
        "document.customer.tax_responsibilities[1]",
    ),
    (
        "repeated responsibility",
        lambda d: d.customer.tax_responsibilities.extend(["O-13", "O-13"]),
        "document.customer.tax_responsibilities[1]",
    ),
    (
        "tax scheme 03",
        lambda d: setattr(d.customer, "tax_scheme", "03"),
        "document.customer.tax_scheme",
    ),
    ("bad e-mail", lambda d: setattr(d.customer, "email", "compras@"), "document.customer.email"),
    (
        "address without DANE code",
        lambda d: d.customer.address.CopyFrom(
            pb.Address(line="Calle 1", city_code="Bogota", city_name="Bogotá", subdivision_name="x")
        ),
        "document.customer.address.city_code",
    ),
    (
        "address in the wrong department",
        lambda d: d.customer.address.CopyFrom(
            pb.Address(
                line="Calle 1",
                city_code="11001",
                city_name="Bogotá",
                subdivision_code="05",
                subdivision_name="Antioquia",
            )
        ),
        "document.customer.address.subdivision_code",
    ),
    ("wrong country", lambda d: setattr(d, "country", "cl"), "document.country"),
    ("chilean details", lambda d: d.cl.SetInParent(), "document.cl"),
    (
        "currency USD without rate",
        lambda d: setattr(d, "currency", "USD"),
        "document.co.exchange_rate",
    ),
    ("currency not ISO", lambda d: setattr(d, "currency", "US$"), "document.currency"),
    ("currency unknown", lambda d: setattr(d, "currency", "XYZ"), "document.currency"),
    (
        "document type 04 requested",
        lambda d: setattr(d.co, "document_type", "04"),
        "document.co.document_type",
    ),
    (
        "document type 07",
        lambda d: setattr(d.co, "document_type", "07"),
        "document.co.document_type",
    ),
    (
        "operation type 09",
        lambda d: setattr(d.co, "operation_type", "09"),
        "document.co.operation_type",
    ),
    ("prefix of 5", lambda d: setattr(d.co, "range_prefix", "SETPX"), "document.co.range_prefix"),
    ("no lines", lambda d: d.ClearField("lines"), "document.lines"),
    (
        "no description",
        lambda d: setattr(d.lines[1], "description", ""),
        "document.lines[1].description",
    ),
    ("zero quantity", lambda d: setattr(d.lines[1], "quantity", "0"), "document.lines[1].quantity"),
    (
        "negative quantity",
        lambda d: setattr(d.lines[0], "quantity", "-2"),
        "document.lines[0].quantity",
    ),
    (
        "quantity with 7 decimals",
        lambda d: setattr(d.lines[0], "quantity", "1.0000001"),
        "document.lines[0].quantity",
    ),
    (
        "missing quantity",
        lambda d: setattr(d.lines[0], "quantity", ""),
        "document.lines[0].quantity",
    ),
    (
        "unit code as words",
        lambda d: setattr(d.lines[0], "unit_code", "unidad"),
        "document.lines[0].unit_code",
    ),
    (
        "negative price",
        lambda d: setattr(d.lines[0], "unit_price", "-1.00"),
        "document.lines[0].unit_price",
    ),
    (
        "price 12.345",
        lambda d: setattr(d.lines[0], "unit_price", "12.345"),
        "document.lines[0].unit_price",
    ),
    (
        "price 1e3",
        lambda d: setattr(d.lines[0], "unit_price", "1e3"),
        "document.lines[0].unit_price",
    ),
    (
        "price 1,000.00",
        lambda d: setattr(d.lines[0], "unit_price", "1,000.00"),
        "document.lines[0].unit_price",
    ),
    ("no tax", lambda d: d.lines[0].ClearField("taxes"), "document.lines[0].taxes"),
    (
        "INC at 19 %",
        lambda d: setattr(d.lines[0].taxes[0], "scheme", "04"),
        "document.lines[0].taxes[0].percent",
    ),
    (
        "tax scheme 02",
        lambda d: setattr(d.lines[0].taxes[0], "scheme", "02"),
        "document.lines[0].taxes[0].scheme",
    ),
    (
        "two IVA",
        lambda d: d.lines[0].taxes.add(scheme="01", percent="5"),
        "document.lines[0].taxes[1]",
    ),
    (
        "ICA at 2 %",
        lambda d: d.lines[0].taxes.add(scheme="03", percent="2"),
        "document.lines[0].taxes[1].percent",
    ),
    (
        "ICA alone",
        lambda d: (d.lines[0].ClearField("taxes"), d.lines[0].taxes.add(scheme="03", percent="1")),
        "document.lines[0].taxes",
    ),
    (
        "unknown rate 12",
        lambda d: setattr(d.lines[0].taxes[0], "percent", "12"),
        "document.lines[0].taxes[0].percent",
    ),
    (
        "rate 1e1",
        lambda d: setattr(d.lines[0].taxes[0], "percent", "1e1"),
        "document.lines[0].taxes[0].percent",
    ),
    (
        "declared line amount off by a cent",
        lambda d: setattr(d.lines[1], "line_extension_amount", "14705.87"),
        "document.lines[1].line_extension_amount",
    ),
    (
        "declared tax amount wrong",
        lambda d: setattr(d.lines[0].taxes[0], "amount", "379.99"),
        "document.lines[0].taxes[0].amount",
    ),
    ("no totals", lambda d: d.ClearField("totals"), "document.totals"),
    (
        "missing payable",
        lambda d: setattr(d.totals, "payable_amount", ""),
        "document.totals.payable_amount",
    ),
    (
        "payable 1e3",
        lambda d: setattr(d.totals, "payable_amount", "1e3"),
        "document.totals.payable_amount",
    ),
    (
        "payable 12.345",
        lambda d: setattr(d.totals, "payable_amount", "12.345"),
        "document.totals.payable_amount",
    ),
    (
        "line extension does not add up",
        lambda d: setattr(d.totals, "line_extension_amount", "16705.89"),
        "document.totals.line_extension_amount",
    ),
    (
        "tax exclusive does not add up",
        lambda d: setattr(d.totals, "tax_exclusive_amount", "2000.00"),
        "document.totals.tax_exclusive_amount",
    ),
    (
        "tax inclusive does not add up",
        lambda d: setattr(d.totals, "tax_inclusive_amount", "16705.88"),
        "document.totals.tax_inclusive_amount",
    ),
    (
        "document discount",
        lambda d: setattr(d.totals, "allowance_total_amount", "100.00"),
        "document.totals.allowance_total_amount",
    ),
    (
        "document charge",
        lambda d: setattr(d.totals, "charge_total_amount", "5.00"),
        "document.totals.charge_total_amount",
    ),
    ("payment means 3", lambda d: setattr(d.payment, "means", "3"), "document.payment.means"),
    (
        "payment method 99",
        lambda d: setattr(d.payment, "method_code", "99"),
        "document.payment.method_code",
    ),
    (
        "credit without due date",
        lambda d: setattr(d.payment, "means", "2"),
        "document.payment.due_date",
    ),
    (
        "due date with slashes",
        lambda d: (setattr(d.payment, "means", "2"), setattr(d.payment, "due_date", "2026/06/30")),
        "document.payment.due_date",
    ),
    (
        "due date not in the calendar",
        lambda d: (setattr(d.payment, "means", "2"), setattr(d.payment, "due_date", "2026-02-30")),
        "document.payment.due_date",
    ),
    ("empty note", lambda d: d.notes.extend(["ok", " "]), "document.notes[1]"),
    ("note of 6000 characters", lambda d: d.notes.append("x" * 6000), "document.notes[0]"),
    (
        "control character in a description",
        lambda d: setattr(d.lines[0], "description", "Mouse\x07"),
        "document.lines[0].description",
    ),
    (
        "control character in a name",
        lambda d: setattr(d.customer, "name", "ACME\x00"),
        "document.customer.name",
    ),
    (
        "address without a street line",
        lambda d: d.customer.address.CopyFrom(
            pb.Address(city_code="11001", city_name="Bogotá", subdivision_name="Bogotá")
        ),
        "document.customer.address.line",
    ),
]


@pytest.mark.parametrize(("change", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_refuses_with_the_field_path(change, field):
    error = rejected(edit(change))
    assert error.field == field, error.message


def test_a_wrong_nit_check_digit_names_the_expected_one():
    document = edit(
        lambda d: (
            setattr(d.customer, "tax_id", "900373076"),
            setattr(d.customer, "check_digit", "5"),
        )
    )
    error = rejected(document)
    assert error.message == (
        "document.customer.check_digit: check digit 5 does not match NIT 900373076 (expected 4)"
    )


def test_totals_that_do_not_add_up_say_both_numbers():
    error = rejected(edit(lambda d: setattr(d.totals, "payable_amount", "17085.87")))
    assert (
        error.message
        == "document.totals.payable_amount: is 17085.87 but the lines add up to 17085.88"
    )


def test_exponent_and_extra_decimals_are_refused_with_their_text():
    assert "1e3" in rejected(edit(lambda d: setattr(d.lines[0], "unit_price", "1e3"))).rule
    assert (
        "at most 2 decimals"
        in rejected(edit(lambda d: setattr(d.lines[0], "unit_price", "12.345"))).rule
    )


def test_refusals_name_the_dian_rule_or_list():
    assert "FAR01" in rejected(edit(lambda d: setattr(d, "currency", "USD"))).rule
    charge = rejected(edit(lambda d: setattr(d.totals, "charge_total_amount", "1")))
    assert charge.rule == "is 1 but the document charges add up to 0.00"
    assert (
        "use 2, 4, 8, 16"
        in rejected(edit(lambda d: setattr(d.lines[0].taxes[0], "scheme", "04"))).rule
    )
    assert (
        "send the invoice as 01"
        in rejected(edit(lambda d: setattr(d.co, "document_type", "04"))).rule
    )


def test_a_nit_check_digit_is_computed_when_empty_and_accepted_when_right():
    invoice = parse_invoice(edit(lambda d: setattr(d.customer, "check_digit", "9")))
    assert invoice.customer.check_digit == "9"


def test_the_final_consumer_is_accepted_as_a_natural_person_with_cedula():
    def final_consumer(d: pb.Document) -> None:
        d.customer.CopyFrom(pb.Party(tax_id="222222222222"))

    customer = parse_invoice(edit(final_consumer)).customer
    assert (customer.tax_id, customer.id_type, customer.person_type) == ("222222222222", "13", "2")
    assert customer.name == "Consumidor final"


def test_person_type_defaults_to_natural_for_a_cedula_and_follows_the_request():
    cedula = parse_invoice(
        edit(
            lambda d: (
                setattr(d.customer, "id_type", "13"),
                setattr(d.customer, "tax_id", "1018419008"),
            )
        )
    )
    assert cedula.customer.person_type == "2"
    natural_nit = parse_invoice(
        edit(lambda d: setattr(d.customer, "person_type", pb.PERSON_TYPE_NATURAL))
    )
    assert natural_nit.customer.person_type == "2"


def test_declared_line_amounts_that_match_are_accepted():
    def declared(d: pb.Document) -> None:
        d.lines[0].line_extension_amount = "2000.00"
        d.lines[0].taxes[0].amount = "380.00"
        d.lines[1].line_extension_amount = "14705.88"
        d.lines[1].taxes[0].amount = "0"
        d.totals.allowance_total_amount = "0.00"

    invoice = parse_invoice(edit(declared))
    assert invoice.lines[0].tax_amount == Decimal("380.00")


def test_credit_sale_with_due_date():
    invoice = parse_invoice(
        edit(
            lambda d: d.payment.CopyFrom(
                pb.Payment(means="2", method_code="42", due_date="2026-06-30")
            )
        )
    )
    assert (invoice.payment.means, invoice.payment.method_code) == ("2", "42")
    assert invoice.payment.due_date.isoformat() == "2026-06-30"


def test_standard_item_codes_get_dian_schemes():
    document = valid_document()
    document.lines[0].standard_item_code = "43211708"  # an 8-digit UNSPSC commodity code
    document.lines[1].standard_item_code = "7702001012343"  # a GTIN-13 with a valid check digit
    invoice = parse_invoice(document)
    assert [line.standard_item_scheme for line in invoice.lines] == ["001", "010"]
    document.lines[1].standard_item_code = "7702001012345"  # bad check digit: the seller's own
    assert parse_invoice(document).lines[1].standard_item_scheme == "999"


def test_header_taxes_are_recomputed_from_the_summed_base():
    # Three lines of 0.10 at 5 %: each line rounds 0.005 up to 0.01, but the header subtotal
    # must satisfy FAS07 on its own base: 0.30 × 5 % = 0.015 -> 0.02.
    lines = [co_totals.PricedLine(Decimal("1"), Decimal("0.10"), "01", Decimal(5))] * 3
    result = co_totals.compute_totals(lines)
    assert [a.tax for a in result.lines] == [Decimal("0.01")] * 3
    (iva,) = result.tax_totals
    (subtotal,) = iva.subtotals
    assert (subtotal.taxable, subtotal.tax, iva.amount) == (
        Decimal("0.30"),
        Decimal("0.02"),
        Decimal("0.02"),
    )
    assert result.tax_inclusive == result.payable == Decimal("0.32")


def test_line_amounts_round_half_up():
    assert co_totals.line_amount(Decimal("3.5"), Decimal("4201.69")) == Decimal("14705.92")  # .915
    assert co_totals.line_amount(Decimal("0.333"), Decimal("0.15")) == Decimal("0.05")  # .04995
    assert co_totals.tax_on(Decimal("0.50"), Decimal(5)) == Decimal("0.03")  # .025
