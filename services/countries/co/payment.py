"""How a document is paid: PaymentMeans (cash or credit, method, due date) and prepayments.

A credit sale (PaymentMeans/ID 2) needs its PaymentDueDate (FAN04), not before the issue date.
Advances received before the invoice are cac:PrepaidPayment groups (FBD02–FBD05); their sum is
the informative PrepaidAmount, which DIAN 1.9 does not subtract from the payable (§3.7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.core.decimals import parse_decimal
from services.core.rejection import InputRejected
from services.countries.co import codes
from services.countries.co.dates import parse_date
from services.countries.co.free_text import free_text
from timbra.v1 import document_pb2


@dataclass(frozen=True)
class PaymentTerms:
    """PaymentMeans: cash or credit, the method, and the due date of a credit sale."""

    means: str
    method_code: str
    due_date: date | None


@dataclass(frozen=True)
class Prepayment:
    """One cac:PrepaidPayment: an advance received before the document."""

    id: str
    amount: Decimal
    received_date: date


def parse_payment(payment: document_pb2.Payment, path: str) -> PaymentTerms:
    """PaymentMeans with DIAN's defaults (cash, efectivo)."""
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


def check_due_date(payment: PaymentTerms, issue_date: date, path: str) -> None:
    """A due date is never before the issue date."""
    if payment.due_date is not None and payment.due_date < issue_date:
        raise InputRejected(
            f"{path}.due_date",
            f"{payment.due_date} is before the issue date {issue_date}",
        )


def parse_prepayments(
    items: Sequence[document_pb2.Prepayment], path: str
) -> tuple[Prepayment, ...]:
    """The advances, each with an id (default: its position), amount and date received."""
    found: list[Prepayment] = []
    for index, item in enumerate(items):
        field = f"{path}[{index}]"
        ident = free_text(item.id, f"{field}.id", limit=100) or str(index + 1)
        if any(p.id == ident for p in found):
            raise InputRejected(f"{field}.id", f"{ident!r} is used by another prepayment")
        amount = parse_decimal(f"{field}.amount", item.amount, places=2, positive=True)
        assert amount is not None
        received = parse_date(item.received_date, f"{field}.received_date")
        found.append(Prepayment(ident, amount, received))
    return tuple(found)


def check_prepayment_dates(prepayments: Sequence[Prepayment], issue_date: date, path: str) -> None:
    """An advance is received on or before the document's issue date."""
    for index, prepayment in enumerate(prepayments):
        if prepayment.received_date > issue_date:
            raise InputRejected(
                f"{path}[{index}].received_date",
                f"{prepayment.received_date} is after the issue date {issue_date}",
            )
