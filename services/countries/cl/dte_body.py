"""The body of a DTE after the Encabezado: Detalle lines, DscRcgGlobal and Referencia, each
child in the order of DTE_v10.xsd."""

from __future__ import annotations

from lxml import etree

from services.countries.cl.adjustments import GlobalAdjustment
from services.countries.cl.lines import DteLine
from services.countries.cl.money import sii_number
from services.countries.cl.references import DteReference
from services.countries.cl.sii_xml import optional, sub, tag


def detalle(line: DteLine, number: int) -> etree._Element:
    """One Detalle: item codes, exemption, name, quantity, price, discount, surcharge, amount."""
    node = etree.Element(tag("Detalle"))
    sub(node, "NroLinDet", number)
    for scheme, value in line.item_codes:
        code = sub(node, "CdgItem")
        sub(code, "TpoCodigo", scheme)
        sub(code, "VlrCodigo", value)
    optional(node, "IndExe", line.exemption)
    sub(node, "NmbItem", line.name)
    optional(node, "DscItem", line.description)
    if line.quantity is not None:
        sub(node, "QtyItem", sii_number(line.quantity))
    optional(node, "UnmdItem", line.unit)
    if line.price is not None:
        sub(node, "PrcItem", sii_number(line.price))
    if line.discount is not None:
        if line.discount.percent is not None:
            sub(node, "DescuentoPct", sii_number(line.discount.percent))
        sub(node, "DescuentoMonto", sii_number(line.discount.amount))
    if line.surcharge is not None:
        if line.surcharge.percent is not None:
            sub(node, "RecargoPct", sii_number(line.surcharge.percent))
        sub(node, "RecargoMonto", sii_number(line.surcharge.amount))
    sub(node, "MontoItem", sii_number(line.amount))
    return node


def dsc_rcg_global(adjustment: GlobalAdjustment, number: int) -> etree._Element:
    """One DscRcgGlobal: D or R, % or $, on the neto or (IndExeDR 1) the exempt amounts."""
    node = etree.Element(tag("DscRcgGlobal"))
    sub(node, "NroLinDR", number)
    sub(node, "TpoMov", "R" if adjustment.charge else "D")
    optional(node, "GlosaDR", adjustment.reason)
    sub(node, "TpoValor", "%" if adjustment.percent is not None else "$")
    sub(node, "ValorDR", adjustment.value)
    if adjustment.exempt:
        sub(node, "IndExeDR", 1)
    return node


def referencia(reference: DteReference, number: int) -> etree._Element:
    """One Referencia: kind, folio, date, CodRef and reason."""
    node = etree.Element(tag("Referencia"))
    sub(node, "NroLinRef", number)
    sub(node, "TpoDocRef", reference.document_type)
    if reference.is_global:
        sub(node, "IndGlobal", 1)
    sub(node, "FolioRef", reference.folio)
    sub(node, "FchRef", reference.date.isoformat())
    optional(node, "CodRef", reference.code)
    optional(node, "RazonRef", reference.reason)
    return node
