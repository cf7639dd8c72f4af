"""The unsigned DTE of a numbered document, with its TED waiting for the folio key's FRMT.

`<DTE version="1.0" xmlns="http://www.sii.cl/SiiDte">` → `Documento ID="T<TipoDTE>F<Folio>"`
→ Encabezado, Detalle (1-60), DscRcgGlobal, Referencia, TED, TmstFirma, in the XSD's order.
The draft is written in canonical form (inclusive C14N 1.0: UTF-8, no XML declaration) and
standalone (no `xmlns:xsi`), as it will be signed (sii-chile.md §5.4); the signer writes the
signed DTE in ISO-8859-1. Its identity — the document key — is `<RUT>-<TipoDTE>-<Folio>`. Pure: no
I/O.
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from services.core.rejection import InputRejected, precondition_failed
from services.countries.cl import clock, sii_xml
from services.countries.cl.document import ChileanDocument
from services.countries.cl.dte_body import detalle, dsc_rcg_global, referencia
from services.countries.cl.dte_header import encabezado
from services.countries.cl.references import document_key
from services.countries.cl.sii_xml import sub, tag
from services.countries.cl.ted import StampFields, caf_element, ted_element
from services.countries.pack import Draft, IssuerProfile, NumberingSlot

KEY_SCHEME = "SII-TED"


def document_id(dte_type: int, folio: int) -> str:
    """The Documento's ID (an XML NCName the signature's Reference points at): T33F1."""
    return f"T{dte_type}F{folio}"


def _check_slot(
    document: ChileanDocument, issuer: IssuerProfile, slot: NumberingSlot, issue_date: date
) -> None:
    if issuer.country != "cl" or issuer.tax_id != document.issuer:
        raise ValueError(f"issuer {issuer.tax_id} is not the document's {document.issuer}")
    if not slot.range_from <= slot.number <= slot.range_to:
        raise ValueError(f"folio {slot.number} is outside {slot.range_from}-{slot.range_to}")
    if not slot.public_authorization:
        raise ValueError(f"range {slot.range_id} carries no CAF to stamp the TED with")
    da = caf_element(slot.public_authorization).find("DA")
    assert da is not None
    if da.findtext("RE") != document.issuer or da.findtext("TD") != document.document_type:
        raise ValueError(
            f"range {slot.range_id}'s CAF is not for {document.issuer} "
            f"type {document.document_type}"
        )
    if not int(da.findtext("RNG/D") or 0) <= slot.number <= int(da.findtext("RNG/H") or 0):
        raise ValueError(f"folio {slot.number} is outside range {slot.range_id}'s CAF")
    if not slot.valid_from <= issue_date <= slot.valid_to:
        # HED-3-305 (before the CAF's date) and CAF-3-517 (expired CAF), sii-chile.md §3.2.
        raise precondition_failed(
            document.range_field,
            f"the CAF for type {document.document_type} folios {slot.range_from}-{slot.range_to} "
            f"stamps from {slot.valid_from} to {slot.valid_to}; {issue_date} is outside it",
        )


def _check_dates(document: ChileanDocument, issue_date: date) -> None:
    for index, reference in enumerate(document.references):
        if reference.date > issue_date:
            raise InputRejected(
                f"document.cl.references[{index}].date",
                f"{reference.date} is after the issue date {issue_date}",
            )
    if document.due_date is not None and document.due_date < issue_date:
        raise InputRejected(
            "document.payment.due_date",
            f"{document.due_date} is before the issue date {issue_date}",
        )


def stamp_fields(
    document: ChileanDocument, folio: int, issue_date: date, caf: str, stamped_at: str
) -> StampFields:
    """What the TED's DD says about this document."""
    return StampFields(
        issuer=document.issuer,
        dte_type=document.dte_type,
        folio=folio,
        issue_date=issue_date,
        receiver=document.receiver.rut,
        receiver_name=document.receiver.name,
        total=document.totals.total,
        first_item=document.lines[0].name,
        caf=caf,
        stamped_at=stamped_at,
    )


def dte_element(
    document: ChileanDocument, issuer: IssuerProfile, slot: NumberingSlot, moment: datetime
) -> etree._Element:
    """The DTE element, TED included with an empty FRMT."""
    issue_date = moment.date()
    stamped_at = clock.timestamp(moment)
    root = etree.Element(tag("DTE"), nsmap={None: sii_xml.SII_NS}, version="1.0")
    body = sub(root, "Documento")
    body.set("ID", document_id(document.dte_type, slot.number))
    body.append(encabezado(document, issuer, slot.number, issue_date))
    body.extend(detalle(line, n) for n, line in enumerate(document.lines, 1))
    body.extend(dsc_rcg_global(item, n) for n, item in enumerate(document.adjustments, 1))
    body.extend(referencia(item, n) for n, item in enumerate(document.references, 1))
    fields = stamp_fields(document, slot.number, issue_date, slot.public_authorization, stamped_at)
    body.append(ted_element(fields))
    # The signer replaces it with the moment of signing (never before TSTED).
    sub(body, "TmstFirma", stamped_at)
    return root


# Keys of Draft.transmission_options the SII client reads to write the Carátula.
RESOLUTION_DATE, RESOLUTION_NUMBER = "sii_resolution_date", "sii_resolution_number"


def build_draft(
    document: ChileanDocument, issuer: IssuerProfile, slot: NumberingSlot, issued_at: datetime
) -> Draft:
    """Number the document with its folio, write its unsigned DTE and its identity."""
    moment = clock.in_chile(issued_at)
    issue_date = moment.date()
    _check_slot(document, issuer, slot, issue_date)
    _check_dates(document, issue_date)
    # Canonical (inclusive C14N 1.0, UTF-8, no declaration): exactly what a verifier digests,
    # so the signer fills in FRMT and TmstFirma and digests the bytes as they stand. The DTE is
    # the root of its document, where lxml's C14N is exact (§5.5's pitfall is for subtrees).
    xml = etree.tostring(dte_element(document, issuer, slot, moment), method="c14n")
    return Draft(
        number=str(slot.number),
        document_type=document.document_type,
        document_key=document_key(document.issuer, document.dte_type, slot.number),
        key_scheme=KEY_SCHEME,
        unsigned_xml=xml,
        canonical=True,
        issue_date=issue_date,
        issued_at=moment,
        customer_id=document.customer_id,
        currency=document.currency,
        payable_amount=document.payable_amount,
        environment=issuer.environment,
        # The EnvioDTE's Carátula names the issuer's SII resolution; it travels with the draft.
        transmission_options={
            RESOLUTION_DATE: issuer.authorization_date.isoformat()
            if issuer.authorization_date
            else "",
            RESOLUTION_NUMBER: issuer.authorization_number,
        },
    )
