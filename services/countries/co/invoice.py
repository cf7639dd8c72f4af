"""A Colombian document read from the API, checked and totalled: every DIAN type.

Invoices (01, 02 export, 03 from paper), documentos soporte (05) and the notes (91, 92, 95).
Every refusal is an InputRejected naming the proto field path and the rule, and every declared
amount must equal what DIAN will recompute, so a document that parses is one DIAN's arithmetic
rules (FAS07, FAU04–FAU14) accept. Type 04 is never requested: timbra makes it from a 01 while
DIAN is down (`as_dian_contingency`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from services.core.decimals import fixed, parse_decimal
from services.core.rejection import InputRejected
from services.countries.co import codes, support_document
from services.countries.co.allowances import AllowanceCharge, parse_allowance_charges, sums
from services.countries.co.contingency import parse_paper
from services.countries.co.dates import parse_date
from services.countries.co.document_types import KINDS, DocumentKind
from services.countries.co.exchange import ExchangeRate, parse_currency
from services.countries.co.free_text import free_text
from services.countries.co.lines import (
    FORBIDDEN,
    OPTIONAL,
    InvoiceLine,
    LineRules,
    ParsedLine,
    finish_line,
    parse_line,
)
from services.countries.co.notes import Correction, parse_correction
from services.countries.co.party import parse_customer, require_abroad
from services.countries.co.payment import (
    PaymentTerms,
    Prepayment,
    parse_payment,
    parse_prepayments,
)
from services.countries.co.totals import DocumentTotals, compute_totals, line_amount
from services.countries.pack import Party, Reference
from timbra.v1 import document_pb2

__all__ = [
    "ColombianInvoice",
    "InvoiceLine",
    "PaymentTerms",
    "as_dian_contingency",
    "expected_totals",
    "parse_date",
    "parse_invoice",
]

_PREFIX = re.compile(r"[A-Za-z0-9]{0,4}")
_REQUESTABLE = tuple(code for code in KINDS if code != codes.DIAN_CONTINGENCY)
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ColombianInvoice:
    """A validated DIAN document of any type; satisfies pack.ParsedDocument.

    `customer` is the other party: the buyer, or for a documento soporte the seller.
    """

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
    range_field: str = "document.co.range_prefix"
    allowance_charges: tuple[AllowanceCharge, ...] = ()
    exchange_rate: ExchangeRate | None = None
    prepayments: tuple[Prepayment, ...] = ()
    paper_number: int | None = None
    paper_issued_at: datetime | None = None
    reference: Reference | None = None
    correction: Correction | None = None

    @property
    def kind(self) -> DocumentKind:
        """What DIAN fixes for this document's type."""
        return KINDS[self.document_type]


def as_dian_contingency(invoice: ColombianInvoice) -> ColombianInvoice | None:
    """The same sales invoice issued while DIAN is down (type 04); None for other types."""
    if invoice.document_type != codes.INVOICE:
        return None
    return dataclasses.replace(invoice, document_type=codes.DIAN_CONTINGENCY)


def _kind(document: document_pb2.Document, path: str) -> DocumentKind:
    code = document.co.document_type or codes.INVOICE
    if code == codes.DIAN_CONTINGENCY:
        raise InputRejected(
            f"{path}.co.document_type",
            "type 04 is chosen by timbra while DIAN is down; send the invoice as 01",
        )
    if code not in _REQUESTABLE:
        known = "; ".join(f"{c} {KINDS[c].name}" for c in _REQUESTABLE)
        raise InputRejected(
            f"{path}.co.document_type", f"unknown DIAN document type {code!r}; use {known}"
        )
    return KINDS[code]


def _line_rules(kind: DocumentKind) -> LineRules:
    if kind.code == codes.SUPPORT_DOCUMENT:
        return support_document.SUPPORT_LINES
    if kind.code == codes.SUPPORT_ADJUSTMENT:
        return support_document.ADJUSTMENT_LINES
    return LineRules(
        withholdings=kind.withholdings,
        period=FORBIDDEN if kind.code == codes.DEBIT_NOTE else OPTIONAL,
    )


def parse_invoice(document: document_pb2.Document, path: str = "document") -> ColombianInvoice:
    """Validate a request as a Colombian document; raise InputRejected at the first fault."""
    if document.country != "co":
        raise InputRejected(
            f"{path}.country", f"must be 'co' for a Colombian document, got {document.country!r}"
        )
    details = document.WhichOneof("details")
    if details not in (None, "co"):
        raise InputRejected(
            f"{path}.{details}", "a Colombian document carries `co` details, not `cl`"
        )
    co = document.co
    kind = _kind(document, path)
    operation = co.operation_type or kind.default_operation
    if operation not in kind.operations:
        known = "; ".join(f"{c} {n}" for c, n in kind.operations.items())
        raise InputRejected(
            f"{path}.co.operation_type",
            f"a {kind.name} takes operation type {known}, got {operation!r}",
        )
    if not _PREFIX.fullmatch(co.range_prefix):
        raise InputRejected(
            f"{path}.co.range_prefix", f"is up to 4 letters or digits, got {co.range_prefix!r}"
        )

    if not document.HasField("customer"):
        raise InputRejected(f"{path}.customer", "is required")
    customer = parse_customer(document.customer, f"{path}.customer")
    if kind.support:
        support_document.check_seller(customer, operation, f"{path}.customer")
    elif kind.code == codes.EXPORT:
        require_abroad(customer, f"{path}.customer", "an export invoice sells abroad")
    currency, exchange_rate = parse_currency(document, path)

    parsed, groups, prepayments, totals = _amounts(document, kind, path)
    lines = tuple(
        finish_line(line, item, amounts, i, f"{path}.lines[{i}]")
        for i, (line, item, amounts) in enumerate(
            zip(document.lines, parsed, totals.lines, strict=True)
        )
    )
    _check_totals(document, totals, f"{path}.totals")

    reference, correction = parse_correction(co, kind, operation, f"{path}.co")
    paper = parse_paper(co, kind.code, f"{path}.co.paper")
    notes = tuple(
        free_text(note, f"{path}.notes[{index}]", limit=5000, required=True)
        for index, note in enumerate(document.notes)
    )
    return ColombianInvoice(
        document_type=kind.code,
        operation_type=operation,
        range_prefix=co.range_prefix,
        customer=customer,
        customer_id=customer.tax_id,
        currency=currency,
        lines=lines,
        totals=totals,
        payable_amount=totals.payable,
        payment=parse_payment(document.payment, f"{path}.payment"),
        notes=notes,
        order_reference=free_text(co.order_reference, f"{path}.co.order_reference", limit=100),
        range_field=f"{path}.co.paper.number" if paper else f"{path}.co.range_prefix",
        allowance_charges=groups,
        exchange_rate=exchange_rate,
        prepayments=prepayments,
        paper_number=paper.number if paper else None,
        paper_issued_at=paper.issued_at if paper else None,
        reference=reference,
        correction=correction,
    )


class _Amounts(NamedTuple):
    lines: list[ParsedLine]
    groups: tuple[AllowanceCharge, ...]
    prepayments: tuple[Prepayment, ...]
    totals: DocumentTotals


def _amounts(document: document_pb2.Document, kind: DocumentKind, path: str) -> _Amounts:
    if not document.lines:
        raise InputRejected(f"{path}.lines", "at least one line is required")
    rules = _line_rules(kind)
    parsed = [
        parse_line(line, f"{path}.lines[{i}]", rules) for i, line in enumerate(document.lines)
    ]
    # Document discounts apply to the sum of the line amounts unless they name their base.
    base = sum(
        (
            line_amount(p.priced.quantity, p.priced.unit_price)
            - p.priced.allowance
            + p.priced.charge
            for p in parsed
        ),
        _ZERO,
    )
    groups = parse_allowance_charges(
        document.allowance_charges, f"{path}.allowance_charges", default_base=base
    )
    prepayments = _prepayments(document, kind, path)
    allowance, charge = sums(groups)
    totals = compute_totals(
        (p.priced for p in parsed),
        allowance=allowance,
        charge=charge,
        prepaid=sum((p.amount for p in prepayments), _ZERO),
    )
    if totals.payable < 0:
        raise InputRejected(
            f"{path}.allowance_charges",
            f"discounts leave a negative payable amount ({fixed(totals.payable, 2)}; VLR01)",
        )
    if totals.prepaid > totals.payable:
        raise InputRejected(
            f"{path}.co.prepayments",
            f"advances of {fixed(totals.prepaid, 2)} exceed the payable {fixed(totals.payable, 2)}",
        )
    return _Amounts(parsed, groups, prepayments, totals)


def expected_totals(document: document_pb2.Document, path: str = "document") -> DocumentTotals:
    """The totals DIAN will recompute for a request's lines, discounts and prepayments.

    What an ERP fills `document.totals` with; the lines and groups are checked on the way.
    """
    return _amounts(document, _kind(document, path), path).totals


def _prepayments(
    document: document_pb2.Document, kind: DocumentKind, path: str
) -> tuple[Prepayment, ...]:
    if document.co.prepayments and not kind.prepayments:
        raise InputRejected(
            f"{path}.co.prepayments",
            f"a {kind.name} carries no prepayments (UBL CreditNote has no PrepaidPayment)",
        )
    return parse_prepayments(document.co.prepayments, f"{path}.co.prepayments")


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
        ("prepaid_amount", totals.prepaid, False),
        ("payable_amount", totals.payable, True),
    )
    for name, computed, required in expected:
        text = getattr(declared, name)
        value = parse_decimal(
            f"{path}.{name}", text, places=2, non_negative=True, required=required
        )
        if value is not None and value != computed:
            source = {
                "allowance_total_amount": "the document discounts add up to",
                "charge_total_amount": "the document charges add up to",
                "prepaid_amount": "the prepayments add up to",
            }.get(name, "the lines add up to")
            raise InputRejected(f"{path}.{name}", f"is {text} but {source} {fixed(computed, 2)}")
