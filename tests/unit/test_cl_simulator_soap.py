"""The simulator's rpc/encoded SOAP: reading calls, writing answers, faults and WSDLs."""

from __future__ import annotations

import pytest
from lxml import etree

from services.countries.cl.client.wire import returned_xml, rpc_envelope
from services.countries.cl.simulator import answers, soap


def test_a_call_written_by_the_client_is_read_by_name() -> None:
    call = soap.parse_call(
        rpc_envelope("getEstUp", [("RutCompania", "76192083"), ("TrackId", "9")])
    )
    assert call == soap.Call("getEstUp", {"RutCompania": "76192083", "TrackId": "9"})


@pytest.mark.parametrize(
    "body",
    [
        b"not xml",
        b'<!DOCTYPE e [<!ENTITY x "y">]><e/>',
        b"<Envelope/>",
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
    ],
)
def test_malformed_calls_are_faults(body: bytes) -> None:
    with pytest.raises(soap.SoapFault):
        soap.parse_call(body)


def test_an_answer_returns_the_sii_xml_as_a_string() -> None:
    envelope = soap.respond("getSeed", answers.seed("000000000078"))
    returned = etree.fromstring(envelope).find(".//{http://DefaultNamespace}getSeedReturn")
    assert returned.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "xsd:string"
    inner = returned_xml(envelope, "getSeed")
    assert inner.findtext(".//SEMILLA") == "000000000078"
    assert inner.findtext(".//ESTADO") == "00"


def test_a_fault_is_soap_1_1() -> None:
    root = etree.fromstring(soap.fault(soap.SoapFault("no")))
    assert root.findtext(".//faultstring") == "no"
    assert root.findtext(".//faultcode") == "soapenv:Client"


def test_the_wsdl_is_served_with_the_simulators_address() -> None:
    text = soap.wsdl("QueryEstDte", "http://127.0.0.1:9")
    root = etree.fromstring(text.encode())
    address = root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == "http://127.0.0.1:9/DTEWS/QueryEstDte.jws"
    parts = [p.get("name") for p in root.iterfind(".//{http://schemas.xmlsoap.org/wsdl/}part")]
    assert parts[:3] == ["RutConsultante", "DvConsultante", "RutCompania"]
    assert parts[-1] == "getEstDteReturn"
