"""A note must correct a document that exists as it says: checked against issuing's own records
when the referenced document was issued through timbra (others are left to the authority)."""

from __future__ import annotations

import grpc

from services.core.rejection import InputRejected, precondition_failed
from services.countries.pack import Reference
from services.issuing.directory import Directory
from services.issuing.domain import State


def check_reference(directory: Directory, country: str, issuer: str, reference: Reference) -> None:
    """Refuse a note whose referenced document contradicts what timbra recorded."""
    field = reference.field
    # By key first: numbers are unique per type only in some countries (CL folios).
    known = directory.by_key(country, issuer, reference.document_key)
    if known is None:
        known = directory.by_number(country, issuer, reference.number)
        if known is not None and known.document_type != reference.document_type:
            known = None  # another document type's number: not the one named
    if known is None:
        return  # issued before timbra or by another system: the authority will check it
    if known.document_key != reference.document_key:
        raise InputRejected(
            f"{field}.document_key",
            f"is not the key of {reference.number} ({known.document_key[:16]}…)",
        )
    if known.issue_date != reference.issue_date.isoformat():
        raise InputRejected(
            f"{field}.issue_date", f"{reference.number} was issued on {known.issue_date}"
        )
    if known.state is not State.ACCEPTED:
        raise precondition_failed(
            field,
            f"{reference.number} is {known.state.name.lower()}, not accepted: "
            "only an accepted document can be corrected by a note",
        )
    if reference.document_type and known.document_type != reference.document_type:
        raise InputRejected(
            f"{field}.document_type",
            f"{reference.number} is of type {known.document_type}",
            grpc.StatusCode.INVALID_ARGUMENT,
        )
