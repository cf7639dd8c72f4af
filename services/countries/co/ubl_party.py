"""The UBL 2.1 party groups of a DIAN document: AccountingSupplierParty, AccountingCustomerParty.

Element order follows the OASIS UBL 2.1 CommonAggregateComponents sequences (PartyType,
PartyTaxSchemeType, PartyLegalEntityType, AddressType, ContactType); DIAN's content per
dian-colombia.md §3.4. The registered issuer is the supplier of an invoice or note and the
customer of a documento soporte (§3.9); the other party takes the other role.
"""

from __future__ import annotations

from lxml import etree

from services.countries.co import codes
from services.countries.co.country_names import COUNTRY_NAMES
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
    # Colombian addresses always have every part (DANE codes); one abroad may lack some.
    node = _SubElement(parent, tag)
    if address.city_code:
        _text(node, CBC + "ID", address.city_code)
    _text(node, CBC + "CityName", address.city_name)
    if address.postal_zone:
        _text(node, CBC + "PostalZone", address.postal_zone)
    if address.subdivision_name:
        _text(node, CBC + "CountrySubentity", address.subdivision_name)
    if address.subdivision_code:
        _text(node, CBC + "CountrySubentityCode", address.subdivision_code)
    _text(_SubElement(node, CAC + "AddressLine"), CBC + "Line", address.line)
    country = _SubElement(node, CAC + "Country")
    _text(country, CBC + "IdentificationCode", address.country)
    _text(country, CBC + "Name", COUNTRY_NAMES[address.country], languageID="es")


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


def _identification(parent: etree._Element, party: Party) -> None:
    # PartyIdentification is mandatory for natural persons (FAK61/FAK62) and harmless otherwise.
    attrib = {"schemeName": party.id_type}
    if party.id_type == codes.NIT:
        attrib["schemeID"] = party.check_digit
    _text(_SubElement(parent, CAC + "PartyIdentification"), CBC + "ID", party.tax_id, **attrib)


def _build_issuer(key: tuple[IssuerProfile, str, str]) -> etree._Element:
    issuer, prefix, role = key
    party = issuer.party
    group = _SubElement(holder(), CAC + role)
    _text(group, CBC + "AdditionalAccountID", party.person_type)
    node = _SubElement(group, CAC + "Party")
    if issuer.industry_code:
        _text(node, CBC + "IndustryClassificationCode", issuer.industry_code)
    if role == CUSTOMER:
        _identification(node, party)
    _text(_SubElement(node, CAC + "PartyName"), CBC + "Name", party.trade_name or party.name)
    if party.address is not None:
        _address(_SubElement(node, CAC + "PhysicalLocation"), CAC + "Address", party.address)
    _tax_scheme(node, party)
    legal = _SubElement(node, CAC + "PartyLegalEntity")
    _text(legal, CBC + "RegistrationName", party.name)
    _company_id(legal, CBC + "CompanyID", party)
    # FAB10a: the scheme ID must equal the document prefix (DIAN's "código de sucursal").
    scheme = _SubElement(legal, CAC + "CorporateRegistrationScheme")
    _text(scheme, CBC + "ID", prefix)
    if issuer.commercial_registration:
        _text(scheme, CBC + "Name", issuer.commercial_registration)
    _contact(node, party)
    return group


SUPPLIER = "AccountingSupplierParty"
CUSTOMER = "AccountingCustomerParty"
_ISSUERS = FragmentCache(_build_issuer, limit=256)


def issuer_party(issuer: IssuerProfile, prefix: str, role: str = SUPPLIER) -> etree._Element:
    """The registered issuer in `role` (supplier; customer on a DS); the prefix names its branch."""
    return _ISSUERS.copy((issuer, prefix, role))


def supplier_party(root: etree._Element, issuer: IssuerProfile, prefix: str) -> None:
    """Append the issuer as AccountingSupplierParty (an invoice or note)."""
    root.append(issuer_party(issuer, prefix))


def _build_other(key: tuple[Party, str]) -> etree._Element:
    party, role = key
    group = _SubElement(holder(), CAC + role)
    _text(group, CBC + "AdditionalAccountID", party.person_type)
    node = _SubElement(group, CAC + "Party")
    _identification(node, party)
    _text(_SubElement(node, CAC + "PartyName"), CBC + "Name", party.trade_name or party.name)
    if party.address is not None:
        _address(_SubElement(node, CAC + "PhysicalLocation"), CAC + "Address", party.address)
    _tax_scheme(node, party)
    if party.tax_id != codes.FINAL_CONSUMER_ID:
        legal = _SubElement(node, CAC + "PartyLegalEntity")
        _text(legal, CBC + "RegistrationName", party.name)
        _company_id(legal, CBC + "CompanyID", party)
    _contact(node, party)
    return group


# Issuers deal with the same customers and sellers again and again.
_OTHERS = FragmentCache(_build_other, limit=1024)


def other_party(party: Party, role: str = CUSTOMER) -> etree._Element:
    """The other party in `role`: the buyer, or a DS seller (AccountingSupplierParty)."""
    return _OTHERS.copy((party, role))


def customer_party(root: etree._Element, party: Party) -> None:
    """Append AccountingCustomerParty; the anonymous final consumer gets no legal-entity group."""
    root.append(other_party(party))
