"""The Chilean RUT (Rol Único Tributario): its módulo-11 check digit, reading and writing.

Written the way the SII's XML wants it (`RUTType`: digits, a hyphen, the check digit, an
uppercase K, no dots: `76192083-9`). Input is read a little more leniently (dots, a lowercase
k, leading zeros as in certificates) but always written in that one form, and a wrong check
digit is always refused (sii-chile.md §2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.core.rejection import InputRejected

# The body is at most 8 digits: RUTType is 3..10 characters including hyphen and digit.
_MAX_BODY = 99_999_999
_LENIENT = re.compile(r"0*((?:[0-9]{1,3}(?:\.[0-9]{3})+)|[0-9]{1,8})-([0-9Kk])")
_BODY = re.compile(r"0*([0-9]{1,8})")


def check_digit(body: int) -> str:
    """The módulo-11 check digit of a RUT body: '0'-'9' or 'K'."""
    if body < 0:
        raise ValueError("a RUT body is a non-negative number")
    total = 0
    factor = 2
    # Digits from the right, weighted 2, 3, ..., 7 and then 2 again.
    while body:
        body, digit = divmod(body, 10)
        total += digit * factor
        factor = 2 if factor == 7 else factor + 1
    remainder = 11 - total % 11
    if remainder == 11:
        return "0"
    if remainder == 10:
        return "K"
    return str(remainder)


@dataclass(frozen=True, order=True)
class Rut:
    """A RUT with a correct check digit."""

    body: int
    digit: str

    def __str__(self) -> str:
        return f"{self.body}-{self.digit}"

    @property
    def text(self) -> str:
        """The RUT as the SII writes it: `76192083-9`."""
        return str(self)


def from_text(text: str) -> Rut:
    """Read `12345678-5` (dots, a lowercase k and leading zeros tolerated); ValueError if bad."""
    match = _LENIENT.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a RUT written like 12345678-5")
    body = int(match.group(1).replace(".", ""))
    digit = match.group(2).upper()
    return _checked(body, digit, text)


def _checked(body: int, digit: str, text: str) -> Rut:
    if not 1 <= body <= _MAX_BODY:
        raise ValueError(f"{text!r} is not a RUT: its number must be 1 to {_MAX_BODY}")
    expected = check_digit(body)
    if digit != expected:
        raise ValueError(f"{text!r} has check digit {digit} but {body} needs {expected}")
    return Rut(body, digit)


def parse_rut(text: str, field: str) -> Rut:
    """A RUT from the API, refused with the field path when malformed or its digit is wrong."""
    if not text.strip():
        raise InputRejected(field, "is required: a RUT written like 12345678-5")
    try:
        return from_text(text)
    except ValueError as error:
        raise InputRejected(field, str(error)) from None


def parse_split(tax_id: str, digit: str, field: str, digit_field: str) -> Rut:
    """A RUT given whole in `tax_id` (`12345678-5`) or as body plus `check_digit`."""
    tax_id = tax_id.strip()
    digit = digit.strip()
    if "-" in tax_id:
        rut = parse_rut(tax_id, field)
        if digit and digit.upper() != rut.digit:
            raise InputRejected(digit_field, f"is {digit} but {rut} ends in {rut.digit}")
        return rut
    if not tax_id:
        raise InputRejected(field, "is required: a RUT written like 12345678-5")
    match = _BODY.fullmatch(tax_id.replace(".", ""))
    if match is None:
        raise InputRejected(field, f"{tax_id!r} is not a RUT written like 12345678-5")
    if not digit:
        raise InputRejected(
            digit_field, "is required when tax_id has no check digit (or write 12345678-5)"
        )
    try:
        return _checked(int(match.group(1)), digit.upper(), f"{tax_id}-{digit}")
    except ValueError as error:
        raise InputRejected(digit_field, str(error)) from None


def canonical(text: str, field: str) -> str:
    """The canonical form of a RUT that must already be written canonically (a lookup key)."""
    rut = parse_rut(text, field)
    if text != rut.text:
        raise InputRejected(field, f"write the RUT as {rut.text}, got {text!r}")
    return rut.text
