"""Header rules: the DIAN extension, the document type, the currency and the line count.

FAR01-FAR04 follow DIAN's rule table: a document in a currency other than COP must carry
cac:PaymentExchangeRate from its own currency (base rate 1.00) to COP.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services.countries.co.simulator.currencies import ISO_4217
from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import INVOICE_TYPES, DocumentFacts
from services.countries.co.verification.findings import Finding

FAB03 = "Más de un grupo UBLExtension conteniendo el grupo sts:DianExtensions."
FAD12A = "Código de tipo de factura inválido."
FAD15A = "Código de divisa inválido."
FAD15B = (
    "Divisa aplicable a toda la factura no corresponde al mismo valor para todos los "
    "@currencyID: {}."
)
FAD16 = "LineCountNumeric: diferente del número de ocurrencias del grupo de líneas."
FAR01 = "No fue informado el grupo PaymentExchangeRate."
FAR02 = "SourceCurrencyCode no es igual a DocumentCurrencyCode."
FAR03 = "SourceCurrencyBaseRate trae valor diferente a 1.00."
FAR04 = "TargetCurrencyCode no corresponde a valor en la lista (debe ser COP)."
COP = "COP"


def header(facts: DocumentFacts) -> Iterator[Finding]:
    """FAB03, FAD12a, FAD15a/b and FAD16 (with the document's prefix on notes and DS)."""
    if facts.dian_extensions > 1:
        yield finding(facts, "AB03", FAB03)
    if facts.root == "Invoice" and facts.document_type not in INVOICE_TYPES:
        yield finding(facts, "AD12a", FAD12A)
    if facts.currency not in ISO_4217:
        yield finding(facts, "AD15a", FAD15A)
    others = [code for code in facts.currency_ids if code != facts.currency]
    if others:
        yield finding(facts, "AD15b", FAD15B.format(", ".join(others)))
    if facts.line_count and facts.line_count != str(len(facts.lines)):
        yield finding(facts, "AD16", FAD16)


def exchange_rate(facts: DocumentFacts) -> Iterator[Finding]:
    """FAR01-FAR04: the exchange rate group of a document in foreign currency."""
    if facts.currency in ("", COP):
        return
    rate = facts.exchange_rate
    if rate is None:
        yield finding(facts, "AR01", FAR01)
        return
    if rate.source_currency != facts.currency:
        yield finding(facts, "AR02", FAR02)
    if rate.source_rate != Decimal("1.00"):
        yield finding(facts, "AR03", FAR03)
    if rate.target_currency != COP:
        yield finding(facts, "AR04", FAR04)
