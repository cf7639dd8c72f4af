"""The AttachedDocument container for the buyer (dian-colombia.md §6.6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import etree

from services.countries.co import schemas
from services.countries.co.attached_document import build_attached_document
from services.countries.co.namespaces import PREFIXES as NS
from tests.unit.test_co_documents import (
    ISSUED_AT,
    build,
    demo_request,
    parse,
    signer,
    text,
    xmlsec_verify,
)

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"


def application_response(number: str, key: str) -> bytes:
    """A DIAN ApplicationResponse ("02 Documento validado por la DIAN") for `number`."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
 xmlns:cac="{CAC}" xmlns:cbc="{CBC}">
<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID><cbc:CustomizationID>1</cbc:CustomizationID>
<cbc:ProfileID>DIAN 2.1</cbc:ProfileID><cbc:ProfileExecutionID>2</cbc:ProfileExecutionID>
<cbc:ID>88772</cbc:ID><cbc:UUID schemeName="CUDE-SHA384">{"0" * 96}</cbc:UUID>
<cbc:IssueDate>2026-05-04</cbc:IssueDate><cbc:IssueTime>10:31:02-05:00</cbc:IssueTime>
<cac:SenderParty><cac:PartyTaxScheme><cbc:RegistrationName>DIAN</cbc:RegistrationName>
<cbc:CompanyID schemeID="4" schemeName="31">800197268</cbc:CompanyID>
<cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme>
</cac:SenderParty><cac:ReceiverParty><cac:PartyTaxScheme>
<cbc:RegistrationName>Comercializadora</cbc:RegistrationName>
<cbc:CompanyID schemeID="4" schemeName="31">900373076</cbc:CompanyID>
<cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme>
</cac:ReceiverParty><cac:DocumentResponse><cac:Response><cbc:ResponseCode>02</cbc:ResponseCode>
<cbc:Description>Documento validado por la DIAN</cbc:Description></cac:Response>
<cac:DocumentReference><cbc:ID>{number}</cbc:ID>
<cbc:UUID schemeName="CUFE-SHA384">{key}</cbc:UUID></cac:DocumentReference>
</cac:DocumentResponse></ApplicationResponse>""".encode()


@pytest.fixture(scope="module")
def signed_invoice():
    draft = build(demo_request("01"))
    return draft, signer().sign(draft.unsigned_xml, draft.issued_at).signed_xml


def test_the_response_fixture_is_valid_ubl():
    assert schemas.validate(application_response("X1", "a" * 96)) == []


def test_the_container_carries_both_documents_and_is_valid(signed_invoice):
    draft, signed = signed_invoice
    response = application_response(draft.number, draft.document_key)
    container = build_attached_document(signed, response)
    assert schemas.validate(container) == []
    root = parse(container)
    assert etree.QName(root).localname == "AttachedDocument"
    assert text(root, "cbc:ID") == draft.number == text(root, "cbc:ParentDocumentID")
    assert text(root, "cbc:UUID") == draft.document_key
    assert text(root, "cbc:DocumentType") == "Contenedor de Factura Electrónica"
    assert text(root, "cbc:CustomizationID") == "Documentos adjuntos"
    assert text(root, "cbc:ProfileExecutionID") == "2"
    assert b"<![CDATA[<?xml" in container  # the documents travel as written, in CDATA
    inner = text(root, "cac:Attachment/cac:ExternalReference/cbc:Description")
    assert inner.encode() == signed
    xmlsec_verify(inner.encode())  # the invoice's own signature survives the trip
    line = root.find("cac:ParentDocumentLineReference", NS)
    assert text(line, "cac:DocumentReference/cbc:DocumentType") == "ApplicationResponse"
    result = line.find("cac:DocumentReference/cac:ResultOfVerification", NS)
    assert text(result, "cbc:ValidationResultCode") == "02"
    assert (text(result, "cbc:ValidationDate"), text(result, "cbc:ValidationTime")) == (
        "2026-05-04",
        "10:31:02-05:00",
    )
    attached = text(
        line, "cac:DocumentReference/cac:Attachment/cac:ExternalReference/cbc:Description"
    )
    assert attached.encode() == response
    sender = text(root, "cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID")
    receiver = text(root, "cac:ReceiverParty/cac:PartyTaxScheme/cbc:CompanyID")
    assert (sender, receiver) == ("900373076", draft.customer_id)


def test_a_signed_container_verifies_and_keeps_its_cdata(signed_invoice):
    draft, signed = signed_invoice
    moment = ISSUED_AT + timedelta(minutes=5)
    container = build_attached_document(
        signed,
        application_response(draft.number, draft.document_key),
        issued_at=moment,
        signer=signer(),
    )
    assert schemas.validate(container) == []
    xmlsec_verify(container)
    root = parse(container)
    assert text(root, "cbc:IssueTime") == "10:35:15-05:00"
    assert b"<![CDATA[" in container
    assert root.find(".//ds:Signature/ds:Object//xades:SigningTime", NS) is not None


def test_a_contingency_invoice_travels_without_a_verdict(signed_invoice):
    _, signed = signed_invoice
    container = build_attached_document(signed, None)
    assert schemas.validate(container) == []
    assert parse(container).find("cac:ParentDocumentLineReference", NS) is None


def test_a_documento_soporte_is_sent_by_its_buyer():
    draft = build(demo_request("05"))
    container = parse(build_attached_document(draft.unsigned_xml, None))
    assert text(container, "cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID") == "900373076"
    assert text(container, "cbc:UUID/@schemeName") == "CUDS-SHA384"


def test_hostile_or_wrong_inputs_are_refused(signed_invoice):
    _, signed = signed_invoice
    with pytest.raises(ValueError, match="DOCTYPE is not allowed"):
        build_attached_document(b'<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', None)
    with pytest.raises(ValueError, match="not well-formed"):
        build_attached_document(signed, b"<ApplicationResponse")
    with pytest.raises(ValueError, match="must be an ApplicationResponse"):
        build_attached_document(signed, signed)
    with pytest.raises(ValueError, match="UUID"):
        build_attached_document(b"<Invoice/>", None)
