"""A Colombian sales invoice (type 01) read from the API, checked and totalled.

Every refusal is an InputRejected naming the proto field path and the rule, and every declared
amount must equal what DIAN will recompute, so a document that parses is one DIAN's arithmetic
rules (FAS07, FAU04–FAU14) accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.core.decimals import fixed, parse_decimal
from services.core.rejection import InputRejected
from services.countries.co import codes
from services.countries.co.free_text import free_text
from services.countries.co.party import parse_customer
from services.countries.co.totals import DocumentTotals, PricedLine, compute_totals
from services.countries.pack import Party
from timbra.v1 import document_pb2

_PREFIX = re.compile(r"[A-Za-z0-9]{0,4}")
_UNIT = re.compile(r"[A-Z0-9]{1,3}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_GTIN_LENGTHS = (12, 13, 14)


@dataclass(frozen=True)
class InvoiceLine:
    """One validated line with its computed amount and tax."""

    number: int
    description: str
    quantity: Decimal
    unit_code: str
    unit_price: Decimal
    tax_scheme: str
    tax_percent: Decimal
    line_extension_amount: Decimal
    tax_amount: Decimal
    item_code: str = ""
    standard_item_code: str = ""
    standard_item_scheme: str = ""  # 001 UNSPSC, 010 GTIN, 999 own standard


@dataclass(frozen=True)
class PaymentTerms:
    """PaymentMeans: cash or credit, the method, and the due date of a credit sale."""

    means: str
    method_code: str
    due_date: date | None


@dataclass(frozen=True)
class ColombianInvoice:
    """A validated factura electrónica de venta; satisfies pack.ParsedDocument."""

    document_type: str
    operation_type: str
    range_prefix: str
    customer: Party
    customer_id: str
    currency: str
    lines: tuple[InvoiceLine, ...]
    totals: DocumentTotals
    payable_amount: Decimal
    payment: PaymentTerms
    notes: tuple[str, ...] = ()
    order_reference: str = ""


def parse_invoice(document: document_pb2.Document, path: str = "document") -> ColombianInvoice:
    """Validate a request as a Colombian invoice; raise InputRejected at the first fault."""
    if document.country != "co":
        raise InputRejected(
            f"{path}.country", f"must be 'co' for a Colombian invoice, got {document.country!r}"
        )
    details = document.WhichOneof("details")
    if details not in (None, "co"):
        raise InputRejected(
            f"{path}.{details}", "a Colombian document carries `co` details, not `cl`"
        )
    co = document.co
    document_type = co.document_type or codes.INVOICE
    if document_type != codes.INVOICE:
        raise InputRejected(
            f"{path}.co.document_type",
            f"only 01 (factura electrónica de venta) is supported for now, got {document_type!r}",
        )
    operation_type = co.operation_type or codes.STANDARD_OPERATION
    if operation_type != codes.STANDARD_OPERATION:
        raise InputRejected(
            f"{path}.co.operation_type",
            f"only 10 (estándar) is supported for now, got {operation_type!r}",
        )
    if not _PREFIX.fullmatch(co.range_prefix):
        raise InputRejected(
            f"{path}.co.range_prefix", f"is up to 4 letters or digits, got {co.range_prefix!r}"
        )

    if not document.HasField("customer"):
        raise InputRejected(f"{path}.customer", "is required")
    customer = parse_customer(document.customer, f"{path}.customer")

    currency = document.currency or "COP"
    if currency != "COP":
        raise InputRejected(
            f"{path}.currency",
            f"only COP is supported for now, got {currency!r}; invoices in other currencies "
            "arrive with export invoices (type 02) in a later version",
        )

    if not document.lines:
        raise InputRejected(f"{path}.lines", "at least one line is required")
    priced = [_parse_priced(line, f"{path}.lines[{i}]") for i, line in enumerate(document.lines)]
    totals = compute_totals(priced)
    lines = tuple(
        _finish_line(line, price, amounts.amount, amounts.tax, i, f"{path}.lines[{i}]")
        for i, (line, price, amounts) in enumerate(
            zip(document.lines, priced, totals.lines, strict=True)
        )
    )
    _check_totals(document, totals, f"{path}.totals")

    notes = tuple(
        free_text(note, f"{path}.notes[{index}]", limit=5000, required=True)
        for index, note in enumerate(document.notes)
    )

    return ColombianInvoice(
        document_type=document_type,
        operation_type=operation_type,
        range_prefix=co.range_prefix,
        customer=customer,
        customer_id=customer.tax_id,
        currency=currency,
        lines=lines,
        totals=totals,
        payable_amount=totals.payable,
        payment=_parse_payment(document.payment, f"{path}.payment"),
        notes=notes,
        order_reference=free_text(co.order_reference, f"{path}.co.order_reference", limit=100),
    )


def _parse_priced(line: document_pb2.Line, path: str) -> PricedLine:
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
            f"{path}.taxes", "exactly one IVA (scheme 01) is required per line, even at 0 %"
        )
    for index, tax in enumerate(line.taxes):
        if tax.scheme != codes.IVA:
            raise InputRejected(
                f"{path}.taxes[{index}].scheme",
                f"only IVA (01) is supported for now, got {tax.scheme!r}; INC (04), ICA (03) "
                "and the other DIAN taxes come in a later version",
            )
        if index > 0:
            raise InputRejected(f"{path}.taxes[{index}]", "a line carries exactly one IVA")
    percent = parse_decimal(f"{path}.taxes[0].percent", line.taxes[0].percent, places=2)
    assert percent is not None
    if percent not in codes.IVA_RATES:
        raise InputRejected(
            f"{path}.taxes[0].percent",
            f"IVA rate {line.taxes[0].percent} is not supported; use 0, 5 or 19",
        )
    return PricedLine(quantity, price, codes.IVA, percent)


def _finish_line(
    line: document_pb2.Line,
    priced: PricedLine,
    amount: Decimal,
    tax: Decimal,
    index: int,
    path: str,
) -> InvoiceLine:
    declared = parse_decimal(
        f"{path}.line_extension_amount", line.line_extension_amount, places=2, required=False
    )
    if declared is not None and declared != amount:
        raise InputRejected(
            f"{path}.line_extension_amount",
            f"is {line.line_extension_amount} but quantity × unit_price gives {fixed(amount, 2)}",
        )
    declared_tax = parse_decimal(
        f"{path}.taxes[0].amount", line.taxes[0].amount, places=2, required=False
    )
    if declared_tax is not None and declared_tax != tax:
        raise InputRejected(
            f"{path}.taxes[0].amount",
            f"is {line.taxes[0].amount} but {fixed(amount, 2)} × {line.taxes[0].percent} % "
            f"gives {fixed(tax, 2)}",
        )
    standard_code = free_text(line.standard_item_code, f"{path}.standard_item_code", limit=100)
    return InvoiceLine(
        number=index + 1,
        description=line.description.strip(),
        quantity=priced.quantity,
        unit_code=line.unit_code or codes.DEFAULT_UNIT,
        unit_price=priced.unit_price,
        tax_scheme=priced.tax_scheme,
        tax_percent=priced.tax_percent,
        line_extension_amount=amount,
        tax_amount=tax,
        item_code=free_text(line.item_code, f"{path}.item_code", limit=100),
        standard_item_code=standard_code,
        standard_item_scheme=_item_scheme(standard_code) if standard_code else "",
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


def _check_totals(document: document_pb2.Document, totals: DocumentTotals, path: str) -> None:
    if not document.HasField("totals"):
        raise InputRejected(
            path, "is required: the totals the issuer computed are checked against the lines"
        )
    declared = document.totals
    expected = (
        ("line_extension_amount", totals.line_extension, True),
        ("tax_exclusive_amount", totals.tax_exclusive, True),
        ("tax_inclusive_amount", totals.tax_inclusive, True),
        ("allowance_total_amount", totals.allowance, False),
        ("charge_total_amount", totals.charge, False),
        ("payable_amount", totals.payable, True),
    )
    for name, computed, required in expected:
        text = getattr(declared, name)
        value = parse_decimal(
            f"{path}.{name}", text, places=2, non_negative=True, required=required
        )
        if value is None:
            continue
        if name in ("allowance_total_amount", "charge_total_amount") and value != 0:
            raise InputRejected(
                f"{path}.{name}",
                "document-level allowances and charges are not supported yet; must be empty or 0",
            )
        if value != computed:
            raise InputRejected(
                f"{path}.{name}", f"is {text} but the lines add up to {fixed(computed, 2)}"
            )


def _parse_payment(payment: document_pb2.Payment, path: str) -> PaymentTerms:
    means = payment.means or codes.CASH
    if means not in codes.PAYMENT_MEANS:
        raise InputRejected(f"{path}.means", f"must be 1 (contado) or 2 (crédito), got {means!r}")
    method = payment.method_code or codes.DEFAULT_PAYMENT_METHOD
    if method not in codes.PAYMENT_METHODS:
        known = ", ".join(codes.PAYMENT_METHODS)
        raise InputRejected(
            f"{path}.method_code", f"unknown DIAN payment method {method!r}; use one of {known}"
        )
    due_date = None
    if payment.due_date:
        due_date = parse_date(payment.due_date, f"{path}.due_date")
    elif means == codes.CREDIT:
        raise InputRejected(
            f"{path}.due_date", "is required for a credit sale (means 2, DIAN FAN04)"
        )
    return PaymentTerms(means, method, due_date)


def parse_date(text: str, field: str) -> date:
    """A calendar date written YYYY-MM-DD (and nothing else date.fromisoformat would take)."""
    if not _ISO_DATE.fullmatch(text):
        raise InputRejected(field, f"must be a date written YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InputRejected(field, f"is not a calendar date: {text!r}") from error
