"""SOAP 1.1 rpc/encoded as the SII's Apache Axis `.jws` services speak it.

A call is `Envelope/Body/<operation>` with one child element per string parameter (matched by
name, as Axis does; `xsi:type` attributes are accepted and ignored). The answer wraps the
returned string in `<operation>Response/<operation>Return xsi:type="xsd:string"`, the XML the
SII returns escaped as text. Errors are SOAP 1.1 Faults (HTTP 500).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from lxml import etree

from services.core import untrusted_xml

ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"
ENCODING = "http://schemas.xmlsoap.org/soap/encoding/"
SERVICE_NS = "http://DefaultNamespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CONTENT_TYPE = "text/xml; charset=utf-8"
_WSDL_ADDRESS = "https://maullin.sii.cl/DTEWS/"


class SoapFault(Exception):
    """A request the service cannot take: answered with a SOAP Fault."""

    def __init__(self, message: str, code: str = "soapenv:Client") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Call:
    """One rpc call: the operation and its string parameters by name."""

    operation: str
    parameters: dict[str, str]


def parse_call(body: bytes) -> Call:
    """Read an rpc/encoded request envelope."""
    try:
        root = untrusted_xml.parse(body)
    except untrusted_xml.UnsafeXml as problem:
        raise SoapFault(f"Could not parse the request: {problem}") from None
    if root.tag != f"{{{ENVELOPE_NS}}}Envelope":
        raise SoapFault("The request is not a SOAP 1.1 Envelope")
    soap_body = root.find(f"{{{ENVELOPE_NS}}}Body")
    children = [] if soap_body is None else list(soap_body)
    operations = [child for child in children if isinstance(child.tag, str)]
    if len(operations) != 1:
        raise SoapFault("The SOAP Body must hold exactly one operation")
    operation = operations[0]
    parameters = {
        etree.QName(child).localname: child.text or ""
        for child in operation
        if isinstance(child.tag, str)
    }
    return Call(etree.QName(operation).localname, parameters)


def respond(operation: str, value: str) -> bytes:
    """The response envelope returning `value` (a string) from `operation`."""
    nsmap = {"soapenv": ENVELOPE_NS, "xsd": "http://www.w3.org/2001/XMLSchema", "xsi": XSI}
    envelope = etree.Element(f"{{{ENVELOPE_NS}}}Envelope", nsmap=nsmap)
    body = etree.SubElement(envelope, f"{{{ENVELOPE_NS}}}Body")
    response = etree.SubElement(
        body, f"{{{SERVICE_NS}}}{operation}Response", nsmap={"ns1": SERVICE_NS}
    )
    response.set(f"{{{ENVELOPE_NS}}}encodingStyle", ENCODING)
    returned = etree.SubElement(response, f"{{{SERVICE_NS}}}{operation}Return")
    returned.set(f"{{{XSI}}}type", "xsd:string")
    returned.text = value
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def fault(problem: SoapFault) -> bytes:
    """A SOAP 1.1 Fault envelope for `problem`."""
    envelope = etree.Element(f"{{{ENVELOPE_NS}}}Envelope", nsmap={"soapenv": ENVELOPE_NS})
    body = etree.SubElement(envelope, f"{{{ENVELOPE_NS}}}Body")
    element = etree.SubElement(body, f"{{{ENVELOPE_NS}}}Fault")
    etree.SubElement(element, "faultcode").text = problem.code
    etree.SubElement(element, "faultstring").text = str(problem)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def wsdl(service: str, base_url: str) -> str:
    """The service's WSDL, its address pointing at `base_url`."""
    text = resources.files("services.countries.cl.wsdl").joinpath(f"{service}.wsdl").read_text()
    return text.replace(_WSDL_ADDRESS, f"{base_url}/DTEWS/")
