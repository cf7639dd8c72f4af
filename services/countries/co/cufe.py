"""CUFE and CUDE: the SHA-384 document keys DIAN recomputes for every invoice and note.

The hashed string is the plain concatenation of the fields below, in this exact order, with
taxes always in the order 01 (IVA), 04 (INC), 03 (ICA) and every amount written with two
decimals. DIAN re-reads the amounts from the XML and truncates them to two decimals, so the
builder must write exactly the strings hashed here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from services.core.decimals import truncate

# DIAN's fixed order of the taxes that enter the key.
KEY_TAXES = ("01", "04", "03")


def amount(value: Decimal) -> str:
    """An amount as DIAN hashes it: truncated to 2 decimals, '.' separator, no grouping."""
    return f"{truncate(value, 2):.2f}"


@dataclass(frozen=True)
class KeyFields:
    """The document facts a CUFE/CUDE is computed from."""

    number: str  # cbc:ID, prefix + consecutive
    issue_date: str  # YYYY-MM-DD
    issue_time: str  # HH:MM:SS-05:00
    line_extension: Decimal  # LegalMonetaryTotal/LineExtensionAmount
    taxes: dict[str, Decimal]  # header TaxTotal/TaxAmount by scheme id; missing = 0.00
    payable: Decimal  # LegalMonetaryTotal/PayableAmount
    supplier_nit: str  # without check digit
    customer_id: str  # as written, without check digit
    environment: str  # ProfileExecutionID: 1 producción, 2 pruebas

    def preimage(self, secret: str) -> str:
        """The exact string hashed, with `secret` = technical key (CUFE) or software PIN (CUDE)."""
        taxes = "".join(code + amount(self.taxes.get(code, Decimal(0))) for code in KEY_TAXES)
        return (
            f"{self.number}{self.issue_date}{self.issue_time}{amount(self.line_extension)}"
            f"{taxes}{amount(self.payable)}{self.supplier_nit}{self.customer_id}"
            f"{secret}{self.environment}"
        )


def sha384_hex(text: str) -> str:
    """Lowercase hex SHA-384 of a UTF-8 string."""
    return hashlib.sha384(text.encode("utf-8")).hexdigest()


def cufe(fields: KeyFields, technical_key: str) -> str:
    """CUFE of an invoice (types 01, 02, 04): keyed with the range's technical key."""
    return sha384_hex(fields.preimage(technical_key))


def cude(fields: KeyFields, software_pin: str) -> str:
    """CUDE of a note (91, 92) or type-03 document: keyed with the software PIN."""
    return sha384_hex(fields.preimage(software_pin))


def software_security_code(software_id: str, software_pin: str, number: str) -> str:
    """SoftwareSecurityCode: SHA-384 of SoftwareID + PIN + document number."""
    return sha384_hex(f"{software_id}{software_pin}{number}")
