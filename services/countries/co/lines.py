"""One line of a DIAN document read from the API: quantity, price, item, taxes, discounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.core.decimals import fixed, parse_decimal
from services.core.rejection import InputRejected
from services.countries.co import codes, taxes
from services.countries.co.allowances import AllowanceCharge, parse_allowance_charges, sums
from services.countries.co.dates import parse_date
from services.countries.co.free_text import free_text
from services.countries.co.totals import LineAmounts, Portion, PricedLine, line_amount
from timbra.v1 import document_pb2

_UNIT = re.compile(r"[A-Z0-9]{1,3}")
_GTIN_LENGTHS = (12, 13, 14)
# InvoicePeriod/DescriptionCode of a documento soporte line (§3.8).
PERIOD_CODES = {"1": "Por operación", "2": "Acumulado semanal"}
REQUIRED, OPTIONAL, FORBIDDEN = "required", "optional", "forbidden"


@dataclass(frozen=True)
class LineRules:
    """What a document type lets its lines carry."""

    taxes: tuple[str, ...] = taxes.TAXES
    withholdings: bool = True
    period: str = OPTIONAL


@dataclass(frozen=True)
class LinePeriod:
    """cac:InvoicePeriod of a line: when the operation happened (DS: date and how reported)."""

    start: date
    end: date | None
    description_code: str


@dataclass(frozen=True)
class InvoiceLine:
    """One validated line with its computed amounts."""

    number: int
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    line_extension_amount: Decimal
    tax_amount: Decimal  # Σ of the line's taxes
    taxes: tuple[Portion, ...]
    withholdings: tuple[Portion, ...] = ()
    allowance_charges: tuple[AllowanceCharge, ...] = ()
    item_code: str = ""
    standard_item_code: str = ""
    standard_item_scheme: str = ""  # 001 UNSPSC, 010 GTIN, 999 own standard
    period: LinePeriod | None = None

    @property
    def tax_scheme(self) -> str:
        """The scheme of the line's first tax."""
        return self.taxes[0].scheme

    @property
    def tax_percent(self) -> Decimal:
        """The rate of the line's first tax."""
        return self.taxes[0].percent


@dataclass(frozen=True)
class ParsedLine:
    """A line read but not yet totalled: what the totals need and what the XML adds."""

    priced: PricedLine
    allowance_charges: tuple[AllowanceCharge, ...]
    period: LinePeriod | None


def parse_line(line: document_pb2.Line, path: str, rules: LineRules) -> ParsedLine:
    """Quantities, price, taxes, discounts and period of one line, checked."""
    free_text(line.description, f"{path}.description", required=True)
    if line.unit_code and not _UNIT.fullmatch(line.unit_code):
        raise InputRejected(
            f"{path}.unit_code",
            f"must be a UN/ECE rec 20 unit code like 94 or KGM, got {line.unit_code!r}",
        )
    quantity = parse_decimal(f"{path}.quantity", line.quantity, places=6, positive=True)
    price = parse_decimal(f"{path}.unit_price", line.unit_price, places=2, non_negative=True)
    assert quantity is not None and price is not None  # required=True never returns None
    if not line.taxes:
        raise InputRejected(
            f"{path}.taxes", "at least one tax (IVA 01 or INC 04) is required per line, even at 0 %"
        )
    rates, withholdings = taxes.parse_rates(
        line.taxes, f"{path}.taxes", allowed=rules.taxes, withholdings=rules.withholdings
    )
    gross = line_amount(quantity, price)
    groups = parse_allowance_charges(
        line.allowance_charges, f"{path}.allowance_charges", default_base=gross
    )
    allowance, charge = sums(groups)
    if allowance > gross + charge:
        raise InputRejected(
            f"{path}.allowance_charges",
            f"discounts of {fixed(allowance, 2)} exceed the line's {fixed(gross + charge, 2)}",
        )
    priced = PricedLine(
        quantity=quantity,
        unit_price=price,
        tax_scheme=rates[0].scheme,
        tax_percent=rates[0].percent,
        taxes=rates,
        withholdings=withholdings,
        allowance=allowance,
        charge=charge,
    )
    return ParsedLine(priced, groups, _period(line, f"{path}.period", rules.period))


def _period(line: document_pb2.Line, path: str, rule: str) -> LinePeriod | None:
    if not line.HasField("period"):
        if rule == REQUIRED:
            raise InputRejected(
                path, "is required on a documento soporte line: the date of the purchase"
            )
        return None
    if rule == FORBIDDEN:
        raise InputRejected(path, "a debit note line has no period (UBL DebitNoteLine)")
    period = line.period
    start = parse_date(period.start_date, f"{path}.start_date")
    end = parse_date(period.end_date, f"{path}.end_date") if period.end_date else None
    if end is not None and end < start:
        raise InputRejected(f"{path}.end_date", f"{end} is before start_date {start}")
    code = period.description_code or "1"
    if code not in PERIOD_CODES:
        raise InputRejected(
            f"{path}.description_code",
            f"must be 1 (por operación) or 2 (acumulado semanal), got {code!r}",
        )
    return LinePeriod(start, end, code)


def finish_line(
    line: document_pb2.Line, parsed: ParsedLine, amounts: LineAmounts, index: int, path: str
) -> InvoiceLine:
    """The line with its computed amounts, once the declared ones were found equal."""
    declared = parse_decimal(
        f"{path}.line_extension_amount", line.line_extension_amount, places=2, required=False
    )
    if declared is not None and declared != amounts.amount:
        how = "quantity × unit_price" + (
            " with its discounts and charges" if parsed.allowance_charges else ""
        )
        raise InputRejected(
            f"{path}.line_extension_amount",
            f"is {line.line_extension_amount} but {how} gives {fixed(amounts.amount, 2)}",
        )
    taxes.check_declared(line.taxes, amounts, f"{path}.taxes")
    standard_code = free_text(line.standard_item_code, f"{path}.standard_item_code", limit=100)
    scheme = line.standard_item_scheme
    if scheme and scheme not in codes.ITEM_SCHEMES:
        known = ", ".join(f"{k} {v}" for k, v in codes.ITEM_SCHEMES.items())
        raise InputRejected(
            f"{path}.standard_item_scheme", f"unknown item scheme {scheme!r}; use {known}"
        )
    if scheme and not standard_code:
        raise InputRejected(f"{path}.standard_item_scheme", "is given without standard_item_code")
    priced = parsed.priced
    return InvoiceLine(
        number=index + 1,
        description=line.description.strip(),
        quantity=priced.quantity,
        unit_code=line.unit_code or codes.DEFAULT_UNIT,
        unit_price=priced.unit_price,
        line_extension_amount=amounts.amount,
        tax_amount=amounts.tax,
        taxes=amounts.taxes,
        withholdings=amounts.withholdings,
        allowance_charges=parsed.allowance_charges,
        item_code=free_text(line.item_code, f"{path}.item_code", limit=100),
        standard_item_code=standard_code,
        standard_item_scheme=(scheme or _item_scheme(standard_code)) if standard_code else "",
        period=parsed.period,
    )


def _item_scheme(code: str) -> str:
    # A 12-14 digit code with a valid mod-10 check digit is a GTIN; 8 digits is a UNSPSC
    # commodity code (GTIN-8 is rare on invoices, UNSPSC is what DIAN's examples use);
    # anything else is the issuer's own standard (999).
    if code.isdigit() and len(code) in _GTIN_LENGTHS and _gtin_valid(code):
        return "010"
    if code.isdigit() and len(code) == 8:
        return "001"
    return "999"


def _gtin_valid(code: str) -> bool:
    digits = [int(d) for d in reversed(code)]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return total % 10 == 0
