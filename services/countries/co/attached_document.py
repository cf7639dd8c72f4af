"""The AttachedDocument: the container carrying a signed document and DIAN's verdict to the buyer.

Shape per dian-colombia.md §6.6 (Odoo-DIAN's `attached_document` template and fixtures): an
AttachedDocument root with the document's number, key and environment, SenderParty and
ReceiverParty copied from the document's PartyTaxScheme groups, the signed XML in
cac:Attachment/cac:ExternalReference/cbc:Description as CDATA, and — when DIAN has validated it —
a cac:ParentDocumentLineReference holding DIAN's ApplicationResponse (CDATA) and the
ResultOfVerification. A type-04 document delivered during a DIAN outage travels without an
ApplicationResponse (§8.1). With a signer, the container gets its own XAdES signature in its
only UBLExtension, as ubl21dian signs it.
"""

from __future__ import annotations

import copy
from datetime import datetime

from lxml import etree

from services.core.untrusted_xml import UnsafeXml, parse
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.namespaces import (
    CAC,
    CBC,
    EXT,
    NSMAPS,
    SCHEMA_LOCATIONS,
    XML_DECLARATION,
    XSI,
)
from services.countries.pack import DocumentSigner

_ROOT = "AttachedDocument"
_SUPPORT_TYPES = ("05", "95")
_DIAN = "Unidad Especial Dirección de Impuestos y Aduanas Nacionales"
_SubElement = etree.SubElement


def _parse(xml: bytes, what: str) -> etree._Element:
    try:
        return parse(xml)
    except UnsafeXml as error:
        raise ValueError(f"the {what}: {error}") from error


def _child_text(node: etree._Element, path: str, what: str) -> str:
    found = node.find(path)
    if found is None or not (found.text or "").strip():
        raise ValueError(f"the {what} has no {path.split('}')[-1]}")
    return found.text.strip()


def _text(parent: etree._Element, tag: str, value: str, **attrib: str) -> etree._Element:
    element = _SubElement(parent, tag, attrib)
    element.text = value
    return element


def _parties(document: etree._Element) -> tuple[etree._Element, etree._Element]:
    """(sender, receiver) PartyTaxScheme: the issuer is the customer party on a DS (§3.9)."""
    type_code = document.findtext(f"{CBC}InvoiceTypeCode") or document.findtext(
        f"{CBC}CreditNoteTypeCode"
    )
    roles = ["AccountingSupplierParty", "AccountingCustomerParty"]
    if (type_code or "").strip() in _SUPPORT_TYPES:
        roles.reverse()
    found = []
    for role in roles:
        scheme = document.find(f"{CAC}{role}/{CAC}Party/{CAC}PartyTaxScheme")
        if scheme is None:
            raise ValueError(f"the document has no {role}/Party/PartyTaxScheme")
        found.append(scheme)
    return found[0], found[1]


def _party(parent: etree._Element, tag: str, scheme: etree._Element) -> None:
    _SubElement(parent, CAC + tag).append(copy.deepcopy(scheme))


def _attachment(parent: etree._Element, xml: bytes) -> None:
    reference = _SubElement(_SubElement(parent, CAC + "Attachment"), CAC + "ExternalReference")
    _text(reference, CBC + "MimeCode", "text/xml")
    _text(reference, CBC + "EncodingCode", "UTF-8")
    _SubElement(reference, CBC + "Description").text = etree.CDATA(xml.decode("utf-8"))


def _verdict(parent: etree._Element, document: etree._Element, response_xml: bytes) -> None:
    response = _parse(response_xml, "ApplicationResponse")
    if etree.QName(response).localname != "ApplicationResponse":
        raise ValueError("the DIAN verdict must be an ApplicationResponse")
    code = _child_text(
        response, f"{CAC}DocumentResponse/{CAC}Response/{CBC}ResponseCode", "ApplicationResponse"
    )
    line = _SubElement(parent, CAC + "ParentDocumentLineReference")
    _text(line, CBC + "LineID", "1")
    reference = _SubElement(line, CAC + "DocumentReference")
    _text(reference, CBC + "ID", _child_text(document, f"{CBC}ID", "document"))
    uuid = document.find(f"{CBC}UUID")
    assert uuid is not None  # checked by the caller
    _text(reference, CBC + "UUID", uuid.text or "", schemeName=uuid.get("schemeName", ""))
    issue_date = _child_text(response, f"{CBC}IssueDate", "ApplicationResponse")
    _text(reference, CBC + "IssueDate", issue_date)
    _text(reference, CBC + "DocumentType", "ApplicationResponse")
    _attachment(reference, response_xml)
    result = _SubElement(reference, CAC + "ResultOfVerification")
    _text(result, CBC + "ValidatorID", _DIAN)
    _text(result, CBC + "ValidationResultCode", code)
    _text(result, CBC + "ValidationDate", issue_date)
    _text(
        result,
        CBC + "ValidationTime",
        _child_text(response, f"{CBC}IssueTime", "ApplicationResponse"),
    )


def build_attached_document(
    signed_xml: bytes,
    application_response_xml: bytes | None,
    *,
    issued_at: datetime | None = None,
    signer: DocumentSigner | None = None,
) -> bytes:
    """The AttachedDocument for the buyer: the signed document plus DIAN's verdict, if any.

    `issued_at` is the container's own moment (default: the document's issue date and time);
    with `signer` the container is signed with the issuer's XAdES profile.
    """
    document = _parse(signed_xml, "signed document")
    uuid = document.find(f"{CBC}UUID")
    if uuid is None or not (uuid.text or "").strip():
        raise ValueError("the signed document has no UUID (CUFE/CUDE/CUDS)")
    number = _child_text(document, f"{CBC}ID", "document")
    if issued_at is None:
        moment = (
            _child_text(document, f"{CBC}IssueDate", "document")
            + "T"
            + _child_text(document, f"{CBC}IssueTime", "document")
        )
        issued_at = datetime.fromisoformat(moment)
    local = issued_at.astimezone(COLOMBIA_TIME)

    root = etree.Element(f"{{{NSMAPS[_ROOT][None]}}}{_ROOT}", nsmap=NSMAPS[_ROOT])
    root.set(XSI + "schemaLocation", SCHEMA_LOCATIONS[_ROOT])
    if signer is not None:
        slot = _SubElement(_SubElement(root, EXT + "UBLExtensions"), EXT + "UBLExtension")
        _SubElement(slot, EXT + "ExtensionContent")
    _text(root, CBC + "UBLVersionID", "UBL 2.1")
    _text(root, CBC + "CustomizationID", "Documentos adjuntos")
    _text(root, CBC + "ProfileID", "DIAN 2.1")
    _text(
        root,
        CBC + "ProfileExecutionID",
        _child_text(document, f"{CBC}ProfileExecutionID", "document"),
    )
    _text(root, CBC + "ID", number)
    _text(root, CBC + "UUID", uuid.text.strip(), schemeName=uuid.get("schemeName", ""))
    _text(root, CBC + "IssueDate", local.date().isoformat())
    _text(root, CBC + "IssueTime", f"{local:%H:%M:%S}-05:00")
    _text(root, CBC + "DocumentType", "Contenedor de Factura Electrónica")
    _text(root, CBC + "ParentDocumentID", number)
    sender, receiver = _parties(document)
    _party(root, "SenderParty", sender)
    _party(root, "ReceiverParty", receiver)
    _attachment(root, signed_xml)
    if application_response_xml is not None:
        _verdict(root, document, application_response_xml)

    xml = XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    if signer is None:
        return xml
    return signer.sign(xml, local).signed_xml
