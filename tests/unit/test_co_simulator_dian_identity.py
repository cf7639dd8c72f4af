"""The simulator's DIAN signing identity: made once, kept sealed, reloaded, renewed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from services.countries.co.simulator import dian_identity
from services.countries.co.simulator.responses import DIAN_NIT


def test_the_identity_is_made_once_and_its_keys_are_never_in_clear(tmp_path: Path) -> None:
    made = dian_identity.load_or_create(tmp_path)
    made.certificate.verify_directly_issued_by(made.authority.certificate)
    subject = made.certificate.subject.rfc4514_string()
    assert DIAN_NIT in subject
    stored = (tmp_path / dian_identity.FILE_NAME).read_text()
    assert "PRIVATE KEY" not in stored
    der = made.private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    assert der.hex() not in stored and der[:64] not in stored.encode()
    assert (tmp_path / dian_identity.FILE_NAME).stat().st_mode & 0o077 == 0
    again = dian_identity.load_or_create(tmp_path)
    assert again.certificate == made.certificate
    assert again.private_key.private_numbers() == made.private_key.private_numbers()
    assert "key" not in repr(again).lower().replace("keyinfo", "")


def test_a_certificate_near_its_end_is_renewed_by_the_same_ca(tmp_path: Path) -> None:
    made = dian_identity.load_or_create(tmp_path)
    later = made.certificate.not_valid_after_utc - timedelta(days=10)
    renewed = dian_identity.load_or_create(tmp_path, now=later)
    assert renewed.certificate != made.certificate
    assert renewed.authority.certificate == made.authority.certificate
    renewed.certificate.verify_directly_issued_by(made.authority.certificate)
    assert dian_identity.load_or_create(tmp_path).certificate == renewed.certificate


def test_signing_needs_the_identity_loaded(tmp_path: Path) -> None:
    dian_identity.load(str(tmp_path))
    unsigned = (
        b'<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        b'ApplicationResponse-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:'
        b'CommonExtensionComponents-2"><ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>'
        b"<x/></ext:ExtensionContent></ext:UBLExtension><ext:UBLExtension><ext:ExtensionContent/>"
        b"</ext:UBLExtension></ext:UBLExtensions></ApplicationResponse>"
    )
    signed = dian_identity.sign_application_response(unsigned, datetime.now(UTC))
    assert b"SignatureValue" in signed and b"SigningCertificate" in signed
