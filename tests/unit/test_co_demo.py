"""The demo ERP's Colombian documents: valid, varied and reproducible, for every DIAN type."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from services.countries.co import demo, nit
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from timbra.v1 import document_pb2 as pb

TODAY = date(2026, 5, 4)


def test_every_demo_document_passes_parsing():
    documents = demo.generate_documents(400, "900373076", seed=1, today=TODAY)
    assert len(documents) == 400
    for index, document in enumerate(documents):
        PACK.parse_document(document, f"documents[{index}]")


def test_demo_documents_are_varied_like_an_erp_would_send():
    documents = demo.generate_documents(400, "900373076", seed=2, today=TODAY)
    kinds = Counter(d.customer.id_type for d in documents)
    assert kinds["31"] > 100 and kinds["13"] > 100
    consumers = [d for d in documents if d.customer.tax_id == "222222222222"]
    assert 10 < len(consumers) < 80
    companies = [d.customer for d in documents if d.customer.id_type == "31"]
    assert all(nit.is_valid(c.tax_id, c.check_digit) for c in companies)
    rates = Counter(line.taxes[0].percent for d in documents for line in d.lines)
    assert set(rates) == {"0", "5", "19"}
    assert {len(d.lines) for d in documents} == set(range(1, 9))
    credit = [d for d in documents if d.payment.means == "2"]
    assert len(credit) > 50 and all(d.payment.due_date > TODAY.isoformat() for d in credit)
    cities = {d.customer.address.city_code for d in documents if d.customer.HasField("address")}
    assert len(cities) > 10 and all(len(code) == 5 for code in cities)
    assert any("." in line.quantity for d in documents for line in d.lines)
    assert all(line.unit_price.count(".") == 1 for d in documents for line in d.lines)
    assert all(d.issuer == "900373076" and d.currency == "COP" for d in documents)


def test_the_same_seed_gives_the_same_documents():
    first = demo.generate_documents(30, "900373076", seed=5, today=TODAY)
    again = demo.generate_documents(30, "900373076", seed=5, today=TODAY)
    other = demo.generate_documents(30, "900373076", seed=6, today=TODAY)
    assert [d.SerializeToString(deterministic=True) for d in first] == [
        d.SerializeToString(deterministic=True) for d in again
    ]
    assert first != other


def _references(count: int, document_type: str = "01"):
    return [
        pb.BillingReference(
            number=f"SETP{990000000 + i}",
            document_key=f"{i:096x}",
            issue_date="2026-05-01",
            document_type=document_type,
        )
        for i in range(count)
    ]


def test_every_other_type_parses_and_looks_like_its_business():
    exports = demo.generate_documents(60, "900373076", 3, today=TODAY, document_type="02")
    for index, document in enumerate(exports):
        PACK.parse_document(document, f"exports[{index}]")
    assert len({d.currency for d in exports}) >= 3 and "COP" not in {d.currency for d in exports}
    assert {d.customer.id_type for d in exports} <= {"42", "50"}
    assert all(d.customer.address.country != "CO" for d in exports)

    supports = demo.generate_documents(80, "900373076", 4, today=TODAY, document_type="05")
    for index, document in enumerate(supports):
        PACK.parse_document(document, f"supports[{index}]")
    assert Counter(d.co.operation_type for d in supports)["11"] > 0
    residents = [d for d in supports if d.co.operation_type == "10"]
    assert all(d.customer.id_type == "13" and d.customer.person_type == 2 for d in residents)
    assert any(t.scheme == "06" for d in supports for line in d.lines for t in line.taxes)

    now = datetime(2026, 5, 4, 18, 0, tzinfo=COLOMBIA_TIME)
    papers = demo.generate_documents(
        20, "900373076", 5, today=TODAY, document_type="03", paper_range=(41, 100), now=now
    )
    parsed = [PACK.parse_document(d, "paper") for d in papers]
    assert [p.paper_number for p in parsed] == list(range(41, 61))
    moments = [p.paper_issued_at for p in parsed]
    assert moments == sorted(moments)
    assert all(now - timedelta(days=1) <= m < now for m in moments)

    references = _references(5)
    for document_type, concepts in (("91", set("123456")), ("92", set("1234"))):
        notes = demo.generate_documents(
            40, "900373076", 6, today=TODAY, document_type=document_type, references=references
        )
        parsed_notes = [PACK.parse_document(d, "note") for d in notes]
        assert {n.reference.number for n in parsed_notes} == {r.number for r in references}
        assert {n.correction.concept for n in parsed_notes} <= concepts
        assert len({n.correction.concept for n in parsed_notes}) >= 3


def test_notes_copy_the_corrected_document_when_given():
    originals = demo.generate_documents(4, "900373076", 7, today=TODAY, document_type="02")
    notes = demo.generate_documents(
        8,
        "900373076",
        8,
        today=TODAY,
        document_type="91",
        references=_references(4),
        originals=originals,
    )
    for index, note in enumerate(notes):
        original = originals[index % 4]
        assert note.customer == original.customer
        assert note.currency == original.currency
        assert note.co.exchange_rate == original.co.exchange_rate
        descriptions = {line.description for line in original.lines}
        assert {line.description for line in note.lines} <= descriptions
        PACK.parse_document(note, "note")


def test_the_demo_refuses_what_it_cannot_make():
    with pytest.raises(ValueError, match="correct"):
        demo.generate_documents(1, "900373076", document_type="91")
    with pytest.raises(ValueError, match="contingency range"):
        demo.generate_documents(1, "900373076", document_type="03")
    with pytest.raises(ValueError, match="04 is an 01"):
        demo.generate_documents(1, "900373076", document_type="04")
    with pytest.raises(ValueError, match="fewer than"):
        demo.generate_documents(5, "900373076", document_type="03", paper_range=(1, 3))


def test_every_type_is_reproducible():
    now = datetime(2026, 5, 4, 18, 0, tzinfo=COLOMBIA_TIME)
    for document_type in ("02", "03", "05", "91", "95"):
        kwargs = {
            "today": TODAY,
            "document_type": document_type,
            "references": _references(3, "05" if document_type == "95" else "01"),
            "paper_range": (1, 50),
            "now": now,
        }
        first = demo.generate_documents(10, "900373076", 9, **kwargs)
        again = demo.generate_documents(10, "900373076", 9, **kwargs)
        assert first == again, document_type


def test_invoices_sometimes_carry_discounts_withholdings_and_advances():
    documents = demo.generate_documents(400, "900373076", seed=12, today=TODAY)
    assert any(line.allowance_charges for d in documents for line in d.lines)
    assert any(t.scheme == "06" for d in documents for line in d.lines for t in line.taxes)
    assert any(d.co.prepayments for d in documents)
    assert any(d.allowance_charges for d in documents)
    assert all(d.totals.payable_amount for d in documents)
