"""Registrations with DIAN: an issuer's software (SoftwareID, PIN) and its numbering ranges.

Ranges by family (dian-colombia.md §3.9, §8.2): invoices (01, 02, 04) need the resolution and
its technical key; paper contingency documents (03) and documentos soporte (05, 95) need their
resolution and have no technical key (their keys use the software PIN); credit and debit notes
(91, 92) follow the issuer's own sequence, with no resolution at all.
"""

from __future__ import annotations

import re
from datetime import date

from services.core.rejection import InputRejected
from services.countries.co import codes
from services.countries.co.dates import parse_date
from services.countries.co.document_types import (
    INVOICE_RANGE,
    KINDS,
    NOTE_RANGE,
    RANGE_FAMILIES,
)
from services.countries.co.free_text import free_text
from services.countries.co.party import check_digit, check_industry_code, parse_issuer_party
from services.countries.pack import IssuerProfile, RangeSpec
from timbra.v1 import issuing_pb2

_DIGITS = re.compile(r"[0-9]{1,20}")
_NIT = re.compile(r"[0-9]{1,15}")
_PREFIX = re.compile(r"[A-Za-z0-9]{0,4}")
_TOKEN = re.compile(r"\S{1,200}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# A note sequence has no resolution and so no validity: it is open-ended.
OPEN_FROM = date(2000, 1, 1)
OPEN_TO = date(9999, 12, 31)


def parse_issuer(profile: issuing_pb2.IssuerProfile, path: str) -> IssuerProfile:
    """An issuer's party data and DIAN software registration, checked."""
    if not profile.HasField("party"):
        raise InputRejected(f"{path}.party", "is required")
    party = parse_issuer_party(profile.party, f"{path}.party")

    software_id = profile.software_id.strip()
    if not software_id:
        raise InputRejected(
            f"{path}.software_id", "is required: the SoftwareID DIAN gave the software"
        )
    if not _TOKEN.fullmatch(software_id):
        raise InputRejected(f"{path}.software_id", "must not contain spaces")
    if not profile.software_pin:
        raise InputRejected(
            f"{path}.software_pin", "is required: the PIN set when registering the software"
        )
    if not _TOKEN.fullmatch(profile.software_pin):
        raise InputRejected(f"{path}.software_pin", "must not contain spaces")

    environment = profile.environment or codes.TESTING
    if environment not in codes.ENVIRONMENTS:
        raise InputRejected(
            f"{path}.environment", f"must be 1 (producción) or 2 (pruebas), got {environment!r}"
        )

    # Software propio by default: the issuer is its own software provider.
    provider = profile.provider_tax_id.strip()
    if provider:
        if not _NIT.fullmatch(provider):
            raise InputRejected(
                f"{path}.provider_tax_id", f"a NIT is 1 to 15 digits without DV, got {provider!r}"
            )
        provider_digit = check_digit(
            provider, profile.provider_check_digit.strip(), f"{path}.provider_check_digit"
        )
    elif profile.provider_check_digit:
        raise InputRejected(f"{path}.provider_check_digit", "is given without provider_tax_id")
    else:
        provider, provider_digit = party.tax_id, party.check_digit

    test_set_id = profile.test_set_id.strip()
    if test_set_id and not _UUID.fullmatch(test_set_id):
        raise InputRejected(
            f"{path}.test_set_id", f"must be DIAN's TestSetId, a UUID, got {test_set_id!r}"
        )
    support_id, support_pin = _support_software(profile, path)

    return IssuerProfile(
        country="co",
        party=party,
        software_id=software_id,
        software_pin=profile.software_pin,
        environment=environment,
        provider_tax_id=provider,
        provider_check_digit=provider_digit,
        commercial_registration=free_text(
            profile.commercial_registration, f"{path}.commercial_registration", limit=100
        ),
        industry_code=check_industry_code(profile.industry_code.strip(), f"{path}.industry_code"),
        test_set_id=test_set_id.lower(),
        support_software_id=support_id,
        support_software_pin=support_pin,
    )


def _support_software(profile: issuing_pb2.IssuerProfile, path: str) -> tuple[str, str]:
    """The documento soporte software: both its id and PIN, or neither (then the invoicing one)."""
    software_id = profile.support_software_id.strip()
    pin = profile.support_software_pin
    if not software_id and not pin:
        return "", ""
    if not software_id:
        raise InputRejected(f"{path}.support_software_id", "is required with support_software_pin")
    if not pin:
        raise InputRejected(f"{path}.support_software_pin", "is required with support_software_id")
    if not _TOKEN.fullmatch(software_id):
        raise InputRejected(f"{path}.support_software_id", "must not contain spaces")
    if not _TOKEN.fullmatch(pin):
        raise InputRejected(f"{path}.support_software_pin", "must not contain spaces")
    return software_id, pin


def _family(spec: issuing_pb2.NumberingRange, path: str) -> tuple[str, tuple[str, ...]]:
    """The range's document types, all of one family; default: the invoice types."""
    types: list[str] = []
    family = ""
    for index, code in enumerate(spec.document_types):
        field = f"{path}.document_types[{index}]"
        if code not in KINDS:
            known = ", ".join(KINDS)
            raise InputRejected(field, f"unknown DIAN document type {code!r}; use {known}")
        if code in types:
            raise InputRejected(field, f"{code} is listed twice")
        own = KINDS[code].range_family
        if family and own != family:
            together = ", ".join(RANGE_FAMILIES[family])
            raise InputRejected(
                field,
                f"{code} is numbered apart from {types[0]}: one range numbers {together} only",
            )
        family = own
        types.append(code)
    if not types:
        return INVOICE_RANGE, RANGE_FAMILIES[INVOICE_RANGE]
    return family, tuple(types)


def _validity(spec: issuing_pb2.NumberingRange, path: str, family: str) -> tuple[date, date]:
    if family == NOTE_RANGE and not spec.valid_from and not spec.valid_to:
        return OPEN_FROM, OPEN_TO
    valid_from = parse_date(spec.valid_from, f"{path}.valid_from")
    valid_to = parse_date(spec.valid_to, f"{path}.valid_to")
    if valid_to < valid_from:
        raise InputRejected(f"{path}.valid_to", f"{valid_to} is before valid_from {valid_from}")
    return valid_from, valid_to


def parse_range(spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
    """A numbering range for one prefix and one family of document types, checked."""
    if spec.country and spec.country != "co":
        raise InputRejected(f"{path}.country", f"must be 'co', got {spec.country!r}")
    issuer = spec.issuer.strip()
    if not _NIT.fullmatch(issuer):
        raise InputRejected(
            f"{path}.issuer", f"must be the issuer's NIT without DV, got {issuer!r}"
        )
    family, types = _family(spec, path)
    authorization = spec.authorization.strip()
    # Notes follow the issuer's own sequence and may name no resolution at all.
    if (authorization or family != NOTE_RANGE) and not _DIGITS.fullmatch(authorization):
        raise InputRejected(
            f"{path}.authorization",
            f"must be the DIAN resolution number (digits), got {authorization!r}",
        )
    if not _PREFIX.fullmatch(spec.prefix):
        raise InputRejected(f"{path}.prefix", f"is up to 4 letters or digits, got {spec.prefix!r}")
    if spec.range_from < 1:
        raise InputRejected(f"{path}.range_from", "must be at least 1")
    if spec.range_to < spec.range_from:
        raise InputRejected(
            f"{path}.range_to", f"{spec.range_to} is below range_from {spec.range_from}"
        )
    valid_from, valid_to = _validity(spec, path, family)
    technical_key = spec.technical_key.strip()
    if family == INVOICE_RANGE and not technical_key:
        raise InputRejected(
            f"{path}.technical_key", "is required: the range's TechnicalKey from GetNumberingRange"
        )
    if technical_key and not _TOKEN.fullmatch(technical_key):
        raise InputRejected(f"{path}.technical_key", "must not contain spaces")
    return RangeSpec(
        country="co",
        issuer=issuer,
        document_types=types,
        authorization=authorization,
        prefix=spec.prefix,
        range_from=spec.range_from,
        range_to=spec.range_to,
        valid_from=valid_from,
        valid_to=valid_to,
        technical_key=technical_key,
    )
