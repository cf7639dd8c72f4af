"""Parties of a Colombian document (customer, issuer) read from the API and checked."""

from __future__ import annotations

import re

from services.core.rejection import InputRejected
from services.countries.co import codes, nit
from services.countries.co.country_names import COUNTRY_NAMES
from services.countries.co.free_text import free_text
from services.countries.pack import Address, Party
from timbra.v1 import document_pb2

_DIGITS = re.compile(r"[0-9]{1,20}")
_ALNUM_ID = re.compile(r"[A-Za-z0-9-]{1,20}")
# Deliberately loose: DIAN only needs a deliverable-looking mailbox, and a stricter pattern
# refuses real addresses.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_DANE_CITY = re.compile(r"[0-9]{5}")
_CIIU = re.compile(r"[0-9]{4}")


def check_digit(tax_id: str, given: str, field: str) -> str:
    """The NIT's check digit: verified when `given`, computed when empty."""
    try:
        expected = nit.check_digit(tax_id)
    except ValueError as error:
        raise InputRejected(field, f"cannot check NIT {tax_id}: {error}") from error
    if given and given != expected:
        raise InputRejected(
            field, f"check digit {given} does not match NIT {tax_id} (expected {expected})"
        )
    return expected


def parse_customer(party: document_pb2.Party, path: str) -> Party:
    """The buyer (AccountingCustomerParty), with DIAN's defaults filled in."""
    tax_id = party.tax_id.strip()
    final_consumer = tax_id == codes.FINAL_CONSUMER_ID
    # The anonymous retail buyer is written as a cédula, as DIAN's examples do.
    default_type = codes.CEDULA if final_consumer else codes.NIT
    name = free_text(party.name, f"{path}.name") or (
        codes.FINAL_CONSUMER_NAME if final_consumer else ""
    )
    return _parse_party(party, path, default_type=default_type, name=name)


def parse_issuer_party(party: document_pb2.Party, path: str) -> Party:
    """The seller (AccountingSupplierParty): always identified by NIT."""
    if party.id_type and party.id_type != codes.NIT:
        raise InputRejected(
            f"{path}.id_type",
            f"an electronic invoicer is identified by NIT (31), got {party.id_type}",
        )
    name = free_text(party.name, f"{path}.name")
    return _parse_party(party, path, default_type=codes.NIT, name=name)


def _parse_party(party: document_pb2.Party, path: str, *, default_type: str, name: str) -> Party:
    id_type = party.id_type or default_type
    if id_type not in codes.ID_TYPES:
        known = ", ".join(codes.ID_TYPES)
        raise InputRejected(
            f"{path}.id_type", f"unknown DIAN identification type {id_type!r}; use one of {known}"
        )
    tax_id = party.tax_id.strip()
    if not tax_id:
        raise InputRejected(f"{path}.tax_id", "is required")
    if id_type in codes.NUMERIC_ID_TYPES:
        if not _DIGITS.fullmatch(tax_id):
            kind = codes.ID_TYPES[id_type]
            raise InputRejected(
                f"{path}.tax_id", f"a {kind} is digits only (no DV, dots or dashes), got {tax_id!r}"
            )
    elif not _ALNUM_ID.fullmatch(tax_id):
        raise InputRejected(f"{path}.tax_id", f"must be letters, digits or '-', got {tax_id!r}")

    digit = party.check_digit.strip()
    if id_type == codes.NIT:
        digit = check_digit(tax_id, digit, f"{path}.check_digit")
    elif digit:
        raise InputRejected(
            f"{path}.check_digit",
            f"only a NIT (id_type 31) has a check digit; id_type is {id_type}",
        )
    if not name:
        raise InputRejected(f"{path}.name", "is required")

    if party.person_type == document_pb2.PERSON_TYPE_LEGAL:
        person_type = codes.LEGAL_PERSON
    elif party.person_type == document_pb2.PERSON_TYPE_NATURAL:
        person_type = codes.NATURAL_PERSON
    else:
        # A NIT usually names a company; every other document names a person.
        person_type = codes.LEGAL_PERSON if id_type == codes.NIT else codes.NATURAL_PERSON

    tax_scheme = party.tax_scheme or "ZZ"
    if tax_scheme not in codes.PARTY_TAX_SCHEMES:
        known = ", ".join(codes.PARTY_TAX_SCHEMES)
        raise InputRejected(
            f"{path}.tax_scheme", f"unknown tax scheme {tax_scheme!r}; use one of {known}"
        )

    email = free_text(party.email, f"{path}.email", limit=200)
    if email and not _EMAIL.fullmatch(email):
        raise InputRejected(f"{path}.email", f"does not look like an e-mail address: {email!r}")

    return Party(
        tax_id=tax_id,
        check_digit=digit,
        id_type=id_type,
        name=name,
        person_type=person_type,
        tax_responsibilities=_responsibilities(party, path),
        tax_scheme=tax_scheme,
        address=parse_address(party.address, f"{path}.address")
        if party.HasField("address")
        else None,
        email=email,
        phone=free_text(party.phone, f"{path}.phone", limit=50),
        trade_name=free_text(party.trade_name, f"{path}.trade_name"),
    )


def _responsibilities(party: document_pb2.Party, path: str) -> tuple[str, ...]:
    seen: list[str] = []
    for index, code in enumerate(party.tax_responsibilities):
        field = f"{path}.tax_responsibilities[{index}]"
        if code not in codes.TAX_RESPONSIBILITIES:
            known = ", ".join(codes.TAX_RESPONSIBILITIES)
            raise InputRejected(
                field, f"{code!r} is not a DIAN tax responsibility; use one of {known}"
            )
        if code in seen:
            raise InputRejected(field, f"{code} is listed twice")
        seen.append(code)
    return tuple(seen) or (codes.NO_RESPONSIBILITY,)


def parse_address(address: document_pb2.Address, path: str) -> Address:
    """An address: Colombian with DANE codes, or abroad with its country, city and street."""
    country = address.country.strip().upper() or codes.COLOMBIA
    if country not in COUNTRY_NAMES:
        raise InputRejected(
            f"{path}.country",
            f"must be an ISO 3166-1 alpha-2 country code DIAN lists (CO, US, ES, ...), "
            f"got {country!r}",
        )
    if country != codes.COLOMBIA:
        return _foreign_address(address, path, country)
    city_code = address.city_code.strip()
    if not _DANE_CITY.fullmatch(city_code):
        raise InputRejected(
            f"{path}.city_code", f"must be the 5-digit DANE municipality code, got {city_code!r}"
        )
    subdivision_code = address.subdivision_code.strip() or city_code[:2]
    if subdivision_code != city_code[:2]:
        raise InputRejected(
            f"{path}.subdivision_code",
            f"department {subdivision_code} does not contain municipality {city_code} "
            f"(expected {city_code[:2]})",
        )
    return Address(
        line=free_text(address.line, f"{path}.line", required=True),
        city_code=city_code,
        city_name=free_text(address.city_name, f"{path}.city_name", limit=100, required=True),
        subdivision_code=subdivision_code,
        subdivision_name=free_text(
            address.subdivision_name, f"{path}.subdivision_name", limit=100, required=True
        ),
        postal_zone=free_text(address.postal_zone, f"{path}.postal_zone", limit=20),
        country=country,
    )


def _foreign_address(address: document_pb2.Address, path: str, country: str) -> Address:
    # DANE codes mean nothing abroad: the city, its region and the street are free text.
    return Address(
        line=free_text(address.line, f"{path}.line", required=True),
        city_code=free_text(address.city_code, f"{path}.city_code", limit=20),
        city_name=free_text(address.city_name, f"{path}.city_name", limit=100, required=True),
        subdivision_code=free_text(address.subdivision_code, f"{path}.subdivision_code", limit=10),
        subdivision_name=free_text(address.subdivision_name, f"{path}.subdivision_name", limit=100),
        postal_zone=free_text(address.postal_zone, f"{path}.postal_zone", limit=20),
        country=country,
    )


def require_abroad(party: Party, path: str, why: str) -> None:
    """A party that must be foreign: a foreign identification and, when given, an address abroad."""
    if party.id_type not in codes.FOREIGN_ID_TYPES:
        known = ", ".join(f"{t} {codes.ID_TYPES[t]}" for t in sorted(codes.FOREIGN_ID_TYPES))
        raise InputRejected(
            f"{path}.id_type", f"{why}: identify the party abroad with {known}, not {party.id_type}"
        )
    if party.address is None:
        raise InputRejected(f"{path}.address", f"{why}: the address abroad is required")
    if party.address.country == codes.COLOMBIA:
        raise InputRejected(f"{path}.address.country", f"{why}: the address must be abroad")


def require_resident(party: Party, path: str, why: str) -> None:
    """A party that must be Colombian: a Colombian identification and address."""
    if party.id_type in codes.FOREIGN_ID_TYPES:
        raise InputRejected(
            f"{path}.id_type", f"{why}: a foreign identification ({party.id_type}) is not resident"
        )
    if party.address is not None and party.address.country != codes.COLOMBIA:
        raise InputRejected(f"{path}.address.country", f"{why}: the address must be in Colombia")


def check_industry_code(code: str, field: str) -> str:
    """A CIIU activity code (4 digits), or empty."""
    if code and not _CIIU.fullmatch(code):
        raise InputRejected(field, f"must be a 4-digit CIIU activity code, got {code!r}")
    return code
