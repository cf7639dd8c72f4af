"""The signing gRPC API: register an issuer's certificate; list what is registered."""

from __future__ import annotations

import asyncio
from datetime import datetime

from services.core.envelope import timestamp
from services.core.grpc_server import abort
from services.core.rejection import InputRejected
from services.signing.application import SigningApp
from services.signing.domain import Certificate
from timbra.v1 import signing_pb2, signing_pb2_grpc


def certificate_info(certificate: Certificate) -> signing_pb2.CertificateInfo:
    """Public facts about a registered certificate (never the key)."""
    details = certificate.details
    return signing_pb2.CertificateInfo(
        country=certificate.country,
        issuer=certificate.issuer,
        subject=details["subject"],
        serial=details["serial"],
        issuer_name=details["issuer_name"],
        not_before=timestamp(datetime.fromisoformat(details["not_before"])),
        not_after=timestamp(datetime.fromisoformat(details["not_after"])),
        sha256_fingerprint=details["sha256_fingerprint"],
    )


class SigningServicer(signing_pb2_grpc.SigningServicer):
    """Adapts gRPC calls to the signing application."""

    def __init__(self, app: SigningApp) -> None:
        self.app = app

    async def RegisterCertificate(self, request, context):
        """Store an issuer's PKCS#12, sealed; the key never leaves this service."""
        try:
            if not request.issuer:
                raise InputRejected("issuer", "is required (the issuer's tax id)")
            if not request.pkcs12:
                raise InputRejected("pkcs12", "is required")
            certificate = await asyncio.to_thread(
                self.app.keyring.register,
                request.country,
                request.issuer,
                request.pkcs12,
                request.password,
            )
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return certificate_info(certificate)

    async def RegisterFolioKey(self, request, context):
        """Store a numbering file's private key (CL: a CAF's RSASK), sealed."""
        try:
            if not request.issuer:
                raise InputRejected("issuer", "is required (the issuer's tax id)")
            key_id, public_sha256 = await asyncio.to_thread(
                self.app.keyring.register_folio_key,
                request.country,
                request.issuer,
                request.content,
            )
        except InputRejected as refusal:
            await abort(context, refusal)
            raise AssertionError("unreachable") from None
        return signing_pb2.FolioKeyInfo(
            country=request.country,
            issuer=request.issuer,
            key_id=key_id,
            public_key_sha256=public_sha256,
        )

    async def ListCertificates(self, request, context):
        """Registered certificates, public details only."""
        found = await asyncio.to_thread(self.app.keyring.certificates, request.issuer)
        return signing_pb2.ListCertificatesResponse(
            certificates=[certificate_info(c) for c in found]
        )
