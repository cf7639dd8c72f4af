"""Payment means: how and when the document is paid (reference §3.5)."""

from __future__ import annotations

from collections.abc import Iterator

from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import INVOICE_TYPES, DocumentFacts
from services.countries.co.verification.findings import Finding

FAN01 = "No fue informado el grupo PaymentMeans."
FAN02 = "Método de pago inválido."
FAN03 = "Medio de pago informado es inválido."
FAN04 = "Venta a crédito sin información de fecha en la cual se comprometió el pago."
CASH, CREDIT = "1", "2"
MUTUAL_AGREEMENT = "ZZZ"


def valid_means_code(code: str) -> bool:
    """Whether a PaymentMeansCode is in DIAN's table (UN/ECE 4461 codes 1-97, and ZZZ)."""
    return code == MUTUAL_AGREEMENT or (code.isdigit() and 1 <= int(code) <= 97)


def payment(facts: DocumentFacts) -> Iterator[Finding]:
    """FAN01 (invoices must say how they are paid), FAN02-FAN04 on every PaymentMeans group."""
    if not facts.payment_means:
        if facts.document_type in INVOICE_TYPES:
            yield finding(facts, "AN01", FAN01)
        return
    if any(means.means not in (CASH, CREDIT) for means in facts.payment_means):
        yield finding(facts, "AN02", FAN02)
    if any(not valid_means_code(means.code) for means in facts.payment_means):
        yield finding(facts, "AN03", FAN03)
    if any(means.means == CREDIT and not means.due_date for means in facts.payment_means):
        yield finding(facts, "AN04", FAN04)
