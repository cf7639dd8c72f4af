"""Invoice arithmetic as DIAN checks it: line amounts, taxes per rate and the monetary totals.

Pure functions over Decimals so that the validator, the XML builder and an ERP stand-in (the
demo generator) all compute exactly the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.core.decimals import round_half_up

_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PricedLine:
    """What the totals depend on in one line: quantity, unit price and its one tax rate."""

    quantity: Decimal
    unit_price: Decimal
    tax_scheme: str
    tax_percent: Decimal


@dataclass(frozen=True)
class LineAmounts:
    """A line's LineExtensionAmount and the tax on it, both to the cent."""

    amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxSubtotal:
    """One header TaxSubtotal: every line of one tax at one rate."""

    scheme: str
    percent: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxTotal:
    """One header TaxTotal: one tax scheme, its amount and its subtotals by rate."""

    scheme: str
    amount: Decimal
    subtotals: tuple[TaxSubtotal, ...]


@dataclass(frozen=True)
class DocumentTotals:
    """Everything DIAN recomputes from the lines (LegalMonetaryTotal, TaxTotal, line amounts)."""

    lines: tuple[LineAmounts, ...]
    tax_totals: tuple[TaxTotal, ...]
    line_extension: Decimal
    tax_exclusive: Decimal
    tax_inclusive: Decimal
    allowance: Decimal
    charge: Decimal
    payable: Decimal

    def tax_amount(self, scheme: str) -> Decimal:
        """The header TaxAmount of one scheme (0.00 when the document has none)."""
        for total in self.tax_totals:
            if total.scheme == scheme:
                return total.amount
        return _ZERO


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """LineExtensionAmount: quantity × unit price, half-up to the cent."""
    return round_half_up(quantity * unit_price, 2)


def tax_on(taxable: Decimal, percent: Decimal) -> Decimal:
    """TaxAmount = TaxableAmount × Percent / 100, half-up to the cent (DIAN FAS07)."""
    return round_half_up(taxable * percent / _HUNDRED, 2)


def compute_totals(lines: Iterable[PricedLine]) -> DocumentTotals:
    """The line amounts, header taxes and LegalMonetaryTotal of a document (no allowances)."""
    amounts: list[LineAmounts] = []
    bases: dict[tuple[str, Decimal], Decimal] = {}
    for line in lines:
        amount = line_amount(line.quantity, line.unit_price)
        amounts.append(LineAmounts(amount, tax_on(amount, line.tax_percent)))
        key = (line.tax_scheme, line.tax_percent.normalize())
        bases[key] = bases.get(key, _ZERO) + amount

    # FAS07 is checked on every TaxSubtotal, line and header alike: TaxAmount must equal
    # TaxableAmount × Percent / 100. Summing the per-line rounded taxes would break that on
    # the header by up to half a cent per line, so each header subtotal is recomputed from its
    # summed base instead, and the header TaxAmount is the exact sum of those subtotals. The
    # lines keep their own (individually correct) rounding.
    by_scheme: dict[str, list[TaxSubtotal]] = {}
    for (scheme, percent), taxable in sorted(bases.items()):
        subtotal = TaxSubtotal(scheme, percent, taxable, tax_on(taxable, percent))
        by_scheme.setdefault(scheme, []).append(subtotal)
    tax_totals = tuple(
        TaxTotal(scheme, sum((s.tax for s in subs), _ZERO), tuple(subs))
        for scheme, subs in by_scheme.items()
    )

    line_extension = sum((a.amount for a in amounts), _ZERO)
    # Every line carries exactly one tax subtotal (IVA, possibly at 0 %), so every line is in
    # a taxable base: TaxExclusiveAmount = Σ TaxableAmount (FAU04) = Σ line amounts here.
    tax_exclusive = sum(bases.values(), _ZERO)
    taxes = sum((t.amount for t in tax_totals), _ZERO)
    tax_inclusive = line_extension + taxes  # FAU06
    allowance = charge = _ZERO  # document-level allowances/charges are not supported yet
    payable = tax_inclusive - allowance + charge  # FAU14: the prepaid amount is not subtracted
    return DocumentTotals(
        lines=tuple(amounts),
        tax_totals=tax_totals,
        line_extension=line_extension,
        tax_exclusive=tax_exclusive,
        tax_inclusive=tax_inclusive,
        allowance=allowance,
        charge=charge,
        payable=payable,
    )
