"""The SII test-set file format, our sample set, and the requests made from its cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from services.countries.cl import certification
from services.countries.cl.certification import SetFormatError, parse_sets
from services.countries.cl.certification_documents import (
    CaseOrderError,
    Issued,
    case_document,
    correction_code,
    issue_order,
)
from services.countries.cl.document import parse_document
from services.countries.cl.sandbox import create_sandbox

SAMPLE = Path(certification.__file__).parent / "data" / "set_basico.txt"
ISSUER = "76192083-9"
TODAY = dt.date(2025, 3, 10)


@pytest.fixture(scope="module")
def sets():
    found, skipped = parse_sets(SAMPLE.read_text(encoding="utf-8"))
    assert skipped == ()
    return {s.name: s for s in found}


def test_the_sample_file_reads_as_two_sets(sets):
    assert list(sets) == ["BASICO", "GUIA DE DESPACHO"]
    assert sets["BASICO"].attention == "5271843"
    assert [c.number for c in sets["BASICO"].cases] == [f"5271843-{n}" for n in range(1, 9)]
    assert [c.dte_type for c in sets["BASICO"].cases] == [33, 33, 33, 33, 61, 61, 61, 56]
    assert [c.dte_type for c in sets["GUIA DE DESPACHO"].cases] == [52, 52, 52]


def test_items_are_read_exactly(sets):
    first, second, third, fourth = sets["BASICO"].cases[:4]
    assert first.items[0].name == "Cuñas de madera AFECTO"
    assert (first.items[0].quantity, first.items[0].price) == (Decimal(142), Decimal(612))
    assert second.items[1].discount_percent == Decimal(15)
    assert third.items[2].name == "Asesoría en terreno EXENTO" and third.items[2].exempt
    assert not third.items[0].exempt
    assert fourth.global_adjustments == ((False, False, Decimal(11)),)


def test_references_and_guia_fields(sets):
    cases = sets["BASICO"].cases
    assert (cases[4].referenced_case, cases[4].referenced_type) == ("5271843-1", 33)
    assert cases[4].reference_reason == "CORRIGE GIRO DEL RECEPTOR"
    assert [correction_code(c) for c in cases[4:]] == [2, 3, 1, 1]
    guias = sets["GUIA DE DESPACHO"].cases
    assert [(g.transfer_indicator, g.dispatch_type) for g in guias] == [(5, 0), (1, 2), (1, 1)]
    assert guias[0].items[0].price is None


def test_every_case_becomes_a_valid_signed_dte(sets):
    sandbox = create_sandbox(authorized_on=dt.date(2025, 3, 1))
    issued_at = dt.datetime(2025, 3, 10, 15, tzinfo=dt.UTC)
    folios: dict[int, int] = {}
    totals = {}
    for test_set in sets.values():
        cases = {c.number: c for c in test_set.cases}
        issued: dict[str, Issued] = {}
        for case in issue_order(test_set.cases):
            document = case_document(case, cases, ISSUER, issued, today=TODAY)
            folios[case.dte_type] = folios.get(case.dte_type, 0) + 1
            draft, _ = sandbox.issue(document, folios[case.dte_type], issued_at)
            issued[case.number] = Issued(case.dte_type, folios[case.dte_type], draft.issue_date)
            parsed = parse_document(document, "document")
            totals[case.number] = parsed.payable_amount
            (mark,) = [r for r in parsed.references if r.document_type == "SET"]
            assert (mark.folio, mark.reason) == (case.number, f"CASO {case.number}")
    # 142 × 612 + 37 × 4890 = 267834; + 19 % = 318722
    assert totals["5271843-1"] == 318722
    # Line discounts of 7 % and 15 %: 68316 + 118891 = 187207; + IVA 35569
    assert totals["5271843-2"] == 222776
    assert totals["5271843-5"] == 0  # corrige giro: text only
    assert totals["5271843-7"] == totals["5271843-3"]  # anula: the same amounts
    assert totals["5271843-8"] == 0  # annuls a text correction
    assert totals["5271846-1"] == 0  # internal move, no price


def test_a_return_prices_its_quantities_like_the_invoice(sets):
    cases = {c.number: c for c in sets["BASICO"].cases}
    issued = {"5271843-2": Issued(33, 2, TODAY)}
    document = case_document(cases["5271843-6"], cases, ISSUER, issued, today=TODAY)
    line = document.lines[0]
    assert (line.quantity, line.unit_price, line.allowance_charges[0].percent) == (
        "121",
        "231",
        "7",
    )
    reference = document.cl.references[1]
    assert (reference.document_type, reference.folio, reference.code) == ("33", "2", 3)


def test_a_note_needs_its_referenced_case_issued_first(sets):
    cases = {c.number: c for c in sets["BASICO"].cases}
    with pytest.raises(CaseOrderError, match="not issued yet"):
        case_document(cases["5271843-5"], cases, ISSUER, {}, today=TODAY)
    with pytest.raises(CaseOrderError, match="does not come before"):
        issue_order(list(reversed(sets["BASICO"].cases)))


def test_book_sets_are_skipped():
    text = "SET LIBRO DE VENTAS - NUMERO DE ATENCION: 99\nTIPO DOCUMENTO\tFOLIO\n33\t1\n"
    assert parse_sets(text) == ((), ("SET LIBRO DE VENTAS",))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("hola", 1, "no SET"),
        ("SET BASICO - NUMERO DE ATENCION: 1\nDOCUMENTO\tFACTURA", 2, "expected a SET or CASO"),
        ("SET BASICO - NUMERO DE ATENCION: 1\nCASO 1-1\nDOCUMENTO\tBOLETA", 3, "not one timbra"),
        ("SET BASICO - NUMERO DE ATENCION: 1\nCASO 1-1\nITEM\tCOLOR", 3, "unknown item column"),
        (
            "SET BASICO - NUMERO DE ATENCION: 1\nCASO 1-1\nDOCUMENTO\tFACTURA ELECTRONICA\n"
            "ITEM\tCANTIDAD\nCaja\tmuchas",
            5,
            "not a number",
        ),
        (
            "SET BASICO - NUMERO DE ATENCION: 1\nCASO 1-1\nITEM\tCANTIDAD\nCaja\t2",
            2,
            "names no DOCUMENTO",
        ),
        ("SET GUIA DE DESPACHO - NUMERO DE ATENCION: 1\nCASO 1-1\nMOTIVO:\tREGALO", 3, "MOTIVO"),
    ],
)
def test_format_errors_name_the_line(text, line, message):
    with pytest.raises(SetFormatError) as error:
        parse_sets(text)
    assert error.value.line == line
    assert message in str(error.value)
