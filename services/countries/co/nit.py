"""The NIT check digit (dígito de verificación) as DIAN computes it."""

from __future__ import annotations

# DIAN's weights, applied from the rightmost digit of the NIT (without its check digit).
_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)


def check_digit(nit: str) -> str:
    """The check digit of a NIT given without it (e.g. '800197268' -> '4')."""
    if not nit.isdigit() or not 1 <= len(nit) <= len(_WEIGHTS):
        raise ValueError(f"a NIT is 1 to {len(_WEIGHTS)} digits, got {nit!r}")
    total = sum(int(d) * w for d, w in zip(reversed(nit), _WEIGHTS, strict=False)) % 11
    return str(total if total in (0, 1) else 11 - total)


def is_valid(nit: str, digit: str) -> bool:
    """Whether `digit` is the check digit of `nit`."""
    try:
        return check_digit(nit) == digit
    except ValueError:
        return False
