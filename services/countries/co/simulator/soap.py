"""SOAP 1.2 as DIAN's WCF service speaks it: reading requests, writing responses and faults."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree
from lxml.builder import ElementMaker

from services.countries.co.simulator import safe_xml
from services.countries.co.simulator.responses import DianAnswer

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WCF = "http://wcf.dian.colombia"
ACTION_BASE = f"{WCF}/IWcfDianCustomerServices/"
DIAN_RESPONSE = "http://schemas.datacontract.org/2004/07/DianResponse"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"

_ACTION_PARAMETER = re.compile(r'(?:^|;)\s*action\s*=\s*"?([^";]+)"?', re.IGNORECASE)
_ENVELOPE = ElementMaker(namespace=SOAP, nsmap={"s": SOAP, "a": WSA, "u": WSU})
_WSA = ElementMaker(namespace=WSA, nsmap={"a": WSA})
_RESULT = ElementMaker(namespace=DIAN_RESPONSE, nsmap={"b": DIAN_RESPONSE, "i": XSI})
_ARRAY = ElementMaker(namespace=ARRAYS, nsmap={"c": ARRAYS})


class SoapFault(Exception):
    """A request the service refuses with a SOAP 1.2 Fault."""

    def __init__(self, reason: str, *, code: str = "s:Sender", subcode: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code  # s:Sender (the client's fault), s:Receiver or s:VersionMismatch
        self.subcode = subcode

    @property
    def http_status(self) -> int:
        """SOAP 1.2's HTTP binding: 500 for Receiver faults, 400 for the client's."""
        return 500 if self.code == "s:Receiver" else 400


@dataclass(frozen=True)
class SoapRequest:
    """One operation call: its name, its body element and its WS-Addressing MessageID."""

    operation: str
    body: etree._Element
    message_id: str

    def text(self, name: str) -> str:
        """A simple parameter of the operation ("" when absent or nil)."""
        node = self.body.find(f"{{{WCF}}}{name}")
        if node is None or node.get(f"{{{XSI}}}nil") == "true":
            return ""
        return (node.text or "").strip()

    def binary(self, name: str) -> bytes:
        """A base64Binary parameter, decoded; a Sender fault when it is not base64."""
        text = "".join(self.text(name).split())
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise SoapFault(f"{name} no es base64 válido.") from None


def parse_request(body: bytes, content_type: str) -> SoapRequest:
    """Read a SOAP 1.2 request; the action comes from Content-Type or from wsa:Action."""
    if not content_type.lower().startswith("application/soap+xml"):
        raise SoapFault(f"Se espera application/soap+xml (SOAP 1.2), no {content_type!r}.")
    try:
        envelope = safe_xml.parse(body)
    except safe_xml.UnsafeXml as problem:
        raise SoapFault(f"Mensaje SOAP ilegible: {problem}") from None
    if envelope.tag != f"{{{SOAP}}}Envelope":
        raise SoapFault("El mensaje no es un sobre SOAP 1.2.", code="s:VersionMismatch")
    header_action = envelope.findtext(f"{{{SOAP}}}Header/{{{WSA}}}Action", default="").strip()
    match = _ACTION_PARAMETER.search(content_type)
    http_action = match.group(1).strip() if match else ""
    if http_action and header_action and http_action != header_action:
        raise SoapFault("La acción HTTP no coincide con wsa:Action.")
    action = http_action or header_action
    if not action:
        raise SoapFault(
            "Falta la acción (Content-Type action= o wsa:Action).",
            subcode="a:ActionNotSupported",
        )
    operation = action.removeprefix(ACTION_BASE) if action.startswith(ACTION_BASE) else ""
    payload = envelope.find(f"{{{SOAP}}}Body/*")
    if not operation or payload is None or payload.tag != f"{{{WCF}}}{operation}":
        raise SoapFault(
            f"El mensaje con acción '{action}' no corresponde a una operación de "
            "IWcfDianCustomerServices.",
            subcode="a:ActionNotSupported",
        )
    message_id = envelope.findtext(f"{{{SOAP}}}Header/{{{WSA}}}MessageID", default="").strip()
    return SoapRequest(operation, payload, message_id)


def _header(action: str, relates_to: str) -> etree._Element:
    now = datetime.now(UTC)
    stamp = "%Y-%m-%dT%H:%M:%S.%f"
    header = _ENVELOPE.Header(
        _WSA.Action(action, {f"{{{SOAP}}}mustUnderstand": "1"}),
        etree.Element(f"{{{WSSE}}}Security", {f"{{{SOAP}}}mustUnderstand": "1"}, nsmap={"o": WSSE}),
    )
    timestamp = etree.SubElement(header[1], f"{{{WSU}}}Timestamp", {f"{{{WSU}}}Id": "_0"})
    etree.SubElement(timestamp, f"{{{WSU}}}Created").text = now.strftime(stamp)[:-3] + "Z"
    expires = now + timedelta(minutes=5)
    etree.SubElement(timestamp, f"{{{WSU}}}Expires").text = expires.strftime(stamp)[:-3] + "Z"
    if relates_to:
        header.append(_WSA.RelatesTo(relates_to))
    return header


def _nil(tag: str) -> etree._Element:
    return _RESULT(tag, {f"{{{XSI}}}nil": "true"})


def dian_response(tag: str, answer: DianAnswer) -> etree._Element:
    """A DianResponse element (`tag` in the wcf namespace, e.g. SendBillSyncResult)."""

    def optional(name: str, value: str | None) -> etree._Element:
        """The element with `value`, or nil when there is none."""
        return _RESULT(name, value) if value is not None else _nil(name)

    result = etree.Element(f"{{{WCF}}}{tag}", nsmap={"b": DIAN_RESPONSE, "i": XSI})
    result.extend(
        [
            _RESULT.ErrorMessage(*(_ARRAY.string(error) for error in answer.errors)),
            _RESULT.IsValid("true" if answer.is_valid else "false"),
            _RESULT.StatusCode(answer.status_code),
            _RESULT.StatusDescription(answer.status_description),
            _RESULT.StatusMessage(answer.status_message),
            optional(
                "XmlBase64Bytes",
                base64.b64encode(answer.application_response).decode()
                if answer.application_response is not None
                else None,
            ),
            _nil("XmlBytes"),
            optional("XmlDocumentKey", answer.document_key),
            optional("XmlFileName", answer.file_name),
        ]
    )
    return result


def respond(operation: str, result: etree._Element, relates_to: str) -> bytes:
    """The response envelope for `operation` carrying `result` (its *Result element)."""
    wrapper = etree.Element(f"{{{WCF}}}{operation}Response", nsmap={None: WCF})
    wrapper.append(result)
    envelope = _ENVELOPE.Envelope(
        _header(f"{ACTION_BASE}{operation}Response", relates_to), _ENVELOPE.Body(wrapper)
    )
    return etree.tostring(envelope, encoding="utf-8")


def fault(problem: SoapFault) -> bytes:
    """A SOAP 1.2 Fault envelope for a refused request."""
    code = _ENVELOPE.Code(_ENVELOPE.Value(problem.code))
    if problem.subcode:
        code.append(_ENVELOPE.Subcode(_ENVELOPE.Value(problem.subcode)))
    reason = _ENVELOPE.Reason(
        _ENVELOPE.Text(problem.reason, {"{http://www.w3.org/XML/1998/namespace}lang": "es-CO"})
    )
    envelope = _ENVELOPE.Envelope(
        _header(f"{WSA}/soap/fault", ""), _ENVELOPE.Body(_ENVELOPE.Fault(code, reason))
    )
    return etree.tostring(envelope, encoding="utf-8")
