"""The QR code of a DIAN document's graphic representation (dian-colombia.md §9).

The XML's sts:QRCode holds DIAN's look-up URL for the document key; the printed QR encodes
newline-separated `key: value` lines read from the document itself (Anexo 1.9 §11.7, DS annex
§12.2): for an invoice NumFac, FecFac, HorFac, NitFac, DocAdq, ValFac, ValIva, ValOtroIm,
ValTolFac, CUFE, QRCode; for a documento soporte NumDS, FecDS, HorDS, NumSNO, DocABS, ValDS,
ValIva, ValTolDS, CUDS, QRCode. DIAN defines no layout for notes; they get the invoice layout
with their key named after its scheme (CUDE).
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from services.core.decimals import fixed
from services.core.untrusted_xml import parse
from services.countries.co import codes

_CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
_CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
_SUPPORT_TYPES = ("05", "95")


def qr_url(environment: str, document_key: str) -> str:
    """DIAN's look-up URL of a document key (habilitación or production catalogue)."""
    return codes.qr_url(environment, document_key)


def _text(root: etree._Element, path: str) -> str:
    node = root.find(path)
    return (node.text or "").strip() if node is not None else ""


def _company_id(root: etree._Element, role: str) -> str:
    return _text(root, f"{_CAC}{role}/{_CAC}Party/{_CAC}PartyTaxScheme/{_CBC}CompanyID")


def _taxes(root: etree._Element) -> tuple[str, str]:
    """(IVA, every other tax) of the header TaxTotal groups, two decimals each."""
    iva = other = Decimal(0)
    for total in root.findall(f"{_CAC}TaxTotal"):
        scheme = _text(total, f"{_CAC}TaxSubtotal/{_CAC}TaxCategory/{_CAC}TaxScheme/{_CBC}ID")
        amount = Decimal(_text(total, f"{_CBC}TaxAmount") or "0")
        if scheme == codes.IVA:
            iva += amount
        else:
            other += amount
    return fixed(iva, 2), fixed(other, 2)


def _root(document: etree._Element | bytes) -> etree._Element:
    if not isinstance(document, bytes):
        return document
    return parse(document)  # UnsafeXml is a ValueError


def qr_text(document: etree._Element | bytes) -> str:
    """The `key: value` lines the printed QR code of a DIAN document encodes."""
    root = _root(document)
    totals = root.find(f"{_CAC}LegalMonetaryTotal")
    if totals is None:
        totals = root.find(f"{_CAC}RequestedMonetaryTotal")
    if totals is None:
        raise ValueError("not a DIAN invoice, note or documento soporte: no monetary total")
    type_code = _text(root, f"{_CBC}InvoiceTypeCode") or _text(root, f"{_CBC}CreditNoteTypeCode")
    uuid = root.find(f"{_CBC}UUID")
    key = (uuid.text or "").strip() if uuid is not None else ""
    environment = _text(root, f"{_CBC}ProfileExecutionID")
    line_extension = _text(totals, f"{_CBC}LineExtensionAmount")
    payable = _text(totals, f"{_CBC}PayableAmount")
    iva, other = _taxes(root)
    supplier = _company_id(root, "AccountingSupplierParty")
    customer = _company_id(root, "AccountingCustomerParty")
    if type_code in _SUPPORT_TYPES:
        pairs = [
            ("NumDS", _text(root, f"{_CBC}ID")),
            ("FecDS", _text(root, f"{_CBC}IssueDate")),
            ("HorDS", _text(root, f"{_CBC}IssueTime")),
            ("NumSNO", supplier),
            ("DocABS", customer),
            ("ValDS", line_extension),
            ("ValIva", iva),
            ("ValTolDS", payable),
            ("CUDS", key),
        ]
    else:
        scheme = (uuid.get("schemeName") or "CUFE-SHA384") if uuid is not None else "CUFE"
        pairs = [
            ("NumFac", _text(root, f"{_CBC}ID")),
            ("FecFac", _text(root, f"{_CBC}IssueDate")),
            ("HorFac", _text(root, f"{_CBC}IssueTime")),
            ("NitFac", supplier),
            ("DocAdq", customer),
            ("ValFac", line_extension),
            ("ValIva", iva),
            ("ValOtroIm", other),
            ("ValTolFac", payable),
            (scheme.split("-")[0], key),
        ]
    pairs.append(("QRCode", qr_url(environment, key)))
    return "\n".join(f"{name}: {value}" for name, value in pairs)
