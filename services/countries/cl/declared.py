"""The totals an issuer declares in `document.totals`, checked against the SII's arithmetic.

How the API's country-neutral totals read for a DTE:

| field | DTE amount |
|---|---|
| line_extension_amount | Σ MontoItem of every line |
| tax_exclusive_amount | MntNeto + MntExe (after global discounts and surcharges) |
| tax_inclusive_amount | MntTotal (the above + IVA) |
| allowance_total_amount | Σ global discounts (optional) |
| charge_total_amount | Σ global surcharges (optional) |
| payable_amount | MntTotal |

Amounts are whole pesos; a difference is refused naming the field, the expected amount and
the difference.
"""

from __future__ import annotations

from services.core.rejection import InputRejected
from services.countries.cl.money import pesos
from services.countries.cl.totals import DteTotals
from timbra.v1 import document_pb2


def check_declared_totals(document: document_pb2.Document, totals: DteTotals, path: str) -> None:
    """Refuse declared totals that differ from the computed ones (or are missing)."""
    if not document.HasField("totals"):
        raise InputRejected(
            path, "is required: the totals the issuer computed are checked against the lines"
        )
    declared = document.totals
    if declared.prepaid_amount:
        raise InputRejected(
            f"{path}.prepaid_amount", "a DTE records no prepayments: leave it empty"
        )
    expected = (
        ("line_extension_amount", totals.lines.all, True, "the lines' MontoItem add up to"),
        ("tax_exclusive_amount", totals.net + totals.exempt, True, "MntNeto + MntExe come to"),
        ("tax_inclusive_amount", totals.total, True, "MntTotal is"),
        ("allowance_total_amount", totals.discounts, False, "the global discounts add up to"),
        ("charge_total_amount", totals.surcharges, False, "the global surcharges add up to"),
        ("payable_amount", totals.total, True, "MntTotal is"),
    )
    for name, computed, required, source in expected:
        text = getattr(declared, name)
        value = pesos(text, f"{path}.{name}", required=required)
        if value is not None and value != computed:
            raise InputRejected(
                f"{path}.{name}",
                f"is {text} but {source} {computed} (a difference of {value - computed})",
            )
