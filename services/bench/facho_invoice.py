"""A timbra invoice request as facho builds and signs it: the request's parties, lines, prices,
taxes, payment and moment put into facho's own model (`facho.fe.form`), written as facho's DIAN
XML (`DIANInvoiceXML`) with its DIAN extensions, signed by facho's `DianXMLExtensionSigner`.

Only facho's public API is called; nothing of facho is reimplemented here. The requests given
must be ones facho 0.2.1's model can hold (`baseline.facho_can_hold` picks them): IVA only, no
discounts, charges or advances, a customer with an address and a tax scheme in facho's code
lists. facho's model has no free-text notes nor order reference, so those are left out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from services.bench.facho_loader import Facho
from services.countries.co import codes, habilitacion, nit
from timbra.v1 import document_pb2, issuing_pb2

# facho accepts an issue moment only with this zone name ("UTC-05:00"), not America/Bogota.
_FACHO_ZONE = timezone(timedelta(hours=-5))
_LEGAL, _NATURAL = "1", "2"  # DIAN TipoOrganizacion
# DIAN's TaxLevelCode list name: 48 responsible for IVA, 49 not responsible.
_IVA_RESPONSIBLE, _NOT_IVA_RESPONSIBLE = "48", "49"
_COMMERCIAL_PRICE = "01"  # CodigoPrecioReferencia: valor comercial
_UNSPSC = "001"


def _party(facho: Facho, party: document_pb2.Party) -> Any:
    form = facho.form
    address = party.address
    digit = party.check_digit or (
        nit.check_digit(party.tax_id) if party.id_type == codes.NIT else ""
    )
    organization = _NATURAL if party.person_type == document_pb2.PERSON_TYPE_NATURAL else _LEGAL
    return form.Party(
        name=party.trade_name or party.name,
        legal_name=party.name,
        ident=form.PartyIdentification(party.tax_id, digit, party.id_type),
        responsability_code=form.Responsability(list(party.tax_responsibilities)),
        responsability_regime_code=(
            _IVA_RESPONSIBLE if party.tax_scheme == codes.IVA else _NOT_IVA_RESPONSIBLE
        ),
        organization_code=organization,
        tax_scheme=form.TaxScheme(party.tax_scheme),
        address=form.Address(
            name="",
            street=address.line,
            city=form.City(address.city_code),
            country=form.Country(address.country),
            countrysubentity=form.CountrySubentity(address.subdivision_code),
        ),
        email=party.email,
        phone=party.phone,
    )


def facho_supplier(facho: Facho, profile: issuing_pb2.IssuerProfile) -> Any:
    """The issuer as a facho Party (built once per issuer, as timbra parses its profile once)."""
    return _party(facho, profile.party)


def _line(facho: Facho, line: document_pb2.Line) -> Any:
    form = facho.form
    description = line.description
    item = (
        form.UNSPSCItem(line.standard_item_code, description)
        if line.standard_item_code and line.standard_item_scheme in ("", _UNSPSC)
        else form.StandardItem(line.item_code, description)
    )
    return form.InvoiceLine(
        # facho takes a quantity as a float or an int only.
        quantity=form.Quantity(float(Decimal(line.quantity)), line.unit_code),
        description=description,
        item=item,
        price=form.Price(form.Amount(line.unit_price), _COMMERCIAL_PRICE, ""),
        tax=form.TaxTotal(
            subtotals=[
                form.TaxSubTotal(
                    percent=float(Decimal(tax.percent)), scheme=form.TaxScheme(tax.scheme)
                )
                for tax in line.taxes
            ]
        ),
    )


def facho_invoice(
    facho: Facho,
    request: document_pb2.Document,
    supplier: Any,
    number: int,
    issued_at: datetime,
) -> Any:
    """The request as a facho NationalSalesInvoice, numbered in the habilitación range and
    totalled by facho."""
    form = facho.form
    moment = issued_at.astimezone(_FACHO_ZONE)
    invoice = form.NationalSalesInvoice()
    invoice.set_period(moment, moment)  # facho always writes an InvoicePeriod
    invoice.set_issue(moment)
    invoice.set_ident(f"{habilitacion.PREFIX}{number}")
    invoice.set_operation_type(request.co.operation_type)
    invoice.set_supplier(supplier)
    invoice.set_customer(_party(facho, request.customer))
    payment = request.payment
    due = date.fromisoformat(payment.due_date) if payment.due_date else moment.date()
    invoice.set_payment_mean(
        form.PaymentMean(payment.means, payment.method_code, due, payment.method_code)
    )
    for line in request.lines:
        invoice.add_invoice_line(_line(facho, line))
    invoice.calculate()
    return invoice


def facho_unsigned_xml(facho: Facho, invoice: Any, profile: issuing_pb2.IssuerProfile) -> bytes:
    """facho's DIAN XML of `invoice` with the DIAN extensions (CUFE with the habilitación
    technical key, software provider and security code, numbering authorization), unsigned."""
    fe = facho.fe
    issuer = profile.party.tax_id
    xml = facho.form_xml.DIANInvoiceXML(invoice)
    for extension in (
        fe.DianXMLExtensionCUFE(invoice, habilitacion.TECHNICAL_KEY, fe.AMBIENTE_PRUEBAS),
        fe.DianXMLExtensionSoftwareProvider(issuer, nit.check_digit(issuer), profile.software_id),
        fe.DianXMLExtensionSoftwareSecurityCode(
            profile.software_id, profile.software_pin, invoice.invoice_ident
        ),
        fe.DianXMLExtensionAuthorizationProvider(),
        fe.DianXMLExtensionInvoiceAuthorization(
            habilitacion.AUTHORIZATION,
            habilitacion.VALID_FROM,
            habilitacion.VALID_TO,
            habilitacion.PREFIX,
            habilitacion.RANGE_FROM,
            habilitacion.RANGE_TO,
        ),
    ):
        xml.add_extension(extension)
    return xml.tostring(xml_declaration=True, encoding="UTF-8").encode("utf-8")


def facho_signer(facho: Facho, pkcs12: bytes) -> Any:
    """facho's XAdES signer for a PKCS#12; always with DIAN's policy from facho's bundled copy
    (mockpolicy=True), so that it never fetches it over the network."""
    return facho.fe.DianXMLExtensionSigner.from_bytes(pkcs12, mockpolicy=True)


def facho_sign(signer: Any, unsigned_xml: bytes) -> bytes:
    """Sign facho's XML as facho's own DIANWriteSigned does, less the file it writes."""
    signed: str = signer.sign_xml_string(unsigned_xml)
    return signed.encode("utf-8")


def facho_signature_problems(
    facho: Facho, signed_xml: bytes, pkcs12: bytes, certificate_der: bytes
) -> list[str]:
    """Why `signed_xml` is not a valid signature: checked by facho's own verifier and, on
    its own, by libxmlsec1; empty when both accept it."""
    from services.core.signature_core import core_validation
    from services.core.untrusted_xml import parse

    problems = []
    verifier = facho.fe.DianXMLExtensionSignerVerifier(pkcs12, mockpolicy=True)
    if not verifier.verify_string(signed_xml):
        problems.append("facho's DianXMLExtensionSignerVerifier rejects it")
    root = parse(signed_xml)
    signatures = root.findall(".//{http://www.w3.org/2000/09/xmldsig#}Signature")
    if len(signatures) != 1:
        problems.append(f"{len(signatures)} ds:Signature elements instead of one")
    elif not core_validation(root, signatures[0], certificate_der, detailed=False).verified:
        problems.append("libxmlsec1 rejects the signature")
    return problems
