"""The input rules of every DIAN document type: each refusal names its proto field path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from services.core.rejection import InputRejected
from services.countries.co import demo
from services.countries.co.pack import PACK
from tests.unit.test_co_documents import TODAY, build, demo_request
from timbra.v1 import document_pb2 as pb

Change = Callable[[pb.Document], object]


def refused(document_type: str, change: Change) -> InputRejected:
    document = demo_request(document_type)
    change(document)
    with pytest.raises(InputRejected) as caught:
        # Declared totals are refreshed first, so that each case fails on its own rule and not
        # on totals gone stale (a rule on the lines then refuses already while totalling).
        build(demo.with_totals(document))
    return caught.value


def _tax(scheme: str, percent: str, **fields: str) -> pb.LineTax:
    return pb.LineTax(scheme=scheme, percent=percent, **fields)


def _set_taxes(line: pb.Line, *taxes: pb.LineTax) -> None:
    line.ClearField("taxes")
    line.taxes.extend(taxes)


def _foreign_address(document: pb.Document) -> None:
    document.customer.address.CopyFrom(
        pb.Address(line="1 Main St", city_name="Miami", country="US")
    )


CASES: list[tuple[str, str, Change, str]] = [
    # Export invoices (02): a buyer abroad, a foreign currency and its rate.
    ("02", "buyer with a NIT", lambda d: setattr(d.customer, "id_type", "31"), "customer.tax_id"),
    ("02", "buyer in Colombia", lambda d: setattr(d.customer.address, "country", "CO"),
     "customer.address.city_code"),
    ("02", "buyer with a Colombian NIT", lambda d: (
        setattr(d.customer, "id_type", "31"), setattr(d.customer, "tax_id", "860046645")),
     "customer.id_type"),
    ("02", "buyer with a Colombian address", lambda d: d.customer.address.CopyFrom(pb.Address(
        line="Calle 1", city_code="11001", city_name="Bogotá", subdivision_name="Bogotá")),
     "customer.address.country"),
    ("02", "buyer without address", lambda d: d.customer.ClearField("address"),
     "customer.address"),
    ("02", "rate to euros", lambda d: setattr(d.co.exchange_rate, "target_currency", "EUR"),
     "co.exchange_rate.target_currency"),
    ("02", "rate of zero", lambda d: setattr(d.co.exchange_rate, "rate", "0"),
     "co.exchange_rate.rate"),
    ("02", "rate without date", lambda d: setattr(d.co.exchange_rate, "date", ""),
     "co.exchange_rate.date"),
    ("02", "rate from tomorrow", lambda d: setattr(
        d.co.exchange_rate, "date", (TODAY + timedelta(days=1)).isoformat()),
     "co.exchange_rate.date"),
    ("02", "country not listed", lambda d: setattr(d.customer.address, "country", "XX"),
     "customer.address.country"),
    ("02", "city abroad missing", lambda d: setattr(d.customer.address, "city_name", ""),
     "customer.address.city_name"),
    ("01", "rate on pesos", lambda d: d.co.exchange_rate.SetInParent(), "co.exchange_rate"),
    # Taxes and withholdings at DIAN's rates.
    ("01", "INC at 5 %", lambda d: _set_taxes(d.lines[0], _tax("04", "5")),
     "lines[0].taxes[0].percent"),
    ("01", "ICA over 14 per mil", lambda d: d.lines[0].taxes.add(scheme="03", percent="1.5"),
     "lines[0].taxes[1].percent"),
    ("01", "ICA with 4 decimals", lambda d: d.lines[0].taxes.add(scheme="03", percent="0.9661"),
     "lines[0].taxes[1].percent"),
    ("01", "IVA twice", lambda d: d.lines[0].taxes.add(scheme="01", percent="5"),
     "lines[0].taxes[1]"),
    ("01", "ReteFuente at 5 %", lambda d: d.lines[0].taxes.add(scheme="06", percent="5"),
     "lines[0].taxes[1].percent"),
    ("01", "ReteIVA at 50 %", lambda d: _set_taxes(
        d.lines[0], _tax("01", "19"), _tax("05", "50")), "lines[0].taxes[1].percent"),
    ("01", "ReteIVA without IVA", lambda d: _set_taxes(
        d.lines[0], _tax("01", "0"), _tax("05", "15")), "lines[0].taxes[1].scheme"),
    ("01", "ReteICA at 3 %", lambda d: d.lines[0].taxes.add(scheme="07", percent="3"),
     "lines[0].taxes[1].percent"),
    ("01", "withholding amount wrong", lambda d: _set_taxes(
        d.lines[0], _tax("01", "19"), _tax("06", "2.5", amount="1.00")),
     "lines[0].taxes[1].amount"),
    ("01", "ReteIVA base is not the IVA", lambda d: _set_taxes(
        d.lines[0], _tax("01", "19"), _tax("05", "15", taxable_amount="100.00")),
     "lines[0].taxes[1].taxable_amount"),
    ("01", "unknown item scheme", lambda d: (
        setattr(d.lines[0], "standard_item_code", "123"),
        setattr(d.lines[0], "standard_item_scheme", "002")),
     "lines[0].standard_item_scheme"),
    # Discounts and surcharges (FAQ rules).
    ("01", "discount over 100 %", lambda d: d.lines[0].allowance_charges.add(percent="120"),
     "lines[0].allowance_charges[0].percent"),
    ("01", "discount without percent or amount", lambda d: d.lines[0].allowance_charges.add(),
     "lines[0].allowance_charges[0].percent"),
    ("01", "percent and amount disagree", lambda d: d.lines[0].allowance_charges.add(
        percent="10", amount="1.00"), "lines[0].allowance_charges[0].amount"),
    ("01", "unknown discount code", lambda d: d.lines[0].allowance_charges.add(
        reason_code="99", percent="5"), "lines[0].allowance_charges[0].reason_code"),
    ("01", "charge with a discount code", lambda d: d.allowance_charges.add(
        charge=True, reason_code="01", reason="x", percent="1"),
     "allowance_charges[0].reason_code"),
    ("01", "charge without reason", lambda d: d.allowance_charges.add(charge=True, percent="1"),
     "allowance_charges[0].reason"),
    ("01", "discount above its base", lambda d: d.allowance_charges.add(
        amount="10.00", base_amount="5.00"), "allowance_charges[0].amount"),
    ("01", "base of zero", lambda d: d.allowance_charges.add(percent="5", base_amount="0"),
     "allowance_charges[0].base_amount"),
    ("01", "line discounts above the line", lambda d: d.lines[0].allowance_charges.extend(
        [pb.AllowanceCharge(percent="60"), pb.AllowanceCharge(percent="60")]),
     "lines[0].allowance_charges"),
    ("01", "negative payable", lambda d: d.allowance_charges.add(
        percent="100", base_amount="999999999.00"), "allowance_charges"),
    # Prepayments (FBD) and payment.
    ("01", "prepayment of zero", lambda d: d.co.prepayments.add(
        amount="0", received_date="2026-05-01"), "co.prepayments[0].amount"),
    ("01", "prepayment without date", lambda d: d.co.prepayments.add(amount="1.00"),
     "co.prepayments[0].received_date"),
    ("01", "prepayment id twice", lambda d: d.co.prepayments.extend([
        pb.Prepayment(id="A", amount="1.00", received_date="2026-05-01"),
        pb.Prepayment(id="A", amount="1.00", received_date="2026-05-01")]),
     "co.prepayments[1].id"),
    ("01", "prepayment above payable", lambda d: d.co.prepayments.add(
        amount="999999999.00", received_date="2026-05-01"), "co.prepayments"),
    ("01", "prepayment after the issue date", lambda d: d.co.prepayments.add(
        amount="1.00", received_date="2026-05-05"), "co.prepayments[0].received_date"),
    ("01", "due date before issue", lambda d: d.payment.CopyFrom(
        pb.Payment(means="2", due_date="2026-05-03")), "payment.due_date"),
    # Documento soporte (05): roles, taxes, periods.
    ("05", "INC on a DS", lambda d: _set_taxes(d.lines[0], _tax("01", "0"), _tax("04", "8")),
     "lines[0].taxes[1].scheme"),
    ("05", "no period", lambda d: d.lines[0].ClearField("period"), "lines[0].period"),
    ("05", "period code 3", lambda d: setattr(d.lines[0].period, "description_code", "3"),
     "lines[0].period.description_code"),
    ("05", "period ends before it starts", lambda d: setattr(
        d.lines[0].period, "end_date", "2020-01-01"), "lines[0].period.end_date"),
    ("05", "purchase after the issue date", lambda d: setattr(
        d.lines[0].period, "start_date", "2026-05-05"), "lines[0].period.start_date"),
    ("05", "non-resident seller with a cédula", lambda d: setattr(d.co, "operation_type", "11"),
     "customer.id_type"),
    ("05", "resident seller abroad", lambda d: _foreign_address(d), "customer.address.country"),
    ("05", "operation type 20", lambda d: setattr(d.co, "operation_type", "20"),
     "co.operation_type"),
    ("05", "DS with a billing reference", lambda d: setattr(
        d.co.billing_reference, "number", "SETP1"), "co.billing_reference"),
    ("05", "DS with a correction concept", lambda d: setattr(d.co, "correction_concept", "1"),
     "co.correction_concept"),
    # Notes (91, 92, 95): the corrected document and the concept.
    ("91", "no reference", lambda d: d.co.ClearField("billing_reference"),
     "co.billing_reference"),
    ("91", "key too short", lambda d: setattr(d.co.billing_reference, "document_key", "ab12"),
     "co.billing_reference.document_key"),
    ("91", "number with a dash", lambda d: setattr(d.co.billing_reference, "number", "SETP-1"),
     "co.billing_reference.number"),
    ("91", "corrects a DS", lambda d: setattr(d.co.billing_reference, "document_type", "05"),
     "co.billing_reference.document_type"),
    ("91", "reference date not a date", lambda d: setattr(
        d.co.billing_reference, "issue_date", "04/05/2026"), "co.billing_reference.issue_date"),
    ("91", "concept 7", lambda d: setattr(d.co, "correction_concept", "7"),
     "co.correction_concept"),
    ("91", "concept missing", lambda d: setattr(d.co, "correction_concept", ""),
     "co.correction_concept"),
    ("91", "unreferenced note with reference", lambda d: setattr(d.co, "operation_type", "22"),
     "co.billing_reference"),
    ("91", "operation type 30", lambda d: setattr(d.co, "operation_type", "30"),
     "co.operation_type"),
    ("91", "withholding on a credit note", lambda d: d.lines[0].taxes.add(
        scheme="06", percent="2.5"), "lines[0].taxes[1].scheme"),
    ("91", "prepayment on a credit note", lambda d: d.co.prepayments.add(
        amount="1.00", received_date="2026-05-01"), "co.prepayments"),
    ("91", "description too long", lambda d: setattr(
        d.co, "correction_description", "x" * 5001), "co.correction_description"),
    ("91", "paper on a note", lambda d: setattr(d.co.paper, "number", 1), "co.paper"),
    ("92", "concept 5 on a debit note", lambda d: setattr(d.co, "correction_concept", "5"),
     "co.correction_concept"),
    ("92", "period on a debit line", lambda d: setattr(
        d.lines[0].period, "start_date", "2026-05-01"), "lines[0].period"),
    ("95", "concept 6 on an adjustment", lambda d: setattr(d.co, "correction_concept", "6"),
     "co.correction_concept"),
    ("95", "adjustment of an invoice", lambda d: setattr(
        d.co.billing_reference, "document_type", "01"), "co.billing_reference.document_type"),
    ("95", "withholding on an adjustment", lambda d: d.lines[0].taxes.add(
        scheme="06", percent="4"), "lines[0].taxes[1].scheme"),
    # Paper contingency invoices (03).
    ("03", "no paper", lambda d: d.co.ClearField("paper"), "co.paper"),
    ("03", "paper number 0", lambda d: setattr(d.co.paper, "number", 0), "co.paper.number"),
    ("03", "moment without offset", lambda d: setattr(
        d.co.paper, "issued_at", "2026-05-04T08:00:00"), "co.paper.issued_at"),
    ("03", "moment not a time", lambda d: setattr(
        d.co.paper, "issued_at", "2026-05-04T25:00:00-05:00"), "co.paper.issued_at"),
    ("01", "paper on a sales invoice", lambda d: setattr(d.co.paper, "number", 3), "co.paper"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("document_type", "change", "field"),
    [(c[0], c[2], c[3]) for c in CASES],
    ids=[f"{c[0]} {c[1]}" for c in CASES],
)
def test_each_rule_refuses_with_its_field_path(document_type, change, field):
    error = refused(document_type, change)
    assert error.field == f"document.{field}", error.message


def test_every_case_starts_from_a_valid_document():
    for document_type in {c[0] for c in CASES}:
        build(demo_request(document_type))


def test_rate_refusals_list_dians_rates():
    error = refused("01", lambda d: _set_taxes(d.lines[0], _tax("04", "5")))
    assert error.rule == "INC rate 5 % is not a DIAN rate; use 2, 4, 8, 16"
    error = refused("01", lambda d: d.lines[0].taxes.add(scheme="07", percent="3"))
    assert "1 ‰ to 14 ‰" in error.rule


def test_an_unreferenced_credit_note_parses_without_reference():
    document = demo_request("91")
    document.co.operation_type = "22"
    document.co.ClearField("billing_reference")
    parsed = PACK.parse_document(document, "document")
    assert parsed.reference is None and parsed.correction is not None
    draft = build(document)
    assert b"BillingReference" not in draft.unsigned_xml
    assert b"<cbc:ReferenceID>" not in draft.unsigned_xml
    assert b"<cbc:CustomizationID>22</cbc:CustomizationID>" in draft.unsigned_xml
