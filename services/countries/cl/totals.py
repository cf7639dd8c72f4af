"""The Totales of a DTE exactly as the SII computes them (sii-chile.md §1.3, §10.4).

MntNeto = Σ MontoItem of the lines subject to IVA ± the global discounts/surcharges on them;
MntExe = the same for the exempt lines (IndExe 1); IVA = MntNeto × 19 % rounded half-up to
whole pesos (PHP's `round`, which LibreDTE uses, rounds half away from zero; Python's `round`
would round half to even); MntTotal = MntNeto + MntExe + IVA. Lines that are not billable
(IndExe 2) are reported in MontoNF and stay out of MntTotal. Pure functions over Decimals so
that the validator, the XML builder and the demo ERP compute the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.countries.cl import codes
from services.countries.cl.adjustments import GlobalAdjustment
from services.countries.cl.lines import DteLine
from services.countries.cl.money import ZERO, share


@dataclass(frozen=True)
class LineSums:
    """Σ MontoItem by kind of line."""

    taxed: Decimal
    exempt: Decimal
    not_billable: Decimal

    @property
    def all(self) -> Decimal:
        """Σ MontoItem of every line."""
        return self.taxed + self.exempt + self.not_billable


@dataclass(frozen=True)
class DteTotals:
    """The amounts of a DTE's Totales, and the sums they come from."""

    net: Decimal  # MntNeto
    exempt: Decimal  # MntExe
    vat: Decimal  # IVA
    total: Decimal  # MntTotal
    lines: LineSums
    discounts: Decimal = ZERO  # Σ global discounts
    surcharges: Decimal = ZERO  # Σ global surcharges
    vat_rate: int = codes.VAT_RATE

    @property
    def not_billable(self) -> Decimal:
        """MontoNF: the amount of the lines not billed (IndExe 2)."""
        return self.lines.not_billable


def line_sums(lines: Iterable[DteLine], kind: codes.DteKind) -> LineSums:
    """Σ MontoItem of the taxed, exempt and not-billable lines of a document of `kind`."""
    taxed = exempt = not_billable = ZERO
    for line in lines:
        if line.exemption == codes.NOT_BILLABLE:
            not_billable += line.amount
        elif line.exemption == codes.EXEMPT or kind.exempt:
            exempt += line.amount
        else:
            taxed += line.amount
    return LineSums(taxed, exempt, not_billable)


def vat(net: Decimal) -> Decimal:
    """IVA on a neto: 19 %, half-up to whole pesos."""
    return share(net, Decimal(codes.VAT_RATE))


def compute_totals(
    lines: Iterable[DteLine], adjustments: Iterable[GlobalAdjustment], kind: codes.DteKind
) -> DteTotals:
    """MntNeto, MntExe, IVA and MntTotal of a document's lines and global adjustments."""
    sums = line_sums(lines, kind)
    adjustments = tuple(adjustments)
    net = sums.taxed + sum((a.signed for a in adjustments if not a.exempt), ZERO)
    exempt = sums.exempt + sum((a.signed for a in adjustments if a.exempt), ZERO)
    tax = vat(net)
    return DteTotals(
        net=net,
        exempt=exempt,
        vat=tax,
        total=net + exempt + tax,
        lines=sums,
        discounts=sum((a.amount for a in adjustments if not a.charge), ZERO),
        surcharges=sum((a.amount for a in adjustments if a.charge), ZERO),
    )
