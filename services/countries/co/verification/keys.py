"""CUFE, CUDE and CUDS recomputed from a document's own values, as DIAN recomputes them.

This is deliberately a second implementation, apart from the builder's (`co/cufe.py`): the
simulator and `timbra verify` must catch a builder that hashes the wrong string, which they
could not do by calling the builder's own code. Layouts (reference §1.1-§1.3):

- CUFE (01, 02, 04) and CUDE (03, 91, 92): number, date, time, LineExtensionAmount, "01" IVA,
  "04" INC, "03" ICA, PayableAmount, supplier NIT, customer id, secret, environment. The secret
  is the range's technical key for a CUFE and the software PIN for a CUDE.
- CUDS (05, 95), keyed with the PIN: by default the layout Odoo and ubl21dian use (tax 01
  only); DIAN's own validator source hashes 01, 04 and 03 like a CUFE. Both put the seller
  (AccountingSupplierParty) before the buyer who issues the document.

Amounts are truncated to two decimals (DIAN's TruncateDecimal(x, 2).ToString("F2")).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from services.core.decimals import truncate
from services.countries.co.verification.facts import DocumentFacts


class CudsVariant(StrEnum):
    """Which CUDS layout to recompute; the reference leaves the choice to habilitación."""

    TAX_01_ONLY = "tax-01-only"
    DIAN_SOURCE = "dian-source"


@dataclass(frozen=True)
class KeySpec:
    """What a document type's key is called and what secret keys it."""

    name: str  # CUFE, CUDE or CUDS
    secret: str  # "technical_key" or "software_pin"

    @property
    def scheme_name(self) -> str:
        """The cbc:UUID@schemeName DIAN expects (FAD08)."""
        return f"{self.name}-SHA384"


CUFE = KeySpec("CUFE", "technical_key")
CUDE = KeySpec("CUDE", "software_pin")
CUDS = KeySpec("CUDS", "software_pin")
_SPECS = {"03": CUDE, "91": CUDE, "92": CUDE, "05": CUDS, "95": CUDS}
_ALL_TAXES = ("01", "04", "03")


def key_spec(document_type: str) -> KeySpec:
    """The key of a document type; any invoice type not listed is keyed like a CUFE."""
    return _SPECS.get(document_type, CUFE)


def amount_text(value: Decimal) -> str:
    """An amount as DIAN hashes it: truncated to two decimals, '.' separator."""
    return f"{truncate(value, 2):.2f}"


def preimage(
    facts: DocumentFacts, secret: str, variant: CudsVariant = CudsVariant.TAX_01_ONLY
) -> str:
    """The exact string DIAN hashes for this document, with `secret` in its place."""
    spec = key_spec(facts.document_type)
    codes = ("01",) if spec is CUDS and variant is CudsVariant.TAX_01_ONLY else _ALL_TAXES
    taxes = facts.taxes
    tax_part = "".join(code + amount_text(taxes.get(code, Decimal(0))) for code in codes)
    return (
        f"{facts.number}{facts.issue_date}{facts.issue_time}"
        f"{amount_text(facts.totals.line_extension)}{tax_part}"
        f"{amount_text(facts.totals.payable)}{facts.supplier_nit}{facts.customer_id}"
        f"{secret}{facts.environment}"
    )


def sha384_hex(text: str) -> str:
    """Lowercase hex SHA-384 of a UTF-8 string."""
    return hashlib.sha384(text.encode("utf-8")).hexdigest()


def document_key(
    facts: DocumentFacts, secret: str, variant: CudsVariant = CudsVariant.TAX_01_ONLY
) -> str:
    """The CUFE, CUDE or CUDS of the document under `secret`."""
    return sha384_hex(preimage(facts, secret, variant))
