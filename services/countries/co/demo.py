"""A stand-in ERP: realistic Colombian sales invoices (type 01) as an issuer would send them."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from services.core.decimals import fixed, round_half_up
from services.countries.co import codes, habilitacion, nit
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.demo_catalog import (
    CITIES,
    COMPANY_WORDS,
    FIRST_NAMES,
    NOTES,
    PRODUCTS,
    STREETS,
    SURNAMES,
    City,
    Product,
)
from services.countries.co.totals import PricedLine, compute_totals
from timbra.v1 import document_pb2, issuing_pb2

_HUNDRED = Decimal(100)
# A sandbox software registration: DIAN gives a UUID SoftwareID; the PIN is the issuer's choice.
SANDBOX_SOFTWARE_ID = "5f2c8a4e-1b7d-4c39-9e0a-6d3b2f81c7a4"
SANDBOX_SOFTWARE_PIN = "75315"


def issuer_profile(
    tax_id: str = "900373076", name: str = "Comercializadora Timbra Demo S.A.S."
) -> issuing_pb2.IssuerProfile:
    """A sandbox issuer registration (software propio, habilitación environment)."""
    city = CITIES[0]
    return issuing_pb2.IssuerProfile(
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
    )


def habilitacion_range(tax_id: str = "900373076") -> issuing_pb2.NumberingRange:
    """DIAN's habilitación range (SETP) as a registration request for the sandbox issuer."""
    return issuing_pb2.NumberingRange(
        country="co",
        issuer=tax_id,
        document_types=[codes.INVOICE],
        authorization=habilitacion.AUTHORIZATION,
        prefix=habilitacion.PREFIX,
        range_from=habilitacion.RANGE_FROM,
        range_to=habilitacion.RANGE_TO,
        valid_from=habilitacion.VALID_FROM.isoformat(),
        valid_to=habilitacion.VALID_TO.isoformat(),
        technical_key=habilitacion.TECHNICAL_KEY,
    )


def generate_documents(
    count: int, issuer: str, seed: int = 0, *, today: date | None = None
) -> list[document_pb2.Document]:
    """`count` valid invoices for `issuer`; the same seed (and `today`) gives the same documents."""
    rng = random.Random(seed)
    # Due dates of credit sales count from `today`; pass it to pin the output across days.
    base = today or datetime.now(COLOMBIA_TIME).date()
    return [_document(rng, issuer, base) for _ in range(count)]


def _document(rng: random.Random, issuer: str, today: date) -> document_pb2.Document:
    kind = rng.random()
    if kind < 0.55:
        customer = _company(rng)
    elif kind < 0.90:
        customer = _person(rng)
    else:
        customer = document_pb2.Party(
            tax_id=codes.FINAL_CONSUMER_ID, id_type=codes.CEDULA, name=codes.FINAL_CONSUMER_NAME
        )

    lines = [_line(rng, product) for product in rng.sample(PRODUCTS, rng.randint(1, 8))]
    totals = compute_totals(
        PricedLine(
            Decimal(item.quantity),
            Decimal(item.unit_price),
            codes.IVA,
            Decimal(item.taxes[0].percent),
        )
        for item in lines
    )
    document = document_pb2.Document(
        country="co",
        issuer=issuer,
        customer=customer,
        currency="COP",
        lines=lines,
        totals=document_pb2.Totals(
            line_extension_amount=fixed(totals.line_extension, 2),
            tax_exclusive_amount=fixed(totals.tax_exclusive, 2),
            tax_inclusive_amount=fixed(totals.tax_inclusive, 2),
            payable_amount=fixed(totals.payable, 2),
        ),
        payment=_payment(rng, today, customer.tax_id == codes.FINAL_CONSUMER_ID),
        co=document_pb2.ColombiaDocument(document_type=codes.INVOICE, operation_type="10"),
    )
    if rng.random() < 0.2:
        document.notes.append(rng.choice(NOTES))
    if customer.id_type == codes.NIT and rng.random() < 0.3:
        document.co.order_reference = f"OC-{rng.randint(1000, 99999)}"
    return document


def _address(rng: random.Random, city: City) -> document_pb2.Address:
    street = f"{rng.choice(STREETS)} {rng.randint(1, 150)}"
    return document_pb2.Address(
        line=f"{street} # {rng.randint(1, 120)}-{rng.randint(1, 99)}",
        city_code=city.code,
        city_name=city.name,
        subdivision_code=city.code[:2],
        subdivision_name=city.department,
        country="CO",
    )


def _company(rng: random.Random) -> document_pb2.Party:
    tax_id = str(rng.randint(800_000_000, 901_999_999))
    kind, place, form = (rng.choice(words) for words in COMPANY_WORDS)
    name = f"{kind} {place} {form}"
    city = rng.choice(CITIES)
    domain = "".join(ch for ch in f"{kind}{place}".lower() if ch.isascii() and ch.isalnum())
    responsibilities = rng.choice((["O-13", "O-15"], ["O-15"], ["O-47"], ["O-23"], ["R-99-PN"]))
    return document_pb2.Party(
        tax_id=tax_id,
        check_digit=nit.check_digit(tax_id),
        id_type=codes.NIT,
        name=name,
        person_type=document_pb2.PERSON_TYPE_LEGAL,
        tax_responsibilities=responsibilities,
        tax_scheme=rng.choice(("01", "01", "ZA", "ZZ")),
        address=_address(rng, city),
        email=f"facturacion@{domain}.com.co",
        phone=f"{city.area_code}{rng.randint(2_000_000, 8_999_999)}",
    )


def _person(rng: random.Random) -> document_pb2.Party:
    first, last, second = rng.choice(FIRST_NAMES), rng.choice(SURNAMES), rng.choice(SURNAMES)
    user = "".join(
        ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == ".")
    )
    party = document_pb2.Party(
        tax_id=str(rng.randint(1_000_000, 1_199_999_999)),
        id_type=codes.CEDULA,
        name=f"{first} {last} {second}",
        person_type=document_pb2.PERSON_TYPE_NATURAL,
        tax_responsibilities=["R-99-PN"],
        tax_scheme="ZZ",
        email=f"{user}{rng.randint(1, 99)}@gmail.com",
        phone=f"3{rng.randint(0, 2)}{rng.randint(0, 9)}{rng.randint(1_000_000, 9_999_999)}",
    )
    if rng.random() < 0.6:
        party.address.CopyFrom(_address(rng, rng.choice(CITIES)))
    return party


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
