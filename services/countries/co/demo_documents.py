"""The demo ERP's documents other than sales invoices: exports, paper, DS and notes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from services.core.decimals import fixed
from services.countries.co import codes
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.demo_catalog import (
    EXPORT_PRODUCTS,
    FOREIGN_CITIES,
    FOREIGN_FREELANCE,
    REFERENCE_RATES,
    SUPPORT_PURCHASES,
)
from services.countries.co.demo_notes import note
from services.countries.co.demo_parties import foreign_company, foreign_person, person
from services.countries.co.invoice import expected_totals
from timbra.v1 import document_pb2

_NOTES = (codes.CREDIT_NOTE, codes.DEBIT_NOTE, codes.SUPPORT_ADJUSTMENT)


def generate(
    rng: random.Random,
    count: int,
    issuer: str,
    today: date,
    *,
    document_type: str,
    references: Sequence[document_pb2.BillingReference] | None,
    originals: Sequence[document_pb2.Document] | None,
    paper_range: tuple[int, int] | None,
    now: datetime | None,
) -> list[document_pb2.Document]:
    """`count` documents of `document_type` (02, 03, 05, 91, 92, 95)."""
    if document_type == codes.EXPORT:
        return [with_totals(_export(rng, issuer, today)) for _ in range(count)]
    if document_type == codes.PAPER_CONTINGENCY:
        if paper_range is None:
            raise ValueError("paper invoices (03) need the contingency range they were cut from")
        first, last = paper_range
        if last - first + 1 < count:
            raise ValueError(f"range {first}-{last} has fewer than {count} numbers")
        moment = now or datetime.now(COLOMBIA_TIME)
        # The outage lasted up to a day: the paper invoices were written within it, in order.
        offsets = sorted((rng.randint(60, 24 * 3600) for _ in range(count)), reverse=True)
        # Imported here: the sales invoices come from the main demo module, which imports this.
        from services.countries.co.demo import generate_documents

        sales = generate_documents(count, issuer, rng.randint(0, 2**31), today=today)
        for number, offset, document in zip(range(first, last + 1), offsets, sales, strict=False):
            document.co.document_type = codes.PAPER_CONTINGENCY
            issued = (moment - timedelta(seconds=offset)).astimezone(COLOMBIA_TIME)
            document.co.paper.number = number
            document.co.paper.issued_at = issued.replace(microsecond=0).isoformat()
            # A paper invoice was priced on its own day: its due date counts from there.
            if document.payment.due_date:
                document.payment.due_date = max(
                    date.fromisoformat(document.payment.due_date), issued.date()
                ).isoformat()
            # Advances were recorded on paper before the invoice.
            for prepayment in document.co.prepayments:
                prepayment.received_date = min(
                    date.fromisoformat(prepayment.received_date), issued.date()
                ).isoformat()
        return sales
    if document_type == codes.SUPPORT_DOCUMENT:
        return [with_totals(_support(rng, issuer, today)) for _ in range(count)]
    if document_type in _NOTES:
        if not references:
            raise ValueError(f"notes ({document_type}) need the documents they correct")
        if originals is not None and len(originals) != len(references):
            raise ValueError("originals must be aligned with references")
        return [
            with_totals(
                note(
                    rng,
                    issuer,
                    document_type,
                    references[index % len(references)],
                    originals[index % len(originals)] if originals else None,
                )
            )
            for index in range(count)
        ]
    raise ValueError(
        f"the demo makes types 01, 02, 03, 05, 91, 92 and 95, not {document_type!r} "
        "(04 is an 01 issued while DIAN is down)"
    )


def with_totals(document: document_pb2.Document) -> document_pb2.Document:
    """Fill `document.totals` the way an ERP does, with DIAN's own arithmetic."""
    totals = expected_totals(document)
    document.totals.CopyFrom(
        document_pb2.Totals(
            line_extension_amount=fixed(totals.line_extension, 2),
            tax_exclusive_amount=fixed(totals.tax_exclusive, 2),
            tax_inclusive_amount=fixed(totals.tax_inclusive, 2),
            allowance_total_amount=fixed(totals.allowance, 2) if totals.allowance else "",
            charge_total_amount=fixed(totals.charge, 2) if totals.charge else "",
            prepaid_amount=fixed(totals.prepaid, 2) if totals.prepaid else "",
            payable_amount=fixed(totals.payable, 2),
        )
    )
    return document


def _rate(rng: random.Random, currency: str, today: date) -> document_pb2.ExchangeRate:
    reference, spread = REFERENCE_RATES[currency]
    moved = reference + spread * Decimal(rng.randint(-100, 100)) / 100
    return document_pb2.ExchangeRate(
        target_currency="COP", rate=fixed(moved, 2), date=(today - timedelta(days=1)).isoformat()
    )


def _export(rng: random.Random, issuer: str, today: date) -> document_pb2.Document:
    city = rng.choice(FOREIGN_CITIES)
    buyer = foreign_company(rng, city) if rng.random() < 0.85 else foreign_person(rng, city)
    lines = []
    for description, unit, low, high, code, standard in rng.sample(
        EXPORT_PRODUCTS, rng.randint(1, 4)
    ):
        quantity = rng.choice((10, 20, 50, 100, 250, 500)) if unit == "94" else rng.randint(5, 80)
        lines.append(
            document_pb2.Line(
                description=description,
                quantity=str(quantity),
                unit_code=unit,
                unit_price=fixed(Decimal(rng.randint(low * 100, high * 100)) / 100, 2),
                # Exports are exempt from IVA (Estatuto Tributario art. 481): IVA at 0 %.
                taxes=[document_pb2.LineTax(scheme=codes.IVA, percent="0")],
                item_code=code,
                standard_item_code=standard,
            )
        )
    due = today + timedelta(days=rng.choice((30, 60, 90)))
    return document_pb2.Document(
        country="co",
        issuer=issuer,
        customer=buyer,
        currency=city.currency,
        lines=lines,
        payment=document_pb2.Payment(
            means=codes.CREDIT,
            method_code=rng.choice(("30", "45", "ZZZ")),
            due_date=due.isoformat(),
        ),
        co=document_pb2.ColombiaDocument(
            document_type=codes.EXPORT,
            order_reference=f"PO-{rng.randint(10000, 99999)}",
            exchange_rate=_rate(rng, city.currency, today),
        ),
    )


def _support(rng: random.Random, issuer: str, today: date) -> document_pb2.Document:
    abroad = rng.random() < 0.1
    day = today - timedelta(days=rng.randint(0, 5))
    if abroad:
        # A freelancer abroad (operation type 11), paid in dollars.
        city = rng.choice([c for c in FOREIGN_CITIES if c.currency == "USD"])
        seller = foreign_person(rng, city)
        description, unit, low, high = rng.choice(FOREIGN_FREELANCE)
        lines = [
            document_pb2.Line(
                description=description,
                quantity=str(rng.randint(1, 40)),
                unit_code=unit,
                unit_price=fixed(Decimal(rng.randint(low, high)), 2),
                taxes=[document_pb2.LineTax(scheme=codes.IVA, percent="0")],
                period=document_pb2.Period(start_date=day.isoformat(), description_code="1"),
            )
        ]
        currency, rate = "USD", _rate(rng, "USD", today)
    else:
        seller = person(rng, with_address=1.0)
        lines = [_purchase(rng, today) for _ in range(rng.randint(1, 3))]
        currency, rate = "COP", None
    document = document_pb2.Document(
        country="co",
        issuer=issuer,
        customer=seller,
        currency=currency,
        lines=lines,
        payment=document_pb2.Payment(means=codes.CASH, method_code=rng.choice(("10", "47", "42"))),
        co=document_pb2.ColombiaDocument(
            document_type=codes.SUPPORT_DOCUMENT, operation_type="11" if abroad else "10"
        ),
    )
    if rate is not None:
        document.co.exchange_rate.CopyFrom(rate)
    return document


def _purchase(rng: random.Random, today: date) -> document_pb2.Line:
    description, unit, low, high, withholding = rng.choice(SUPPORT_PURCHASES)
    quantity = rng.randint(20, 400) if unit == "KGM" else rng.randint(1, 8 if unit == "HUR" else 2)
    price = Decimal(rng.randint(low // 100, high // 100) * 100)
    line = document_pb2.Line(
        description=description,
        quantity=str(quantity),
        unit_code=unit,
        unit_price=fixed(price, 2),
        # Sellers not obliged to invoice are not responsible for IVA.
        taxes=[document_pb2.LineTax(scheme=codes.IVA, percent="0")],
    )
    if withholding is not None and quantity * price >= 500_000:
        line.taxes.add(scheme=codes.RETE_FUENTE, percent=f"{withholding.normalize():f}")
    weekly = rng.random() < 0.2
    start = today - timedelta(days=rng.randint(6, 12) if weekly else rng.randint(0, 5))
    line.period.CopyFrom(
        document_pb2.Period(
            start_date=start.isoformat(),
            end_date=(start + timedelta(days=6)).isoformat() if weekly else "",
            description_code="2" if weekly else "1",
        )
    )
    return line
