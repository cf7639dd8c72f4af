"""The Encabezado of a DTE: IdDoc, Emisor, Receptor and Totales, each child in the order of
DTE_v10.xsd (sii-chile.md §1.3)."""

from __future__ import annotations

from datetime import date

from lxml import etree

from services.countries.cl import codes
from services.countries.cl.document import ChileanDocument
from services.countries.cl.money import sii_number
from services.countries.cl.registration import issuer_giro
from services.countries.cl.sii_xml import optional, sub, tag
from services.countries.pack import IssuerProfile


def id_doc(document: ChileanDocument, folio: int, issue_date: date) -> etree._Element:
    """IdDoc: type, folio, date and the type's indicators, in the XSD's order."""
    node = etree.Element(tag("IdDoc"))
    sub(node, "TipoDTE", document.dte_type)
    sub(node, "Folio", folio)
    sub(node, "FchEmis", issue_date.isoformat())
    optional(node, "TipoDespacho", document.dispatch_type)
    optional(node, "IndTraslado", document.transfer_indicator)
    optional(node, "FmaPago", document.payment_form)
    optional(node, "MedioPago", document.payment_means)
    if document.due_date is not None:
        sub(node, "FchVenc", document.due_date.isoformat())
    return node


def emisor(issuer: IssuerProfile) -> etree._Element:
    """Emisor from the issuer's registration: RUT, razón social, giro, Acteco, address."""
    party = issuer.party
    node = etree.Element(tag("Emisor"))
    sub(node, "RUTEmisor", issuer.tax_id)
    sub(node, "RznSoc", party.name)
    sub(node, "GiroEmis", issuer_giro(issuer))
    optional(node, "Telefono", party.phone)
    optional(node, "CorreoEmisor", party.email)
    for code in issuer.activity_codes:
        sub(node, "Acteco", code)
    address = party.address
    if address is not None:
        optional(node, "DirOrigen", address.line)
        optional(node, "CmnaOrigen", address.city_name)
    return node


def receptor(document: ChileanDocument) -> etree._Element:
    """Receptor: RUT and name, and the giro, contact and address when known."""
    receiver = document.receiver
    node = etree.Element(tag("Receptor"))
    sub(node, "RUTRecep", receiver.rut)
    sub(node, "RznSocRecep", receiver.name)
    optional(node, "GiroRecep", receiver.activity)
    optional(node, "Contacto", receiver.contact)
    optional(node, "CorreoRecep", receiver.email)
    optional(node, "DirRecep", receiver.address)
    optional(node, "CmnaRecep", receiver.commune)
    return node


def totales(document: ChileanDocument) -> etree._Element:
    """Totales: MntNeto/TasaIVA/IVA when there is a neto, MntExe when there are exempt amounts."""
    totals = document.totals
    node = etree.Element(tag("Totales"))
    kind = document.kind
    with_vat = kind.vat and (totals.net > 0 or kind.code == codes.FACTURA)
    if with_vat:
        sub(node, "MntNeto", sii_number(totals.net))
    if totals.exempt > 0 or kind.exempt:
        sub(node, "MntExe", sii_number(totals.exempt))
    if with_vat:
        sub(node, "TasaIVA", totals.vat_rate)
        sub(node, "IVA", sii_number(totals.vat))
    sub(node, "MntTotal", sii_number(totals.total))
    if totals.not_billable > 0:
        sub(node, "MontoNF", sii_number(totals.not_billable))
    return node


def encabezado(
    document: ChileanDocument, issuer: IssuerProfile, folio: int, issue_date: date
) -> etree._Element:
    """The whole Encabezado."""
    node = etree.Element(tag("Encabezado"))
    node.extend(
        [id_doc(document, folio, issue_date), emisor(issuer), receptor(document), totales(document)]
    )
    return node
