import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from timbra.v1 import document_pb2 as _document_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_STATE_UNSPECIFIED: _ClassVar[DocumentState]
    DRAFTED: _ClassVar[DocumentState]
    SIGNED: _ClassVar[DocumentState]
    TRANSMITTED: _ClassVar[DocumentState]
    ACCEPTED: _ClassVar[DocumentState]
    REJECTED: _ClassVar[DocumentState]
DOCUMENT_STATE_UNSPECIFIED: DocumentState
DRAFTED: DocumentState
SIGNED: DocumentState
TRANSMITTED: DocumentState
ACCEPTED: DocumentState
REJECTED: DocumentState

class IssueRequest(_message.Message):
    __slots__ = ("request_id", "document")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    document: _document_pb2.Document
    def __init__(self, request_id: _Optional[str] = ..., document: _Optional[_Union[_document_pb2.Document, _Mapping]] = ...) -> None: ...

class IssueError(_message.Message):
    __slots__ = ("code", "field", "rule", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    field: str
    rule: str
    message: str
    def __init__(self, code: _Optional[int] = ..., field: _Optional[str] = ..., rule: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class DocumentUpdate(_message.Message):
    __slots__ = ("request_id", "document_id", "issuer", "country", "number", "document_key", "state", "at", "verdict", "duplicate_request", "error", "document_type")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_KEY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    document_id: str
    issuer: str
    country: str
    number: str
    document_key: str
    state: DocumentState
    at: _timestamp_pb2.Timestamp
    verdict: _document_pb2.AuthorityVerdict
    duplicate_request: bool
    error: IssueError
    document_type: str
    def __init__(self, request_id: _Optional[str] = ..., document_id: _Optional[str] = ..., issuer: _Optional[str] = ..., country: _Optional[str] = ..., number: _Optional[str] = ..., document_key: _Optional[str] = ..., state: _Optional[_Union[DocumentState, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., verdict: _Optional[_Union[_document_pb2.AuthorityVerdict, _Mapping]] = ..., duplicate_request: _Optional[bool] = ..., error: _Optional[_Union[IssueError, _Mapping]] = ..., document_type: _Optional[str] = ...) -> None: ...

class GetDocumentRequest(_message.Message):
    __slots__ = ("document_id", "number", "request_id", "issuer", "include_files")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_FILES_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    number: str
    request_id: str
    issuer: str
    include_files: bool
    def __init__(self, document_id: _Optional[str] = ..., number: _Optional[str] = ..., request_id: _Optional[str] = ..., issuer: _Optional[str] = ..., include_files: _Optional[bool] = ...) -> None: ...

class HistoryEntry(_message.Message):
    __slots__ = ("event", "version", "at")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    event: str
    version: int
    at: _timestamp_pb2.Timestamp
    def __init__(self, event: _Optional[str] = ..., version: _Optional[int] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DocumentView(_message.Message):
    __slots__ = ("document_id", "request_id", "issuer", "country", "document_type", "number", "document_key", "state", "issue_date", "payable_amount", "currency", "customer_id", "verdict", "history", "signed_xml", "authority_response", "updated_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_KEY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYABLE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    SIGNED_XML_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    request_id: str
    issuer: str
    country: str
    document_type: str
    number: str
    document_key: str
    state: DocumentState
    issue_date: str
    payable_amount: str
    currency: str
    customer_id: str
    verdict: _document_pb2.AuthorityVerdict
    history: _containers.RepeatedCompositeFieldContainer[HistoryEntry]
    signed_xml: bytes
    authority_response: bytes
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., request_id: _Optional[str] = ..., issuer: _Optional[str] = ..., country: _Optional[str] = ..., document_type: _Optional[str] = ..., number: _Optional[str] = ..., document_key: _Optional[str] = ..., state: _Optional[_Union[DocumentState, str]] = ..., issue_date: _Optional[str] = ..., payable_amount: _Optional[str] = ..., currency: _Optional[str] = ..., customer_id: _Optional[str] = ..., verdict: _Optional[_Union[_document_pb2.AuthorityVerdict, _Mapping]] = ..., history: _Optional[_Iterable[_Union[HistoryEntry, _Mapping]]] = ..., signed_xml: _Optional[bytes] = ..., authority_response: _Optional[bytes] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("country", "issuer", "states", "number", "include_files", "limit")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_FILES_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    states: _containers.RepeatedScalarFieldContainer[DocumentState]
    number: str
    include_files: bool
    limit: int
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., states: _Optional[_Iterable[_Union[DocumentState, str]]] = ..., number: _Optional[str] = ..., include_files: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class WatchDocumentsRequest(_message.Message):
    __slots__ = ("issuer", "document_ids", "states", "from_beginning")
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    FROM_BEGINNING_FIELD_NUMBER: _ClassVar[int]
    issuer: str
    document_ids: _containers.RepeatedScalarFieldContainer[str]
    states: _containers.RepeatedScalarFieldContainer[DocumentState]
    from_beginning: bool
    def __init__(self, issuer: _Optional[str] = ..., document_ids: _Optional[_Iterable[str]] = ..., states: _Optional[_Iterable[_Union[DocumentState, str]]] = ..., from_beginning: _Optional[bool] = ...) -> None: ...

class IssuerProfile(_message.Message):
    __slots__ = ("country", "party", "software_id", "software_pin", "environment", "provider_tax_id", "provider_check_digit", "commercial_registration", "industry_code", "test_set_id", "support_software_id", "support_software_pin", "activity_codes", "authorization_date", "authorization_number")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    SOFTWARE_ID_FIELD_NUMBER: _ClassVar[int]
    SOFTWARE_PIN_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TAX_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CHECK_DIGIT_FIELD_NUMBER: _ClassVar[int]
    COMMERCIAL_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    TEST_SET_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_SOFTWARE_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_SOFTWARE_PIN_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_CODES_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_DATE_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    country: str
    party: _document_pb2.Party
    software_id: str
    software_pin: str
    environment: str
    provider_tax_id: str
    provider_check_digit: str
    commercial_registration: str
    industry_code: str
    test_set_id: str
    support_software_id: str
    support_software_pin: str
    activity_codes: _containers.RepeatedScalarFieldContainer[str]
    authorization_date: str
    authorization_number: str
    def __init__(self, country: _Optional[str] = ..., party: _Optional[_Union[_document_pb2.Party, _Mapping]] = ..., software_id: _Optional[str] = ..., software_pin: _Optional[str] = ..., environment: _Optional[str] = ..., provider_tax_id: _Optional[str] = ..., provider_check_digit: _Optional[str] = ..., commercial_registration: _Optional[str] = ..., industry_code: _Optional[str] = ..., test_set_id: _Optional[str] = ..., support_software_id: _Optional[str] = ..., support_software_pin: _Optional[str] = ..., activity_codes: _Optional[_Iterable[str]] = ..., authorization_date: _Optional[str] = ..., authorization_number: _Optional[str] = ...) -> None: ...

class NumberingRange(_message.Message):
    __slots__ = ("range_id", "country", "issuer", "document_types", "authorization", "prefix", "range_from", "range_to", "valid_from", "valid_to", "technical_key", "next_number", "remaining", "warnings")
    RANGE_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    AUTHORIZATION_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    RANGE_FROM_FIELD_NUMBER: _ClassVar[int]
    RANGE_TO_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    TECHNICAL_KEY_FIELD_NUMBER: _ClassVar[int]
    NEXT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    range_id: str
    country: str
    issuer: str
    document_types: _containers.RepeatedScalarFieldContainer[str]
    authorization: str
    prefix: str
    range_from: int
    range_to: int
    valid_from: str
    valid_to: str
    technical_key: str
    next_number: int
    remaining: int
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, range_id: _Optional[str] = ..., country: _Optional[str] = ..., issuer: _Optional[str] = ..., document_types: _Optional[_Iterable[str]] = ..., authorization: _Optional[str] = ..., prefix: _Optional[str] = ..., range_from: _Optional[int] = ..., range_to: _Optional[int] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ..., technical_key: _Optional[str] = ..., next_number: _Optional[int] = ..., remaining: _Optional[int] = ..., warnings: _Optional[_Iterable[str]] = ...) -> None: ...

class GetIssuerRequest(_message.Message):
    __slots__ = ("country", "issuer")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ...) -> None: ...

class SetTestSetRequest(_message.Message):
    __slots__ = ("country", "issuer", "test_set_id")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    TEST_SET_ID_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    test_set_id: str
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., test_set_id: _Optional[str] = ...) -> None: ...

class LoadNumberingFileRequest(_message.Message):
    __slots__ = ("country", "issuer", "content")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    content: bytes
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class AnnulNumbersRequest(_message.Message):
    __slots__ = ("range_id", "number_from", "number_to", "reason")
    RANGE_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FROM_FIELD_NUMBER: _ClassVar[int]
    NUMBER_TO_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    range_id: str
    number_from: int
    number_to: int
    reason: str
    def __init__(self, range_id: _Optional[str] = ..., number_from: _Optional[int] = ..., number_to: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ListNumberingRangesRequest(_message.Message):
    __slots__ = ("issuer", "country")
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    issuer: str
    country: str
    def __init__(self, issuer: _Optional[str] = ..., country: _Optional[str] = ...) -> None: ...

class ListNumberingRangesResponse(_message.Message):
    __slots__ = ("ranges",)
    RANGES_FIELD_NUMBER: _ClassVar[int]
    ranges: _containers.RepeatedCompositeFieldContainer[NumberingRange]
    def __init__(self, ranges: _Optional[_Iterable[_Union[NumberingRange, _Mapping]]] = ...) -> None: ...
