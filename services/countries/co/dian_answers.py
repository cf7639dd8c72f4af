"""DIAN's answers as the client reads them (dian-colombia.md §6.4, §8.2): every field of a
DianResponse, the upload receipts of the asynchronous operations, GetStatusZip's list and
GetNumberingRange's ranges, from the objects zeep deserialises."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from services.countries.pack import AuthorityMessage, Verdict

AUTHORITY = "DIAN"
BATCH_PENDING = "batch en proceso"
TEST_SET_STATUS_CODE = "2"
_MESSAGE = re.compile(
    r"\s*Regla:\s*(?P<rule>[^,]*?)\s*,\s*(?P<kind>Rechazo|Notificaci[oó]n)\s*:\s*(?P<text>.*)",
    re.DOTALL,
)


def _items(value: Any, name: str) -> list[Any]:
    """The members of a WCF array, whether zeep gives the wrapper object or flattens it."""
    if value is None:
        return []
    members = value if isinstance(value, list) else getattr(value, name, None) or []
    return [member for member in members if member is not None]


def parse_message(text: str, rejection_by_default: bool) -> AuthorityMessage:
    """One ErrorMessage string ("Regla: FAD06, Rechazo: ...") as an AuthorityMessage."""
    match = _MESSAGE.fullmatch(text)
    if match is None:
        return AuthorityMessage(rule="", text=text.strip(), rejection=rejection_by_default)
    rejection = match["kind"] == "Rechazo"
    return AuthorityMessage(match["rule"], match["text"].strip(), rejection)


@dataclass(frozen=True)
class DianStatus:
    """Every field of one DianResponse."""

    is_valid: bool
    status_code: str
    status_description: str = ""
    status_message: str = ""
    errors: tuple[str, ...] = ()
    application_response: bytes = b""  # XmlBase64Bytes, decoded: DIAN's ApplicationResponse
    xml_bytes: bytes = b""
    document_key: str = ""  # XmlDocumentKey, lower case
    file_name: str = ""  # XmlFileName

    @property
    def pending(self) -> bool:
        """GetStatusZip's "still validating": an empty StatusCode and DIAN's batch text."""
        return not self.status_code and BATCH_PENDING in self.status_description.lower()

    @property
    def is_test_set_status(self) -> bool:
        """Whether this is habilitación's set status line, not a document's answer."""
        return self.status_code == TEST_SET_STATUS_CODE and (
            "set de prueba" in self.status_description.lower()
        )


def read_status(result: Any) -> DianStatus:
    """A DianResponse as zeep deserialises it."""
    errors = _items(result.ErrorMessage, "string")
    return DianStatus(
        is_valid=bool(result.IsValid),
        status_code=(result.StatusCode or "").strip(),
        status_description=(result.StatusDescription or "").strip(),
        status_message=(result.StatusMessage or "").strip(),
        errors=tuple(text or "" for text in errors),
        application_response=result.XmlBase64Bytes or b"",
        xml_bytes=result.XmlBytes or b"",
        document_key=(result.XmlDocumentKey or "").strip().lower(),
        file_name=(result.XmlFileName or "").strip(),
    )


def verdict_of(status: DianStatus, submitted_key: str = "") -> Verdict:
    """The Verdict a DianResponse gives; Regla 90 for this very document means accepted."""
    messages = tuple(parse_message(text, not status.is_valid) for text in status.errors)
    parts = (status.status_description, status.status_message)
    description = " ".join(dict.fromkeys(part for part in parts if part))
    verdict = Verdict(
        accepted=status.is_valid,
        authority=AUTHORITY,
        status_code=status.status_code,
        status_description=description,
        messages=messages,
        document_key=status.document_key,
        track_id=status.document_key,
        response_xml=status.application_response,
    )
    if status.is_valid or {m.rule for m in messages if m.rejection} != {"90"}:
        return verdict
    key, submitted = status.document_key, submitted_key.strip().lower()
    # Regla 90: DIAN already holds an accepted document with this number. It is this one when
    # the keys agree (a resend after an in-doubt delivery); otherwise the number was used by a
    # different document, which must not be recorded as accepted.
    if submitted and key and key != submitted:
        return replace(
            verdict,
            status_description=f"Regla 90 for a different document: DIAN already accepted this "
            f"number with CUFE {key}, so this document was not accepted. {description}",
        )
    original = key or submitted
    return replace(
        verdict,
        accepted=True,
        status_description=f"Accepted earlier: DIAN answered Regla 90 (documento procesado "
        f"anteriormente) and holds the accepted original, CUFE {original}. {description}",
        document_key=original,
        track_id=original,
    )


def verdict_from_response(result: Any, submitted_key: str = "") -> Verdict:
    """Read a DianResponse (as zeep deserialises it) into a Verdict; Regla 90 means accepted."""
    return verdict_of(read_status(result), submitted_key)


@dataclass(frozen=True)
class UploadProblem:
    """One XmlParamsResponseTrackId of an upload's ErrorMessageList."""

    processed_message: str
    success: bool = False
    document_key: str = ""
    sender_code: str = ""
    xml_file_name: str = ""


@dataclass(frozen=True)
class UploadReceipt:
    """An UploadDocumentResponse: the ZipKey to follow the upload with, and any problems."""

    zip_key: str
    problems: tuple[UploadProblem, ...] = ()


def read_upload(result: Any) -> UploadReceipt:
    """An UploadDocumentResponse (SendBillAsync, SendTestSetAsync) as zeep deserialises it."""
    problems = tuple(
        UploadProblem(
            processed_message=(item.ProcessedMessage or "").strip(),
            success=bool(item.Success),
            document_key=(item.DocumentKey or "").strip().lower(),
            sender_code=(item.SenderCode or "").strip(),
            xml_file_name=(item.XmlFileName or "").strip(),
        )
        for item in _items(result.ErrorMessageList, "XmlParamsResponseTrackId")
    )
    return UploadReceipt((result.ZipKey or "").strip(), problems)


@dataclass(frozen=True)
class BatchStatus:
    """GetStatusZip's answer: pending, the batch's refusal, or one status per document (and,
    in habilitación, the test set's status line)."""

    responses: tuple[DianStatus, ...]

    @property
    def pending(self) -> bool:
        """Whether DIAN is still validating the batch."""
        return any(status.pending for status in self.responses)

    @property
    def documents(self) -> tuple[DianStatus, ...]:
        """The answers about documents (neither the pending line nor the set's status)."""
        return tuple(
            status
            for status in self.responses
            if not status.pending and not status.is_test_set_status
        )

    @property
    def test_set_status(self) -> str:
        """The set's status text ("Set de prueba con identificador … se encuentra Aceptado.")."""
        for status in self.responses:
            if status.is_test_set_status:
                return status.status_description
        return ""


def read_status_zip(result: Any) -> BatchStatus:
    """An ArrayOfDianResponse (GetStatusZipResult) as zeep deserialises it."""
    return BatchStatus(tuple(read_status(item) for item in _items(result, "DianResponse")))


@dataclass(frozen=True)
class NumberingRangeInfo:
    """One NumberRangeResponse: an authorised range and its technical key (None for DS)."""

    resolution_number: str
    resolution_date: date | None
    prefix: str
    from_number: int
    to_number: int
    valid_from: date | None
    valid_to: date | None
    technical_key: str | None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class RangeList:
    """A NumberRangeResponseList: DIAN's operation code and text, and the ranges."""

    operation_code: str
    operation_description: str
    ranges: tuple[NumberingRangeInfo, ...] = ()


def read_ranges(result: Any) -> RangeList:
    """A NumberRangeResponseList (GetNumberingRangeResult) as zeep deserialises it."""
    ranges = tuple(
        NumberingRangeInfo(
            resolution_number=(item.ResolutionNumber or "").strip(),
            resolution_date=_date(item.ResolutionDate),
            prefix=(item.Prefix or "").strip(),
            from_number=int(item.FromNumber or 0),
            to_number=int(item.ToNumber or 0),
            valid_from=_date(item.ValidDateFrom),
            valid_to=_date(item.ValidDateTo),
            technical_key=(item.TechnicalKey or "").strip() or None,
        )
        for item in _items(result.ResponseList, "NumberRangeResponse")
    )
    return RangeList(
        (result.OperationCode or "").strip(), (result.OperationDescription or "").strip(), ranges
    )
