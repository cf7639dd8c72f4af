"""The CPU-heavy part of processing an upload, run in the worker pool: parse the envelope, check
it as a whole, then check each of its DTEs on its own.

Its result holds only plain data (states, texts, facts, findings), so the database thread can
judge it against what the SII already holds without touching XML again.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

from services.core import untrusted_xml
from services.countries.cl.simulator import codes
from services.countries.cl.simulator.document_check import DocumentCheck, check_document
from services.countries.cl.simulator.envelope_check import check_envelope, read_envelope
from services.countries.cl.simulator.registry import Company


@dataclass(frozen=True)
class Inspection:
    """An envelope's states and errors, and the checks of its DTEs (in envelope order)."""

    stages: tuple[str, ...]
    errors: tuple[str, ...]
    documents: tuple[DocumentCheck, ...]


def inspect_upload(
    content: bytes, company: Company, sender: str, sii_keys: dict[int, rsa.RSAPublicKey]
) -> Inspection:
    """Check an uploaded envelope and each of its DTEs."""
    try:
        root = read_envelope(content)
    except untrusted_xml.UnsafeXml as problem:
        # Refused at upload already (STATUS 7); kept for an upload stored by an older run.
        return Inspection((codes.RECEIVED, codes.SCHEMA_REJECTED), (str(problem),), ())
    envelope = check_envelope(root, company, sender)
    if envelope.state != codes.PROCESSED:
        return Inspection(envelope.stages, envelope.errors, ())
    documents = tuple(check_document(dte, sii_keys) for dte in envelope.dtes)
    return Inspection(envelope.stages, (), documents)


def well_formed_envelope(content: bytes) -> str | None:
    """Why an upload is not an EnvioDTE at all (DTEUpload STATUS 7), or None if it is one."""
    try:
        read_envelope(content)
    except untrusted_xml.UnsafeXml as problem:
        return str(problem)
    return None
