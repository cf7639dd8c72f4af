"""The RUN of a signing certificate's holder, and sandbox certificates that carry one.

Chilean certificates name their holder's RUN in subjectAltName as an otherName with OID
1.3.6.1.4.1.8321.1 (an IA5String, sometimes zero-padded: `07880442-4`); it becomes the
envelope's RutEnvia and DTEUpload's rutSender (sii-chile.md §2, §5.5).
"""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

from services.countries.cl import rut
from services.signing.testca import TestAuthority, issue_certificate

HOLDER_RUN_OID = ObjectIdentifier("1.3.6.1.4.1.8321.1")
_STRING_TAGS = (0x16, 0x0C, 0x13)  # IA5String, UTF8String, PrintableString


class NoHolderRun(ValueError):
    """The certificate names no (valid) RUN of its holder."""


def _der_string(value: bytes) -> str:
    if (
        len(value) < 2
        or value[0] not in _STRING_TAGS
        or value[1] & 0x80
        or value[1] != len(value) - 2
    ):
        raise NoHolderRun("the holder RUN is not a short DER string")
    return value[2:].decode("ascii")


def holder_run(certificate: x509.Certificate) -> str:
    """The holder's RUN, canonical (`7880442-4`), from subjectAltName OID 1.3.6.1.4.1.8321.1."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        raise NoHolderRun("the certificate has no subjectAltName naming its holder's RUN") from None
    for other in names.get_values_for_type(x509.OtherName):
        if other.type_id == HOLDER_RUN_OID:
            text = _der_string(other.value)
            try:
                return rut.from_text(text).text
            except ValueError as error:
                raise NoHolderRun(f"the holder RUN is not a valid RUT: {error}") from None
    raise NoHolderRun("subjectAltName has no otherName 1.3.6.1.4.1.8321.1 (the holder's RUN)")


def issue_sandbox_certificate(
    authority: TestAuthority, *, run: str, name: str, years: int = 2
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A sandbox signing certificate for a person with RUN `run`, from the local test CA."""
    number = rut.from_text(run).text
    encoded = number.encode("ascii")
    other_name = x509.OtherName(HOLDER_RUN_OID, bytes([0x16, len(encoded)]) + encoded)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CL"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, number),
        ]
    )
    return issue_certificate(
        authority,
        subject,
        extensions=[(x509.SubjectAlternativeName([other_name]), False)],
        years=years,
    )
