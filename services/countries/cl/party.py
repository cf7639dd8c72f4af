"""The parties of a DTE: the receiver (Receptor) of each document and the issuer's own data.

Address mapping (the API's Address is country-neutral): `line` is the street address
(DirRecep/DirOrigen, 70 characters) and `city_name` the comuna (CmnaRecep/CmnaOrigen, 20
characters); the giro is `business_activity`. The SII's giro fields are short (GiroRecep 40,
GiroEmis 80) while registered giros are often longer, so a giro is clipped, as every issuing
system does; names and addresses are refused when too long.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.core.rejection import InputRejected
from services.countries.cl import codes, rut
from services.countries.cl.sii_text import clipped, free_text
from timbra.v1 import document_pb2

RECEIVER_GIRO = 40
ISSUER_GIRO = 80


@dataclass(frozen=True)
class Receiver:
    """A validated Receptor."""

    rut: str
    name: str  # RznSocRecep
    activity: str = ""  # GiroRecep
    address: str = ""  # DirRecep
    commune: str = ""  # CmnaRecep
    email: str = ""  # CorreoRecep
    contact: str = ""  # Contacto (a phone)


def _colombian_fields(party: document_pb2.Party, path: str) -> None:
    """Refuse fields that only mean something to DIAN, rather than dropping them silently."""
    for name in ("tax_responsibilities", "tax_scheme", "trade_name"):
        if getattr(party, name):
            raise InputRejected(f"{path}.{name}", "has no place in an SII document: leave it empty")
    if party.id_type and party.id_type.upper() != "RUT":
        raise InputRejected(
            f"{path}.id_type", f"a Chilean party is identified by its RUT, got {party.id_type!r}"
        )


def parse_receiver(party: document_pb2.Party, path: str, kind: codes.DteKind) -> Receiver:
    """The Receptor of a document of `kind`; facturas and guías need giro, address and comuna."""
    _colombian_fields(party, path)
    number = rut.parse_split(
        party.tax_id, party.check_digit, f"{path}.tax_id", f"{path}.check_digit"
    )
    name = free_text(party.name, f"{path}.name", limit=100, required=True)
    activity = clipped(
        free_text(party.business_activity, f"{path}.business_activity", limit=1000),
        RECEIVER_GIRO,
    )
    address = party.address
    line = free_text(address.line, f"{path}.address.line", limit=70)
    commune = free_text(address.city_name, f"{path}.address.city_name", limit=20)
    if kind.full_receiver:
        # [FMT] p.18-19: GiroRecep, DirRecep and CmnaRecep are mandatory for 33, 34 and 52.
        for value, field, what in (
            (activity, "business_activity", "the receiver's giro (GiroRecep)"),
            (line, "address.line", "the receiver's address (DirRecep)"),
            (commune, "address.city_name", "the receiver's comuna (CmnaRecep)"),
        ):
            if not value:
                raise InputRejected(f"{path}.{field}", f"is required on a {kind.name}: {what}")
    return Receiver(
        rut=number.text,
        name=name,
        activity=activity,
        address=line,
        commune=commune,
        email=free_text(party.email, f"{path}.email", limit=80),
        contact=free_text(party.phone, f"{path}.phone", limit=80),
    )
