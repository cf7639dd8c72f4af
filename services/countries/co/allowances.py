"""Discounts and surcharges (cac:AllowanceCharge) on a line or on the whole document.

DIAN's rules (dian-colombia.md §3.8, FAQ02–FAQ09): the groups are numbered from 1; a discount
carries a reason code from DIAN's CodigoDescuento list, a surcharge only a reason text;
MultiplierFactorNumeric is a percent of at most 100; Amount = BaseAmount × percent / 100 and a
discount never exceeds its base. Line groups change the line's LineExtensionAmount (and so its
taxable base); document groups only change the payable amount (FAU08, FAU10, FAU14).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from services.core.decimals import fixed, parse_decimal, round_half_up
from services.core.rejection import InputRejected
from services.countries.co.free_text import free_text
from timbra.v1 import document_pb2

# CodigoDescuento (Anexo 1.9 table of allowance reason codes).
REASON_CODES: dict[str, str] = {
    "00": "Descuento por impuesto asumido",
    "01": "Pague uno lleve otro",
    "02": "Descuentos contractuales",
    "03": "Descuento por pronto pago",
    "04": "Envío gratis",
    "05": "Descuentos específicos por inventarios",
    "06": "Descuento por monto de compras",
    "07": "Descuento de temporada",
    "08": "Descuento por actualización de productos / servicios",
    "09": "Descuento general",
    "10": "Descuento por volumen",
    "11": "Otro descuento",
}
DEFAULT_REASON_CODE = "09"
_HUNDRED = Decimal(100)
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AllowanceCharge:
    """One resolved AllowanceCharge group: amounts and percent as they are written."""

    number: int
    charge: bool
    reason_code: str  # "" for a charge
    reason: str
    percent: Decimal  # MultiplierFactorNumeric
    amount: Decimal
    base: Decimal


def percent_for(amount: Decimal, base: Decimal) -> Decimal:
    """The shortest percent giving back exactly `amount` as BaseAmount × percent / 100."""
    for places in range(2, 11):
        percent = round_half_up(amount * _HUNDRED / base, places)
        if round_half_up(base * percent / _HUNDRED, 2) == amount:
            return percent
    return round_half_up(amount * _HUNDRED / base, 10)


def _one(
    item: document_pb2.AllowanceCharge, number: int, default_base: Decimal, path: str
) -> AllowanceCharge:
    if item.charge:
        if item.reason_code:
            raise InputRejected(
                f"{path}.reason_code",
                "DIAN's reason codes are for discounts; describe a surcharge in `reason`",
            )
        reason = free_text(item.reason, f"{path}.reason", limit=500, required=True)
        code = ""
    else:
        code = item.reason_code or DEFAULT_REASON_CODE
        if code not in REASON_CODES:
            known = ", ".join(REASON_CODES)
            raise InputRejected(
                f"{path}.reason_code", f"unknown DIAN discount code {code!r}; use one of {known}"
            )
        reason = free_text(item.reason, f"{path}.reason", limit=500) or REASON_CODES[code]

    base = parse_decimal(f"{path}.base_amount", item.base_amount, places=2, required=False)
    if base is None:
        base = default_base
    if base <= 0:
        raise InputRejected(
            f"{path}.base_amount", f"the base must be greater than zero, got {fixed(base, 2)}"
        )
    percent = parse_decimal(f"{path}.percent", item.percent, places=6, required=False)
    amount = parse_decimal(f"{path}.amount", item.amount, places=2, required=False)
    if percent is None and amount is None:
        raise InputRejected(f"{path}.percent", "give the percent, the amount, or both")
    if percent is not None and not 0 < percent <= _HUNDRED:
        raise InputRejected(
            f"{path}.percent", f"must be above 0 and at most 100 (FAQ06), got {item.percent}"
        )
    if amount is not None and amount <= 0:
        raise InputRejected(f"{path}.amount", f"must be greater than zero, got {item.amount}")
    if percent is None:
        assert amount is not None
        if amount > base:
            raise InputRejected(
                f"{path}.amount",
                f"{item.amount} is more than its base {fixed(base, 2)} (FAQ07)",
            )
        percent = percent_for(amount, base)
    else:
        computed = round_half_up(base * percent / _HUNDRED, 2)
        if amount is not None and amount != computed:
            raise InputRejected(
                f"{path}.amount",
                f"is {item.amount} but {fixed(base, 2)} × {item.percent} % gives "
                f"{fixed(computed, 2)}",
            )
        amount = computed
        if amount == 0:
            raise InputRejected(f"{path}.percent", f"{item.percent} % of {base} rounds to 0.00")
    return AllowanceCharge(number, item.charge, code, reason, percent, amount, base)


def parse_allowance_charges(
    items: Sequence[document_pb2.AllowanceCharge], path: str, default_base: Decimal
) -> tuple[AllowanceCharge, ...]:
    """The groups numbered from 1, each resolved against its base (default: `default_base`)."""
    return tuple(
        _one(item, index + 1, default_base, f"{path}[{index}]") for index, item in enumerate(items)
    )


def sums(groups: Sequence[AllowanceCharge]) -> tuple[Decimal, Decimal]:
    """(Σ discounts, Σ surcharges) of some groups."""
    allowance = sum((g.amount for g in groups if not g.charge), _ZERO)
    charge = sum((g.amount for g in groups if g.charge), _ZERO)
    return allowance, charge
