"""The lines of a DTE (Detalle): item, quantity, price, exemption and the line's own discount
and surcharge, with MontoItem computed as the SII defines it.

MontoItem = QtyItem × PrcItem, half-up to whole pesos, − DescuentoMonto + RecargoMonto
([FMT] Detalle); DescuentoPct and RecargoPct are shares of QtyItem × PrcItem. A line may have
no price (a text correction, goods moved by a guía without valuation): MontoItem is then 0.
The description's first line is the item name (NmbItem, 80 characters); further lines are its
description (DscItem, 1000 characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from services.core.decimals import round_half_up
from services.core.rejection import InputRejected
from services.countries.cl import codes
from services.countries.cl.money import ZERO, percent, pesos, quantity, share
from services.countries.cl.sii_text import free_text
from timbra.v1 import document_pb2

_UNIT = re.compile(r"\S{1,4}")
OWN_CODE = "INT1"  # TpoCodigo of the seller's own item code, as SII examples use


@dataclass(frozen=True)
class Adjustment:
    """A line discount or surcharge: the percentage when given, and its amount in pesos."""

    amount: Decimal
    percent: Decimal | None = None


@dataclass(frozen=True)
class DteLine:
    """A validated Detalle line with its MontoItem."""

    name: str
    amount: Decimal  # MontoItem
    description: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    price: Decimal | None = None
    item_codes: tuple[tuple[str, str], ...] = ()  # CdgItem: (TpoCodigo, VlrCodigo)
    exemption: str = ""  # IndExe: "" afecto, "1" exento, "2" no facturable
    discount: Adjustment | None = None
    surcharge: Adjustment | None = None

    @property
    def gross(self) -> Decimal:
        """QtyItem × PrcItem in whole pesos (0 without a price)."""
        if self.quantity is None or self.price is None:
            return ZERO
        return round_half_up(self.quantity * self.price, 0)


def _names(text: str, path: str) -> tuple[str, str]:
    first, _, rest = text.strip().partition("\n")
    name = free_text(first, f"{path}.description", limit=80, required=True)
    description = free_text(rest, f"{path}.description", limit=1000)
    return name, description


def _item_codes(line: document_pb2.Line, path: str) -> tuple[tuple[str, str], ...]:
    found = []
    own = free_text(line.item_code, f"{path}.item_code", limit=35)
    if own:
        found.append((OWN_CODE, own))
    standard = free_text(line.standard_item_code, f"{path}.standard_item_code", limit=35)
    scheme = free_text(line.standard_item_scheme, f"{path}.standard_item_scheme", limit=10)
    if standard and not scheme:
        raise InputRejected(
            f"{path}.standard_item_scheme", "is required with standard_item_code (e.g. EAN13)"
        )
    if scheme and not standard:
        raise InputRejected(f"{path}.standard_item_code", "is required with standard_item_scheme")
    if standard:
        found.append((scheme, standard))
    return tuple(found)


def _adjustment(item: document_pb2.AllowanceCharge, gross: Decimal, path: str) -> Adjustment:
    for name in ("reason_code", "reason", "base_amount"):
        if getattr(item, name):
            raise InputRejected(
                f"{path}.{name}",
                "a DTE line discount or surcharge has no such field "
                "(DescuentoPct/Monto, RecargoPct/Monto): leave it empty",
            )
    if item.exempt_amounts:
        raise InputRejected(
            f"{path}.exempt_amounts", "applies to document-level discounts only; mark the line"
        )
    limit = Decimal("999.99") if item.charge else Decimal(100)
    rate = percent(item.percent, f"{path}.percent", limit=limit)
    amount = pesos(item.amount, f"{path}.amount")
    if rate is None and amount is None:
        raise InputRejected(path, "needs a percent or an amount")
    if rate is not None and gross == ZERO:
        raise InputRejected(f"{path}.percent", "a percentage needs a line quantity and price")
    computed = share(gross, rate) if rate is not None else amount
    assert computed is not None
    if amount is not None and amount != computed:
        raise InputRejected(
            f"{path}.amount", f"is {item.amount} but {rate} % of {gross} is {computed}"
        )
    if computed == ZERO:
        raise InputRejected(path, "comes to 0 pesos: leave it out")
    return Adjustment(amount=computed, percent=rate)


def _adjustments(
    line: document_pb2.Line, gross: Decimal, path: str
) -> tuple[Adjustment | None, Adjustment | None]:
    discount = surcharge = None
    for index, item in enumerate(line.allowance_charges):
        field = f"{path}.allowance_charges[{index}]"
        if (surcharge if item.charge else discount) is not None:
            kind = (
                "surcharge (RecargoPct/Monto)" if item.charge else "discount (DescuentoPct/Monto)"
            )
            raise InputRejected(field, f"a DTE line carries one {kind}")
        adjustment = _adjustment(item, gross, field)
        if item.charge:
            surcharge = adjustment
        else:
            discount = adjustment
    if discount is not None and discount.amount > gross:
        raise InputRejected(
            f"{path}.allowance_charges",
            f"the discount of {discount.amount} exceeds the line's {gross}",
        )
    return discount, surcharge


def parse_line(line: document_pb2.Line, path: str) -> DteLine:
    """One Detalle line, checked, with its MontoItem; refusals name the field and rule."""
    name, description = _names(line.description, path)
    if line.taxes:
        raise InputRejected(
            f"{path}.taxes",
            "Chilean lines carry no taxes: IVA (19 %) is implied; mark exempt lines with "
            "`exemption` (IndExe 1)",
        )
    if line.HasField("period"):
        raise InputRejected(f"{path}.period", "a DTE line has no period")
    exemption = line.exemption.strip()
    if exemption and exemption not in codes.EXEMPTIONS:
        known = "; ".join(f"{c} {n}" for c, n in codes.EXEMPTIONS.items())
        raise InputRejected(
            f"{path}.exemption", f"IndExe {exemption!r} is not supported; use {known}"
        )
    qty = quantity(line.quantity, f"{path}.quantity")
    price = quantity(line.unit_price, f"{path}.unit_price")
    if price is not None and qty is None:
        raise InputRejected(f"{path}.quantity", "is required with a unit price")
    unit = line.unit_code.strip()
    if unit and not _UNIT.fullmatch(unit):
        raise InputRejected(f"{path}.unit_code", f"is 1 to 4 characters (UnmdItem), got {unit!r}")
    free_text(unit, f"{path}.unit_code", limit=4)
    gross = round_half_up(qty * price, 0) if qty is not None and price is not None else ZERO
    discount, surcharge = _adjustments(line, gross, path)
    amount = (
        gross - (discount.amount if discount else ZERO) + (surcharge.amount if surcharge else ZERO)
    )
    declared = pesos(line.line_extension_amount, f"{path}.line_extension_amount")
    if declared is not None and declared != amount:
        raise InputRejected(
            f"{path}.line_extension_amount",
            f"is {line.line_extension_amount} but the line comes to {amount} (MontoItem), "
            f"a difference of {declared - amount}",
        )
    return DteLine(
        name=name,
        amount=amount,
        description=description,
        quantity=qty,
        unit=unit,
        price=price,
        item_codes=_item_codes(line, path),
        exemption=exemption,
        discount=discount,
        surcharge=surcharge,
    )
