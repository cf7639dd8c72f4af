import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegisterCertificateRequest(_message.Message):
    __slots__ = ("country", "issuer", "pkcs12", "password")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    PKCS12_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    pkcs12: bytes
    password: str
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., pkcs12: _Optional[bytes] = ..., password: _Optional[str] = ...) -> None: ...

class CertificateInfo(_message.Message):
    __slots__ = ("country", "issuer", "subject", "serial", "issuer_name", "not_before", "not_after", "sha256_fingerprint")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SERIAL_FIELD_NUMBER: _ClassVar[int]
    ISSUER_NAME_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_FIELD_NUMBER: _ClassVar[int]
    SHA256_FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    subject: str
    serial: str
    issuer_name: str
    not_before: _timestamp_pb2.Timestamp
    not_after: _timestamp_pb2.Timestamp
    sha256_fingerprint: str
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., subject: _Optional[str] = ..., serial: _Optional[str] = ..., issuer_name: _Optional[str] = ..., not_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., not_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sha256_fingerprint: _Optional[str] = ...) -> None: ...

class ListCertificatesRequest(_message.Message):
    __slots__ = ("issuer",)
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    issuer: str
    def __init__(self, issuer: _Optional[str] = ...) -> None: ...

class ListCertificatesResponse(_message.Message):
    __slots__ = ("certificates",)
    CERTIFICATES_FIELD_NUMBER: _ClassVar[int]
    certificates: _containers.RepeatedCompositeFieldContainer[CertificateInfo]
    def __init__(self, certificates: _Optional[_Iterable[_Union[CertificateInfo, _Mapping]]] = ...) -> None: ...

class RegisterFolioKeyRequest(_message.Message):
    __slots__ = ("country", "issuer", "content")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    content: bytes
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class FolioKeyInfo(_message.Message):
    __slots__ = ("country", "issuer", "key_id", "public_key_sha256")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_SHA256_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    key_id: str
    public_key_sha256: str
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., key_id: _Optional[str] = ..., public_key_sha256: _Optional[str] = ...) -> None: ...
