"""The demo ERP's Colombian invoices: valid, varied and reproducible."""

from __future__ import annotations

from collections import Counter
from datetime import date

from services.countries.co import demo, nit
from services.countries.co.pack import PACK

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
