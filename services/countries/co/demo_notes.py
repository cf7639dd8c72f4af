"""The demo ERP's notes: credit (91), debit (92) and DS adjustment (95) notes on given documents."""

from __future__ import annotations

import random
from decimal import Decimal

from services.core.decimals import fixed, round_half_up
from services.countries.co import codes
from services.countries.co.demo_catalog import ADJUSTMENT_REASONS, CREDIT_REASONS, DEBIT_REASONS
from services.countries.co.demo_parties import company, person
from timbra.v1 import document_pb2


def note(
    rng: random.Random,
    issuer: str,
    document_type: str,
    reference: document_pb2.BillingReference,
    original: document_pb2.Document | None,
) -> document_pb2.Document:
    """A note correcting `reference`, copying `original`'s buyer and items when given."""
    reasons = {
        codes.CREDIT_NOTE: CREDIT_REASONS,
        codes.DEBIT_NOTE: DEBIT_REASONS,
        codes.SUPPORT_ADJUSTMENT: ADJUSTMENT_REASONS,
    }[document_type]
    # Annulments are rare; returns, discounts and price adjustments are the daily business.
    weights = [1 if concept == "2" else 4 for concept in reasons]
    concept = rng.choices(list(reasons), weights=weights)[0]
    line_text, description = reasons[concept]
    support = document_type == codes.SUPPORT_ADJUSTMENT
    if original is not None:
        party = document_pb2.Party()
        party.CopyFrom(original.customer)
        lines = _note_lines(rng, original, concept, document_type)
        currency = original.currency or "COP"
    else:
        party = person(rng, with_address=1.0) if support else company(rng)
        lines = [_note_line(rng, line_text, Decimal(rng.randint(20, 400) * 1000), support)]
        currency = "COP"
    document = document_pb2.Document(
        country="co",
        issuer=issuer,
        customer=party,
        currency=currency,
        lines=lines,
        payment=document_pb2.Payment(means=codes.CASH, method_code="10"),
        co=document_pb2.ColombiaDocument(
            document_type=document_type,
            billing_reference=reference,
            correction_concept=concept,
            correction_description=description,
        ),
    )
    if support and original is not None:
        document.co.operation_type = original.co.operation_type or "10"
    if original is not None and original.co.HasField("exchange_rate"):
        document.co.exchange_rate.CopyFrom(original.co.exchange_rate)
    return document


def _note_line(
    rng: random.Random, description: str, amount: Decimal, support: bool
) -> document_pb2.Line:
    rate = "0" if support else rng.choice(("19", "19", "5", "0"))
    return document_pb2.Line(
        description=description,
        quantity="1",
        unit_price=fixed(amount, 2),
        taxes=[document_pb2.LineTax(scheme=codes.IVA, percent=rate)],
    )


def _note_lines(
    rng: random.Random, original: document_pb2.Document, concept: str, document_type: str
) -> list[document_pb2.Line]:
    lines = []
    for source in original.lines:
        line = document_pb2.Line()
        line.CopyFrom(source)
        line.ClearField("line_extension_amount")
        line.ClearField("allowance_charges")
        # Withholdings stay on invoices; a CreditNote or DebitNote cannot carry them.
        kept = [t for t in line.taxes if t.scheme in (codes.IVA, codes.INC, codes.ICA)]
        line.ClearField("taxes")
        for tax in kept:
            line.taxes.add(scheme=tax.scheme, percent=tax.percent)
        if document_type == codes.DEBIT_NOTE:
            line.ClearField("period")
        lines.append(line)
    if concept == "2":  # an annulment takes back the whole document
        return lines
    chosen = rng.sample(lines, rng.randint(1, len(lines)))
    for line in chosen:
        if concept == "1" and Decimal(line.quantity) > 1:  # a partial return
            line.quantity = str(max(1, int(Decimal(line.quantity)) // 2))
        elif concept != "1":  # a discount, price adjustment or charge: a share of the price
            share = Decimal(rng.choice((5, 10, 15))) / 100
            line.unit_price = fixed(round_half_up(Decimal(line.unit_price) * share, 2), 2)
            line.quantity = "1"
    return [line for line in chosen if Decimal(line.unit_price) > 0]
