"""The Colombian sandbox issuer: a made-up company enrolled with the DIAN simulator the way a
business enrols with DIAN's habilitación portal (software registration, numbering resolution
with its technical key), then registered with issuing and signing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import grpc
from cryptography.hazmat.primitives import serialization

from services.core.vault import Vault
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.nit import check_digit
from services.countries.sandbox_enrolment import SandboxEnrolment
from services.sandbox import SandboxIssuer, post_json
from services.signing import testca
from timbra.v1 import document_pb2, issuing_pb2

log = logging.getLogger(__name__)

# A sandbox company; its NIT is made up, its check digit computed.
SANDBOX_NIT = "901458723"
SANDBOX_NAME = "Comercializadora Timbra Sandbox S.A.S."


# The sandbox issuer's numbering: resolutions from the simulator for invoices (with their
# technical key), paper contingency and documento soporte; its own sequences for notes.
RESOLUTIONS = (
    # kind, prefix, from, to, document types
    ("invoice", "FE", 1, 5_000_000, ["01", "02", "04"]),
    ("paper", "CONT", 1, 5_000, ["03"]),
    ("support", "DS", 1, 1_000_000, ["05", "95"]),
)
NOTE_SEQUENCES = (("NC", ["91"]), ("ND", ["92"]))


def enrol(
    issuing_channel: grpc.Channel,
    signing_channel: grpc.Channel,
    simulator_admin_url: str,
    data_dir: Path,
    authority: testca.TestAuthority,
    vault: Vault,
) -> SandboxIssuer:
    """Register the Colombian sandbox issuer unless it already is; idempotent."""
    enrolment = SandboxEnrolment(
        "co", SANDBOX_NIT, issuing_channel, signing_channel, data_dir, vault
    )
    enrolled = enrolment.enrolled()
    if enrolled is not None:
        return enrolled
    issuing = enrolment.issuing

    # One certificate signs the documents and, as own software ("software propio"), the
    # web-service requests: the simulator trusts it from the enrolment on.
    key, cert = testca.issue_signing_certificate(authority, tax_id=SANDBOX_NIT, name=SANDBOX_NAME)
    software = post_json(
        f"{simulator_admin_url}/issuers",
        {
            "nit": SANDBOX_NIT,
            "name": SANDBOX_NAME,
            "certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
        },
    )
    dv = check_digit(SANDBOX_NIT)
    issuing.RegisterIssuer(
        issuing_pb2.IssuerProfile(
            country="co",
            party=_party(dv),
            software_id=software["software_id"],
            software_pin=software["software_pin"],
            environment="2",
            provider_tax_id=SANDBOX_NIT,
            provider_check_digit=dv,
            commercial_registration="01-234567-89",
            industry_code="4690",
        )
    )
    invoice_resolution = ""
    # In force since a year ago: paper contingency documents carry their earlier dates.
    since = (datetime.now(COLOMBIA_TIME).date() - timedelta(days=365)).isoformat()
    for kind, prefix, low, high, types in RESOLUTIONS:
        resolution = post_json(
            f"{simulator_admin_url}/resolutions",
            {
                "nit": SANDBOX_NIT,
                "kind": kind,
                "prefix": prefix,
                "from": low,
                "to": high,
                "valid_from": since,
            },
        )
        invoice_resolution = invoice_resolution or str(resolution["resolution_number"])
        issuing.RegisterNumberingRange(
            issuing_pb2.NumberingRange(
                country="co",
                issuer=SANDBOX_NIT,
                document_types=types,
                authorization=str(resolution["resolution_number"]),
                prefix=prefix,
                range_from=low,
                range_to=high,
                valid_from=resolution["valid_from"],
                valid_to=resolution["valid_to"],
                technical_key=resolution.get("technical_key") or "" if kind == "invoice" else "",
            )
        )
    for prefix, types in NOTE_SEQUENCES:
        issuing.RegisterNumberingRange(
            issuing_pb2.NumberingRange(
                country="co",
                issuer=SANDBOX_NIT,
                document_types=types,
                prefix=prefix,
                range_from=1,
                range_to=999_999_999,
            )
        )
    enrolment.register_certificate(key, cert, authority)
    issuer = SandboxIssuer(
        country="co",
        tax_id=SANDBOX_NIT,
        name=SANDBOX_NAME,
        software_id=software["software_id"],
        authorization=invoice_resolution,
        prefix=RESOLUTIONS[0][1],
    )
    enrolment.record(issuer)
    log.info("sandbox issuer %s registered (resolution %s)", SANDBOX_NIT, issuer.authorization)
    return issuer


def _party(dv: str) -> document_pb2.Party:
    return document_pb2.Party(
        tax_id=SANDBOX_NIT,
        check_digit=dv,
        id_type="31",
        name=SANDBOX_NAME,
        person_type=document_pb2.PERSON_TYPE_LEGAL,
        tax_responsibilities=["O-13"],
        tax_scheme="01",
        address=document_pb2.Address(
            line="Carrera 7 # 71-21",
            city_code="11001",
            city_name="Bogotá, D.C.",
            subdivision_code="11",
            subdivision_name="Bogotá",
            postal_zone="110231",
            country="CO",
        ),
        email="facturacion@timbra-sandbox.test",
        phone="6015550100",
    )
