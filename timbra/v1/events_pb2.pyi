import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from timbra.v1 import document_pb2 as _document_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventEnvelope(_message.Message):
    __slots__ = ("event_id", "type", "document_id", "issuer", "country", "originator_version", "occurred_at", "correlation_id", "source", "drafted", "signed", "transmitted", "accepted", "rejected", "contingency_declared", "contingency_ended")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ORIGINATOR_VERSION_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DRAFTED_FIELD_NUMBER: _ClassVar[int]
    SIGNED_FIELD_NUMBER: _ClassVar[int]
    TRANSMITTED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    CONTINGENCY_DECLARED_FIELD_NUMBER: _ClassVar[int]
    CONTINGENCY_ENDED_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    type: str
    document_id: str
    issuer: str
    country: str
    originator_version: int
    occurred_at: _timestamp_pb2.Timestamp
    correlation_id: str
    source: str
    drafted: DocumentDrafted
    signed: DocumentSigned
    transmitted: DocumentTransmitted
    accepted: DocumentAccepted
    rejected: DocumentRejected
    contingency_declared: ContingencyDeclared
    contingency_ended: ContingencyEnded
    def __init__(self, event_id: _Optional[str] = ..., type: _Optional[str] = ..., document_id: _Optional[str] = ..., issuer: _Optional[str] = ..., country: _Optional[str] = ..., originator_version: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., correlation_id: _Optional[str] = ..., source: _Optional[str] = ..., drafted: _Optional[_Union[DocumentDrafted, _Mapping]] = ..., signed: _Optional[_Union[DocumentSigned, _Mapping]] = ..., transmitted: _Optional[_Union[DocumentTransmitted, _Mapping]] = ..., accepted: _Optional[_Union[DocumentAccepted, _Mapping]] = ..., rejected: _Optional[_Union[DocumentRejected, _Mapping]] = ..., contingency_declared: _Optional[_Union[ContingencyDeclared, _Mapping]] = ..., contingency_ended: _Optional[_Union[ContingencyEnded, _Mapping]] = ...) -> None: ...

class DocumentDrafted(_message.Message):
    __slots__ = ("request_id", "document_type", "number", "document_key", "key_scheme", "unsigned_xml", "issue_date", "issued_at", "utc_offset", "range_id", "customer_id", "currency", "payable_amount", "environment", "transmission_options", "canonical_xml")
    class TransmissionOptionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_SCHEME_FIELD_NUMBER: _ClassVar[int]
    UNSIGNED_XML_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    UTC_OFFSET_FIELD_NUMBER: _ClassVar[int]
    RANGE_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PAYABLE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    TRANSMISSION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    CANONICAL_XML_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    document_type: str
    number: str
    document_key: str
    key_scheme: str
    unsigned_xml: bytes
    issue_date: str
    issued_at: _timestamp_pb2.Timestamp
    utc_offset: str
    range_id: str
    customer_id: str
    currency: str
    payable_amount: str
    environment: str
    transmission_options: _containers.ScalarMap[str, str]
    canonical_xml: bool
    def __init__(self, request_id: _Optional[str] = ..., document_type: _Optional[str] = ..., number: _Optional[str] = ..., document_key: _Optional[str] = ..., key_scheme: _Optional[str] = ..., unsigned_xml: _Optional[bytes] = ..., issue_date: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., utc_offset: _Optional[str] = ..., range_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., currency: _Optional[str] = ..., payable_amount: _Optional[str] = ..., environment: _Optional[str] = ..., transmission_options: _Optional[_Mapping[str, str]] = ..., canonical_xml: _Optional[bool] = ...) -> None: ...

class DocumentSigned(_message.Message):
    __slots__ = ("signed_xml", "certificate_serial", "certificate_subject", "signing_time", "signed_digest", "number", "document_key", "document_type", "environment", "transmission_options")
    class TransmissionOptionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SIGNED_XML_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_SERIAL_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SIGNING_TIME_FIELD_NUMBER: _ClassVar[int]
    SIGNED_DIGEST_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_KEY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    TRANSMISSION_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    signed_xml: bytes
    certificate_serial: str
    certificate_subject: str
    signing_time: _timestamp_pb2.Timestamp
    signed_digest: str
    number: str
    document_key: str
    document_type: str
    environment: str
    transmission_options: _containers.ScalarMap[str, str]
    def __init__(self, signed_xml: _Optional[bytes] = ..., certificate_serial: _Optional[str] = ..., certificate_subject: _Optional[str] = ..., signing_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., signed_digest: _Optional[str] = ..., number: _Optional[str] = ..., document_key: _Optional[str] = ..., document_type: _Optional[str] = ..., environment: _Optional[str] = ..., transmission_options: _Optional[_Mapping[str, str]] = ...) -> None: ...

class DocumentTransmitted(_message.Message):
    __slots__ = ("authority", "endpoint", "operation", "file_name", "attempt", "sent_at", "track_id")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    TRACK_ID_FIELD_NUMBER: _ClassVar[int]
    authority: str
    endpoint: str
    operation: str
    file_name: str
    attempt: int
    sent_at: _timestamp_pb2.Timestamp
    track_id: str
    def __init__(self, authority: _Optional[str] = ..., endpoint: _Optional[str] = ..., operation: _Optional[str] = ..., file_name: _Optional[str] = ..., attempt: _Optional[int] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., track_id: _Optional[str] = ...) -> None: ...

class DocumentAccepted(_message.Message):
    __slots__ = ("verdict", "authority_response", "decided_at")
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    verdict: _document_pb2.AuthorityVerdict
    authority_response: bytes
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, verdict: _Optional[_Union[_document_pb2.AuthorityVerdict, _Mapping]] = ..., authority_response: _Optional[bytes] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DocumentRejected(_message.Message):
    __slots__ = ("verdict", "authority_response", "decided_at", "stage")
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    AUTHORITY_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    verdict: _document_pb2.AuthorityVerdict
    authority_response: bytes
    decided_at: _timestamp_pb2.Timestamp
    stage: str
    def __init__(self, verdict: _Optional[_Union[_document_pb2.AuthorityVerdict, _Mapping]] = ..., authority_response: _Optional[bytes] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stage: _Optional[str] = ...) -> None: ...

class ContingencyDeclared(_message.Message):
    __slots__ = ("authority", "reason", "attempts", "declared_at")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    DECLARED_AT_FIELD_NUMBER: _ClassVar[int]
    authority: str
    reason: str
    attempts: int
    declared_at: _timestamp_pb2.Timestamp
    def __init__(self, authority: _Optional[str] = ..., reason: _Optional[str] = ..., attempts: _Optional[int] = ..., declared_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ContingencyEnded(_message.Message):
    __slots__ = ("authority", "ended_at", "backlog", "backlog_deadline")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    authority: str
    ended_at: _timestamp_pb2.Timestamp
    backlog: int
    backlog_deadline: _timestamp_pb2.Timestamp
    def __init__(self, authority: _Optional[str] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., backlog: _Optional[int] = ..., backlog_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
