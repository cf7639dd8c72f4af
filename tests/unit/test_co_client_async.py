"""The client's asynchronous side without a server: SendTestSetAsync / SendBillAsync receipts,
GetStatusZip while pending and after (with habilitación's set line), poll() over them, and
GetNumberingRange, all read from answers shaped like DIAN's own."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from lxml import etree

from services.countries.co.client import NumberingRangeRefused, UploadRefused
from services.countries.co.simulator import results
from services.countries.co.simulator.numbering import RangeAnswer
from services.countries.co.simulator.registry import Resolution
from services.countries.co.simulator.responses import DianAnswer, pending_batch, set_status_line
from services.countries.co.simulator.soap import respond
from services.countries.pack import Submission, SubmissionInDoubt
from tests.unit.test_co_client import KEY, CannedAdapter, client_with, http_response

ENVELOPE = (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
    ' xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">'
    "http://wcf.dian.colombia/IWcfDianCustomerServices/{op}Response</a:Action></s:Header>"
    '<s:Body><{op}Response xmlns="http://wcf.dian.colombia">{result}</{op}Response></s:Body>'
    "</s:Envelope>"
)
# DIAN's own answer to SendTestSetAsync and to GetNumberingRange (namespaces, nils, order).
TEST_SET_RECEIPT = ENVELOPE.format(
    op="SendTestSetAsync",
    result='<SendTestSetAsyncResult xmlns:b="http://schemas.datacontract.org/2004/07/'
    'UploadDocumentResponse" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    '<b:ErrorMessageList i:nil="true" xmlns:c="http://schemas.datacontract.org/2004/07/'
    'XmlParamsResponseTrackId"/><b:ZipKey>42424242</b:ZipKey></SendTestSetAsyncResult>',
)
RANGES = ENVELOPE.format(
    op="GetNumberingRange",
    result='<GetNumberingRangeResult xmlns:b="http://schemas.datacontract.org/2004/07/'
    'NumberRangeResponseList" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    "<b:OperationCode>100</b:OperationCode><b:OperationDescription>Acción completada OK."
    '</b:OperationDescription><b:ResponseList xmlns:c="http://schemas.datacontract.org/2004/'
    '07/NumberRangeResponse"><c:NumberRangeResponse><c:ResolutionNumber>18760000001'
    "</c:ResolutionNumber><c:ResolutionDate>2024-01-01</c:ResolutionDate><c:Prefix>DS"
    "</c:Prefix><c:FromNumber>984000000</c:FromNumber><c:ToNumber>985000000</c:ToNumber>"
    "<c:ValidDateFrom>2024-01-01</c:ValidDateFrom><c:ValidDateTo>2024-12-31</c:ValidDateTo>"
    '<c:TechnicalKey i:nil="true"/></c:NumberRangeResponse></b:ResponseList>'
    "</GetNumberingRangeResult>",
)


def canned(body: str | bytes):
    data = body.encode() if isinstance(body, str) else body
    return client_with(CannedAdapter(lambda request: http_response(request, data)))


def status_zip(*answers: DianAnswer) -> bytes:
    return respond("GetStatusZip", results.dian_responses("GetStatusZipResult", answers), "")


def submission(options: dict[str, str] | None = None) -> Submission:
    return Submission(
        "d", "900373076", "01", "SETP990000001", KEY, b"<Invoice/>", "2", options or {}
    )


def test_a_test_set_submission_goes_with_send_test_set_async() -> None:
    adapter = CannedAdapter(lambda request: http_response(request, TEST_SET_RECEIPT.encode()))
    client = client_with(adapter)
    delivery = client.submit(submission({"test_set_id": "0f0e-set"}))
    assert (delivery.operation, delivery.verdict, delivery.track_id) == (
        "SendTestSetAsync",
        None,
        "42424242",
    )
    (request,) = adapter.sent
    assert (
        'action="http://wcf.dian.colombia/IWcfDianCustomerServices/SendTestSetAsync"'
        in (request.headers["Content-Type"])
    )
    body = etree.fromstring(request.body)
    assert body.findtext(".//{http://wcf.dian.colombia}testSetId") == "0f0e-set"


def test_send_bill_async_is_chosen_by_the_submissions_options() -> None:
    receipt = TEST_SET_RECEIPT.replace("SendTestSetAsync", "SendBillAsync")
    delivery = canned(receipt).submit(submission({"operation": "SendBillAsync"}))
    assert delivery.operation == "SendBillAsync" and delivery.track_id == "42424242"


def test_an_upload_without_zip_key_is_refused() -> None:
    refused = respond(
        "SendTestSetAsync",
        results.upload_response(
            "SendTestSetAsyncResult", "", [results.UploadError("Set de prueba no existe.")]
        ),
        "",
    )
    with pytest.raises(UploadRefused, match="Set de prueba no existe"):
        canned(refused).submit(submission({"test_set_id": "x"}))


def test_poll_is_none_while_pending_then_the_documents_verdict() -> None:
    assert canned(status_zip(pending_batch())).poll(submission(), "zip") is None
    accepted = DianAnswer(
        True, "00", "Procesado Correctamente.", "autorizada", (), b"<AR/>", KEY, "fv1"
    )
    other = DianAnswer(False, "99", "Validación contiene errores.", document_key="cd" * 48)
    batch = canned(status_zip(other, accepted)).get_status_zip("zip")
    assert not batch.pending and batch.test_set_status == ""
    verdict = canned(status_zip(other, accepted)).poll(submission(), "zip")
    assert verdict.accepted and verdict.document_key == KEY and verdict.response_xml == b"<AR/>"


def test_habilitacions_set_line_reaches_the_verdict() -> None:
    accepted = DianAnswer(True, "00", "Procesado Correctamente.", document_key=KEY)
    line = set_status_line("set-1", "Aceptado")
    verdict = canned(status_zip(accepted, line)).poll(submission(), "zip")
    text = "Set de prueba con identificador set-1 se encuentra Aceptado."
    assert verdict.accepted and text in verdict.status_description
    # A set decided before the document arrived: only the set line, the document not validated.
    closed = canned(status_zip(line)).poll(submission(), "zip")
    assert not closed.accepted and closed.status_code == "2" and closed.status_description == text


def test_a_refused_batch_is_a_rejection_and_an_unknown_one_is_in_doubt() -> None:
    refused = DianAnswer(False, "89", "Error descomprimiendo el archivo ZIP.")
    verdict = canned(status_zip(refused)).poll(submission(), "zip")
    assert not verdict.accepted and verdict.status_code == "89"
    unknown = DianAnswer(False, "66", "TrackId no existe en los registros de la DIAN.")
    with pytest.raises(SubmissionInDoubt):
        canned(status_zip(unknown)).poll(submission(), "zip")


def test_every_dian_response_field_is_read() -> None:
    answer = DianAnswer(
        False,
        "99",
        "Validación contiene errores.",
        "Documento con errores.",
        ("Regla: FAD06, Rechazo: Valor del CUFE.",),
        b"<AR/>",
        KEY.upper(),
        "fv1",
    )
    (status,) = canned(status_zip(answer)).get_status_zip("zip").documents
    assert (status.is_valid, status.status_code, status.status_message) == (
        False,
        "99",
        "Documento con errores.",
    )
    assert status.errors == ("Regla: FAD06, Rechazo: Valor del CUFE.",)
    assert (status.application_response, status.document_key, status.file_name) == (
        b"<AR/>",
        KEY,
        "fv1",
    )
    assert status.xml_bytes == b"" and base64.b64encode(b"<AR/>")


def test_numbering_ranges_are_read_with_nil_technical_keys() -> None:
    (found,) = canned(RANGES).get_numbering_range("900373076", "900373076", "sw")
    assert found.resolution_number == "18760000001" and found.prefix == "DS"
    assert (found.from_number, found.to_number) == (984000000, 985000000)
    assert (found.valid_from, found.valid_to) == (date(2024, 1, 1), date(2024, 12, 31))
    assert found.resolution_date == date(2024, 1, 1) and found.technical_key is None
    resolution = Resolution(
        "1876", "9", "FE", 1, 9, date(2026, 1, 1), date(2026, 12, 31), "ab" * 20, date(2026, 1, 1)
    )
    written = respond(
        "GetNumberingRange",
        results.numbering_ranges(
            "GetNumberingRangeResult", RangeAnswer("100", "OK", (resolution,))
        ),
        "",
    )
    (ours,) = canned(written).get_numbering_range("9", "9", "sw")
    assert ours.technical_key == "ab" * 20 and ours.valid_to == date(2026, 12, 31)


def test_a_numbering_range_refusal_carries_dians_code() -> None:
    refusal = respond(
        "GetNumberingRange",
        results.numbering_ranges(
            "GetNumberingRangeResult",
            RangeAnswer("302", "No registra prefijos asociados al código de software: sw."),
        ),
        "",
    )
    with pytest.raises(NumberingRangeRefused) as refused:
        canned(refusal).get_numbering_range("9", "9", "sw")
    assert refused.value.code == "302" and "No registra prefijos" in str(refused.value)
