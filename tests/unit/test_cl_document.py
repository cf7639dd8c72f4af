"""Every rule of a Chilean DTE request, each refusal naming its proto field path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.core.rejection import InputRejected
from services.countries.cl.document import parse_document
from services.countries.cl.erp_totals import with_totals
from services.countries.pack import Reference
from timbra.v1 import document_pb2

ISSUER = "76192083-9"


def receiver(**fields: object) -> document_pb2.Party:
    """A complete Receptor (giro, address, comuna)."""
    party = document_pb2.Party(
        tax_id="77777777-7",
        name="Ferretería El Ñandú Ltda.",
        business_activity="Venta al por menor de artículos de ferretería",
        address=document_pb2.Address(line="Av. Matta 1234", city_name="Santiago"),
    )
    for name, value in fields.items():
        setattr(party, name, value)
    return party


def request(dte_type: int = 33, **cl: object) -> document_pb2.Document:
    """A valid request of `dte_type` with one taxed line, totals filled."""
    document = document_pb2.Document(
        country="cl",
        issuer=ISSUER,
        customer=receiver(),
        lines=[
            document_pb2.Line(description="Martillo de carpintero", quantity="3", unit_price="8990")
        ],
        cl=document_pb2.ChileDocument(
            dte_type=dte_type, payment_form=1 if dte_type in (33, 34) else 0
        ),
    )
    if dte_type == 52:
        document.cl.transfer_indicator = 1
    if dte_type in (56, 61):
        document.cl.references.add(
            document_type="33", folio="12", date="2025-01-02", code=3, reason="Diferencia de precio"
        )
    for name, value in cl.items():
        setattr(document.cl, name, value)
    return with_totals(document)


def refused(document: document_pb2.Document) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        parse_document(document, "document")
    return caught.value


@pytest.mark.parametrize("dte_type", [33, 34, 52, 56, 61])
def test_a_valid_request_of_every_type_parses(dte_type):
    document = request(dte_type)
    if dte_type == 34:
        document.lines[0].exemption = "1"
        with_totals(document)
    parsed = parse_document(document, "document")
    assert parsed.document_type == str(dte_type)
    assert parsed.range_field == "document.cl.dte_type"
    assert parsed.range_prefix == ""
    assert parsed.currency == "CLP"
    assert parsed.customer_id == "77777777-7"
    assert parsed.paper_number is None and parsed.paper_issued_at is None


def test_money_is_decimal_in_whole_pesos():
    parsed = parse_document(request(), "document")
    assert parsed.payable_amount == Decimal("32094")  # 26970 + 19 % (5124.3 → 5124)
    assert isinstance(parsed.totals.vat, Decimal)


def test_the_reference_of_a_note_is_the_first_dte_it_names():
    document = request(61)
    document.cl.references.insert(
        0,
        document_pb2.ChileReference(document_type="801", folio="OC-77", date="2025-01-01", code=3),
    )
    parsed = parse_document(document, "document")
    assert parsed.reference == Reference(
        number="12",
        document_key=f"{ISSUER}-33-12",
        issue_date=date(2025, 1, 2),
        document_type="33",
        field="document.cl.references[1]",  # after the purchase order inserted first
    )


def test_a_factura_citing_only_a_purchase_order_has_no_platform_reference():
    document = request(33)
    document.cl.references.add(document_type="801", folio="OC-4471", date="2025-01-01")
    assert parse_document(document, "document").reference is None


def _set(document: document_pb2.Document, path: str, value: object) -> document_pb2.Document:
    *parents, last = path.split(".")
    target = document
    for part in parents:
        if part.endswith("]"):
            name, index = part[:-1].split("[")
            target = getattr(target, name)[int(index)]
        else:
            target = getattr(target, part)
    setattr(target, last, value)
    return document


@pytest.mark.parametrize(
    ("path", "value", "field", "rule"),
    [
        ("country", "co", "document.country", "must be 'cl'"),
        ("issuer", "76192083-8", "document.issuer", "check digit"),
        ("issuer", "76.192.083-9", "document.issuer", "write the RUT as 76192083-9"),
        ("currency", "USD", "document.currency", "CLP"),
        ("customer.tax_id", "77777777-6", "document.customer.tax_id", "check digit"),
        ("customer.name", "", "document.customer.name", "is required"),
        ("customer.name", "x" * 101, "document.customer.name", "100"),
        ("customer.business_activity", "", "document.customer.business_activity", "GiroRecep"),
        ("customer.address.line", "", "document.customer.address.line", "DirRecep"),
        ("customer.address.city_name", "", "document.customer.address.city_name", "CmnaRecep"),
        ("customer.name", "Café ☕ Ltda.", "document.customer.name", "ISO-8859-1"),
        ("customer.tax_scheme", "01", "document.customer.tax_scheme", "no place"),
        ("lines[0].description", "", "document.lines[0].description", "is required"),
        ("lines[0].description", "y" * 81, "document.lines[0].description", "80"),
        ("lines[0].quantity", "", "document.lines[0].quantity", "required with a unit price"),
        ("lines[0].quantity", "-1", "document.lines[0].quantity", "greater than zero"),
        ("lines[0].quantity", "1.1234567", "document.lines[0].quantity", "6 decimals"),
        ("lines[0].unit_price", "1e3", "document.lines[0].unit_price", "plain decimal"),
        ("lines[0].unit_code", "UNIDAD", "document.lines[0].unit_code", "1 to 4"),
        ("lines[0].exemption", "3", "document.lines[0].exemption", "not supported"),
        (
            "lines[0].line_extension_amount",
            "27000",
            "document.lines[0].line_extension_amount",
            "difference of 30",
        ),
        ("cl.dte_type", 39, "document.cl.dte_type", "must be one of"),
        ("cl.payment_form", 0, "document.cl.payment_form", "is required"),
        ("cl.payment_form", 4, "document.cl.payment_form", "FmaPago"),
        ("cl.transfer_indicator", 1, "document.cl.transfer_indicator", "guías de despacho"),
        ("payment.means", "1", "document.payment.means", "payment_form"),
        ("payment.method_code", "ZZ", "document.payment.method_code", "MedioPago"),
        ("payment.due_date", "2025-02-30", "document.payment.due_date", "calendar date"),
        ("totals.payable_amount", "32095", "document.totals.payable_amount", "difference of 1"),
        (
            "totals.tax_inclusive_amount",
            "32094.5",
            "document.totals.tax_inclusive_amount",
            "whole pesos",
        ),
        ("totals.tax_exclusive_amount", "26971", "document.totals.tax_exclusive_amount", "26970"),
        (
            "totals.line_extension_amount",
            "",
            "document.totals.line_extension_amount",
            "is required",
        ),
        ("totals.prepaid_amount", "100", "document.totals.prepaid_amount", "no prepayments"),
    ],
)
def test_each_rule_refuses_with_its_field_path(path, value, field, rule):
    error = refused(_set(request(), path, value))
    assert error.field == field
    assert rule in error.rule


def test_the_chilean_part_is_required():
    document = request()
    document.ClearField("cl")
    assert refused(document).field == "document.cl"


def test_the_receiver_is_required():
    document = request()
    document.ClearField("customer")
    assert refused(document).field == "document.customer"


def test_notes_are_refused():
    document = request()
    document.notes.append("Gracias por su compra")
    assert refused(document).field == "document.notes"


def test_line_taxes_are_refused_because_iva_is_implied():
    document = request()
    document.lines[0].taxes.add(scheme="01", percent="19")
    assert refused(document).field == "document.lines[0].taxes"


def test_at_most_60_lines():
    document = request()
    for _ in range(60):
        document.lines.add(description="Tornillo", quantity="1", unit_price="10")
    assert "at most 60" in refused(document).rule


def test_a_factura_afecta_without_taxed_lines_is_refused():
    document = request()
    document.lines[0].exemption = "1"
    error = refused(with_totals(document))
    assert error.field == "document.lines" and "factura exenta (34)" in error.rule


def test_a_note_receiver_needs_no_giro_or_address():
    document = request(61)
    document.customer.ClearField("address")
    document.customer.business_activity = ""
    assert parse_document(document, "document").receiver.address == ""


def test_a_long_giro_is_clipped_to_the_sii_field():
    document = request()
    document.customer.business_activity = (
        "Venta al por mayor de materiales de construcción, artículos de ferretería"
    )
    assert (
        parse_document(document, "document").receiver.activity
        == "Venta al por mayor de materiales de const"[:40]
    )


def test_the_rut_may_come_as_body_and_check_digit():
    document = request()
    document.customer.tax_id, document.customer.check_digit = "96874030", "k"
    assert parse_document(document, "document").receiver.rut == "96874030-K"


def test_the_description_second_line_is_the_item_description():
    document = request()
    document.lines[0].description = "Martillo de carpintero\nMango de fibra de vidrio, 16 oz"
    line = parse_document(document, "document").lines[0]
    assert (line.name, line.description) == (
        "Martillo de carpintero",
        "Mango de fibra de vidrio, 16 oz",
    )


class TestGuia:
    def test_indtraslado_is_required(self):
        error = refused(request(52, transfer_indicator=0))
        assert error.field == "document.cl.transfer_indicator" and "IndTraslado" in error.rule

    def test_indtraslado_out_of_range(self):
        assert refused(request(52, transfer_indicator=10)).field == "document.cl.transfer_indicator"

    def test_tipodespacho(self):
        assert parse_document(request(52, dispatch_type=2), "document").dispatch_type == 2
        assert refused(request(52, dispatch_type=4)).field == "document.cl.dispatch_type"

    def test_goods_moved_without_price(self):
        document = request(52, transfer_indicator=5)
        document.lines[0].ClearField("unit_price")
        parsed = parse_document(with_totals(document), "document")
        assert parsed.payable_amount == 0 and parsed.lines[0].quantity == 3


class TestReferences:
    def test_a_note_needs_the_document_it_corrects(self):
        document = request(61)
        del document.cl.references[:]
        assert "references the document it corrects" in refused(document).rule

    def test_every_reference_of_a_note_carries_codref(self):
        document = request(61)
        document.cl.references.add(document_type="801", folio="OC-1", date="2025-01-01")
        error = refused(document)
        assert error.field == "document.cl.references[1].code" and "CodRef" in error.rule

    def test_a_factura_has_no_codref(self):
        document = request(33)
        document.cl.references.add(document_type="52", folio="4", date="2025-01-01", code=1)
        assert refused(document).field == "document.cl.references[0].code"

    def test_codref_values(self):
        document = request(61)
        document.cl.references[0].code = 4
        assert refused(document).field == "document.cl.references[0].code"

    def test_an_annulment_names_a_single_document(self):
        document = request(61)
        document.cl.references[0].code = 1
        document.cl.references.add(document_type="33", folio="13", date="2025-01-02", code=1)
        assert "single document" in refused(document).rule

    def test_a_text_correction_names_a_single_document(self):
        document = request(61)
        document.cl.references[0].code = 2
        document.lines[0].ClearField("quantity")
        document.lines[0].ClearField("unit_price")
        document.cl.references.add(document_type="34", folio="3", date="2025-01-02", code=2)
        assert "single document" in refused(with_totals(document)).rule

    def test_several_documents_may_have_their_amounts_corrected(self):
        document = request(61)
        document.cl.references.add(document_type="33", folio="13", date="2025-01-02", code=3)
        assert len(parse_document(document, "document").references) == 2

    def test_mixed_codes_are_refused(self):
        document = request(61)
        document.cl.references.add(document_type="33", folio="13", date="2025-01-02", code=1)
        assert "different CodRef" in refused(document).rule

    def test_a_text_correction_has_zero_amounts(self):
        document = request(61)
        document.cl.references[0].code = 2
        assert "carries no amounts" in refused(with_totals(document)).rule
        document.lines[0].ClearField("quantity")
        document.lines[0].ClearField("unit_price")
        document.lines[
            0
        ].description = "Corrige giro\nDONDE DICE: Comercio DEBE DECIR: Construcción"
        parsed = parse_document(with_totals(document), "document")
        assert parsed.payable_amount == 0 and parsed.correction_code == 2

    def test_a_correction_of_amounts_states_some(self):
        document = request(61)
        document.lines[0].ClearField("unit_price")
        assert "CodRef 3" in refused(with_totals(document)).rule

    def test_reference_kinds(self):
        document = request(33)
        document.cl.references.add(document_type="999", folio="1", date="2025-01-01")
        assert refused(document).field == "document.cl.references[0].document_type"
        document.cl.references[0].document_type = "SET"
        document.cl.references[0].folio = "5271843-1"
        assert parse_document(document, "document").references[0].document_type == "SET"

    def test_folio_zero_only_for_a_global_reference(self):
        document = request(61)
        document.cl.references[0].folio = "0"
        assert refused(document).field == "document.cl.references[0].folio"
        document.cl.references[0].__setattr__("global", True)
        parsed = parse_document(document, "document")
        assert parsed.references[0].is_global and parsed.reference is None

    def test_a_dte_folio_is_numeric(self):
        document = request(61)
        document.cl.references[0].folio = "F-12"
        assert "1 to 10 digits" in refused(document).rule

    def test_other_documents_folios_are_free_text_up_to_18(self):
        document = request(33)
        document.cl.references.add(document_type="801", folio="OC 2025/118", date="2025-01-01")
        assert parse_document(document, "document").references[0].folio == "OC 2025/118"
        document.cl.references[0].folio = "x" * 19
        assert refused(document).field == "document.cl.references[0].folio"

    def test_reason_is_at_most_90_characters(self):
        document = request(61)
        document.cl.references[0].reason = "r" * 91
        assert refused(document).field == "document.cl.references[0].reason"


class TestAdjustments:
    def test_at_most_one_line_discount(self):
        document = request()
        document.lines[0].allowance_charges.add(percent="5")
        document.lines[0].allowance_charges.add(percent="5")
        assert refused(document).field == "document.lines[0].allowance_charges[1]"

    def test_a_line_discount_amount_must_match_its_percent(self):
        document = request()
        document.lines[0].allowance_charges.add(percent="10", amount="2700")
        error = refused(document)
        assert (
            error.field == "document.lines[0].allowance_charges[0].amount" and "2697" in error.rule
        )

    def test_a_line_discount_cannot_exceed_the_line(self):
        document = request()
        document.lines[0].allowance_charges.add(amount="30000")
        assert "exceeds" in refused(document).rule

    def test_a_line_discount_has_no_reason_field(self):
        document = request()
        document.lines[0].allowance_charges.add(percent="5", reason="Promoción")
        assert refused(document).field == "document.lines[0].allowance_charges[0].reason"

    def test_a_global_discount_on_exempt_amounts_needs_exempt_lines(self):
        document = request()
        document.allowance_charges.add(percent="5", exempt_amounts=True)
        assert "no exempt lines" in refused(document).rule

    def test_a_global_discount_cannot_go_below_zero(self):
        document = request()
        document.allowance_charges.add(amount="30000")
        assert "below zero" in refused(document).rule

    def test_a_declared_base_must_be_the_lines(self):
        document = request()
        document.allowance_charges.add(percent="5", base_amount="1000")
        assert refused(document).field == "document.allowance_charges[0].base_amount"

    def test_declared_discount_totals_are_checked(self):
        document = request()
        document.allowance_charges.add(percent="10")
        with_totals(document)
        document.totals.allowance_total_amount = "2696"
        error = refused(document)
        assert error.field == "document.totals.allowance_total_amount" and "2697" in error.rule
