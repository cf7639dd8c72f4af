"""A Chilean DTE read from the API, checked and totalled: facturas 33 and 34, guías 52, notas
56 and 61.

Every refusal is an InputRejected naming the proto field path and the rule, and the totals the
issuer declares must equal what the SII computes, so a document that parses is one whose
arithmetic the SII's own rules produce. Dates are checked against the issue date when the
document is drafted (`dte.build_draft`), since the issue date is only known then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from services.core.rejection import InputRejected
from services.countries.cl import codes, rut
from services.countries.cl.adjustments import GlobalAdjustment, parse_adjustments
from services.countries.cl.clock import parse_date
from services.countries.cl.declared import check_declared_totals
from services.countries.cl.lines import DteLine, parse_line
from services.countries.cl.party import Receiver, parse_receiver
from services.countries.cl.references import (
    DteReference,
    correction_code,
    first_dte,
    parse_references,
)
from services.countries.cl.totals import DteTotals, compute_totals, line_sums
from services.countries.pack import Reference
from timbra.v1 import document_pb2

RANGE_FIELD = "document.cl.dte_type"


@dataclass(frozen=True)
class ChileanDocument:
    """A validated DTE request; satisfies pack.ParsedDocument."""

    kind: codes.DteKind
    issuer: str  # RUTEmisor
    receiver: Receiver
    lines: tuple[DteLine, ...]
    totals: DteTotals
    document_type: str
    customer_id: str
    payable_amount: Decimal
    adjustments: tuple[GlobalAdjustment, ...] = ()
    references: tuple[DteReference, ...] = ()
    payment_form: int = 0  # FmaPago; 0 = not written
    payment_means: str = ""  # MedioPago
    due_date: date | None = None  # FchVenc
    transfer_indicator: int = 0  # IndTraslado (52)
    dispatch_type: int = 0  # TipoDespacho (52)
    correction_code: int = 0  # a note's CodRef
    range_prefix: str = ""  # a CAF has no prefix: one range per type
    range_field: str = RANGE_FIELD
    currency: str = codes.CURRENCY
    paper_number: int | None = None
    paper_issued_at: datetime | None = None
    reference: Reference | None = None

    @property
    def dte_type(self) -> int:
        """TipoDTE."""
        return self.kind.code


def _kind(document: document_pb2.Document, path: str) -> codes.DteKind:
    code = document.cl.dte_type
    if code not in codes.KINDS:
        known = "; ".join(f"{c} {k.name}" for c, k in codes.KINDS.items())
        raise InputRejected(f"{path}.cl.dte_type", f"must be one of {known}; got {code}")
    return codes.KINDS[code]


def _dispatch(cl: document_pb2.ChileDocument, kind: codes.DteKind, path: str) -> tuple[int, int]:
    if kind.code != codes.GUIA_DESPACHO:
        for name, value in (
            ("transfer_indicator", cl.transfer_indicator),
            ("dispatch_type", cl.dispatch_type),
        ):
            if value:
                raise InputRejected(
                    f"{path}.cl.{name}", f"belongs to guías de despacho (52), not a {kind.name}"
                )
        return 0, 0
    if cl.transfer_indicator not in codes.TRANSFER_INDICATORS:
        known = "; ".join(f"{c} {n}" for c, n in codes.TRANSFER_INDICATORS.items())
        raise InputRejected(
            f"{path}.cl.transfer_indicator",
            f"a guía de despacho states why goods move (IndTraslado): {known}; "
            f"got {cl.transfer_indicator}",
        )
    if cl.dispatch_type and cl.dispatch_type not in codes.DISPATCH_TYPES:
        known = "; ".join(f"{c} {n}" for c, n in codes.DISPATCH_TYPES.items())
        raise InputRejected(
            f"{path}.cl.dispatch_type", f"TipoDespacho is {known}; got {cl.dispatch_type}"
        )
    return cl.transfer_indicator, cl.dispatch_type


def _payment(
    document: document_pb2.Document, kind: codes.DteKind, path: str
) -> tuple[int, str, date | None]:
    form = document.cl.payment_form
    if form and form not in codes.PAYMENT_FORMS:
        known = "; ".join(f"{c} {n}" for c, n in codes.PAYMENT_FORMS.items())
        raise InputRejected(f"{path}.cl.payment_form", f"FmaPago is {known}; got {form}")
    if not form and kind.payment_form_required:
        raise InputRejected(
            f"{path}.cl.payment_form",
            f"is required on a {kind.name} (FmaPago: 1 contado, 2 crédito, 3 sin costo)",
        )
    payment = document.payment
    if payment.means:
        raise InputRejected(
            f"{path}.payment.means", "Chile uses document.cl.payment_form (FmaPago)"
        )
    means = payment.method_code.strip().upper()
    if means and means not in codes.PAYMENT_MEANS:
        known = ", ".join(sorted(codes.PAYMENT_MEANS))
        raise InputRejected(
            f"{path}.payment.method_code",
            f"MedioPago is one of {known}; got {payment.method_code!r}",
        )
    due = parse_date(payment.due_date, f"{path}.payment.due_date") if payment.due_date else None
    return form, means, due


def _header(document: document_pb2.Document, path: str) -> codes.DteKind:
    if document.country != "cl":
        raise InputRejected(
            f"{path}.country", f"must be 'cl' for a Chilean document, got {document.country!r}"
        )
    details = document.WhichOneof("details")
    if details != "cl":
        raise InputRejected(
            f"{path}.cl", "is required: the Chilean part of the document (TipoDTE ...)"
        )
    if document.currency not in ("", codes.CURRENCY):
        raise InputRejected(
            f"{path}.currency",
            f"Chilean DTEs are in CLP (export documents are not issued), got {document.currency!r}",
        )
    if document.notes:
        raise InputRejected(
            f"{path}.notes", "a DTE has no free notes: put details in a line's description"
        )
    if not document.HasField("customer"):
        raise InputRejected(f"{path}.customer", "is required: the receiver (Receptor)")
    return _kind(document, path)


def parse_document(document: document_pb2.Document, path: str = "document") -> ChileanDocument:
    """Validate a request as a DTE; raise InputRejected at the first fault."""
    kind = _header(document, path)
    issuer = rut.canonical(document.issuer, f"{path}.issuer")
    receiver = parse_receiver(document.customer, f"{path}.customer", kind)
    if not document.lines:
        raise InputRejected(f"{path}.lines", "at least one line is required")
    if len(document.lines) > codes.MAX_LINES:
        raise InputRejected(
            f"{path}.lines", f"a DTE has at most {codes.MAX_LINES} lines, got {len(document.lines)}"
        )
    lines = tuple(parse_line(line, f"{path}.lines[{i}]") for i, line in enumerate(document.lines))
    sums = line_sums(lines, kind)
    adjustments = parse_adjustments(
        document.allowance_charges,
        f"{path}.allowance_charges",
        kind=kind,
        taxed_base=sums.taxed,
        exempt_base=sums.exempt,
    )
    totals = compute_totals(lines, adjustments, kind)
    references = parse_references(document.cl.references, f"{path}.cl.references", kind)
    code = correction_code(references, f"{path}.cl.references") if kind.note else 0
    _check_amounts(kind, totals, code, path)
    check_declared_totals(document, totals, f"{path}.totals")
    transfer, dispatch = _dispatch(document.cl, kind, path)
    form, means, due = _payment(document, kind, path)
    return ChileanDocument(
        kind=kind,
        issuer=issuer,
        receiver=receiver,
        lines=lines,
        totals=totals,
        document_type=str(kind.code),
        customer_id=receiver.rut,
        payable_amount=totals.total,
        adjustments=adjustments,
        references=references,
        payment_form=form,
        payment_means=means,
        due_date=due,
        transfer_indicator=transfer,
        dispatch_type=dispatch,
        correction_code=code,
        reference=first_dte(references, issuer),
    )


def _check_amounts(kind: codes.DteKind, totals: DteTotals, code: int, path: str) -> None:
    if code == codes.CORRECTS_TEXT:
        if totals.lines.all or totals.total:
            raise InputRejected(
                f"{path}.lines",
                "a note that corrects text (CodRef 2) carries no amounts: write lines such as "
                "'DONDE DICE ... DEBE DECIR ...' without quantity or price",
            )
        return
    # An annulment repeats the annulled document's amounts, which may be zero (a debit note
    # annulling a text correction); a correction of amounts must correct something.
    if code == codes.CORRECTS_AMOUNTS and totals.total == 0:
        raise InputRejected(
            f"{path}.lines",
            "a note that corrects amounts (CodRef 3) states them; these lines come to 0",
        )
    if kind.code == codes.FACTURA and totals.lines.taxed == 0:
        raise InputRejected(
            f"{path}.lines",
            "a factura afecta (33) needs at least one line subject to IVA; "
            "issue a factura exenta (34) when every line is exempt",
        )
