"""The Chilean demo ERP: realistic, valid, reproducible requests of every type."""

from __future__ import annotations

from collections import Counter

import pytest

from services.countries.cl import codes, demo
from services.countries.cl.demo_catalog import COMPANIES
from services.countries.cl.document import parse_document
from services.countries.registry import demo_documents
from timbra.v1 import document_pb2

ISSUER = "76192083-9"
REFERENCES = [
    document_pb2.ChileReference(document_type="33", folio=str(n), date="2025-01-10")
    for n in range(1, 6)
]


@pytest.mark.parametrize("dte_type", [33, 34, 52])
def test_every_generated_document_is_valid(dte_type):
    documents = demo.generate_documents(150, ISSUER, seed=dte_type, dte_type=dte_type)
    parsed = [parse_document(d, "document") for d in documents]
    assert all(p.document_type == str(dte_type) for p in parsed)


@pytest.mark.parametrize("dte_type", [56, 61])
def test_notes_correct_the_given_documents(dte_type):
    originals = demo.generate_documents(5, ISSUER, seed=1)
    notes = demo.generate_documents(
        40, ISSUER, seed=2, dte_type=dte_type, references=REFERENCES, originals=originals
    )
    parsed = [parse_document(n, "document") for n in notes]
    assert {p.reference.number for p in parsed} == {"1", "2", "3", "4", "5"}
    for note, parse in zip(notes, parsed, strict=True):
        original = originals[int(parse.reference.number) - 1]
        assert note.customer == original.customer  # the corrected document's buyer
    codes_used = Counter(p.correction_code for p in parsed)
    if dte_type == codes.NOTA_CREDITO:
        assert set(codes_used) == {1, 2, 3}
        # An annulment repeats the annulled amounts.
        for parse in parsed:
            if parse.correction_code == codes.ANNULS:
                original = originals[int(parse.reference.number) - 1]
                assert parse.payable_amount == parse_document(original, "document").payable_amount


def test_notes_need_references():
    with pytest.raises(ValueError, match="references"):
        demo.generate_documents(1, ISSUER, dte_type=61)


def test_the_same_seed_gives_the_same_documents():
    assert demo.generate_documents(10, ISSUER, seed=5) == demo.generate_documents(
        10, ISSUER, seed=5
    )
    assert demo.generate_documents(10, ISSUER, seed=5) != demo.generate_documents(
        10, ISSUER, seed=6
    )


def test_the_mix_is_realistic():
    parsed = [parse_document(d, "document") for d in demo.generate_documents(300, ISSUER, seed=0)]
    assert sum(1 for p in parsed if p.totals.exempt) > 10  # some facturas carry exempt items
    assert sum(1 for p in parsed if any(line.discount for line in p.lines)) > 10
    assert sum(1 for p in parsed if p.adjustments) > 5
    assert len({p.customer_id for p in parsed}) == len(COMPANIES)
    assert {p.payment_form for p in parsed} == {1, 2}
    guias = [
        parse_document(d, "document")
        for d in demo.generate_documents(100, ISSUER, seed=0, dte_type=52)
    ]
    assert {g.transfer_indicator for g in guias} >= {1, 5}
    assert any(g.payable_amount == 0 for g in guias)  # internal moves carry no price


def test_the_registry_demo_entry_point_works():
    documents = demo_documents("cl", 3, ISSUER)
    assert [d.cl.dte_type for d in documents] == [33, 33, 33]
