"""The `<Operation>Result` elements of DIAN's answers, written with WCF's data-contract layout:
DianResponse (alone or as an array), UploadDocumentResponse and NumberRangeResponseList."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from services.countries.co.simulator.numbering import RangeAnswer
from services.countries.co.simulator.responses import DianAnswer
from services.countries.co.simulator.soap import ARRAYS, DIAN_RESPONSE, WCF, XSI

UPLOAD = "http://schemas.datacontract.org/2004/07/UploadDocumentResponse"
TRACK_IDS = "http://schemas.datacontract.org/2004/07/XmlParamsResponseTrackId"
RANGE_LIST = "http://schemas.datacontract.org/2004/07/NumberRangeResponseList"
RANGE = "http://schemas.datacontract.org/2004/07/NumberRangeResponse"
_NIL = f"{{{XSI}}}nil"


@dataclass(frozen=True)
class UploadError:
    """One XmlParamsResponseTrackId of an UploadDocumentResponse's ErrorMessageList."""

    processed_message: str
    success: bool = False
    document_key: str | None = None
    sender_code: str | None = None
    xml_file_name: str | None = None


def _value(parent: etree._Element, namespace: str, name: str, value: str | None) -> None:
    # A child made in place reuses the prefixes its ancestors declare (b:, c:, i:).
    node = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if value is None:
        node.set(_NIL, "true")
    else:
        node.text = value


def _dian_fields(parent: etree._Element, answer: DianAnswer) -> None:
    response = answer.application_response
    errors = etree.SubElement(parent, f"{{{DIAN_RESPONSE}}}ErrorMessage", nsmap={"c": ARRAYS})
    for error in answer.errors:
        etree.SubElement(errors, f"{{{ARRAYS}}}string").text = error
    _value(parent, DIAN_RESPONSE, "IsValid", "true" if answer.is_valid else "false")
    _value(parent, DIAN_RESPONSE, "StatusCode", answer.status_code)
    _value(parent, DIAN_RESPONSE, "StatusDescription", answer.status_description)
    _value(parent, DIAN_RESPONSE, "StatusMessage", answer.status_message)
    encoded = base64.b64encode(response).decode() if response is not None else None
    _value(parent, DIAN_RESPONSE, "XmlBase64Bytes", encoded)
    _value(parent, DIAN_RESPONSE, "XmlBytes", None)
    _value(parent, DIAN_RESPONSE, "XmlDocumentKey", answer.document_key)
    _value(parent, DIAN_RESPONSE, "XmlFileName", answer.file_name)


def _result(tag: str, nsmap: dict[str, str]) -> etree._Element:
    return etree.Element(f"{{{WCF}}}{tag}", nsmap={**nsmap, "i": XSI})


def dian_response(tag: str, answer: DianAnswer) -> etree._Element:
    """A DianResponse element (`tag` in the wcf namespace, e.g. SendBillSyncResult)."""
    result = _result(tag, {"b": DIAN_RESPONSE})
    _dian_fields(result, answer)
    return result


def dian_responses(tag: str, answers: Iterable[DianAnswer]) -> etree._Element:
    """An ArrayOfDianResponse (GetStatusZipResult): one b:DianResponse per answer."""
    result = _result(tag, {"b": DIAN_RESPONSE})
    for answer in answers:
        _dian_fields(etree.SubElement(result, f"{{{DIAN_RESPONSE}}}DianResponse"), answer)
    return result


def upload_response(tag: str, zip_key: str, errors: Iterable[UploadError] = ()) -> etree._Element:
    """An UploadDocumentResponse (SendBillAsyncResult, SendTestSetAsyncResult)."""
    result = _result(tag, {"b": UPLOAD})
    listed = list(errors)
    error_list = etree.SubElement(result, f"{{{UPLOAD}}}ErrorMessageList", nsmap={"c": TRACK_IDS})
    if not listed:
        error_list.set(_NIL, "true")
    for error in listed:
        item = etree.SubElement(error_list, f"{{{TRACK_IDS}}}XmlParamsResponseTrackId")
        _value(item, TRACK_IDS, "DocumentKey", error.document_key)
        _value(item, TRACK_IDS, "ProcessedMessage", error.processed_message)
        _value(item, TRACK_IDS, "SenderCode", error.sender_code)
        _value(item, TRACK_IDS, "Success", "true" if error.success else "false")
        _value(item, TRACK_IDS, "XmlFileName", error.xml_file_name)
    _value(result, UPLOAD, "ZipKey", zip_key)
    return result


def numbering_ranges(tag: str, answer: RangeAnswer) -> etree._Element:
    """A NumberRangeResponseList (GetNumberingRangeResult); nil TechnicalKey when none."""
    result = _result(tag, {"b": RANGE_LIST})
    _value(result, RANGE_LIST, "OperationCode", answer.operation_code)
    _value(result, RANGE_LIST, "OperationDescription", answer.operation_description)
    listing = etree.SubElement(result, f"{{{RANGE_LIST}}}ResponseList", nsmap={"c": RANGE})
    if not answer.ranges:
        listing.set(_NIL, "true")
    for resolution in answer.ranges:
        item = etree.SubElement(listing, f"{{{RANGE}}}NumberRangeResponse")
        _value(item, RANGE, "ResolutionNumber", resolution.number)
        _value(item, RANGE, "ResolutionDate", resolution.resolution_date.isoformat())
        _value(item, RANGE, "Prefix", resolution.prefix)
        _value(item, RANGE, "FromNumber", str(resolution.range_from))
        _value(item, RANGE, "ToNumber", str(resolution.range_to))
        _value(item, RANGE, "ValidDateFrom", resolution.valid_from.isoformat())
        _value(item, RANGE, "ValidDateTo", resolution.valid_to.isoformat())
        _value(item, RANGE, "TechnicalKey", resolution.technical_key or None)
    return result
