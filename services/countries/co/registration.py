"""Registrations with DIAN: an issuer's software (SoftwareID, PIN) and its numbering resolutions."""

from __future__ import annotations

import re

from services.core.rejection import InputRejected
from services.countries.co import codes
from services.countries.co.free_text import free_text
from services.countries.co.invoice import parse_date
from services.countries.co.party import check_digit, check_industry_code, parse_issuer_party
from services.countries.pack import IssuerProfile, RangeSpec
from timbra.v1 import issuing_pb2

_DIGITS = re.compile(r"[0-9]{1,20}")
_NIT = re.compile(r"[0-9]{1,15}")
_PREFIX = re.compile(r"[A-Za-z0-9]{0,4}")
_TOKEN = re.compile(r"\S{1,200}")


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
    )


def parse_range(spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
    """A DIAN numbering resolution for one prefix, checked."""
    if spec.country and spec.country != "co":
        raise InputRejected(f"{path}.country", f"must be 'co', got {spec.country!r}")
    issuer = spec.issuer.strip()
    if not _NIT.fullmatch(issuer):
        raise InputRejected(
            f"{path}.issuer", f"must be the issuer's NIT without DV, got {issuer!r}"
        )
    authorization = spec.authorization.strip()
    if not _DIGITS.fullmatch(authorization):
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
    valid_from = parse_date(spec.valid_from, f"{path}.valid_from")
    valid_to = parse_date(spec.valid_to, f"{path}.valid_to")
    if valid_to < valid_from:
        raise InputRejected(f"{path}.valid_to", f"{valid_to} is before valid_from {valid_from}")
    technical_key = spec.technical_key.strip()
    if not technical_key:
        raise InputRejected(
            f"{path}.technical_key", "is required: the range's TechnicalKey from GetNumberingRange"
        )
    if not _TOKEN.fullmatch(technical_key):
        raise InputRejected(f"{path}.technical_key", "must not contain spaces")

    types: list[str] = []
    for index, code in enumerate(spec.document_types):
        field = f"{path}.document_types[{index}]"
        if code not in codes.RANGE_DOCUMENT_TYPES:
            raise InputRejected(
                field, f"a DIAN invoice range numbers types 01, 02 and 04, not {code!r}"
            )
        if code in types:
            raise InputRejected(field, f"{code} is listed twice")
        types.append(code)

    return RangeSpec(
        country="co",
        issuer=issuer,
        document_types=tuple(types) or (codes.INVOICE,),
        authorization=authorization,
        prefix=spec.prefix,
        range_from=spec.range_from,
        range_to=spec.range_to,
        valid_from=valid_from,
        valid_to=valid_to,
        technical_key=technical_key,
    )
