"""Documento soporte (05) and its nota de ajuste (95): purchases from those not obliged to invoice.

Roles are reversed against an invoice (dian-colombia.md §3.9): the issuer is the buyer and is
written as AccountingCustomerParty; the seller (`document.customer` in the API) is written as
AccountingSupplierParty. Operation type 10 is a resident seller, 11 one abroad. Lines report only
IVA (01) plus withholdings (§3.6) and say when the purchase happened (InvoicePeriod). The DS has
its own software registration in DIAN's portal: its SoftwareID and PIN key the CUDS and the
SoftwareSecurityCode when the issuer registered them, else the invoicing software's are used.
"""

from __future__ import annotations

from services.countries.co import codes
from services.countries.co.lines import OPTIONAL, REQUIRED, LineRules
from services.countries.co.party import require_abroad, require_resident
from services.countries.pack import IssuerProfile, Party

RESIDENT = "10"
NON_RESIDENT = "11"

SUPPORT_LINES = LineRules(taxes=(codes.IVA,), withholdings=True, period=REQUIRED)
# The nota de ajuste is a CreditNote, which UBL gives no WithholdingTaxTotal.
ADJUSTMENT_LINES = LineRules(taxes=(codes.IVA,), withholdings=False, period=OPTIONAL)


def check_seller(seller: Party, operation: str, path: str) -> None:
    """The seller matches the operation type: resident (10) or abroad (11)."""
    if operation == NON_RESIDENT:
        require_abroad(seller, path, "operation type 11 is a purchase from a non-resident")
    else:
        require_resident(seller, path, "operation type 10 is a purchase from a resident")


def software(issuer: IssuerProfile) -> tuple[str, str]:
    """The (SoftwareID, PIN) that key a documento soporte of this issuer."""
    if issuer.support_software_id:
        return issuer.support_software_id, issuer.support_software_pin
    return issuer.software_id, issuer.software_pin
