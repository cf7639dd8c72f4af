"""Document-level allowances (discounts) and charges: cac:AllowanceCharge under the root."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding

FAQ02 = "Los números de línea de los cargos y descuentos no son consecutivos."
FAQ03 = 'ChargeIndicator contiene información diferente de "true" o "false".'
FAQ06 = "Porcentaje que aplica superior al 100%."
FAQ07 = "Descuento superior al valor base."
_HUNDRED = Decimal(100)


def allowances(facts: DocumentFacts) -> Iterator[Finding]:
    """FAQ02 (ids 1..n), FAQ03 (indicator), FAQ06 (percent ≤ 100), FAQ07 (discount ≤ base)."""
    groups = facts.allowance_charges
    if [group.id for group in groups] != [str(n) for n in range(1, len(groups) + 1)]:
        yield finding(facts, "AQ02", FAQ02)
    if any(group.indicator not in ("true", "false") for group in groups):
        yield finding(facts, "AQ03", FAQ03)
    if any(group.percent is not None and group.percent > _HUNDRED for group in groups):
        yield finding(facts, "AQ06", FAQ06)
    if any(
        group.indicator == "false" and group.base is not None and group.amount > group.base
        for group in groups
    ):
        yield finding(facts, "AQ07", FAQ07)
