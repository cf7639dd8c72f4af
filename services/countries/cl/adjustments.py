"""Global discounts and surcharges of a DTE (DscRcgGlobal).

Each applies either to the items subject to IVA (the neto) or, with IndExeDR 1, to the exempt
items ([FMT] DscRcgGlobal). A percentage is a share of the sum of that kind's MontoItem, half-up
to whole pesos; several percentages are each computed on that same sum, so their order does not
matter. In a factura exenta (34) every amount is exempt, so its global discounts are too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.core.rejection import InputRejected
from services.countries.cl import codes
from services.countries.cl.money import ZERO, percent, pesos, share, sii_number
from services.countries.cl.sii_text import free_text
from timbra.v1 import document_pb2


@dataclass(frozen=True)
class GlobalAdjustment:
    """One DscRcgGlobal: a discount (D) or surcharge (R) on the neto or the exempt amounts."""

    charge: bool
    exempt: bool
    amount: Decimal  # pesos it takes off or adds
    percent: Decimal | None = None  # TpoValor % when set, else $
    reason: str = ""  # GlosaDR

    @property
    def value(self) -> str:
        """ValorDR as written: the percentage, or the amount in pesos."""
        return sii_number(self.percent if self.percent is not None else self.amount)

    @property
    def signed(self) -> Decimal:
        """The change to its base: negative for a discount."""
        return self.amount if self.charge else -self.amount


def parse_adjustments(
    items: Iterable[document_pb2.AllowanceCharge],
    path: str,
    *,
    kind: codes.DteKind,
    taxed_base: Decimal,
    exempt_base: Decimal,
) -> tuple[GlobalAdjustment, ...]:
    """Document-level discounts and surcharges, with their amounts against the line sums."""
    found = []
    for index, item in enumerate(items):
        if index >= codes.MAX_GLOBAL_ADJUSTMENTS:
            raise InputRejected(path, f"a DTE carries at most {codes.MAX_GLOBAL_ADJUSTMENTS}")
        found.append(_adjustment(item, f"{path}[{index}]", kind, taxed_base, exempt_base))
    for exempt, base in ((False, taxed_base), (True, exempt_base)):
        total = base + sum((a.signed for a in found if a.exempt == exempt), ZERO)
        if total < 0:
            which = "exempt amounts" if exempt else "amounts subject to IVA"
            raise InputRejected(
                path, f"the discounts on the {which} ({base}) leave {total}, below zero"
            )
    return tuple(found)


def _adjustment(
    item: document_pb2.AllowanceCharge,
    path: str,
    kind: codes.DteKind,
    taxed_base: Decimal,
    exempt_base: Decimal,
) -> GlobalAdjustment:
    if item.reason_code:
        raise InputRejected(
            f"{path}.reason_code", "DscRcgGlobal has no reason code: leave it empty"
        )
    exempt = item.exempt_amounts or kind.exempt
    base = exempt_base if exempt else taxed_base
    if base == ZERO:
        which = "exempt lines" if exempt else "lines subject to IVA"
        hint = "" if exempt else "; set exempt_amounts for a discount on exempt lines"
        raise InputRejected(path, f"the document has no {which} for it to apply to{hint}")
    declared_base = pesos(item.base_amount, f"{path}.base_amount")
    if declared_base is not None and declared_base != base:
        raise InputRejected(
            f"{path}.base_amount", f"is {item.base_amount} but those lines add up to {base}"
        )
    rate = percent(item.percent, f"{path}.percent", limit=Decimal(100))
    amount = pesos(item.amount, f"{path}.amount")
    if rate is None and amount is None:
        raise InputRejected(path, "needs a percent or an amount")
    computed = share(base, rate) if rate is not None else amount
    assert computed is not None
    if amount is not None and amount != computed:
        raise InputRejected(
            f"{path}.amount", f"is {item.amount} but {rate} % of {base} is {computed}"
        )
    if computed == ZERO:
        raise InputRejected(path, "comes to 0 pesos: leave it out")
    return GlobalAdjustment(
        charge=item.charge,
        exempt=exempt,
        amount=computed,
        percent=rate,
        reason=free_text(item.reason, f"{path}.reason", limit=45),
    )
