"""Credit, debit and DS adjustment notes: the document they correct and why.

A note names the corrected document in cac:BillingReference/cac:InvoiceDocumentReference
(its number, its CUFE — or CUDS for a nota de ajuste — and its issue date) and says why in
cac:DiscrepancyResponse (ReferenceID, DIAN's concept code, a description). Operation types 22
and 32 are notes without a referenced invoice: they carry no BillingReference. Notes are dated
on or after the corrected document (CBG06/DBG06). Facts: dian-colombia.md §3.3, §3.9.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from services.core.rejection import InputRejected
from services.countries.co.dates import parse_date
from services.countries.co.document_types import DocumentKind, kind_of
from services.countries.co.fragments import holder
from services.countries.co.free_text import free_text
from services.countries.co.namespaces import CAC, CBC
from services.countries.pack import Reference
from timbra.v1 import document_pb2

_NUMBER = re.compile(r"[A-Za-z0-9]{1,4}?[0-9]{1,20}")
_KEY = re.compile(r"[0-9a-f]{96}")
_SubElement = etree.SubElement


@dataclass(frozen=True)
class Correction:
    """Why a note corrects a document: DIAN's concept code and a description."""

    concept: str
    description: str


def parse_correction(
    co: document_pb2.ColombiaDocument, kind: DocumentKind, operation: str, path: str
) -> tuple[Reference | None, Correction | None]:
    """The referenced document and the correction concept of a note; (None, None) otherwise."""
    if not kind.note:
        for name in ("billing_reference", "correction_concept", "correction_description"):
            present = co.HasField(name) if name == "billing_reference" else getattr(co, name)
            if present:
                raise InputRejected(
                    f"{path}.{name}", f"only notes (91, 92, 95) carry it, not a {kind.name}"
                )
        return None, None
    reference = _reference(co, kind, operation, f"{path}.billing_reference")
    concept = co.correction_concept
    if concept not in kind.concepts:
        known = "; ".join(f"{code} {name}" for code, name in kind.concepts.items())
        raise InputRejected(
            f"{path}.correction_concept",
            f"a {kind.name} needs DIAN's concept code ({known}), got {concept!r}",
        )
    description = free_text(co.correction_description, f"{path}.correction_description", limit=5000)
    return reference, Correction(concept, description or kind.concepts[concept])


def _reference(
    co: document_pb2.ColombiaDocument, kind: DocumentKind, operation: str, path: str
) -> Reference | None:
    if operation in kind.unreferenced_operations:
        if co.HasField("billing_reference"):
            raise InputRejected(
                path, f"operation type {operation} is a {kind.name} without reference"
            )
        return None
    if not co.HasField("billing_reference"):
        raise InputRejected(
            path, f"is required: a {kind.name} names the document it corrects (number and key)"
        )
    given = co.billing_reference
    number = given.number.strip()
    if not _NUMBER.fullmatch(number):
        raise InputRejected(
            f"{path}.number", f"must be the corrected document's prefix and number, got {number!r}"
        )
    document_type = given.document_type or kind.references[0]
    if document_type not in kind.references:
        raise InputRejected(
            f"{path}.document_type",
            f"a {kind.name} corrects types {', '.join(kind.references)}, not {document_type!r}",
        )
    key = given.document_key.strip().lower()
    scheme = kind_of(document_type).key_scheme.split("-")[0]
    if not _KEY.fullmatch(key):
        raise InputRejected(
            f"{path}.document_key",
            f"must be the corrected document's {scheme} (96 hexadecimal characters)",
        )
    return Reference(
        number=number,
        document_key=key,
        issue_date=parse_date(given.issue_date, f"{path}.issue_date"),
        document_type=document_type,
        field=path,
    )


def check_note_date(reference: Reference | None, issue_date: date, path: str) -> None:
    """A note is not dated before the document it corrects (CBG06/DBG06)."""
    if reference is not None and issue_date < reference.issue_date:
        raise InputRejected(
            f"{path}.billing_reference.issue_date",
            f"the note's issue date {issue_date} is before the corrected document's "
            f"{reference.issue_date}",
        )


def discrepancy_response(correction: Correction, reference: Reference | None) -> etree._Element:
    """cac:DiscrepancyResponse: the corrected number, the concept code, the description."""
    node = _SubElement(holder(), CAC + "DiscrepancyResponse")
    if reference is not None:
        _SubElement(node, CBC + "ReferenceID").text = reference.number
    _SubElement(node, CBC + "ResponseCode").text = correction.concept
    _SubElement(node, CBC + "Description").text = correction.description
    return node


def billing_reference(reference: Reference) -> etree._Element:
    """cac:BillingReference/cac:InvoiceDocumentReference with the corrected document's key."""
    node = _SubElement(holder(), CAC + "BillingReference")
    document = _SubElement(node, CAC + "InvoiceDocumentReference")
    _SubElement(document, CBC + "ID").text = reference.number
    scheme = kind_of(reference.document_type).key_scheme
    _SubElement(document, CBC + "UUID", schemeName=scheme).text = reference.document_key
    _SubElement(document, CBC + "IssueDate").text = reference.issue_date.isoformat()
    return node
