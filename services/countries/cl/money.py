"""Amounts, quantities and rates as the SII types them, read from the API's decimal strings.

CLP amounts are whole pesos (`MontoType`, `MntImpType`); quantities and unit prices may carry
up to six decimals with at most twelve integer digits (`Dec12_6Type`); percentages two decimals
(`PctType`). Numbers are written with a dot, no thousands separators and decimals only when
significant ([FMT] p.10).
"""

from __future__ import annotations

from decimal import Decimal

from services.core.decimals import parse_decimal, round_half_up
from services.core.rejection import InputRejected

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_MAX_DEC12 = Decimal("999999999999.999999")
_MAX_PESOS = Decimal(10) ** 18 - 1  # MontoType: 18 digits


def pesos(text: str, field: str, *, required: bool = False) -> Decimal | None:
    """A non-negative CLP amount in whole pesos ("119000"; "119000.00" is read the same)."""
    value = parse_decimal(field, text, non_negative=True, required=required)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise InputRejected(field, f"CLP amounts are whole pesos, got {text}")
    if value > _MAX_PESOS:
        raise InputRejected(field, f"exceeds the SII's 18 digits, got {text}")
    return value.quantize(Decimal(1))


def quantity(text: str, field: str) -> Decimal | None:
    """A quantity or unit price (Dec12_6Type): positive, at most 6 decimals; None when empty."""
    value = parse_decimal(field, text, places=6, positive=True, required=False)
    if value is not None and value > _MAX_DEC12:
        raise InputRejected(field, f"must be below 10^12 (SII Dec12_6), got {text}")
    return value


def percent(text: str, field: str, *, limit: Decimal = HUNDRED) -> Decimal | None:
    """A percentage (PctType): at most 2 decimals, above 0 and at most `limit`."""
    value = parse_decimal(field, text, places=2, positive=True, required=False)
    if value is not None and value > limit:
        raise InputRejected(field, f"must be at most {limit} %, got {text}")
    return value


def share(base: Decimal, rate: Decimal) -> Decimal:
    """`rate` % of `base` in whole pesos, half-up (never Python's banker's `round`)."""
    return round_half_up(base * rate / HUNDRED, 0)


def sii_number(value: Decimal) -> str:
    """A decimal as the SII writes it: dot, no exponent, decimals only when significant."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")
