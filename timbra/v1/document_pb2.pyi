from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PersonType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PERSON_TYPE_UNSPECIFIED: _ClassVar[PersonType]
    PERSON_TYPE_LEGAL: _ClassVar[PersonType]
    PERSON_TYPE_NATURAL: _ClassVar[PersonType]
PERSON_TYPE_UNSPECIFIED: PersonType
PERSON_TYPE_LEGAL: PersonType
PERSON_TYPE_NATURAL: PersonType

class Address(_message.Message):
    __slots__ = ("line", "city_code", "city_name", "subdivision_code", "subdivision_name", "postal_zone", "country")
    LINE_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CITY_NAME_FIELD_NUMBER: _ClassVar[int]
    SUBDIVISION_CODE_FIELD_NUMBER: _ClassVar[int]
    SUBDIVISION_NAME_FIELD_NUMBER: _ClassVar[int]
    POSTAL_ZONE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    line: str
    city_code: str
    city_name: str
    subdivision_code: str
    subdivision_name: str
    postal_zone: str
    country: str
    def __init__(self, line: _Optional[str] = ..., city_code: _Optional[str] = ..., city_name: _Optional[str] = ..., subdivision_code: _Optional[str] = ..., subdivision_name: _Optional[str] = ..., postal_zone: _Optional[str] = ..., country: _Optional[str] = ...) -> None: ...

class Party(_message.Message):
    __slots__ = ("tax_id", "check_digit", "id_type", "name", "person_type", "tax_responsibilities", "tax_scheme", "address", "email", "phone", "trade_name", "business_activity")
    TAX_ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_DIGIT_FIELD_NUMBER: _ClassVar[int]
    ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PERSON_TYPE_FIELD_NUMBER: _ClassVar[int]
    TAX_RESPONSIBILITIES_FIELD_NUMBER: _ClassVar[int]
    TAX_SCHEME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    TRADE_NAME_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    tax_id: str
    check_digit: str
    id_type: str
    name: str
    person_type: PersonType
    tax_responsibilities: _containers.RepeatedScalarFieldContainer[str]
    tax_scheme: str
    address: Address
    email: str
    phone: str
    trade_name: str
    business_activity: str
    def __init__(self, tax_id: _Optional[str] = ..., check_digit: _Optional[str] = ..., id_type: _Optional[str] = ..., name: _Optional[str] = ..., person_type: _Optional[_Union[PersonType, str]] = ..., tax_responsibilities: _Optional[_Iterable[str]] = ..., tax_scheme: _Optional[str] = ..., address: _Optional[_Union[Address, _Mapping]] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., trade_name: _Optional[str] = ..., business_activity: _Optional[str] = ...) -> None: ...

class LineTax(_message.Message):
    __slots__ = ("scheme", "percent", "amount", "taxable_amount")
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TAXABLE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    scheme: str
    percent: str
    amount: str
    taxable_amount: str
    def __init__(self, scheme: _Optional[str] = ..., percent: _Optional[str] = ..., amount: _Optional[str] = ..., taxable_amount: _Optional[str] = ...) -> None: ...

class AllowanceCharge(_message.Message):
    __slots__ = ("charge", "reason_code", "reason", "percent", "amount", "base_amount", "exempt_amounts")
    CHARGE_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    BASE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EXEMPT_AMOUNTS_FIELD_NUMBER: _ClassVar[int]
    charge: bool
    reason_code: str
    reason: str
    percent: str
    amount: str
    base_amount: str
    exempt_amounts: bool
    def __init__(self, charge: _Optional[bool] = ..., reason_code: _Optional[str] = ..., reason: _Optional[str] = ..., percent: _Optional[str] = ..., amount: _Optional[str] = ..., base_amount: _Optional[str] = ..., exempt_amounts: _Optional[bool] = ...) -> None: ...

class Period(_message.Message):
    __slots__ = ("start_date", "end_date", "description_code")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_CODE_FIELD_NUMBER: _ClassVar[int]
    start_date: str
    end_date: str
    description_code: str
    def __init__(self, start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., description_code: _Optional[str] = ...) -> None: ...

class Line(_message.Message):
    __slots__ = ("description", "quantity", "unit_code", "unit_price", "taxes", "item_code", "line_extension_amount", "standard_item_code", "allowance_charges", "period", "standard_item_scheme", "exemption")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    TAXES_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    LINE_EXTENSION_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    STANDARD_ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCE_CHARGES_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STANDARD_ITEM_SCHEME_FIELD_NUMBER: _ClassVar[int]
    EXEMPTION_FIELD_NUMBER: _ClassVar[int]
    description: str
    quantity: str
    unit_code: str
    unit_price: str
    taxes: _containers.RepeatedCompositeFieldContainer[LineTax]
    item_code: str
    line_extension_amount: str
    standard_item_code: str
    allowance_charges: _containers.RepeatedCompositeFieldContainer[AllowanceCharge]
    period: Period
    standard_item_scheme: str
    exemption: str
    def __init__(self, description: _Optional[str] = ..., quantity: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit_price: _Optional[str] = ..., taxes: _Optional[_Iterable[_Union[LineTax, _Mapping]]] = ..., item_code: _Optional[str] = ..., line_extension_amount: _Optional[str] = ..., standard_item_code: _Optional[str] = ..., allowance_charges: _Optional[_Iterable[_Union[AllowanceCharge, _Mapping]]] = ..., period: _Optional[_Union[Period, _Mapping]] = ..., standard_item_scheme: _Optional[str] = ..., exemption: _Optional[str] = ...) -> None: ...

class Totals(_message.Message):
    __slots__ = ("line_extension_amount", "tax_exclusive_amount", "tax_inclusive_amount", "allowance_total_amount", "charge_total_amount", "payable_amount", "prepaid_amount")
    LINE_EXTENSION_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TAX_EXCLUSIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TAX_INCLUSIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCE_TOTAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CHARGE_TOTAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PAYABLE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PREPAID_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    line_extension_amount: str
    tax_exclusive_amount: str
    tax_inclusive_amount: str
    allowance_total_amount: str
    charge_total_amount: str
    payable_amount: str
    prepaid_amount: str
    def __init__(self, line_extension_amount: _Optional[str] = ..., tax_exclusive_amount: _Optional[str] = ..., tax_inclusive_amount: _Optional[str] = ..., allowance_total_amount: _Optional[str] = ..., charge_total_amount: _Optional[str] = ..., payable_amount: _Optional[str] = ..., prepaid_amount: _Optional[str] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("means", "method_code", "due_date")
    MEANS_FIELD_NUMBER: _ClassVar[int]
    METHOD_CODE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    means: str
    method_code: str
    due_date: str
    def __init__(self, means: _Optional[str] = ..., method_code: _Optional[str] = ..., due_date: _Optional[str] = ...) -> None: ...

class BillingReference(_message.Message):
    __slots__ = ("number", "document_key", "issue_date", "document_type")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_KEY_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    number: str
    document_key: str
    issue_date: str
    document_type: str
    def __init__(self, number: _Optional[str] = ..., document_key: _Optional[str] = ..., issue_date: _Optional[str] = ..., document_type: _Optional[str] = ...) -> None: ...

class ExchangeRate(_message.Message):
    __slots__ = ("target_currency", "rate", "date")
    TARGET_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    target_currency: str
    rate: str
    date: str
    def __init__(self, target_currency: _Optional[str] = ..., rate: _Optional[str] = ..., date: _Optional[str] = ...) -> None: ...

class Prepayment(_message.Message):
    __slots__ = ("id", "amount", "received_date")
    ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_DATE_FIELD_NUMBER: _ClassVar[int]
    id: str
    amount: str
    received_date: str
    def __init__(self, id: _Optional[str] = ..., amount: _Optional[str] = ..., received_date: _Optional[str] = ...) -> None: ...

class PaperContingency(_message.Message):
    __slots__ = ("number", "issued_at")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    number: int
    issued_at: str
    def __init__(self, number: _Optional[int] = ..., issued_at: _Optional[str] = ...) -> None: ...

class ColombiaDocument(_message.Message):
    __slots__ = ("document_type", "operation_type", "range_prefix", "order_reference", "billing_reference", "correction_concept", "correction_description", "exchange_rate", "prepayments", "paper")
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OPERATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    RANGE_PREFIX_FIELD_NUMBER: _ClassVar[int]
    ORDER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    BILLING_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_CONCEPT_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENTS_FIELD_NUMBER: _ClassVar[int]
    PAPER_FIELD_NUMBER: _ClassVar[int]
    document_type: str
    operation_type: str
    range_prefix: str
    order_reference: str
    billing_reference: BillingReference
    correction_concept: str
    correction_description: str
    exchange_rate: ExchangeRate
    prepayments: _containers.RepeatedCompositeFieldContainer[Prepayment]
    paper: PaperContingency
    def __init__(self, document_type: _Optional[str] = ..., operation_type: _Optional[str] = ..., range_prefix: _Optional[str] = ..., order_reference: _Optional[str] = ..., billing_reference: _Optional[_Union[BillingReference, _Mapping]] = ..., correction_concept: _Optional[str] = ..., correction_description: _Optional[str] = ..., exchange_rate: _Optional[_Union[ExchangeRate, _Mapping]] = ..., prepayments: _Optional[_Iterable[_Union[Prepayment, _Mapping]]] = ..., paper: _Optional[_Union[PaperContingency, _Mapping]] = ...) -> None: ...

class ChileReference(_message.Message):
    __slots__ = ("document_type", "folio", "date", "code", "reason")
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FOLIO_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    GLOBAL_FIELD_NUMBER: _ClassVar[int]
    document_type: str
    folio: str
    date: str
    code: int
    reason: str
    def __init__(self, document_type: _Optional[str] = ..., folio: _Optional[str] = ..., date: _Optional[str] = ..., code: _Optional[int] = ..., reason: _Optional[str] = ..., **kwargs) -> None: ...

class ChileDocument(_message.Message):
    __slots__ = ("dte_type", "payment_form", "transfer_indicator", "dispatch_type", "references")
    DTE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FORM_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_INDICATOR_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_TYPE_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    dte_type: int
    payment_form: int
    transfer_indicator: int
    dispatch_type: int
    references: _containers.RepeatedCompositeFieldContainer[ChileReference]
    def __init__(self, dte_type: _Optional[int] = ..., payment_form: _Optional[int] = ..., transfer_indicator: _Optional[int] = ..., dispatch_type: _Optional[int] = ..., references: _Optional[_Iterable[_Union[ChileReference, _Mapping]]] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("country", "issuer", "customer", "currency", "lines", "totals", "payment", "notes", "allowance_charges", "co", "cl")
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCE_CHARGES_FIELD_NUMBER: _ClassVar[int]
    CO_FIELD_NUMBER: _ClassVar[int]
    CL_FIELD_NUMBER: _ClassVar[int]
    country: str
    issuer: str
    customer: Party
    currency: str
    lines: _containers.RepeatedCompositeFieldContainer[Line]
    totals: Totals
    payment: Payment
    notes: _containers.RepeatedScalarFieldContainer[str]
    allowance_charges: _containers.RepeatedCompositeFieldContainer[AllowanceCharge]
    co: ColombiaDocument
    cl: ChileDocument
    def __init__(self, country: _Optional[str] = ..., issuer: _Optional[str] = ..., customer: _Optional[_Union[Party, _Mapping]] = ..., currency: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[Line, _Mapping]]] = ..., totals: _Optional[_Union[Totals, _Mapping]] = ..., payment: _Optional[_Union[Payment, _Mapping]] = ..., notes: _Optional[_Iterable[str]] = ..., allowance_charges: _Optional[_Iterable[_Union[AllowanceCharge, _Mapping]]] = ..., co: _Optional[_Union[ColombiaDocument, _Mapping]] = ..., cl: _Optional[_Union[ChileDocument, _Mapping]] = ...) -> None: ...

class AuthorityMessage(_message.Message):
    __slots__ = ("rule", "text", "rejection")
    RULE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    REJECTION_FIELD_NUMBER: _ClassVar[int]
    rule: str
    text: str
    rejection: bool
    def __init__(self, rule: _Optional[str] = ..., text: _Optional[str] = ..., rejection: _Optional[bool] = ...) -> None: ...

class AuthorityVerdict(_message.Message):
    __slots__ = ("authority", "is_valid", "status_code", "status_description", "messages", "document_key", "track_id")
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    IS_VALID_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_KEY_FIELD_NUMBER: _ClassVar[int]
    TRACK_ID_FIELD_NUMBER: _ClassVar[int]
    authority: str
    is_valid: bool
    status_code: str
    status_description: str
    messages: _containers.RepeatedCompositeFieldContainer[AuthorityMessage]
    document_key: str
    track_id: str
    def __init__(self, authority: _Optional[str] = ..., is_valid: _Optional[bool] = ..., status_code: _Optional[str] = ..., status_description: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[AuthorityMessage, _Mapping]]] = ..., document_key: _Optional[str] = ..., track_id: _Optional[str] = ...) -> None: ...
