"""What every country's sandbox enrolment does around its portal calls: find out whether the
sandbox issuer is enrolled already, register its signing certificate, and record the result.

Each country's `sandbox.enrol` talks to its own simulator's portal (DIAN: software and
resolutions; SII: company, sender and CAFs) between these steps.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import grpc
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from services.core.vault import Vault
from services.sandbox import SandboxIssuer, save_transport_credentials
from services.signing import testca
from timbra.v1 import issuing_pb2, issuing_pb2_grpc, signing_pb2, signing_pb2_grpc


class SandboxEnrolment:
    """One country's sandbox issuer being enrolled through the issuing and signing APIs."""

    def __init__(
        self,
        country: str,
        tax_id: str,
        issuing_channel: grpc.Channel,
        signing_channel: grpc.Channel,
        data_dir: Path,
        vault: Vault,
    ) -> None:
        self.country = country
        self.tax_id = tax_id
        self.issuing = issuing_pb2_grpc.IssuingStub(issuing_channel)
        self.signing = signing_pb2_grpc.SigningStub(signing_channel)
        self.data_dir = data_dir
        self.vault = vault
        self.state_file = data_dir / "sandbox" / f"{country}.json"

    def enrolled(self) -> SandboxIssuer | None:
        """The issuer as enrolled by an earlier run, or None when it must be enrolled."""
        existing = self.issuing.ListNumberingRanges(
            issuing_pb2.ListNumberingRangesRequest(country=self.country, issuer=self.tax_id)
        ).ranges
        # Either missing (a fresh issuing database, a run that stopped half-way): enrol again.
        if existing and self.state_file.exists():
            return SandboxIssuer(**json.loads(self.state_file.read_text()))
        return None

    def register_certificate(
        self, key: rsa.RSAPrivateKey, certificate: x509.Certificate, authority: testca.TestAuthority
    ) -> None:
        """Register the signing certificate with signing, and keep the same PKCS#12 as the
        credentials transmission presents to the authority's web service."""
        password = secrets.token_urlsafe(18)
        bundle = testca.to_pkcs12(key, certificate, [authority.certificate], password.encode())
        self.signing.RegisterCertificate(
            signing_pb2.RegisterCertificateRequest(
                country=self.country, issuer=self.tax_id, pkcs12=bundle, password=password
            )
        )
        save_transport_credentials(self.data_dir, self.country, bundle, password, self.vault)

    def record(self, issuer: SandboxIssuer) -> SandboxIssuer:
        """Write down the enrolled issuer, so that the next run finds it; the issuer."""
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(issuer.__dict__, indent=2))
        return issuer
