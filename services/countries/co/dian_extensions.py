"""The ext:UBLExtensions of a DIAN document: sts:DianExtensions and the empty signature slot.

Content and order per DIAN_UBL_Structures.xsd and dian-colombia.md §3.2: InvoiceControl (the
resolution; not on notes), InvoiceSource, SoftwareProvider, SoftwareSecurityCode,
AuthorizationProvider, QRCode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from services.countries.co import codes, cufe
from services.countries.co.fragments import FragmentCache, holder
from services.countries.co.namespaces import CBC, EXT, STS
from services.countries.pack import IssuerProfile, NumberingSlot

_SubElement = etree.SubElement
_COUNTRY_CODES = "urn:oasis:names:specification:ubl:codelist:gc:CountryIdentificationCode-2.1"
_DIAN_AGENCY = {"schemeAgencyID": codes.DIAN_AGENCY_ID, "schemeAgencyName": codes.DIAN_AGENCY_NAME}


def _text(
    parent: etree._Element, tag: str, text: str, attrib: dict[str, str] | None = None
) -> None:
    _SubElement(parent, tag, attrib).text = text


@dataclass(frozen=True)
class _Registration:
    """What DianExtensions says about the resolution and the software: fixed per range."""

    authorization: str
    prefix: str
    range_from: int
    range_to: int
    valid_from: date
    valid_to: date
    provider_nit: str
    provider_digit: str
    software_id: str
    invoice_control: bool = True


def _build_extensions(reg: _Registration) -> etree._Element:
    # Exactly one extension holds sts:DianExtensions (FAB03); the last one is left empty for
    # the signature (policy §8: the signature goes in the last UBLExtension).
    extensions = _SubElement(holder(), EXT + "UBLExtensions")
    content = _SubElement(_SubElement(extensions, EXT + "UBLExtension"), EXT + "ExtensionContent")
    dian = _SubElement(content, STS + "DianExtensions")

    if reg.invoice_control:
        control = _SubElement(dian, STS + "InvoiceControl")
        _text(control, STS + "InvoiceAuthorization", reg.authorization)
        period = _SubElement(control, STS + "AuthorizationPeriod")
        _text(period, CBC + "StartDate", reg.valid_from.isoformat())
        _text(period, CBC + "EndDate", reg.valid_to.isoformat())
        authorized = _SubElement(control, STS + "AuthorizedInvoices")
        if reg.prefix:
            _text(authorized, STS + "Prefix", reg.prefix)
        _text(authorized, STS + "From", str(reg.range_from))
        _text(authorized, STS + "To", str(reg.range_to))

    source = _SubElement(dian, STS + "InvoiceSource")
    _text(
        source,
        CBC + "IdentificationCode",
        codes.COLOMBIA,
        {
            "listAgencyID": "6",
            "listAgencyName": "United Nations Economic Commission for Europe",
            "listSchemeURI": _COUNTRY_CODES,
        },
    )
    provider = _SubElement(dian, STS + "SoftwareProvider")
    _text(
        provider,
        STS + "ProviderID",
        reg.provider_nit,
        {**_DIAN_AGENCY, "schemeID": reg.provider_digit, "schemeName": codes.NIT},
    )
    _text(provider, STS + "SoftwareID", reg.software_id, _DIAN_AGENCY)
    _text(dian, STS + "SoftwareSecurityCode", "", _DIAN_AGENCY)  # per document: _SECURITY_CODE
    authority = _SubElement(dian, STS + "AuthorizationProvider")
    _text(
        authority,
        STS + "AuthorizationProviderID",
        codes.DIAN_NIT,
        {**_DIAN_AGENCY, "schemeID": codes.DIAN_CHECK_DIGIT, "schemeName": codes.NIT},
    )
    _text(dian, STS + "QRCode", "")  # per document: _QR_CODE
    _SubElement(_SubElement(extensions, EXT + "UBLExtension"), EXT + "ExtensionContent")
    return extensions


_EXTENSIONS = FragmentCache(_build_extensions, limit=256)


def extensions(
    issuer: IssuerProfile,
    slot: NumberingSlot,
    number: str,
    key: str,
    *,
    invoice_control: bool = True,
    software: tuple[str, str] | None = None,
) -> etree._Element:
    """ext:UBLExtensions: DIAN's extension and the empty slot for the signature.

    `software` is the (SoftwareID, PIN) that made the document (default: the issuer's invoicing
    software); `invoice_control` is False for notes, which cite no numbering resolution.
    """
    software_id, pin = software or (issuer.software_id, issuer.software_pin)
    registration = _Registration(
        authorization=slot.authorization,
        prefix=slot.prefix,
        range_from=slot.range_from,
        range_to=slot.range_to,
        valid_from=slot.valid_from,
        valid_to=slot.valid_to,
        # Software propio unless a technology provider was registered.
        provider_nit=issuer.provider_tax_id or issuer.party.tax_id,
        provider_digit=issuer.provider_check_digit or issuer.party.check_digit,
        software_id=software_id,
        invoice_control=invoice_control,
    )
    element = _EXTENSIONS.copy(registration)
    dian = element[0][0][0]
    # Positions in sts:DianExtensions (XSD order) of the per-document values, counted from the
    # end because InvoiceControl may be absent.
    dian[-3].text = cufe.software_security_code(software_id, pin, number)
    dian[-1].text = codes.qr_url(issuer.environment, key)
    return element


def dian_extensions(
    root: etree._Element, issuer: IssuerProfile, slot: NumberingSlot, number: str, key: str
) -> None:
    """Append ext:UBLExtensions of an invoice (with InvoiceControl) to `root`."""
    root.append(extensions(issuer, slot, number, key))
