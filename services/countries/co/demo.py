"""A stand-in ERP: realistic Colombian documents of every DIAN type as an issuer would send them.

Sales invoices (01) are the bulk; `document_type` asks for exports (02), paper contingency
invoices entered afterwards (03), documentos soporte (05) and notes (91, 92, 95) referencing
documents given by the caller. Totals are filled the way an ERP does, with the same arithmetic
DIAN recomputes (invoice.expected_totals).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from services.core.decimals import fixed, round_half_up
from services.countries.co import codes, demo_documents, habilitacion
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.demo_catalog import CITIES, NOTES, PRODUCTS, Product
from services.countries.co.demo_documents import with_totals
from services.countries.co.demo_parties import company, person
from services.countries.co.invoice import expected_totals
from timbra.v1 import document_pb2, issuing_pb2

_HUNDRED = Decimal(100)
# A sandbox software registration: DIAN gives a UUID SoftwareID; the PIN is the issuer's choice.
SANDBOX_SOFTWARE_ID = "5f2c8a4e-1b7d-4c39-9e0a-6d3b2f81c7a4"
SANDBOX_SOFTWARE_PIN = "75315"


# The documento soporte is registered as its own software in DIAN's portal.
SANDBOX_SUPPORT_SOFTWARE_ID = "8e41c0d7-3a25-4b6f-a1c9-0f7e52d93b18"
SANDBOX_SUPPORT_SOFTWARE_PIN = "24680"


def issuer_profile(
    tax_id: str = "900373076",
    name: str = "Comercializadora Timbra Demo S.A.S.",
    *,
    test_set_id: str = "",
    support_software: bool = False,
) -> issuing_pb2.IssuerProfile:
    """A sandbox issuer registration (software propio, habilitación environment).

    `test_set_id` puts it through DIAN's test set; `support_software` registers a separate
    documento soporte software.
    """
    city = CITIES[0]
    profile = issuing_pb2.IssuerProfile(
        country="co",
        party=document_pb2.Party(
            tax_id=tax_id,
            id_type=codes.NIT,
            name=name,
            person_type=document_pb2.PERSON_TYPE_LEGAL,
            tax_responsibilities=["O-15"],
            tax_scheme="01",
            address=document_pb2.Address(
                line="Carrera 7 # 71-21",
                city_code=city.code,
                city_name=city.name,
                subdivision_code=city.code[:2],
                subdivision_name=city.department,
                country="CO",
            ),
            email="facturacion@timbra.example",
            phone="6015550100",
        ),
        software_id=SANDBOX_SOFTWARE_ID,
        software_pin=SANDBOX_SOFTWARE_PIN,
        environment=codes.TESTING,
        commercial_registration="01234567",
        industry_code="4741",
        test_set_id=test_set_id,
    )
    if support_software:
        profile.support_software_id = SANDBOX_SUPPORT_SOFTWARE_ID
        profile.support_software_pin = SANDBOX_SUPPORT_SOFTWARE_PIN
    return profile


def habilitacion_range(tax_id: str = "900373076") -> issuing_pb2.NumberingRange:
    """DIAN's habilitación range (SETP) as a registration request for the sandbox issuer."""
    return issuing_pb2.NumberingRange(
        country="co",
        issuer=tax_id,
        document_types=[codes.INVOICE, codes.EXPORT, codes.DIAN_CONTINGENCY],
        authorization=habilitacion.AUTHORIZATION,
        prefix=habilitacion.PREFIX,
        range_from=habilitacion.RANGE_FROM,
        range_to=habilitacion.RANGE_TO,
        valid_from=habilitacion.VALID_FROM.isoformat(),
        valid_to=habilitacion.VALID_TO.isoformat(),
        technical_key=habilitacion.TECHNICAL_KEY,
    )


def range_request(
    document_types: Sequence[str],
    prefix: str,
    range_from: int,
    range_to: int,
    *,
    tax_id: str = "900373076",
    authorization: str = "",
    technical_key: str = "",
    valid_from: date = habilitacion.VALID_FROM,
    valid_to: date = habilitacion.VALID_TO,
) -> issuing_pb2.NumberingRange:
    """A numbering range registration for the sandbox issuer (notes may leave out dates)."""
    request = issuing_pb2.NumberingRange(
        country="co",
        issuer=tax_id,
        document_types=list(document_types),
        authorization=authorization,
        prefix=prefix,
        range_from=range_from,
        range_to=range_to,
        technical_key=technical_key,
    )
    if authorization:
        request.valid_from = valid_from.isoformat()
        request.valid_to = valid_to.isoformat()
    return request


def sandbox_ranges(tax_id: str = "900373076") -> list[issuing_pb2.NumberingRange]:
    """One range per family: invoices (SETP), paper contingency, documento soporte, notes."""
    return [
        habilitacion_range(tax_id),
        range_request(["03"], "CONT", 1, 5000, tax_id=tax_id, authorization="18760000002"),
        range_request(
            ["05", "95"], "SEDS", 984000000, 985000000, tax_id=tax_id, authorization="18760000001"
        ),
        range_request(["91"], "NC", 1, 99_999_999, tax_id=tax_id),
        range_request(["92"], "ND", 1, 99_999_999, tax_id=tax_id),
    ]


def generate_documents(
    count: int,
    issuer: str,
    seed: int = 0,
    *,
    today: date | None = None,
    document_type: str = codes.INVOICE,
    references: Sequence[document_pb2.BillingReference] | None = None,
    originals: Sequence[document_pb2.Document] | None = None,
    paper_range: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> list[document_pb2.Document]:
    """`count` valid documents of one type for `issuer`; the same arguments give the same ones.

    Notes (91, 92, 95) correct `references`, in turn; `originals`, aligned with them, lets a
    note copy the corrected document's buyer, currency and items. Paper invoices (03) take
    consecutive numbers from `paper_range` and moments within the day before `now`.
    """
    rng = random.Random(seed)
    # Due dates of credit sales count from `today`; pass it to pin the output across days.
    base = today or datetime.now(COLOMBIA_TIME).date()
    if document_type == codes.INVOICE:
        return [_document(rng, issuer, base) for _ in range(count)]
    return demo_documents.generate(
        rng,
        count,
        issuer,
        base,
        document_type=document_type,
        references=references,
        originals=originals,
        paper_range=paper_range,
        now=now,
    )


def _document(rng: random.Random, issuer: str, today: date) -> document_pb2.Document:
    kind = rng.random()
    if kind < 0.55:
        customer = company(rng)
    elif kind < 0.90:
        customer = person(rng)
    else:
        customer = document_pb2.Party(
            tax_id=codes.FINAL_CONSUMER_ID, id_type=codes.CEDULA, name=codes.FINAL_CONSUMER_NAME
        )

    lines = [_line(rng, product) for product in rng.sample(PRODUCTS, rng.randint(1, 8))]
    document = document_pb2.Document(
        country="co",
        issuer=issuer,
        customer=customer,
        currency="COP",
        lines=lines,
        payment=_payment(rng, today, customer.tax_id == codes.FINAL_CONSUMER_ID),
        co=document_pb2.ColombiaDocument(document_type=codes.INVOICE, operation_type="10"),
    )
    if rng.random() < 0.2:
        document.notes.append(rng.choice(NOTES))
    if customer.id_type == codes.NIT and rng.random() < 0.3:
        document.co.order_reference = f"OC-{rng.randint(1000, 99999)}"
    _commercial_terms(random.Random(rng.random()), document, customer, today)
    return with_totals(document)


def _commercial_terms(
    rng: random.Random, document: document_pb2.Document, customer: document_pb2.Party, today: date
) -> None:
    """Discounts, withholdings and advances, in the share of invoices where ERPs put them."""
    # A separate stream, so that the invoices' parties, items and prices do not depend on it.
    if rng.random() < 0.15:
        line = rng.choice(document.lines)
        line.allowance_charges.add(reason_code=rng.choice(("01", "06", "09", "10")), percent="5")
    if customer.id_type == codes.NIT and rng.random() < 0.12:
        # A large buyer that is a withholding agent withholds ReteFuente on purchases.
        for line in document.lines:
            line.taxes.add(scheme=codes.RETE_FUENTE, percent="2.5")
    if rng.random() < 0.05:
        # A flat delivery fee: its own base, 100 % of it (a percent is at most 100, FAQ06).
        document.allowance_charges.add(
            charge=True, reason="Flete de entrega", amount="12000.00", base_amount="12000.00"
        )
    if customer.id_type == codes.NIT and rng.random() < 0.05:
        # An advance of about a third of the invoice, received some days before.
        payable = expected_totals(document).payable
        document.co.prepayments.add(
            id=f"ANT-{rng.randint(100, 999)}",
            amount=fixed(round_half_up(payable * Decimal("0.3"), -3), 2),
            received_date=(today - timedelta(days=rng.randint(1, 20))).isoformat(),
        )


def _line(rng: random.Random, product: Product) -> document_pb2.Line:
    if product.fractional:
        quantity = (
            Decimal(rng.randint(5, 400)) / 10
            if product.unit_code == "HUR"
            else (Decimal(rng.randint(250, 12_000)) / 1000)
        )
    else:
        quantity = Decimal(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 24)))
    gross = Decimal(rng.randint(product.low // 100, product.high // 100) * 100)
    # Shops price with IVA included (a round shelf price); the ERP invoices the net price.
    price = round_half_up(gross / (1 + product.iva / _HUNDRED), 2) if rng.random() < 0.4 else gross
    line = document_pb2.Line(
        description=product.description,
        quantity=f"{quantity.normalize():f}",
        unit_code=product.unit_code,
        unit_price=fixed(price, 2),
        taxes=[document_pb2.LineTax(scheme=codes.IVA, percent=f"{product.iva}")],
        item_code=product.item_code,
        standard_item_code=product.standard_code,
    )
    return line


def _payment(rng: random.Random, today: date, final_consumer: bool) -> document_pb2.Payment:
    if final_consumer or rng.random() < 0.6:
        return document_pb2.Payment(
            means=codes.CASH, method_code=rng.choice(("10", "10", "48", "49", "47"))
        )
    due = today + timedelta(days=rng.choice((15, 30, 30, 45, 60, 90)))
    return document_pb2.Payment(
        means=codes.CREDIT,
        method_code=rng.choice(("42", "47", "ZZZ", "1")),
        due_date=due.isoformat(),
    )
