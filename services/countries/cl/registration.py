"""A Chilean issuer's registration (its Emisor data and SII resolution) and its folio ranges.

The issuer is known by its RUT written canonically (`76192083-9`): that is its tax id on the
platform, the `document.issuer` of its requests and RUTEmisor in its DTEs. Folio ranges come
from CAF files only (`caf.parse_caf`): a range without the SII's CAF could not stamp a TED.

The issuer's giro (GiroEmis) is its party's `business_activity`.
"""

from __future__ import annotations

import dataclasses
import re

from services.core.rejection import InputRejected
from services.countries.cl import rut
from services.countries.cl.clock import parse_date
from services.countries.cl.party import ISSUER_GIRO
from services.countries.cl.sii_text import clipped, free_text
from services.countries.pack import Address, IssuerProfile, Party, RangeSpec
from timbra.v1 import issuing_pb2

PRODUCTION, CERTIFICATION = "1", "2"
_ACTECO = re.compile(r"[1-9][0-9]{5}")
_NRO_RESOL = re.compile(r"[0-9]{1,6}")
_NOT_CHILEAN = (
    "software_id",
    "software_pin",
    "provider_tax_id",
    "provider_check_digit",
    "commercial_registration",
    "industry_code",
    "test_set_id",
    "support_software_id",
    "support_software_pin",
)


def issuer_giro(issuer: IssuerProfile) -> str:
    """The issuer's giro (GiroEmis)."""
    return issuer.party.business_activity


def _activity_codes(profile: issuing_pb2.IssuerProfile, path: str) -> tuple[str, ...]:
    found: list[str] = []
    for index, code in enumerate(profile.activity_codes):
        field = f"{path}.activity_codes[{index}]"
        code = code.strip()
        if not _ACTECO.fullmatch(code):
            raise InputRejected(field, f"an Acteco is a 6-digit SII activity code, got {code!r}")
        if code in found:
            raise InputRejected(field, f"{code} is listed twice")
        found.append(code)
    if not 1 <= len(found) <= 4:
        raise InputRejected(
            f"{path}.activity_codes",
            f"a DTE names 1 to 4 economic activities (Acteco), got {len(found)}",
        )
    return tuple(found)


def _party(profile: issuing_pb2.IssuerProfile, path: str) -> tuple[Party, str]:
    if not profile.HasField("party"):
        raise InputRejected(f"{path}.party", "is required")
    party = profile.party
    path = f"{path}.party"
    number = rut.parse_split(
        party.tax_id, party.check_digit, f"{path}.tax_id", f"{path}.check_digit"
    )
    giro = free_text(
        party.business_activity, f"{path}.business_activity", limit=1000, required=True
    )
    address = party.address
    line = free_text(address.line, f"{path}.address.line", limit=70, required=True)
    commune = free_text(address.city_name, f"{path}.address.city_name", limit=20, required=True)
    result = Party(
        tax_id=number.text,
        check_digit=number.digit,
        id_type="RUT",
        name=free_text(party.name, f"{path}.name", limit=100, required=True),
        person_type=str(int(party.person_type)) if party.person_type else "",
        address=Address(line=line, city_name=commune, country="CL"),
        email=free_text(party.email, f"{path}.email", limit=80),
        phone=free_text(party.phone, f"{path}.phone", limit=20),
    )
    return result, clipped(giro, ISSUER_GIRO)


def parse_issuer(profile: issuing_pb2.IssuerProfile, path: str) -> IssuerProfile:
    """An issuer's Emisor data, Acteco and SII resolution (FchResol, NroResol), checked."""
    if profile.country and profile.country != "cl":
        raise InputRejected(f"{path}.country", f"must be 'cl', got {profile.country!r}")
    for name in _NOT_CHILEAN:
        if getattr(profile, name):
            raise InputRejected(f"{path}.{name}", "belongs to DIAN registrations: leave it empty")
    party, giro = _party(profile, path)
    if not profile.authorization_date:
        raise InputRejected(
            f"{path}.authorization_date",
            "is required: the date of the SII resolution authorising the issuer (FchResol)",
        )
    resolution_date = parse_date(profile.authorization_date, f"{path}.authorization_date")
    number = profile.authorization_number.strip()
    if not _NRO_RESOL.fullmatch(number):
        raise InputRejected(
            f"{path}.authorization_number",
            "is the SII resolution number (NroResol, up to 6 digits; 0 in certification), "
            f"got {number!r}",
        )
    number = str(int(number))
    environment = profile.environment or (CERTIFICATION if number == "0" else PRODUCTION)
    if environment not in (PRODUCTION, CERTIFICATION):
        raise InputRejected(
            f"{path}.environment",
            f"must be 1 (producción) or 2 (certificación), got {environment!r}",
        )
    if environment == PRODUCTION and number == "0":
        raise InputRejected(
            f"{path}.authorization_number",
            "NroResol 0 is the certification resolution; production needs the SII's "
            "resolution number",
        )
    return IssuerProfile(
        country="cl",
        party=dataclasses.replace(party, business_activity=giro),
        environment=environment,
        activity_codes=_activity_codes(profile, path),
        authorization_date=resolution_date,
        authorization_number=number,
    )


def parse_range(spec: issuing_pb2.NumberingRange, path: str) -> RangeSpec:
    """Refused: Chilean folios come from the SII's CAF files, loaded with LoadNumberingFile."""
    raise InputRejected(
        path,
        "Chilean folios come only from a CAF file issued by the SII (it holds the key that "
        "stamps every TED): load it with LoadNumberingFile",
    )
