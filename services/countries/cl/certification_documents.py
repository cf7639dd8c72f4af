"""Requests for the cases of an SII test set, in the order they must be issued.

Each document carries a Referencia `TpoDocRef SET`, `RazonRef "CASO <n>"` besides its real
references, so that the SII matches it to its case (sii-chile.md §8.1). FolioRef of that
reference is the case number: timbra gives folios when it drafts, after the request is made.
A note copies what it corrects: an annulment (CodRef 1) repeats the referenced case's lines,
a return (CodRef 3) prices its quantities like the referenced case's items, and a note
without items corrects text (CodRef 2) with one line saying what it corrects and no amounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from services.countries.cl import codes
from services.countries.cl.certification import Case, SetItem
from services.countries.cl.erp_totals import with_totals
from services.countries.cl.money import sii_number
from timbra.v1 import document_pb2

# LibreDTE's set examples address certification documents to the SII itself.
SII_RECEIVER = document_pb2.Party(
    tax_id=codes.SII_RUT,
    name="Servicio de Impuestos Internos",
    business_activity="Gobierno",
    address=document_pb2.Address(line="Teatinos 120", city_name="Santiago"),
)


@dataclass(frozen=True)
class Issued:
    """What the SII knows of an issued case: its type, folio and date."""

    dte_type: int
    folio: int
    issue_date: date


class CaseOrderError(LookupError):
    """A case refers to a case that is unknown or not issued yet."""


def correction_code(case: Case) -> int:
    """CodRef of a note case: anula, corrige texto (no items) or corrige montos."""
    if case.reference_reason.upper().startswith("ANULA"):
        return codes.ANNULS
    return codes.CORRECTS_AMOUNTS if case.items else codes.CORRECTS_TEXT


def _line(item: SetItem, priced_like: SetItem | None = None) -> document_pb2.Line:
    price = item.price or (priced_like.price if priced_like else None)
    discount = item.discount_percent or (priced_like.discount_percent if priced_like else None)
    line = document_pb2.Line(description=item.name, unit_code=item.unit)
    if item.quantity is not None:
        line.quantity = sii_number(item.quantity)
    if price is not None:
        line.unit_price = sii_number(price)
    if discount is not None and price is not None:
        line.allowance_charges.add(percent=sii_number(discount))
    if item.exempt:
        line.exemption = codes.EXEMPT
    return line


def _lines(case: Case, cases: Mapping[str, Case]) -> list[document_pb2.Line]:
    if not codes.KINDS[case.dte_type].note:
        return [_line(item) for item in case.items]
    code = correction_code(case)
    referenced = cases.get(case.referenced_case)
    if referenced is None:
        raise CaseOrderError(f"CASO {case.number} refers to unknown CASO {case.referenced_case}")
    if code == codes.ANNULS:
        return _lines(referenced, cases)
    if code == codes.CORRECTS_TEXT:
        return [document_pb2.Line(description=case.reference_reason or "CORRIGE TEXTO")]
    by_name = {item.name: item for item in referenced.items}
    return [_line(item, by_name.get(item.name)) for item in case.items]


def _globals(case: Case, cases: Mapping[str, Case]) -> list[document_pb2.AllowanceCharge]:
    source = case
    if codes.KINDS[case.dte_type].note and correction_code(case) == codes.ANNULS:
        source = cases[case.referenced_case]
        while codes.KINDS[source.dte_type].note and correction_code(source) == codes.ANNULS:
            source = cases[source.referenced_case]
    return [
        document_pb2.AllowanceCharge(charge=charge, exempt_amounts=exempt, percent=sii_number(rate))
        for charge, exempt, rate in source.global_adjustments
    ]


def case_document(
    case: Case,
    cases: Mapping[str, Case],
    issuer: str,
    issued: Mapping[str, Issued],
    *,
    today: date,
    receiver: document_pb2.Party = SII_RECEIVER,
) -> document_pb2.Document:
    """The request for one case; a note needs the case it refers to in `issued`."""
    kind = codes.KINDS[case.dte_type]
    document = document_pb2.Document(
        country="cl",
        issuer=issuer,
        customer=receiver,
        currency=codes.CURRENCY,
        lines=_lines(case, cases),
        allowance_charges=_globals(case, cases),
        cl=document_pb2.ChileDocument(
            dte_type=case.dte_type,
            payment_form=1 if kind.payment_form_required else 0,
            transfer_indicator=case.transfer_indicator,
            dispatch_type=case.dispatch_type,
        ),
    )
    code = correction_code(case) if kind.note else 0
    document.cl.references.add(
        document_type="SET",
        folio=case.number,
        date=today.isoformat(),
        code=code,
        reason=f"CASO {case.number}",
    )
    if case.referenced_case:
        target = issued.get(case.referenced_case)
        if target is None:
            raise CaseOrderError(
                f"CASO {case.number} refers to CASO {case.referenced_case}, not issued yet"
            )
        document.cl.references.add(
            document_type=str(target.dte_type),
            folio=str(target.folio),
            date=target.issue_date.isoformat(),
            code=code,
            reason=case.reference_reason[:90],
        )
    return with_totals(document)


def issue_order(cases: Sequence[Case]) -> list[Case]:
    """The cases in an order where every referenced case comes first (the set's own order
    already is one; this checks it and says which reference cannot be met)."""
    seen: set[str] = set()
    for case in cases:
        if case.referenced_case and case.referenced_case not in seen:
            raise CaseOrderError(
                f"CASO {case.number} refers to CASO {case.referenced_case}, "
                "which does not come before it"
            )
        seen.add(case.number)
    return list(cases)
