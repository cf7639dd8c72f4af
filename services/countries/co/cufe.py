"""CUFE, CUDE and CUDS: the SHA-384 document keys DIAN recomputes for every document.

The hashed string is the plain concatenation of the fields below, in this exact order, with
taxes always in the order 01 (IVA), 04 (INC), 03 (ICA) and every amount written with two
decimals. DIAN re-reads the amounts from the XML and truncates them to two decimals, so the
builder must write exactly the strings hashed here (dian-colombia.md §1).

The CUDS of a documento soporte has two published layouts (§1.3): the one Odoo and ubl21dian use
in production (IVA only, seller before buyer) and the one in DIAN's own validator source (IVA,
INC and ICA, and for type 05 the buyer before the seller). The first is the default; the second
is kept behind `CudsLayout.DIAN_SRC` until habilitación settles it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

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

    def preimage(self, secret: str, *, taxes: tuple[str, ...] = KEY_TAXES) -> str:
        """The exact string hashed, with `secret` = technical key (CUFE) or software PIN (CUDE).

        `taxes` are the schemes that enter the key, in order.
        """
        written = "".join(code + amount(self.taxes.get(code, Decimal(0))) for code in taxes)
        return (
            f"{self.number}{self.issue_date}{self.issue_time}{amount(self.line_extension)}"
            f"{written}{amount(self.payable)}{self.supplier_nit}{self.customer_id}"
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


class CudsLayout(Enum):
    """Which of the two published CUDS layouts to use (dian-colombia.md §1.3)."""

    IVA_ONLY = "iva-only"  # Odoo, ubl21dian: "01" + IVA only; seller (NumSNO) then buyer (NitABS)
    # DIAN's validator: taxes 01, 04, 03. For a 05 it hashes receiverCode before senderCode,
    # but a DS's sender is its issuer, the buyer, so that is the seller first: the XML order.
    DIAN_SRC = "dian-src"


def cuds(fields: KeyFields, software_pin: str, layout: CudsLayout = CudsLayout.IVA_ONLY) -> str:
    """CUDS of a documento soporte (05) or its nota de ajuste (95), keyed with the PIN.

    In `fields` the supplier is the seller not obliged to invoice (AccountingSupplierParty)
    and the customer is the buyer who issues the DS (AccountingCustomerParty).
    """
    if layout is CudsLayout.IVA_ONLY:
        return sha384_hex(fields.preimage(software_pin, taxes=("01",)))
    return sha384_hex(fields.preimage(software_pin))


def software_security_code(software_id: str, software_pin: str, number: str) -> str:
    """SoftwareSecurityCode: SHA-384 of SoftwareID + PIN + document number."""
    return sha384_hex(f"{software_id}{software_pin}{number}")
