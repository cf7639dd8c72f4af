"""The taxes and withholdings a line may carry, at the rates DIAN's tables allow.

Rates from DIAN's genericode tables (TarifaImpuestoIVA, TarifaImpuestoINC, TarifaImpuestoReteIVA,
TarifaImpuestoReteFuente, as shipped by implementers of Anexo 1.9). ICA and ReteICA are
municipal: each municipality sets its own rate per mil (Ley 14 de 1983; Bogotá's highest is
13.8 ‰), so DIAN has no closed list and timbra accepts 1 ‰ to 14 ‰, written as a percent with
up to three decimals (0.966 = 9.66 ‰), the precision DIAN's Percent takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from services.core.decimals import fixed, parse_decimal
from services.core.rejection import InputRejected
from services.countries.co import codes
from services.countries.co.totals import LineAmounts, Rate
from timbra.v1 import document_pb2

TAXES = (codes.IVA, codes.INC, codes.ICA)
WITHHOLDINGS = (codes.RETE_IVA, codes.RETE_FUENTE, codes.RETE_ICA)
_MUNICIPAL = (codes.ICA, codes.RETE_ICA)
_MUNICIPAL_RANGE = (Decimal("0.1"), Decimal("1.4"))

RATES: dict[str, tuple[Decimal, ...]] = {
    codes.IVA: codes.IVA_RATES,
    codes.INC: (Decimal(2), Decimal(4), Decimal(8), Decimal(16)),
    codes.RETE_IVA: (Decimal(15), Decimal(100)),
    codes.RETE_FUENTE: tuple(
        Decimal(r)
        for r in ("0.1", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "6", "7", "10", "11", "20")
    ),
}


def _check_rate(scheme: str, percent: Decimal, text: str, field: str) -> None:
    if scheme in _MUNICIPAL:
        low, high = _MUNICIPAL_RANGE
        if not low <= percent <= high:
            raise InputRejected(
                field,
                f"{codes.TAX_NAMES[scheme]} rate {text} % is outside the municipal tariffs "
                f"(1 ‰ to 14 ‰, i.e. {low} to {high} %)",
            )
        return
    allowed = RATES[scheme]
    if percent not in allowed:
        listed = ", ".join(f"{r.normalize():f}" for r in allowed)
        raise InputRejected(
            field, f"{codes.TAX_NAMES[scheme]} rate {text} % is not a DIAN rate; use {listed}"
        )


def parse_rates(
    taxes: Sequence[document_pb2.LineTax],
    path: str,
    *,
    allowed: Sequence[str],
    withholdings: bool,
) -> tuple[tuple[Rate, ...], tuple[Rate, ...]]:
    """A line's taxes and withholdings, each scheme once and at a DIAN rate."""
    found: list[Rate] = []
    withheld: list[Rate] = []
    seen: set[str] = set()
    for index, tax in enumerate(taxes):
        field = f"{path}[{index}]"
        scheme = tax.scheme
        if scheme in WITHHOLDINGS and not withholdings:
            raise InputRejected(
                f"{field}.scheme",
                f"withholding {codes.TAX_NAMES[scheme]} ({scheme}) cannot be reported on this "
                "document type (WithholdingTaxTotal exists on invoices and documentos soporte)",
            )
        if scheme not in allowed and scheme not in WITHHOLDINGS:
            known = ", ".join(f"{s} {codes.TAX_NAMES[s]}" for s in allowed)
            raise InputRejected(
                f"{field}.scheme", f"tax scheme {scheme!r} is not accepted here; use {known}"
            )
        if scheme in seen:
            raise InputRejected(field, f"{codes.TAX_NAMES[scheme]} is given twice on this line")
        seen.add(scheme)
        places = 3 if scheme in _MUNICIPAL else 2
        percent = parse_decimal(f"{field}.percent", tax.percent, places=places, non_negative=True)
        assert percent is not None  # required
        _check_rate(scheme, percent, tax.percent, f"{field}.percent")
        (withheld if scheme in WITHHOLDINGS else found).append(Rate(scheme, percent))
    if not any(rate.scheme in (codes.IVA, codes.INC) for rate in found):
        need = " or ".join(f"{codes.TAX_NAMES[s]} ({s})" for s in allowed if s != codes.ICA)
        raise InputRejected(
            path,
            f"every line needs {need}, even at 0 %: DIAN counts a line's base only through "
            "its taxes (FAU04, FAS01b)",
        )
    iva = next((r for r in found if r.scheme == codes.IVA), None)
    if any(r.scheme == codes.RETE_IVA for r in withheld) and (iva is None or iva.percent == 0):
        position = [t.scheme for t in taxes].index(codes.RETE_IVA)
        raise InputRejected(
            f"{path}[{position}].scheme",
            "ReteIVA withholds part of the line's IVA, and this line has no IVA above 0 %",
        )
    return tuple(found), tuple(withheld)


def check_declared(taxes: Sequence[document_pb2.LineTax], amounts: LineAmounts, path: str) -> None:
    """The amounts and bases the issuer computed, where given, must be DIAN's."""
    portions = {p.scheme: p for p in (*amounts.taxes, *amounts.withholdings)}
    for index, tax in enumerate(taxes):
        portion = portions[tax.scheme]
        field = f"{path}[{index}]"
        base = parse_decimal(
            f"{field}.taxable_amount", tax.taxable_amount, places=2, required=False
        )
        if base is not None and base != portion.taxable:
            what = "the line's IVA" if tax.scheme == codes.RETE_IVA else "the line amount"
            raise InputRejected(
                f"{field}.taxable_amount",
                f"is {tax.taxable_amount} but the base is {what}, {fixed(portion.taxable, 2)}",
            )
        declared = parse_decimal(f"{field}.amount", tax.amount, places=2, required=False)
        if declared is not None and declared != portion.amount:
            raise InputRejected(
                f"{field}.amount",
                f"is {tax.amount} but {fixed(portion.taxable, 2)} × {tax.percent} % "
                f"gives {fixed(portion.amount, 2)}",
            )
