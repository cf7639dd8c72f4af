"""SOAP 1.2 as DIAN's WCF service speaks it: reading requests, writing envelopes and faults."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree
from lxml.builder import ElementMaker

from services.core import untrusted_xml

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
WCF = "http://wcf.dian.colombia"
ACTION_BASE = f"{WCF}/IWcfDianCustomerServices/"
DIAN_RESPONSE = "http://schemas.datacontract.org/2004/07/DianResponse"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
SANDBOX = "urn:timbra:dian-simulator"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"

_ACTION_PARAMETER = re.compile(r'(?:^|;)\s*action\s*=\s*"?([^";]+)"?', re.IGNORECASE)
_ENVELOPE = ElementMaker(namespace=SOAP, nsmap={"s": SOAP, "a": WSA, "u": WSU})
_WSA = ElementMaker(namespace=WSA, nsmap={"a": WSA})


class SoapFault(Exception):
    """A request the service refuses with a SOAP 1.2 Fault."""

    def __init__(
        self,
        reason: str,
        *,
        code: str = "s:Sender",
        subcode: str = "",
        subcode_namespace: tuple[str, str] = ("a", WSA),
        detail: str = "",
        http_status: int | None = None,
    ) -> None:
        super().__init__(f"{reason} {detail}".strip())
        self.reason = reason
        self.code = code  # s:Sender (the client's fault), s:Receiver or s:VersionMismatch
        self.subcode = subcode  # a QName whose prefix `subcode_namespace` declares
        self.subcode_namespace = subcode_namespace
        self.detail = detail
        self._http_status = http_status

    @property
    def http_status(self) -> int:
        """SOAP 1.2's HTTP binding: 500 for Receiver faults, 400 for the client's."""
        if self._http_status is not None:
            return self._http_status
        return 500 if self.code == "s:Receiver" else 400


@dataclass(frozen=True)
class SoapRequest:
    """One operation call: its name, its body element, its WS-Addressing MessageID, and the
    whole envelope (for the WS-Security check)."""

    operation: str
    body: etree._Element
    message_id: str
    envelope: etree._Element

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
        envelope = untrusted_xml.parse(body)
    except untrusted_xml.UnsafeXml as problem:
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
    return SoapRequest(operation, payload, message_id, envelope)


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
        prefix, namespace = problem.subcode_namespace
        value = etree.SubElement(
            etree.SubElement(code, f"{{{SOAP}}}Subcode"),
            f"{{{SOAP}}}Value",
            nsmap={prefix: namespace},
        )
        value.text = problem.subcode
    reason = _ENVELOPE.Reason(
        _ENVELOPE.Text(problem.reason, {"{http://www.w3.org/XML/1998/namespace}lang": "es-CO"})
    )
    body = _ENVELOPE.Fault(code, reason)
    if problem.detail:
        # WCF says nothing more than the reason; the sandbox adds why, for the developer.
        detail = etree.SubElement(body, f"{{{SOAP}}}Detail")
        etree.SubElement(
            detail, f"{{{SANDBOX}}}Problem", nsmap={"t": SANDBOX}
        ).text = problem.detail
    envelope = _ENVELOPE.Envelope(_header(f"{WSA}/soap/fault", ""), _ENVELOPE.Body(body))
    return etree.tostring(envelope, encoding="utf-8")
