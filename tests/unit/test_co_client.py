"""DianClient without a server: envelopes it builds, DianResponses it reads, failures it maps."""

from __future__ import annotations

import base64
import io
import re
import socket
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import requests
import urllib3
from lxml import etree
from requests.adapters import BaseAdapter

from services.countries.co.client import (
    DianClient,
    DianFault,
    file_names,
    parse_message,
    zip_document,
)
from services.countries.co.simulator import results, soap
from services.countries.co.simulator.responses import DianAnswer
from services.countries.pack import AuthorityUnavailable, Submission, SubmissionInDoubt

ENDPOINT = "http://dian.test/WcfDianCustomerServices.svc"
KEY = "ab" * 48
SOAP_NS = {"s": soap.SOAP, "a": soap.WSA, "w": soap.WCF}

# A SendBillSync answer shaped like DIAN's own (namespaces, nils, notifications on acceptance).
DIAN_ACCEPTED_WITH_NOTIFICATIONS = f"""<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
 xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>
 <a:Action s:mustUnderstand="1">http://wcf.dian.colombia/IWcfDianCustomerServices/SendBillSyncResponse</a:Action>
 </s:Header><s:Body><SendBillSyncResponse xmlns="http://wcf.dian.colombia">
 <SendBillSyncResult xmlns:b="http://schemas.datacontract.org/2004/07/DianResponse"
  xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
 <b:ErrorMessage xmlns:c="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
  <c:string>Regla: FAJ43b, Notificación: Nombre informado No corresponde al RUT.</c:string>
  <c:string>Regla: RUT01, Notificacion: La validación del RUT estará disponible.</c:string>
 </b:ErrorMessage>
 <b:IsValid>true</b:IsValid><b:StatusCode>00</b:StatusCode>
 <b:StatusDescription>Procesado Correctamente.</b:StatusDescription>
 <b:StatusMessage>La Factura electrónica SETP-990000001, ha sido autorizada.</b:StatusMessage>
 <b:XmlBase64Bytes>{base64.b64encode(b"<ApplicationResponse/>").decode()}</b:XmlBase64Bytes>
 <b:XmlBytes i:nil="true"/><b:XmlDocumentKey>{KEY.upper()}</b:XmlDocumentKey>
 <b:XmlFileName>fv09003730760002600000001</b:XmlFileName>
 </SendBillSyncResult></SendBillSyncResponse></s:Body></s:Envelope>""".encode()


class CannedAdapter(BaseAdapter):
    """A requests transport that records requests and answers from a function (no network)."""

    def __init__(self, answer: Callable[[requests.PreparedRequest], requests.Response]) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []
        self._answer = answer

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        self.sent.append(request)
        return self._answer(request)

    def close(self) -> None:
        pass


def http_response(
    request: requests.PreparedRequest, body: bytes, status: int = 200
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = soap.CONTENT_TYPE
    response.url = request.url or ""
    response.request = request
    return response


def dian_answer(operation: str, answer: DianAnswer) -> Callable[..., requests.Response]:
    def respond(request: requests.PreparedRequest) -> requests.Response:
        result = results.dian_response(f"{operation}Result", answer)
        return http_response(request, soap.respond(operation, result, ""))

    return respond


def client_with(adapter: BaseAdapter) -> DianClient:
    session = requests.Session()
    session.mount("http://", adapter)
    return DianClient(ENDPOINT, 5, session=session)


def submission(key: str = KEY) -> Submission:
    return Submission("doc-1", "900373076", "01", "SETP990000001", key, b"<Invoice/>", "2")


def test_file_names_follow_the_annex() -> None:
    sent_at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    xml, archive = file_names("900373076", "01", "SETP990000001", sent_at)
    assert re.fullmatch(r"fv0900373076000" r"26[0-9a-f]{8}\.xml", xml)
    assert archive == "z" + xml[2:-4] + ".zip"
    assert file_names("900373076", "01", "SETP990000001", sent_at) == (xml, archive)
    assert file_names("900373076", "01", "SETP990000002", sent_at)[0] != xml
    assert file_names("900373076", "91", "NC1", sent_at)[0].startswith("nc")


def test_parse_message_reads_rule_kind_and_text() -> None:
    rejection = parse_message("Regla: FAD06, Rechazo: Valor del CUFE no está calculado.", False)
    assert (rejection.rule, rejection.rejection) == ("FAD06", True)
    assert rejection.text == "Valor del CUFE no está calculado."
    notice = parse_message("Regla: FAB10b, Notificación: El prefijo debe corresponder.", True)
    assert (notice.rule, notice.rejection) == ("FAB10b", False)
    odd = parse_message("Error inesperado", True)
    assert (odd.rule, odd.text, odd.rejection) == ("", "Error inesperado", True)


def test_submit_sends_one_zipped_xml_with_soap12_and_addressing() -> None:
    adapter = CannedAdapter(
        lambda request: http_response(request, DIAN_ACCEPTED_WITH_NOTIFICATIONS)
    )
    client = client_with(adapter)
    delivery = client.submit(submission())

    (request,) = adapter.sent
    action = "http://wcf.dian.colombia/IWcfDianCustomerServices/SendBillSync"
    assert request.headers["Content-Type"].startswith("application/soap+xml")
    assert f'action="{action}"' in request.headers["Content-Type"]
    envelope = etree.fromstring(request.body)
    assert envelope.tag == f"{{{soap.SOAP}}}Envelope"
    assert envelope.findtext("s:Header/a:Action", namespaces=SOAP_NS) == action
    assert envelope.findtext("s:Header/a:To", namespaces=SOAP_NS) == ENDPOINT
    assert envelope.findtext("s:Header/a:MessageID", namespaces=SOAP_NS).startswith("urn:uuid:")
    call = envelope.find("s:Body/w:SendBillSync", SOAP_NS)
    assert call.findtext("w:fileName", namespaces=SOAP_NS) == delivery.file_name
    content = base64.b64decode(call.findtext("w:contentFile", namespaces=SOAP_NS))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        (name,) = archive.namelist()
        assert archive.read(name) == b"<Invoice/>"
    assert name.startswith("fv0900373076000") and delivery.file_name.startswith("z0900373076")

    verdict = delivery.verdict
    assert verdict.accepted and verdict.status_code == "00"
    assert verdict.document_key == KEY and verdict.track_id == KEY
    assert verdict.response_xml == b"<ApplicationResponse/>"
    assert [(m.rule, m.rejection) for m in verdict.messages] == [
        ("FAJ43b", False),
        ("RUT01", False),
    ]
    assert "ha sido autorizada" in verdict.status_description
    assert delivery.operation == "SendBillSync" and delivery.endpoint == ENDPOINT


def test_constructing_a_client_touches_no_network() -> None:
    adapter = CannedAdapter(lambda request: pytest.fail(f"unexpected request {request.url}"))
    client_with(adapter)
    assert adapter.sent == []


def test_rejection_lists_the_rules() -> None:
    answer = DianAnswer(
        False,
        "99",
        "Validación contiene errores en campos mandatorios.",
        "Documento con errores en campos mandatorios.",
        (
            "Regla: FAD06, Rechazo: Valor del CUFE no está calculado correctamente.",
            "Regla: FAB10b, Notificación: El prefijo debe corresponder.",
        ),
        b"<ApplicationResponse/>",
        KEY,
        "fv",
    )
    verdict = (
        client_with(CannedAdapter(dian_answer("SendBillSync", answer))).submit(submission()).verdict
    )
    assert not verdict.accepted and verdict.status_code == "99"
    assert [(m.rule, m.rejection) for m in verdict.messages] == [
        ("FAD06", True),
        ("FAB10b", False),
    ]


def test_regla_90_for_the_same_document_is_an_acceptance() -> None:
    answer = DianAnswer(
        False,
        "99",
        "Validación contiene errores en campos mandatorios.",
        "Documento con errores en campos mandatorios.",
        ("Regla: 90, Rechazo: Documento procesado anteriormente.",),
        b"<ApplicationResponse>original</ApplicationResponse>",
        KEY,
        "fv",
    )
    verdict = (
        client_with(CannedAdapter(dian_answer("SendBillSync", answer))).submit(submission()).verdict
    )
    assert verdict.accepted
    assert verdict.document_key == KEY
    assert "Regla 90" in verdict.status_description and KEY in verdict.status_description
    assert verdict.response_xml == b"<ApplicationResponse>original</ApplicationResponse>"


def test_regla_90_for_another_document_with_the_number_is_not_an_acceptance() -> None:
    answer = DianAnswer(
        False,
        "99",
        "Validación contiene errores en campos mandatorios.",
        errors=("Regla: 90, Rechazo: Documento procesado anteriormente.",),
        document_key="cd" * 48,
    )
    verdict = (
        client_with(CannedAdapter(dian_answer("SendBillSync", answer))).submit(submission()).verdict
    )
    assert not verdict.accepted
    assert "cd" * 48 in verdict.status_description


def test_get_status_of_an_unknown_key_is_none_and_of_a_known_key_a_verdict() -> None:
    unknown = DianAnswer(False, "66", "TrackId no existe en los registros de la DIAN.")
    assert client_with(CannedAdapter(dian_answer("GetStatus", unknown))).get_status(KEY) is None
    known = DianAnswer(True, "00", "Procesado Correctamente.", document_key=KEY)
    client = client_with(CannedAdapter(dian_answer("GetStatus", known)))
    verdict = client.get_status(KEY)
    assert verdict is not None and verdict.accepted and verdict.document_key == KEY
    delivery = client.reconcile(submission())
    assert delivery is not None and delivery.operation == "GetStatus" and delivery.verdict.accepted


def raising(error: Exception) -> Callable[[requests.PreparedRequest], requests.Response]:
    def answer(request: requests.PreparedRequest) -> requests.Response:
        raise error

    return answer


def test_failures_before_delivery_are_unavailability() -> None:
    refused = requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(
            None, ENDPOINT, urllib3.exceptions.NewConnectionError(None, "refused")
        )
    )
    for error in (refused, requests.exceptions.ConnectTimeout("connect timeout")):
        with pytest.raises(AuthorityUnavailable):
            client_with(CannedAdapter(raising(error))).submit(submission())
    busy = CannedAdapter(lambda request: http_response(request, b"Service Unavailable", 503))
    with pytest.raises(AuthorityUnavailable) as caught:
        client_with(busy).submit(submission())
    assert not isinstance(caught.value, SubmissionInDoubt)


def test_failures_after_the_request_left_are_in_doubt() -> None:
    dropped = requests.exceptions.ConnectionError(
        urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError())
    )
    garbled = CannedAdapter(lambda request: http_response(request, b"<not-xml", 200))
    for adapter in (
        CannedAdapter(raising(requests.exceptions.ReadTimeout("read timeout"))),
        CannedAdapter(raising(dropped)),
        garbled,
    ):
        with pytest.raises(SubmissionInDoubt):
            client_with(adapter).submit(submission())


def test_a_status_query_that_times_out_is_unavailability_not_doubt() -> None:
    adapter = CannedAdapter(raising(requests.exceptions.ReadTimeout("read timeout")))
    with pytest.raises(AuthorityUnavailable):
        client_with(adapter).get_status(KEY)


def test_a_soap_fault_is_a_refusal() -> None:
    problem = soap.SoapFault("La operación no está disponible.", code="s:Receiver")
    adapter = CannedAdapter(lambda request: http_response(request, soap.fault(problem), 500))
    with pytest.raises(DianFault) as caught:
        client_with(adapter).submit(submission())
    assert "no está disponible" in str(caught.value)


def test_connection_refused_by_a_real_socket_is_unavailability() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the client connects
    client = DianClient(f"http://127.0.0.1:{port}/WcfDianCustomerServices.svc", 2)
    with pytest.raises(AuthorityUnavailable) as caught:
        client.submit(submission())
    assert not isinstance(caught.value, SubmissionInDoubt)
    client.close()


def test_zip_document_holds_exactly_the_signed_bytes() -> None:
    content = zip_document("fv.xml", b"<x/>")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["fv.xml"] and archive.read("fv.xml") == b"<x/>"
