"""Taxes and withholdings: one group per tax, groups that add up, amounts that are base × rate.

FAS07 holds on every TaxSubtotal, header and line alike: TaxAmount = TaxableAmount × Percent /
100, and for the nominal taxes IBUA (34) PerUnitAmount × BaseUnitMeasure / 100 and INPP (33)
PerUnitAmount × BaseUnitMeasure. DIAN's expression has no rounding of its own; the simulator
accepts the product rounded half-up or truncated to the cent, the two ways issuers write it.
Other nominal taxes (bolsas, combustibles) are not checked: DIAN's table gives two conflicting
formulas for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import (
    DocumentFacts,
    TaxSubtotalFacts,
    TaxTotalFacts,
)
from services.countries.co.verification.findings import Finding

FAS01B = (
    "Tributo informado no coincide, revisar Porcentaje, Nombre y ID. Debe existir un TaxTotal "
    "a nivel de la cabecera por cada tipo de impuesto que se informa a nivel de línea."
)
FAS02 = (
    "Valor total de un tributo no corresponde a la suma de toda la información correspondiente "
    "a cada una de las tarifas informadas en este documento para este tributo."
)
FAS07 = (
    "El valor del tributo informado no corresponde al producto del porcentaje aplicado sobre "
    "la base imponible."
)
FAT01 = "Existe más de un grupo WithholdingTaxTotal con el mismo tributo."
FAT02 = (
    "Valor total de una retención no corresponde a la suma de las tarifas informadas para "
    "esta retención."
)
FAT07 = (
    "El valor de la retención informada no corresponde al producto del porcentaje aplicado "
    "sobre la base imponible."
)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
IBUA, INPP = "34", "33"
# Taxes reported on lines that must also have their header group (FAS01b names IVA and INC).
_LINE_TAXES = ("01", "04")


def expected_tax(subtotal: TaxSubtotalFacts) -> Decimal | None:
    """What a subtotal's TaxAmount must be, unrounded; None when DIAN's formula is unclear."""
    if subtotal.per_unit is not None:
        if subtotal.base_unit_measure is None:
            return None
        product = subtotal.per_unit * subtotal.base_unit_measure
        if subtotal.scheme == IBUA:
            return product / _HUNDRED
        return product if subtotal.scheme == INPP else None
    if subtotal.taxable is None or subtotal.percent is None:
        return None
    return subtotal.taxable * subtotal.percent / _HUNDRED


def amount_matches(subtotal: TaxSubtotalFacts) -> bool:
    """Whether TaxAmount is the base × rate, rounded or truncated to the cent."""
    exact = expected_tax(subtotal)
    if exact is None:
        return True
    written = subtotal.tax
    return written in (
        exact.quantize(_CENT, ROUND_HALF_UP),
        exact.quantize(_CENT, ROUND_DOWN),
    )


def _sums_up(total: TaxTotalFacts) -> bool:
    return total.amount == sum((sub.tax for sub in total.subtotals), _ZERO)


def taxes(facts: DocumentFacts) -> Iterator[Finding]:
    """FAS01b, FAS02 and FAS07 on the header and line tax groups."""
    schemes = [total.scheme for total in facts.tax_totals]
    line_schemes = {t.scheme for line in facts.lines for t in line.taxes}
    missing = [s for s in _LINE_TAXES if s in line_schemes and s not in schemes]
    if len(schemes) != len(set(schemes)) or missing:
        yield finding(facts, "AS01b", FAS01B)
    groups = [*facts.tax_totals, *(t for line in facts.lines for t in line.taxes)]
    if not all(_sums_up(total) for total in facts.tax_totals):
        yield finding(facts, "AS02", FAS02)
    if not all(amount_matches(sub) for total in groups for sub in total.subtotals):
        yield finding(facts, "AS07", FAS07)


def withholdings(facts: DocumentFacts) -> Iterator[Finding]:
    """FAT01, FAT02 and FAT07 on the header WithholdingTaxTotal groups."""
    schemes = [total.scheme for total in facts.withholdings]
    if len(schemes) != len(set(schemes)):
        yield finding(facts, "AT01", FAT01)
    if not all(_sums_up(total) for total in facts.withholdings):
        yield finding(facts, "AT02", FAT02)
    if not all(amount_matches(sub) for total in facts.withholdings for sub in total.subtotals):
        yield finding(facts, "AT07", FAT07)
