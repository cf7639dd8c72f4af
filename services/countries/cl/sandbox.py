"""A self-contained Chilean sandbox: an SII-like key that signs CAFs, an issuer registered in
certification, its CAFs for every type timbra issues, and a signing certificate naming a RUN.

For the embedded run, demos and tests; nothing here is an SII credential. The sandbox SII key
plays the role the simulator's key plays in the embedded default: configure its public half
as the trusted SII key (`trusted_key_pem`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.core.vault import Vault
from services.countries.cl import codes, demo
from services.countries.cl.caf import generate_caf, parse_caf
from services.countries.cl.pack import ChilePack
from services.countries.cl.registration import parse_issuer
from services.countries.cl.signer_certificate import issue_sandbox_certificate
from services.countries.pack import (
    Credentials,
    DocumentSigner,
    Draft,
    IssuerProfile,
    NumberingFile,
    NumberingSlot,
)
from services.countries.sandbox_enrolment import SandboxEnrolment
from services.sandbox import SandboxIssuer, post, post_json
from services.signing import testca
from timbra.v1 import document_pb2, issuing_pb2, signing_pb2

SANDBOX_SII_IDK = 100  # the certification IDK (sii-chile.md §3.2)
SANDBOX_SIGNER_RUN = "13185095-6"


@dataclass(frozen=True)
class Sandbox:
    """Everything needed to issue, stamp, sign and send Chilean documents locally."""

    sii_key: rsa.RSAPrivateKey = field(repr=False)
    issuer: IssuerProfile
    credentials: Credentials = field(repr=False)
    cafs: dict[int, bytes] = field(repr=False)  # the CAF files, by TipoDTE
    numbering: dict[int, NumberingFile] = field(repr=False)

    @property
    def trusted_key_pem(self) -> bytes:
        """The sandbox SII's public key, PEM: what to configure as trusted."""
        return self.sii_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's certificate (RUN in subjectAltName)."""
        return self.credentials.certificate  # type: ignore[no-any-return]

    @cached_property
    def pack(self) -> ChilePack:
        """A Chilean pack trusting the sandbox SII key."""
        return ChilePack([self.trusted_key_pem])

    @cached_property
    def signer(self) -> DocumentSigner:
        """The sandbox issuer's signer (certificate and every sandbox folio key)."""
        return self.pack.create_signer(self.credentials)

    def issue(
        self, document: document_pb2.Document, folio: int, issued_at: datetime
    ) -> tuple[Draft, bytes]:
        """Parse, draft and sign a request with folio `folio`: its draft and signed DTE."""
        parsed = self.pack.parse_document(document, "document")
        draft = self.pack.build_draft(
            parsed, self.issuer, self.slot(int(parsed.document_type), folio), issued_at
        )
        signed = self.signer.sign(draft.unsigned_xml, issued_at, canonical=draft.canonical)
        return draft, signed.signed_xml

    def slot(self, dte_type: int, folio: int) -> NumberingSlot:
        """A numbering slot of the sandbox CAF of `dte_type`, as issuing would hand it out."""
        spec = self.numbering[dte_type].range
        return NumberingSlot(
            range_id=f"sandbox-{dte_type}",
            authorization=spec.authorization,
            prefix=spec.prefix,
            number=folio,
            range_from=spec.range_from,
            range_to=spec.range_to,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            public_authorization=spec.public_authorization,
        )


def create_sandbox(
    *,
    authorized_on: date,
    types: tuple[int, ...] = tuple(codes.KINDS),
    folios: tuple[int, int] = (1, 10_000),
    sii_key: rsa.RSAPrivateKey | None = None,
) -> Sandbox:
    """A fresh sandbox whose CAFs were authorised on `authorized_on`."""
    sii_key = sii_key or rsa.generate_private_key(public_exponent=65537, key_size=1024)
    profile = demo.issuer_profile()
    issuer = parse_issuer(profile, "issuer")
    cafs, numbering, folio_keys = {}, {}, {}
    for dte_type in types:
        content, _ = generate_caf(
            issuer.tax_id,
            dte_type,
            folios[0],
            folios[1],
            authorized_on,
            sii_key,
            SANDBOX_SII_IDK,
            issuer.party.name,
        )
        loaded = parse_caf(
            issuer.tax_id,
            content,
            "caf",
            trusted_keys=(sii_key.public_key(),),
            today=authorized_on,
        )
        cafs[dte_type], numbering[dte_type] = content, loaded
        folio_keys[loaded.key_id] = serialization.load_pem_private_key(loaded.private_key_pem, None)
    authority = testca.create_authority("timbra sandbox CA (Chile)")
    key, certificate = issue_sandbox_certificate(
        authority, run=SANDBOX_SIGNER_RUN, name="Firmante Sandbox Timbra"
    )
    credentials = Credentials(
        private_key=key,
        certificate=certificate,
        chain=(authority.certificate,),
        folio_keys=folio_keys,
    )
    return Sandbox(sii_key, issuer, credentials, cafs, numbering)


# The platform's sandbox company (a made-up RUT, its check digit computed) and its signer.
PLATFORM_RUT = "76543219-7"
PLATFORM_NAME = "Comercializadora Timbra Sandbox SpA"
PLATFORM_FOLIOS = 100_000


def enrol(
    issuing_channel: grpc.Channel,
    signing_channel: grpc.Channel,
    simulator_admin_url: str,
    data_dir: Path,
    authority: testca.TestAuthority,
    vault: Vault,
) -> SandboxIssuer:
    """Enrol the sandbox company with the SII simulator (as a business does with the SII:
    certification resolution, an authorised sender, folios per document type) and register
    it with issuing and signing; idempotent."""
    enrolment = SandboxEnrolment(
        "cl", PLATFORM_RUT, issuing_channel, signing_channel, data_dir, vault
    )
    enrolled = enrolment.enrolled()
    if enrolled is not None:
        return enrolled
    issuing, signing = enrolment.issuing, enrolment.signing

    profile = demo.issuer_profile(PLATFORM_RUT, PLATFORM_NAME)
    post_json(
        f"{simulator_admin_url}/companies",
        {
            "rut": PLATFORM_RUT,
            "name": PLATFORM_NAME,
            "resolution_date": profile.authorization_date,
            "resolution_number": int(profile.authorization_number),
            "senders": [SANDBOX_SIGNER_RUN],
        },
    )
    issuing.RegisterIssuer(profile)
    key, certificate = issue_sandbox_certificate(
        authority, run=SANDBOX_SIGNER_RUN, name="Firmante Sandbox Timbra"
    )
    enrolment.register_certificate(key, certificate, authority)
    for dte_type in codes.KINDS:
        content = post(
            f"{simulator_admin_url}/cafs",
            {"rut": PLATFORM_RUT, "dte_type": dte_type, "from": 1, "to": PLATFORM_FOLIOS},
        )
        # The public part to issuing (it goes into every TED), the folio key to signing only.
        issuing.LoadNumberingFile(
            issuing_pb2.LoadNumberingFileRequest(country="cl", issuer=PLATFORM_RUT, content=content)
        )
        signing.RegisterFolioKey(
            signing_pb2.RegisterFolioKeyRequest(country="cl", issuer=PLATFORM_RUT, content=content)
        )
    issuer = SandboxIssuer(
        country="cl",
        tax_id=PLATFORM_RUT,
        name=PLATFORM_NAME,
        software_id="",
        authorization=f"FchResol {profile.authorization_date} NroResol 0",
        prefix="",
    )
    return enrolment.record(issuer)
