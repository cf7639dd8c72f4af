"""The signing certificate: valid when it signed, and chained to an authority the user trusts.

An authority builds the chain from its own store (DIAN: ONAC-accredited authorities, reference
§5, ZD05); `timbra verify` has no such store, so the chain is checked only against a PEM bundle
the user gives, and reported as not checked otherwise. Country-neutral: both countries'
verifications use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509 import verification


class TrustStoreProblem(ValueError):
    """The trust store is not a PEM bundle of certificates."""


def load_trust_store(pem: bytes) -> list[x509.Certificate]:
    """The certificates of a PEM bundle; TrustStoreProblem when it holds none."""
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError as error:
        raise TrustStoreProblem(f"not a PEM bundle of certificates: {error}") from None
    if not certificates:
        raise TrustStoreProblem("the bundle holds no certificate")
    return certificates


def validity_problem(certificate: x509.Certificate, moment: datetime) -> str:
    """Why the certificate was not valid at `moment` ("" when it was)."""
    if moment < certificate.not_valid_before_utc:
        return f"not valid before {certificate.not_valid_before_utc.isoformat()}"
    if moment > certificate.not_valid_after_utc:
        return f"expired on {certificate.not_valid_after_utc.isoformat()}"
    return ""


def chain_problem(
    certificate: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    moment: datetime,
) -> str:
    """Why the certificate does not chain to one of `anchors` at `moment` ("" when it does)."""
    builder = (
        verification.PolicyBuilder()
        .store(verification.Store(list(anchors)))
        .time(moment.astimezone(UTC))
        # A document-signing certificate is no TLS client: its extended key usage is not
        # judged; the authorities in the chain must still be proper CAs.
        .extension_policies(
            ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=verification.ExtensionPolicy.permit_all(),
        )
    )
    try:
        builder.build_client_verifier().verify(certificate, list(intermediates))
    except (verification.VerificationError, ValueError) as error:
        return str(error)
    return ""


def describe(certificate: x509.Certificate) -> str:
    """Subject and issuer of a certificate, for the report."""
    return (
        f"subject {certificate.subject.rfc4514_string()}, "
        f"issuer {certificate.issuer.rfc4514_string()}, serial {certificate.serial_number}"
    )
