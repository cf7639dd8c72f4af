"""The monetary totals (LegalMonetaryTotal; RequestedMonetaryTotal on a debit note), §3.7.

DIAN's XPath rules compare with round(), XPath's rounding to the nearest integer (halves up):
a total is wrong only when it differs from what the lines and groups add up to by a peso or
more. An absent optional total counts as 0.00, as in DIAN's FAU14 expression. PayableAmount is
TaxInclusive - Allowance + Charge: the prepaid amount is not subtracted (Anexo 1.9).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding

FAU02 = (
    "El Valor Bruto antes de tributos no es igual a la suma de los valores de las líneas de "
    "la factura que contienen el valor comercial."
)
FAU04 = (
    "Base Imponible es distinto a la suma de los valores de las bases imponibles de todas "
    "líneas de detalle."
)
FAU06 = (
    "Valor Bruto más tributos es diferente a Valor Bruto de la factura que contienen el valor "
    "comercial más la Suma de los Tributos de todas las líneas de detalle."
)
FAU08 = (
    "Total descuentos es diferente de la suma de todos los descuentos aplicados al total de "
    "la factura."
)
FAU10 = (
    "Valor del Cargo Total es distinto a la Suma de todos los cargos globales aplicados al "
    "total de la factura."
)
FAU12 = (
    "Valor del Anticipo Total es distinto a la Suma de todos los anticipos o prepagos globales "
    "aplicados al total de la factura."
)
FAU14 = (
    "Valor a Pagar de Factura es distinto de la Suma de Valor Bruto más tributos - Valor del "
    "Descuento Total + Valor del Cargo Total."
)
_ZERO = Decimal(0)


def xpath_round(value: Decimal) -> int:
    """XPath's round(): the nearest integer, halves towards positive infinity."""
    return math.floor(value + Decimal("0.5"))


def _differ(declared: Decimal | None, computed: Decimal) -> bool:
    return xpath_round(declared if declared is not None else _ZERO) != xpath_round(computed)


def _line_bases(facts: DocumentFacts) -> Decimal:
    # A line taxed twice (IVA and INC) has one taxable base: each distinct base counts once.
    total = _ZERO
    for line in facts.lines:
        bases = {sub.taxable for tax in line.taxes for sub in tax.subtotals if sub.taxable}
        total += sum(bases, _ZERO)
    return total


def totals(facts: DocumentFacts) -> Iterator[Finding]:
    """FAU02, FAU04, FAU06, FAU08, FAU10, FAU12 and FAU14 (CAU.., DAU.., DSAU.., NSAU..)."""
    declared = facts.totals
    if _differ(declared.line_extension, sum((li.line_extension for li in facts.lines), _ZERO)):
        yield finding(facts, "AU02", FAU02)
    if _differ(declared.tax_exclusive, _line_bases(facts)):
        yield finding(facts, "AU04", FAU04)
    taxes = sum((total.amount for total in facts.tax_totals), _ZERO)
    if _differ(declared.tax_inclusive, declared.line_extension + taxes):
        yield finding(facts, "AU06", FAU06)
    discounts = [a.amount for a in facts.allowance_charges if a.indicator == "false"]
    charges = [a.amount for a in facts.allowance_charges if a.indicator == "true"]
    if _differ(declared.allowance, sum(discounts, _ZERO)):
        yield finding(facts, "AU08", FAU08)
    if _differ(declared.charge, sum(charges, _ZERO)):
        yield finding(facts, "AU10", FAU10)
    if declared.prepaid is not None and _differ(
        declared.prepaid, sum(facts.prepaid_payments, _ZERO)
    ):
        yield finding(facts, "AU12", FAU12)
    inclusive = declared.tax_inclusive if declared.tax_inclusive is not None else _ZERO
    allowance = declared.allowance if declared.allowance is not None else _ZERO
    charge = declared.charge if declared.charge is not None else _ZERO
    if _differ(declared.payable, inclusive - allowance + charge):
        yield finding(facts, "AU14", FAU14)
