"""`timbra verify`: check any DIAN document file, ours or another program's, without DIAN.

A file may be an Invoice, CreditNote or DebitNote, DIAN's ApplicationResponse, the
AttachedDocument sent to buyers (its embedded document and ApplicationResponse are verified
too), or a ZIP holding such files. Each gets a VerificationReport: the UBL 2.1 schema, the
XAdES-EPES signature checked independently with libxmlsec1 (every reference digest and the
SignatureValue) and its properties, the certificate, and the document key when its secret is
given (otherwise the exact string that would be hashed). A file that is not XML, carries a DTD
(entities, external references), or is too big gets a clear error in its report: verifying
reads the file itself and nothing else, and never touches the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from lxml import etree

from services.countries.co.verification import containers, key_checks, safe_xml
from services.countries.co.verification.events import read_event
from services.countries.co.verification.keys import CudsVariant
from services.countries.co.verification.reading import read_document
from services.countries.co.verification.report import VerificationReport
from services.countries.co.verification.schema_check import schema_check
from services.countries.co.verification.signature_checks import signature_checks
from services.countries.co.verification.values import SchemaViolation, root_name, text
from services.countries.verification_input import (
    Unverifiable,
    doctype_refusal,
    read_bounded,
    read_trust_store,
)
from services.countries.verification_report import Check, Status

__all__ = ["MAX_FILE_BYTES", "CudsVariant", "VerificationReport", "verify_bytes", "verify_file"]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest file read: DIAN caps documents far below this (an AttachedDocument ZIP at 2 MB)."""
_MAX_DEPTH = 2  # a ZIP holding an AttachedDocument holding a document


@dataclass(frozen=True)
class _Options:
    technical_key: str | None
    pin: str | None
    anchors: Sequence[x509.Certificate] | None
    variant: CudsVariant
    now: datetime


def verify_file(
    path: str | Path,
    *,
    technical_key: str | None = None,
    pin: str | None = None,
    trust_store: str | Path | None = None,
    variant: CudsVariant = CudsVariant.TAX_01_ONLY,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify one DIAN document file; never raises on what the file holds.

    `technical_key` recomputes a CUFE, `pin` (the software PIN) a CUDE or CUDS and the
    SoftwareSecurityCode; `trust_store` (a PEM bundle) makes the certificate chain an enforced
    check; `variant` picks the CUDS layout (reference §1.3).
    """
    source = str(path)
    try:
        data = read_bounded(path, MAX_FILE_BYTES, " (DIAN documents are far smaller)")
        anchors = read_trust_store(trust_store) if trust_store is not None else None
    except Unverifiable as problem:
        return VerificationReport(source, error=str(problem))
    options = _Options(technical_key, pin, anchors, variant, now or datetime.now(UTC))
    return _verify(data, source, options, depth=0)


def verify_bytes(
    data: bytes,
    source: str = "<bytes>",
    *,
    technical_key: str | None = None,
    pin: str | None = None,
    trust_anchors: Sequence[x509.Certificate] | None = None,
    variant: CudsVariant = CudsVariant.TAX_01_ONLY,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify a document already in memory (what `verify_file` does after reading the file)."""
    if len(data) > MAX_FILE_BYTES:
        return VerificationReport(source, error=f"larger than {MAX_FILE_BYTES} bytes: refused")
    options = _Options(technical_key, pin, trust_anchors, variant, now or datetime.now(UTC))
    return _verify(data, source, options, depth=0)


def _verify(data: bytes, source: str, options: _Options, depth: int) -> VerificationReport:
    if containers.is_zip(data):
        return _zip(data, source, options, depth)
    try:
        root = safe_xml.parse(data)
    except safe_xml.UnsafeXml as problem:
        if "DOCTYPE" in str(problem):
            return VerificationReport(source, error=doctype_refusal("DIAN"))
        return VerificationReport(source, error=f"not an XML document: {problem}")
    document = root_name(root)
    if not document:
        return VerificationReport(
            source,
            error=f"root element {root.tag} is not a DIAN document (Invoice, CreditNote, "
            "DebitNote, ApplicationResponse, AttachedDocument)",
        )
    base = VerificationReport(source, document=document, checks=(schema_check(root),))
    if document == "AttachedDocument":
        return _attached(root, base, options, depth)
    if document == "ApplicationResponse":
        return _event(root, base, options)
    return _document(root, base, options)


def _document(
    root: etree._Element, base: VerificationReport, options: _Options
) -> VerificationReport:
    issue_date = text(root, "cbc:IssueDate")
    signatures = signature_checks(root, issue_date, options.anchors, options.now)
    try:
        facts = read_document(root)
    except SchemaViolation as problem:
        failed = Check("facts", Status.FAIL, f"cannot read what DIAN reads: {problem}")
        return replace(base, checks=(*base.checks, failed, *signatures))
    outcome = key_checks.document_key_checks(
        facts, options.technical_key, options.pin, options.variant
    )
    return replace(
        base,
        document_type=facts.document_type,
        number=facts.number,
        document_key=facts.uuid,
        key_name=outcome.key_name,
        preimage=outcome.preimage,
        checks=(*base.checks, *signatures, *outcome.checks),
    )


def _event(root: etree._Element, base: VerificationReport, options: _Options) -> VerificationReport:
    issue_date = text(root, "cbc:IssueDate")
    signatures = signature_checks(root, issue_date, options.anchors, options.now)
    try:
        event = read_event(root)
    except SchemaViolation as problem:
        failed = Check("facts", Status.FAIL, f"cannot read the ApplicationResponse: {problem}")
        return replace(base, checks=(*base.checks, failed, *signatures))
    outcome = key_checks.event_key_checks(event, options.pin)
    return replace(
        base,
        document_type="96",
        number=event.number,
        document_key=event.uuid,
        key_name=outcome.key_name,
        preimage=outcome.preimage,
        checks=(*base.checks, *signatures, *outcome.checks),
    )


def _attached(
    root: etree._Element, base: VerificationReport, options: _Options, depth: int
) -> VerificationReport:
    if depth >= _MAX_DEPTH:
        return replace(base, error="a container inside a container is not followed")
    parts = containers.attached_parts(root)
    if not parts:
        return replace(base, error="the AttachedDocument embeds no document")
    inner = tuple(
        _verify(part.content, f"{base.source} > {part.name}", options, depth + 1) for part in parts
    )
    checks = list(base.checks)
    key = containers.attached_key(root)
    embedded_key = inner[0].document_key
    checks.append(
        Check(
            "container.key",
            Status.judged(bool(key) and key == embedded_key),
            f"AttachedDocument cbc:UUID {key or '(missing)'}; "
            f"embedded document's {embedded_key or '(unreadable)'}",
        )
    )
    if root.find(".//{http://www.w3.org/2000/09/xmldsig#}Signature") is None:
        checks.append(Check("signature", Status.INFO, "the container is not signed", False))
    else:
        checks.extend(
            signature_checks(root, text(root, "cbc:IssueDate"), options.anchors, options.now)
        )
    return replace(
        base, number=text(root, "cbc:ID"), document_key=key, checks=tuple(checks), embedded=inner
    )


def _zip(data: bytes, source: str, options: _Options, depth: int) -> VerificationReport:
    if depth >= _MAX_DEPTH:
        return VerificationReport(source, error="a ZIP inside a container is not followed")
    try:
        parts, others = containers.zip_parts(data, MAX_FILE_BYTES)
    except containers.ContainerProblem as problem:
        return VerificationReport(source, document="ZIP", error=f"refused: {problem}")
    if not parts:
        return VerificationReport(source, document="ZIP", error="no XML document in the ZIP")
    skipped = tuple(
        Check("zip.member", Status.INFO, f"{name}: not XML, not verified", False) for name in others
    )
    inner = tuple(
        _verify(part.content, f"{source} > {part.name}", options, depth + 1) for part in parts
    )
    return VerificationReport(source, document="ZIP", checks=skipped, embedded=inner)


_UBL = b"urn:oasis:names:specification:ubl:schema:xsd:"


def recognises(head: bytes) -> bool:
    """Whether the start of a file looks like a DIAN (UBL 2.1) document or a ZIP of them."""
    return _UBL in head or head.startswith(b"PK\x03\x04")


def verify_for_cli(path: str, options: dict[str, str | None]) -> VerificationReport:
    """`timbra verify` for a Colombian file: the options it understands, from the command line."""
    variant = CudsVariant(options["cuds_variant"]) if options.get("cuds_variant") else None
    return verify_file(
        path,
        technical_key=options.get("technical_key"),
        pin=options.get("pin"),
        trust_store=options.get("trust_store"),
        **({"variant": variant} if variant else {}),
    )
