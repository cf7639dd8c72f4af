"""The Colombian sandbox issuer: a made-up company enrolled with the DIAN simulator the way a
business enrols with DIAN's habilitación portal (software registration, numbering resolution
with its technical key), then registered with issuing and signing."""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

import grpc

from services.countries.co.nit import check_digit
from services.sandbox import SandboxIssuer, post_json
from services.signing import testca
from timbra.v1 import document_pb2, issuing_pb2, issuing_pb2_grpc, signing_pb2, signing_pb2_grpc

log = logging.getLogger(__name__)

# A sandbox company; its NIT is made up, its check digit computed.
SANDBOX_NIT = "901458723"
SANDBOX_NAME = "Comercializadora Timbra Sandbox S.A.S."


def enrol(
    issuing_channel: grpc.Channel,
    signing_channel: grpc.Channel,
    simulator_admin_url: str,
    data_dir: Path,
    authority: testca.TestAuthority,
) -> SandboxIssuer:
    """Register the Colombian sandbox issuer unless it already has a range; idempotent."""
    issuing = issuing_pb2_grpc.IssuingStub(issuing_channel)
    signing = signing_pb2_grpc.SigningStub(signing_channel)
    state_file = data_dir / "sandbox" / "co.json"
    existing = issuing.ListNumberingRanges(
        issuing_pb2.ListNumberingRangesRequest(country="co", issuer=SANDBOX_NIT)
    ).ranges
    if existing and state_file.exists():
        return SandboxIssuer(**json.loads(state_file.read_text()))

    software = post_json(
        f"{simulator_admin_url}/issuers", {"nit": SANDBOX_NIT, "name": SANDBOX_NAME}
    )
    resolution = post_json(f"{simulator_admin_url}/resolutions", {"nit": SANDBOX_NIT})
    dv = check_digit(SANDBOX_NIT)
    party = document_pb2.Party(
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
    issuing.RegisterIssuer(
        issuing_pb2.IssuerProfile(
            country="co",
            party=party,
            software_id=software["software_id"],
            software_pin=software["software_pin"],
            environment="2",
            provider_tax_id=SANDBOX_NIT,
            provider_check_digit=dv,
            commercial_registration="01-234567-89",
            industry_code="4690",
        )
    )
    issuing.RegisterNumberingRange(
        issuing_pb2.NumberingRange(
            country="co",
            issuer=SANDBOX_NIT,
            document_types=["01"],
            authorization=str(resolution["resolution_number"]),
            prefix=resolution["prefix"],
            range_from=int(resolution["from"]),
            range_to=int(resolution["to"]),
            valid_from=resolution["valid_from"],
            valid_to=resolution["valid_to"],
            technical_key=resolution["technical_key"],
        )
    )
    key, cert = testca.issue_signing_certificate(authority, tax_id=SANDBOX_NIT, name=SANDBOX_NAME)
    password = secrets.token_urlsafe(18)
    signing.RegisterCertificate(
        signing_pb2.RegisterCertificateRequest(
            country="co",
            issuer=SANDBOX_NIT,
            pkcs12=testca.to_pkcs12(key, cert, [authority.certificate], password.encode()),
            password=password,
        )
    )
    issuer = SandboxIssuer(
        country="co",
        tax_id=SANDBOX_NIT,
        name=SANDBOX_NAME,
        software_id=software["software_id"],
        authorization=str(resolution["resolution_number"]),
        prefix=resolution["prefix"],
    )
    state_file.write_text(json.dumps(issuer.__dict__, indent=2))
    log.info("sandbox issuer %s registered (resolution %s)", SANDBOX_NIT, issuer.authorization)
    return issuer
