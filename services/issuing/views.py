"""Protobuf views of issuing's state: updates, documents, ranges."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from google.protobuf.json_format import ParseDict

from services.core.envelope import timestamp
from services.core.rejection import InputRejected
from services.countries.pack import IssuerProfile
from services.countries.registry import pack_for
from services.issuing.directory import Summary
from services.issuing.domain import Document, NumberingRange, State
from timbra.v1 import document_pb2, issuing_pb2


def verdict_message(verdict: dict[str, Any]) -> document_pb2.AuthorityVerdict:
    """The stored verdict (plain data) as its protobuf message."""
    message = document_pb2.AuthorityVerdict()
    if verdict:
        ParseDict(verdict, message, ignore_unknown_fields=True)
    return message


def update_from_summary(summary: Summary, request_id: str = "") -> issuing_pb2.DocumentUpdate:
    """A DocumentUpdate for a directory summary."""
    update = issuing_pb2.DocumentUpdate(
        request_id=request_id or summary.request_id,
        document_id=str(summary.document_id),
        issuer=summary.issuer,
        country=summary.country,
        number=summary.number,
        document_key=summary.document_key,
        document_type=summary.document_type,
        state=int(summary.state),
        at=timestamp(summary.updated_at),
    )
    if summary.state.final:
        update.verdict.CopyFrom(verdict_message(summary.verdict))
    return update


def update_from_document(document: Document, duplicate: bool) -> issuing_pb2.DocumentUpdate:
    """A DocumentUpdate for a freshly drafted (or already known) document."""
    update = issuing_pb2.DocumentUpdate(
        request_id=document.request_id,
        document_id=str(document.id),
        issuer=document.issuer,
        country=document.country,
        number=document.number,
        document_key=document.document_key,
        document_type=document.document_type,
        state=int(document.state),
        at=timestamp(document.modified_on),
        duplicate_request=duplicate,
    )
    if document.state.final:
        update.verdict.CopyFrom(verdict_message(document.verdict))
    return update


def error_update(request_id: str, refusal: InputRejected) -> issuing_pb2.DocumentUpdate:
    """A DocumentUpdate saying a request was refused and why."""
    return issuing_pb2.DocumentUpdate(
        request_id=request_id,
        error=issuing_pb2.IssueError(
            code=refusal.code.value[0],
            field=refusal.field,
            rule=refusal.rule,
            message=refusal.message,
        ),
    )


def document_view(
    summary: Summary, document: Document | None, history: list[Any]
) -> issuing_pb2.DocumentView:
    """A DocumentView; files and history only when the document itself was loaded."""
    view = issuing_pb2.DocumentView(
        document_id=str(summary.document_id),
        request_id=summary.request_id,
        issuer=summary.issuer,
        country=summary.country,
        document_type=summary.document_type,
        number=summary.number,
        document_key=summary.document_key,
        state=int(summary.state),
        issue_date=summary.issue_date,
        payable_amount=str(summary.payable_amount),
        currency=summary.currency,
        customer_id=summary.customer_id,
        updated_at=timestamp(summary.updated_at),
    )
    if summary.state.final:
        view.verdict.CopyFrom(verdict_message(summary.verdict))
    for event in history:
        view.history.add(
            event=type(event).__name__,
            version=event.originator_version,
            at=timestamp(event.timestamp),
        )
    if document is not None:
        view.signed_xml = document.signed_xml
        view.authority_response = document.authority_response
    return view


def range_warnings(numbering: NumberingRange, today: date | None = None) -> list[str]:
    """What an operator should know about a range now."""
    today = today or datetime.now(pack_for(numbering.country).timezone).date()
    warnings = []
    if numbering.remaining == 0:
        warnings.append("exhausted")
    elif numbering.warned_running_out:
        warnings.append(f"running out: {numbering.remaining} numbers left")
    if today > numbering.valid_to:
        warnings.append(f"expired on {numbering.valid_to}")
    elif (numbering.valid_to - today).days <= 30:
        warnings.append(
            f"expires on {numbering.valid_to} ({(numbering.valid_to - today).days} days)"
        )
    return warnings


def range_view(numbering: NumberingRange) -> issuing_pb2.NumberingRange:
    """A NumberingRange message; the technical key is never returned."""
    return issuing_pb2.NumberingRange(
        range_id=str(numbering.id),
        country=numbering.country,
        issuer=numbering.issuer,
        document_types=numbering.document_types,
        authorization=numbering.authorization,
        prefix=numbering.prefix,
        range_from=numbering.range_from,
        range_to=numbering.range_to,
        valid_from=numbering.valid_from.isoformat(),
        valid_to=numbering.valid_to.isoformat(),
        next_number=numbering.next_number,
        remaining=numbering.remaining,
        warnings=range_warnings(numbering),
    )


def states_of(values: Any) -> set[State]:
    """DocumentState enum values from a request as domain states."""
    return {State(v) for v in values if v}


def profile_view(profile: IssuerProfile) -> issuing_pb2.IssuerProfile:
    """An issuer profile message without its secrets (the PINs)."""
    party = profile.party
    address = party.address
    return issuing_pb2.IssuerProfile(
        country=profile.country,
        party=document_pb2.Party(
            tax_id=party.tax_id,
            check_digit=party.check_digit,
            id_type=party.id_type,
            name=party.name,
            person_type=int(party.person_type or 0),
            tax_responsibilities=list(party.tax_responsibilities),
            tax_scheme=party.tax_scheme,
            address=document_pb2.Address(**dataclasses.asdict(address)) if address else None,
            email=party.email,
            phone=party.phone,
            trade_name=party.trade_name,
            business_activity=party.business_activity,
        ),
        software_id=profile.software_id,
        environment=profile.environment,
        provider_tax_id=profile.provider_tax_id,
        provider_check_digit=profile.provider_check_digit,
        commercial_registration=profile.commercial_registration,
        industry_code=profile.industry_code,
        test_set_id=profile.test_set_id,
        support_software_id=profile.support_software_id,
        activity_codes=list(profile.activity_codes),
        authorization_date=(
            profile.authorization_date.isoformat() if profile.authorization_date else ""
        ),
        authorization_number=profile.authorization_number,
    )
