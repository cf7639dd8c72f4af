"""The UBL 2.1 party groups of a DIAN invoice: AccountingSupplierParty and AccountingCustomerParty.

Element order follows the OASIS UBL 2.1 CommonAggregateComponents sequences (PartyType,
PartyTaxSchemeType, PartyLegalEntityType, AddressType, ContactType); DIAN's content per
dian-colombia.md §3.4.
"""

from __future__ import annotations

from lxml import etree

from services.countries.co import codes
from services.countries.co.fragments import FragmentCache, holder
from services.countries.co.namespaces import CAC, CBC
from services.countries.pack import Address, IssuerProfile, Party

_SubElement = etree.SubElement


def _text(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = _SubElement(parent, tag, attrib)
    element.text = text
    return element


def _company_id(parent: etree._Element, tag: str, party: Party) -> None:
    """CompanyID: the id without DV; the DV travels in @schemeID when the id is a NIT."""
    attrib = {"schemeAgencyID": codes.DIAN_AGENCY_ID, "schemeAgencyName": codes.DIAN_AGENCY_NAME}
    if party.id_type == codes.NIT:
        attrib["schemeID"] = party.check_digit
    attrib["schemeName"] = party.id_type
    _text(parent, tag, party.tax_id, **attrib)


def _address(parent: etree._Element, tag: str, address: Address) -> None:
    node = _SubElement(parent, tag)
    _text(node, CBC + "ID", address.city_code)
    _text(node, CBC + "CityName", address.city_name)
    if address.postal_zone:
        _text(node, CBC + "PostalZone", address.postal_zone)
    _text(node, CBC + "CountrySubentity", address.subdivision_name)
    _text(node, CBC + "CountrySubentityCode", address.subdivision_code)
    _text(_SubElement(node, CAC + "AddressLine"), CBC + "Line", address.line)
    country = _SubElement(node, CAC + "Country")
    _text(country, CBC + "IdentificationCode", address.country)
    _text(country, CBC + "Name", codes.COLOMBIA_NAME, languageID="es")


def _tax_scheme(parent: etree._Element, party: Party) -> None:
    node = _SubElement(parent, CAC + "PartyTaxScheme")
    _text(node, CBC + "RegistrationName", party.name)
    _company_id(node, CBC + "CompanyID", party)
    _text(node, CBC + "TaxLevelCode", ";".join(party.tax_responsibilities))
    if party.address is not None:
        _address(node, CAC + "RegistrationAddress", party.address)
    scheme = _SubElement(node, CAC + "TaxScheme")
    _text(scheme, CBC + "ID", party.tax_scheme)
    _text(scheme, CBC + "Name", codes.PARTY_TAX_SCHEMES[party.tax_scheme])


def _contact(parent: etree._Element, party: Party) -> None:
    if not (party.phone or party.email):
        return
    node = _SubElement(parent, CAC + "Contact")
    if party.phone:
        _text(node, CBC + "Telephone", party.phone)
    if party.email:
        _text(node, CBC + "ElectronicMail", party.email)


def _build_supplier(key: tuple[IssuerProfile, str]) -> etree._Element:
    issuer, prefix = key
    party = issuer.party
    supplier = _SubElement(holder(), CAC + "AccountingSupplierParty")
    _text(supplier, CBC + "AdditionalAccountID", party.person_type)
    node = _SubElement(supplier, CAC + "Party")
    if issuer.industry_code:
        _text(node, CBC + "IndustryClassificationCode", issuer.industry_code)
    _text(_SubElement(node, CAC + "PartyName"), CBC + "Name", party.trade_name or party.name)
    if party.address is not None:
        _address(_SubElement(node, CAC + "PhysicalLocation"), CAC + "Address", party.address)
    _tax_scheme(node, party)
    legal = _SubElement(node, CAC + "PartyLegalEntity")
    _text(legal, CBC + "RegistrationName", party.name)
    _company_id(legal, CBC + "CompanyID", party)
    # FAB10a: the scheme ID must equal the invoice prefix (DIAN's "código de sucursal").
    scheme = _SubElement(legal, CAC + "CorporateRegistrationScheme")
    _text(scheme, CBC + "ID", prefix)
    if issuer.commercial_registration:
        _text(scheme, CBC + "Name", issuer.commercial_registration)
    _contact(node, party)
    return supplier


_SUPPLIERS = FragmentCache(_build_supplier, limit=256)


def supplier_party(root: etree._Element, issuer: IssuerProfile, prefix: str) -> None:
    """AccountingSupplierParty of the registered issuer; the range prefix names its branch."""
    root.append(_SUPPLIERS.copy((issuer, prefix)))


def _build_customer(party: Party) -> etree._Element:
    customer = _SubElement(holder(), CAC + "AccountingCustomerParty")
    _text(customer, CBC + "AdditionalAccountID", party.person_type)
    node = _SubElement(customer, CAC + "Party")
    # PartyIdentification is mandatory for natural persons (FAK61/FAK62) and harmless otherwise.
    ident_attrib = {"schemeName": party.id_type}
    if party.id_type == codes.NIT:
        ident_attrib["schemeID"] = party.check_digit
    _text(_SubElement(node, CAC + "PartyIdentification"), CBC + "ID", party.tax_id, **ident_attrib)
    _text(_SubElement(node, CAC + "PartyName"), CBC + "Name", party.trade_name or party.name)
    if party.address is not None:
        _address(_SubElement(node, CAC + "PhysicalLocation"), CAC + "Address", party.address)
    _tax_scheme(node, party)
    if party.tax_id != codes.FINAL_CONSUMER_ID:
        legal = _SubElement(node, CAC + "PartyLegalEntity")
        _text(legal, CBC + "RegistrationName", party.name)
        _company_id(legal, CBC + "CompanyID", party)
    _contact(node, party)
    return customer


# Issuers invoice the same customers again and again.
_CUSTOMERS = FragmentCache(_build_customer, limit=1024)


def customer_party(root: etree._Element, party: Party) -> None:
    """AccountingCustomerParty; the anonymous final consumer gets no legal-entity group."""
    root.append(_CUSTOMERS.copy(party))
