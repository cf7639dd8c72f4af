"""Who is who for the SII: RUTs with their check digit, and the RUN a certificate names.

A Chilean signing certificate names its holder's RUN in subjectAltName, otherName OID
1.3.6.1.4.1.8321.1 (reference §2); certificates without it (such as the project's test CA's)
are read from the subject's serialNumber instead.
"""

from __future__ import annotations

import re

from cl_sii.rut import Rut
from cryptography import x509
from cryptography.x509.oid import NameOID

RUN_OID = x509.ObjectIdentifier("1.3.6.1.4.1.8321.1")
SII_RUT = "60803000-K"  # the SII itself: Caratula/RutReceptor of every upload
_RUT = re.compile(r"[0-9]{1,8}-[0-9K]")
# DER string types an otherName RUN may be written in: IA5String, UTF8String, PrintableString.
_STRING_TAGS = (0x16, 0x0C, 0x13)


def rut(text: str) -> str | None:
    """`text` as a canonical RUT (`12345678-5`, no dots, upper-case K), or None if invalid."""
    value = text.strip().replace(".", "").upper().lstrip("0")
    if not _RUT.fullmatch(value):
        return None
    digits, check = value.split("-")
    return value if Rut.calc_dv(digits) == check else None


def join(digits: str, check: str) -> str | None:
    """The RUT of the web services' separate body and check digit, or None if invalid."""
    if not digits.isdigit():
        return None
    return rut(f"{digits}-{check}")


def _der_string(value: bytes) -> str | None:
    if len(value) < 2 or value[0] not in _STRING_TAGS or value[1] >= 0x80:
        return None
    return value[2 : 2 + value[1]].decode("latin-1")


def certificate_run(certificate: x509.Certificate) -> str | None:
    """The RUN of a certificate's holder, or None when it names none (or an invalid one)."""
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        names = None
    if names is not None:
        for other in names.value.get_values_for_type(x509.OtherName):
            if other.type_id == RUN_OID:
                text = _der_string(other.value)
                return rut(text) if text is not None else None
    serials = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return rut(str(serials[0].value)) if serials else None
