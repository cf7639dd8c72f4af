"""Decimal amounts read from the API's strings, with the field path in every refusal."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from services.core.rejection import InputRejected

# Plain positional decimals only: no exponent ("1e3"), no sign other than a leading minus,
# no thousands separators, no "NaN"/"Infinity". What an ERP means is then never guessed.
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def parse_decimal(
    field: str,
    text: str,
    *,
    places: int | None = None,
    positive: bool = False,
    non_negative: bool = False,
    required: bool = True,
) -> Decimal | None:
    """Parse an API decimal string; refuse exponents, separators and too many decimals."""
    if text == "":
        if required:
            raise InputRejected(field, "is required")
        return None
    if not _DECIMAL.fullmatch(text):
        raise InputRejected(field, f"must be a plain decimal number like 1500.00, got {text!r}")
    value = Decimal(text)
    if places is not None:
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        if -exponent > places:
            raise InputRejected(field, f"must have at most {places} decimals, got {text!r}")
    if positive and value <= 0:
        raise InputRejected(field, f"must be greater than zero, got {text}")
    if non_negative and value < 0:
        raise InputRejected(field, f"must not be negative, got {text}")
    return value


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round commercially (half away from zero), as tax authorities do; never banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def truncate(value: Decimal, places: int) -> Decimal:
    """Cut to `places` decimals without rounding (DIAN truncates when it recomputes keys)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def fixed(value: Decimal, places: int) -> str:
    """Write a decimal with exactly `places` decimals and no exponent (e.g. '1500.00')."""
    return f"{round_half_up(value, places):.{places}f}"
