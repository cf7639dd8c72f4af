"""The totals an ERP declares for a DTE request: computed with the very functions the pack
checks them with, for the demo generator, the certification runner and integrators' tests."""

from __future__ import annotations

from services.countries.cl import codes
from services.countries.cl.adjustments import parse_adjustments
from services.countries.cl.lines import parse_line
from services.countries.cl.money import sii_number
from services.countries.cl.totals import DteTotals, compute_totals, line_sums
from timbra.v1 import document_pb2


def expected_totals(document: document_pb2.Document, path: str = "document") -> DteTotals:
    """MntNeto, MntExe, IVA and MntTotal of a request's lines and global adjustments."""
    kind = codes.KINDS[document.cl.dte_type]
    lines = [parse_line(line, f"{path}.lines[{i}]") for i, line in enumerate(document.lines)]
    sums = line_sums(lines, kind)
    adjustments = parse_adjustments(
        document.allowance_charges,
        f"{path}.allowance_charges",
        kind=kind,
        taxed_base=sums.taxed,
        exempt_base=sums.exempt,
    )
    return compute_totals(lines, adjustments, kind)


def with_totals(document: document_pb2.Document) -> document_pb2.Document:
    """The request with `totals` filled as the pack expects them (see `declared`)."""
    totals = expected_totals(document)
    document.totals.CopyFrom(
        document_pb2.Totals(
            line_extension_amount=sii_number(totals.lines.all),
            tax_exclusive_amount=sii_number(totals.net + totals.exempt),
            tax_inclusive_amount=sii_number(totals.total),
            allowance_total_amount=sii_number(totals.discounts) if totals.discounts else "",
            charge_total_amount=sii_number(totals.surcharges) if totals.surcharges else "",
            payable_amount=sii_number(totals.total),
        )
    )
    return document
