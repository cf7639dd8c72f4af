"""The demo ERP's counterparts: Colombian companies and people, and buyers and sellers abroad."""

from __future__ import annotations

import random

from services.countries.co import codes, nit
from services.countries.co.demo_catalog import (
    CITIES,
    COMPANY_WORDS,
    FIRST_NAMES,
    FOREIGN_COMPANIES,
    STREETS,
    SURNAMES,
    City,
    ForeignCity,
)
from timbra.v1 import document_pb2


def address(rng: random.Random, city: City) -> document_pb2.Address:
    """A street address in a Colombian municipality."""
    street = f"{rng.choice(STREETS)} {rng.randint(1, 150)}"
    return document_pb2.Address(
        line=f"{street} # {rng.randint(1, 120)}-{rng.randint(1, 99)}",
        city_code=city.code,
        city_name=city.name,
        subdivision_code=city.code[:2],
        subdivision_name=city.department,
        country="CO",
    )


def company(rng: random.Random) -> document_pb2.Party:
    """A Colombian company identified by NIT, with its responsibilities and address."""
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
        address=address(rng, city),
        email=f"facturacion@{domain}.com.co",
        phone=f"{city.area_code}{rng.randint(2_000_000, 8_999_999)}",
    )


def person(rng: random.Random, *, with_address: float = 0.6) -> document_pb2.Party:
    """A Colombian natural person with a cédula, not responsible for IVA."""
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
    if rng.random() < with_address:
        party.address.CopyFrom(address(rng, rng.choice(CITIES)))
    return party


def foreign_address(rng: random.Random, city: ForeignCity) -> document_pb2.Address:
    """A street address abroad."""
    return document_pb2.Address(
        line=f"{rng.randint(10, 9999)} {rng.choice(('Main', 'Harbor', 'Market', 'Park'))} St.",
        city_name=city.name,
        subdivision_name=city.region,
        postal_zone=city.postal_zone,
        country=city.country,
    )


def foreign_company(rng: random.Random, city: ForeignCity) -> document_pb2.Party:
    """A company abroad, identified by its own country's tax number (type 50)."""
    name = rng.choice(FOREIGN_COMPANIES)
    domain = "".join(ch for ch in name.lower().split()[0] if ch.isascii() and ch.isalnum())
    return document_pb2.Party(
        tax_id=f"{city.country}{rng.randint(10_000_000, 99_999_999)}",
        id_type="50",
        name=name,
        person_type=document_pb2.PERSON_TYPE_LEGAL,
        tax_responsibilities=["R-99-PN"],
        tax_scheme="ZZ",
        address=foreign_address(rng, city),
        email=f"purchasing@{domain}.com",
    )


def foreign_person(rng: random.Random, city: ForeignCity) -> document_pb2.Party:
    """A person abroad, identified by a foreign document (type 42)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    return document_pb2.Party(
        tax_id=f"{city.country}{rng.randint(1_000_000, 9_999_999)}",
        id_type="42",
        name=f"{first} {last}",
        person_type=document_pb2.PERSON_TYPE_NATURAL,
        tax_responsibilities=["R-99-PN"],
        tax_scheme="ZZ",
        address=foreign_address(rng, city),
    )
