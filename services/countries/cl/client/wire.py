"""HTTP to the SII: rpc/encoded SOAP calls to the `.jws` services, the DTEUpload form, and plain
GETs, with failures turned into what the caller may conclude from them.

"Nothing was delivered" (connection refused, HTTP errors, SOAP faults) is AuthorityUnavailable;
"it may have been" (a timeout or a dropped connection after a request that changes the SII's
state was sent) is SubmissionInDoubt. No automatic retries: a resend is the caller's decision.

The SOAP services are rpc/encoded (Apache Axis). zeep, tried with these WSDLs, writes the calls
without SOAP encoding (no encodingStyle, no xsi:type on the parameters); whether the SII's Axis
takes that was never verified, while each call here is a few strings in and one XML string out.
So the envelopes are written (encoded, as Axis clients write them) and read with lxml.
"""

from __future__ import annotations

import re

import requests
from lxml import etree

from services.countries.authority_http import pooled_session, request_failures
from services.countries.cl.xml_input import UnreadableXml, parse_xml
from services.countries.pack import AuthorityUnavailable, SubmissionInDoubt

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = "http://DefaultNamespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
UPLOAD_PATH = "/cgi_dte/UPL/DTEUpload"
# Some SII front ends refuse requests without a browser-like User-Agent (reference §7.3).
USER_AGENT = "Mozilla/4.0 (compatible; PROG 1.0; timbra)"
_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


class SiiRefused(AuthorityUnavailable):
    """The SII answered but would not serve the call: nothing was delivered."""


class HttpError(AuthorityUnavailable):
    """Answered with an HTTP error status (5xx: down; 4xx: refused): nothing was taken."""

    def __init__(self, what: str, status: int) -> None:
        super().__init__(f"{what}: HTTP {status}")
        self.status = status


def rpc_envelope(operation: str, parameters: list[tuple[str, str]]) -> bytes:
    """An rpc/encoded SOAP 1.1 request for an Axis `.jws` operation with string parameters."""
    nsmap = {"soapenv": SOAP_ENV, "xsd": "http://www.w3.org/2001/XMLSchema", "xsi": XSI}
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=nsmap)
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    call = etree.SubElement(body, f"{{{SERVICE_NS}}}{operation}", nsmap={"ns1": SERVICE_NS})
    call.set(f"{{{SOAP_ENV}}}encodingStyle", "http://schemas.xmlsoap.org/soap/encoding/")
    for name, value in parameters:
        element = etree.SubElement(call, name)  # rpc parts are unqualified
        element.set(f"{{{XSI}}}type", "xsd:string")
        element.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def returned_xml(response: bytes, operation: str) -> etree._Element:
    """The XML document an rpc response returns as a string; SiiRefused on a SOAP Fault."""
    try:
        root = parse_xml(response)
        fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
        if fault is not None:
            raise SiiRefused(f"{operation}: SOAP fault {fault.findtext('faultstring')}")
        value = root.find(f".//{{*}}{operation}Return")
        if value is None or not (value.text or "").strip():
            raise SiiRefused(f"{operation}: the answer returns nothing")
        # lxml takes no str with an encoding declaration: the string is decoded text already.
        return parse_xml(_DECLARATION.sub("", value.text or "").encode("utf-8"))
    except UnreadableXml as problem:
        raise SiiRefused(f"{operation}: unreadable answer ({problem})") from None


class Wire:
    """One endpoint's HTTP session, shared by a small pool of threads."""

    def __init__(
        self,
        endpoint: str,
        timeout: float,
        pool_size: int = 4,
        session: requests.Session | None = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.session = session if session is not None else pooled_session(pool_size)

    def send(
        self, what: str, changes_state: bool, method: str, url: str, **options: object
    ) -> bytes:
        """One request; its body when answered 2xx, else the exception the failure means."""
        headers = {"User-Agent": USER_AGENT, **options.pop("headers", {})}  # type: ignore[dict-item]
        with request_failures(what, self.endpoint, changes_state=changes_state):
            response = self.session.request(
                method, url, timeout=(self.timeout, self.timeout), headers=headers, **options
            )
        if response.status_code >= 400:
            raise HttpError(what, response.status_code)
        return response.content

    def soap(
        self, service: str, operation: str, parameters: list[tuple[str, str]]
    ) -> etree._Element:
        """Call `operation` of `<service>.jws`; the SII:RESPUESTA it returns."""
        body = self.send(
            operation,
            False,  # the query and authentication services change nothing that matters
            "POST",
            f"{self.endpoint}/DTEWS/{service}.jws",
            data=rpc_envelope(operation, parameters),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        )
        return returned_xml(body, operation)

    def upload(
        self, token: str, fields: dict[str, str], file_name: str, content: bytes
    ) -> etree._Element:
        """POST an envelope to DTEUpload; the RECEPCIONDTE answer."""
        body = self.send(
            "DTEUpload",
            True,
            "POST",
            f"{self.endpoint}{UPLOAD_PATH}",
            data=fields,
            files={"archivo": (file_name, content, "text/xml")},
            headers={"Cookie": f"TOKEN={token}"},
        )
        try:
            return parse_xml(body)
        except UnreadableXml as problem:
            # The upload may have been taken: an unreadable receipt leaves it in doubt.
            raise SubmissionInDoubt(f"DTEUpload: unreadable answer ({problem})") from None

    def get(self, url: str) -> bytes | None:
        """GET `url`; None when answered 404."""
        try:
            return self.send("GET", False, "GET", url)
        except HttpError as problem:
            if problem.status == 404:
                return None
            raise

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()
