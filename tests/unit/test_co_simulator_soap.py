"""The simulator's SOAP 1.2 layer: reading calls, writing DianResponses and faults."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from services.countries.co.simulator import results, soap
from services.countries.co.simulator.responses import DianAnswer

ACTION = "http://wcf.dian.colombia/IWcfDianCustomerServices/SendBillSync"
CONTENT_TYPE = f'application/soap+xml; charset=utf-8; action="{ACTION}"'
NS = {
    "s": soap.SOAP,
    "a": soap.WSA,
    "w": soap.WCF,
    "b": soap.DIAN_RESPONSE,
    "c": soap.ARRAYS,
    "i": soap.XSI,
}


def envelope(body: str, header: str = "", namespace: str = soap.SOAP) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{namespace}" xmlns:a="{soap.WSA}"><s:Header>{header}</s:Header>'
        f"<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


SEND = (
    f'<SendBillSync xmlns="{soap.WCF}"><fileName>z.zip</fileName>'
    "<contentFile>UEsF</contentFile></SendBillSync>"
)


def test_the_action_comes_from_the_content_type() -> None:
    call = soap.parse_request(envelope(SEND), CONTENT_TYPE)
    assert call.operation == "SendBillSync"
    assert call.text("fileName") == "z.zip"
    assert call.binary("contentFile") == base64.b64decode("UEsF")


def test_the_action_can_come_from_wsa_action() -> None:
    header = f"<a:Action>{ACTION}</a:Action><a:MessageID>urn:uuid:1</a:MessageID>"
    call = soap.parse_request(envelope(SEND, header), "application/soap+xml; charset=utf-8")
    assert (call.operation, call.message_id) == ("SendBillSync", "urn:uuid:1")


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (envelope(SEND), "application/soap+xml; charset=utf-8", "a:ActionNotSupported"),
        (envelope(SEND), "text/xml; charset=utf-8", ""),
        (envelope(SEND, namespace="http://schemas.xmlsoap.org/soap/envelope/"), CONTENT_TYPE, ""),
        (envelope(f'<GetStatus xmlns="{soap.WCF}"/>'), CONTENT_TYPE, "a:ActionNotSupported"),
        (
            envelope(SEND, f"<a:Action>{ACTION}X</a:Action>"),
            CONTENT_TYPE,
            "",
        ),
        (b"<!DOCTYPE s [<!ENTITY x 'y'>]>" + envelope(SEND), CONTENT_TYPE, ""),
        (b"not xml", CONTENT_TYPE, ""),
    ],
    ids=[
        "no-action",
        "soap11-content-type",
        "soap11-envelope",
        "action-body-mismatch",
        "two-different-actions",
        "doctype",
        "not-xml",
    ],
)
def test_malformed_requests_are_sender_faults(body: bytes, content_type: str, code: str) -> None:
    with pytest.raises(soap.SoapFault) as fault:
        soap.parse_request(body, content_type)
    assert fault.value.http_status == 400
    assert fault.value.subcode == code


def test_a_content_file_that_is_not_base64_is_a_fault() -> None:
    body = envelope(
        f'<SendBillSync xmlns="{soap.WCF}"><contentFile>***</contentFile></SendBillSync>'
    )
    with pytest.raises(soap.SoapFault):
        soap.parse_request(body, CONTENT_TYPE).binary("contentFile")


def test_dian_response_is_written_like_dians() -> None:
    answer = DianAnswer(
        True,
        "00",
        "Procesado Correctamente.",
        "La Factura electrónica SETP-990000001, ha sido autorizada.",
        ("Regla: FAB10b, Notificación: El prefijo debe corresponder.",),
        b"<ApplicationResponse/>",
        "ab" * 48,
        "fv09003730760002600000001",
    )
    result = results.dian_response("SendBillSyncResult", answer)
    document = etree.fromstring(soap.respond("SendBillSync", result, "urn:uuid:7"))
    header_action = document.findtext("s:Header/a:Action", namespaces=NS)
    assert header_action == f"{ACTION}Response"
    assert document.findtext("s:Header/a:RelatesTo", namespaces=NS) == "urn:uuid:7"
    node = document.find("s:Body/w:SendBillSyncResponse/w:SendBillSyncResult", NS)
    names = [etree.QName(child).localname for child in node]
    assert names == [
        "ErrorMessage",
        "IsValid",
        "StatusCode",
        "StatusDescription",
        "StatusMessage",
        "XmlBase64Bytes",
        "XmlBytes",
        "XmlDocumentKey",
        "XmlFileName",
    ]
    assert node.findtext("b:ErrorMessage/c:string", namespaces=NS).startswith("Regla: FAB10b")
    assert node.findtext("b:IsValid", namespaces=NS) == "true"
    assert base64.b64decode(node.findtext("b:XmlBase64Bytes", namespaces=NS)) == (
        b"<ApplicationResponse/>"
    )
    assert node.find("b:XmlBytes", NS).get(f"{{{soap.XSI}}}nil") == "true"


def test_missing_values_are_nil() -> None:
    node = results.dian_response("GetStatusResult", DianAnswer(False, "66", "TrackId no existe."))
    for name in ("XmlBase64Bytes", "XmlDocumentKey", "XmlFileName"):
        assert node.find(f"b:{name}", NS).get(f"{{{soap.XSI}}}nil") == "true"


def test_a_fault_is_a_soap12_fault() -> None:
    problem = soap.SoapFault("No disponible.", code="s:Receiver")
    assert problem.http_status == 500
    document = etree.fromstring(soap.fault(problem))
    fault = document.find("s:Body/s:Fault", NS)
    assert fault.findtext("s:Code/s:Value", namespaces=NS) == "s:Receiver"
    assert fault.findtext("s:Reason/s:Text", namespaces=NS) == "No disponible."
