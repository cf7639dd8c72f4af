"""Document arithmetic as DIAN checks it: lines, taxes, withholdings and the monetary totals.

Pure functions over Decimals so that the validator, the XML builder and an ERP stand-in (the
demo generator) all compute exactly the same numbers. Rules (dian-colombia.md §3.6–§3.7):
FAS07 TaxAmount = TaxableAmount × Percent / 100 on every subtotal; FAU04 TaxExclusiveAmount =
the taxable bases, each line counted once; FAU06 TaxInclusiveAmount = LineExtensionAmount +
taxes; FAU08/FAU10 the document-level allowances and charges; FAU12 PrepaidAmount = Σ
prepayments; FAU14 PayableAmount = TaxInclusive − Allowance + Charge (prepayments are not
subtracted). Withholdings (ReteIVA, ReteFuente, ReteICA) are reported apart and never change a
total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.core.decimals import round_half_up
from services.countries.co import codes

_ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rate:
    """A tax or withholding scheme at one rate, as applied to a line."""

    scheme: str
    percent: Decimal


@dataclass(frozen=True)
class PricedLine:
    """What the totals depend on in one line.

    `tax_scheme`/`tax_percent` describe a line with one tax; `taxes`, when given, replaces them
    with several. `allowance` and `charge` are the line's resolved discounts and surcharges.
    """

    quantity: Decimal
    unit_price: Decimal
    tax_scheme: str = codes.IVA
    tax_percent: Decimal = _ZERO
    taxes: tuple[Rate, ...] = ()
    withholdings: tuple[Rate, ...] = ()
    allowance: Decimal = _ZERO
    charge: Decimal = _ZERO

    @property
    def rates(self) -> tuple[Rate, ...]:
        """The taxes on the line (never empty)."""
        return self.taxes or (Rate(self.tax_scheme, self.tax_percent),)


@dataclass(frozen=True)
class Portion:
    """One tax or withholding of one line: its base and amount to the cent."""

    scheme: str
    percent: Decimal
    taxable: Decimal
    amount: Decimal


@dataclass(frozen=True)
class LineAmounts:
    """A line's gross, LineExtensionAmount, taxes and withholdings."""

    amount: Decimal  # LineExtensionAmount: gross − allowances + charges
    tax: Decimal  # Σ taxes of the line
    gross: Decimal = _ZERO  # quantity × price
    taxes: tuple[Portion, ...] = ()
    withholdings: tuple[Portion, ...] = ()


@dataclass(frozen=True)
class TaxSubtotal:
    """One header TaxSubtotal: every line of one scheme at one rate."""

    scheme: str
    percent: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxTotal:
    """One header TaxTotal (or WithholdingTaxTotal): a scheme, its amount, its subtotals."""

    scheme: str
    amount: Decimal
    subtotals: tuple[TaxSubtotal, ...]


@dataclass(frozen=True)
class DocumentTotals:
    """Everything DIAN recomputes: line amounts, TaxTotal, WithholdingTaxTotal, MonetaryTotal."""

    lines: tuple[LineAmounts, ...]
    tax_totals: tuple[TaxTotal, ...]
    line_extension: Decimal
    tax_exclusive: Decimal
    tax_inclusive: Decimal
    allowance: Decimal
    charge: Decimal
    payable: Decimal
    withholding_totals: tuple[TaxTotal, ...] = ()
    prepaid: Decimal = _ZERO

    def tax_amount(self, scheme: str) -> Decimal:
        """The header TaxAmount of one scheme (0.00 when the document has none)."""
        for total in self.tax_totals:
            if total.scheme == scheme:
                return total.amount
        return _ZERO


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """quantity × unit price, half-up to the cent."""
    return round_half_up(quantity * unit_price, 2)


def tax_on(taxable: Decimal, percent: Decimal) -> Decimal:
    """TaxAmount = TaxableAmount × Percent / 100, half-up to the cent (DIAN FAS07)."""
    return round_half_up(taxable * percent / _HUNDRED, 2)


def _line(line: PricedLine) -> LineAmounts:
    gross = line_amount(line.quantity, line.unit_price)
    amount = gross - line.allowance + line.charge
    taxes = tuple(
        Portion(rate.scheme, rate.percent, amount, tax_on(amount, rate.percent))
        for rate in line.rates
    )
    iva = sum((t.amount for t in taxes if t.scheme == codes.IVA), _ZERO)
    withholdings = []
    for rate in line.withholdings:
        # ReteIVA withholds a share of the IVA itself; the others a share of the line amount.
        base = iva if rate.scheme == codes.RETE_IVA else amount
        withholdings.append(Portion(rate.scheme, rate.percent, base, tax_on(base, rate.percent)))
    return LineAmounts(
        amount=amount,
        tax=sum((t.amount for t in taxes), _ZERO),
        gross=gross,
        taxes=taxes,
        withholdings=tuple(withholdings),
    )


def _group(portions: Iterable[Portion]) -> tuple[TaxTotal, ...]:
    # FAS07 is checked on every TaxSubtotal, line and header alike: TaxAmount must equal
    # TaxableAmount × Percent / 100. Summing the per-line rounded amounts would break that on
    # the header by up to half a cent per line, so each header subtotal is recomputed from its
    # summed base, and the header TaxAmount is the exact sum of those subtotals. The lines keep
    # their own (individually correct) rounding.
    bases: dict[tuple[str, Decimal], Decimal] = {}
    for portion in portions:
        key = (portion.scheme, portion.percent.normalize())
        bases[key] = bases.get(key, _ZERO) + portion.taxable
    by_scheme: dict[str, list[TaxSubtotal]] = {}
    for (scheme, percent), taxable in sorted(bases.items()):
        by_scheme.setdefault(scheme, []).append(
            TaxSubtotal(scheme, percent, taxable, tax_on(taxable, percent))
        )
    return tuple(
        TaxTotal(scheme, sum((s.tax for s in subs), _ZERO), tuple(subs))
        for scheme, subs in by_scheme.items()
    )


def compute_totals(
    lines: Iterable[PricedLine],
    *,
    allowance: Decimal = _ZERO,
    charge: Decimal = _ZERO,
    prepaid: Decimal = _ZERO,
) -> DocumentTotals:
    """Line amounts, header taxes, withholdings and the monetary total of a document.

    `allowance` and `charge` are the document-level AllowanceCharge sums, `prepaid` the sum of
    the PrepaidPayment groups.
    """
    amounts = tuple(_line(line) for line in lines)
    tax_totals = _group(p for a in amounts for p in a.taxes)
    withholding_totals = _group(p for a in amounts for p in a.withholdings)
    line_extension = sum((a.amount for a in amounts), _ZERO)
    # Every line carries at least one tax (possibly at 0 %) on its whole amount, so every line
    # is in a taxable base, once: TaxExclusiveAmount = Σ line amounts (FAU04). A line with
    # two taxes (IVA and ICA) is one base, not two.
    tax_exclusive = sum((a.amount for a in amounts if a.taxes), _ZERO)
    taxes = sum((t.amount for t in tax_totals), _ZERO)
    tax_inclusive = line_extension + taxes  # FAU06
    payable = tax_inclusive - allowance + charge  # FAU14: the prepaid amount is not subtracted
    return DocumentTotals(
        lines=amounts,
        tax_totals=tax_totals,
        line_extension=line_extension,
        tax_exclusive=tax_exclusive,
        tax_inclusive=tax_inclusive,
        allowance=allowance,
        charge=charge,
        payable=payable,
        withholding_totals=withholding_totals,
        prepaid=prepaid,
    )
