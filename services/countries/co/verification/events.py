"""An ApplicationResponse (DIAN's answer, or a RADIAN event) and its CUDE (reference §1.4).

CUDE-evento = SHA-384(ID + IssueDate + IssueTime + SenderNIT + ReceiverNIT + ResponseCode +
DocumentReference/ID + DocumentReference/DocumentTypeCode + SoftwarePIN); no environment. For a
blank endorsement (037/038/039 with ResponseCode@listID 2) the sender's NIT is left out and the
listID follows the response code.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from services.countries.co.verification.values import (
    attribute,
    issue_date,
    issue_time,
    required,
    text,
)

BLANK_ENDORSEMENTS = ("037", "038", "039")
_PARTY = "cac:{}/cac:PartyTaxScheme/cbc:CompanyID"
_RESPONSE = "cac:DocumentResponse/cac:Response/cbc:ResponseCode"
_REFERENCE = "cac:DocumentResponse/cac:DocumentReference"


@dataclass(frozen=True)
class EventFacts:
    """What the event key is computed from, as written in the ApplicationResponse."""

    number: str
    issue_date: str
    issue_time: str
    sender_nit: str
    receiver_nit: str
    response_code: str
    response_list_id: str
    reference_id: str
    reference_type_code: str
    uuid: str
    uuid_scheme_name: str


def read_event(root: etree._Element) -> EventFacts:
    """Read an ApplicationResponse; SchemaViolation when a required element is missing."""
    return EventFacts(
        number=required(root, "cbc:ID"),
        issue_date=issue_date(root),
        issue_time=issue_time(root),
        sender_nit=text(root, _PARTY.format("SenderParty")),
        receiver_nit=text(root, _PARTY.format("ReceiverParty")),
        response_code=text(root, _RESPONSE),
        response_list_id=attribute(root, _RESPONSE, "listID"),
        reference_id=text(root, f"{_REFERENCE}/cbc:ID"),
        reference_type_code=text(root, f"{_REFERENCE}/cbc:DocumentTypeCode"),
        uuid=required(root, "cbc:UUID").lower(),
        uuid_scheme_name=attribute(root, "cbc:UUID", "schemeName"),
    )


def event_preimage(event: EventFacts, pin: str) -> str:
    """The exact string hashed for the event's CUDE, with `pin` in its place."""
    head = f"{event.number}{event.issue_date}{event.issue_time}"
    reference = f"{event.reference_id}{event.reference_type_code}{pin}"
    if event.response_code in BLANK_ENDORSEMENTS and event.response_list_id == "2":
        return f"{head}{event.receiver_nit}{event.response_code}2{reference}"
    return f"{head}{event.sender_nit}{event.receiver_nit}{event.response_code}{reference}"
