"""The CPU-heavy half of a SendBillSync: unzip, parse, read facts, verify the signature.

It takes any document DIAN validates: Invoice (01-05), CreditNote (91, 95), DebitNote (92).

It runs in a worker (process or thread) pool, so it takes and returns only plain, picklable
data and touches no database: the cheap half (registry lookups, rules, storage) happens back in
the server.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from services.core import untrusted_xml
from services.countries.co.simulator import archive
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.reading import read_document
from services.countries.co.verification.signature import SignatureCheck, check_signature
from services.countries.co.verification.values import SchemaViolation


@dataclass(frozen=True)
class Inspection:
    """What a worker learned from one ZIP: a failure to report, or facts and signature."""

    xml_name: str = ""
    archive_problem: str = ""  # StatusCode 89 message
    too_large: bool = False  # ZA01
    schema_problem: str = ""  # ZB01 detail
    facts: DocumentFacts | None = None
    signature: SignatureCheck | None = None


def inspect_archive(content: bytes) -> Inspection:
    """Inspect the ZIP of one SendBillSync; never raises on bad input."""
    try:
        unpacked = archive.unpack_single(content)
    except archive.ArchiveRejected as rejected:
        return Inspection(archive_problem=str(rejected))
    except archive.DocumentTooLarge:
        return Inspection(too_large=True)
    name = unpacked.stem
    try:
        root = untrusted_xml.parse(unpacked.content)
        facts = read_document(root)
    except (untrusted_xml.UnsafeXml, SchemaViolation) as problem:
        return Inspection(xml_name=name, schema_problem=str(problem))
    return Inspection(xml_name=name, facts=facts, signature=check_signature(root))


def prepare_worker() -> None:
    """Initialise a pool process: load the heavy modules now and leave Ctrl-C to the server."""
    # The server shuts the pool down on SIGINT/SIGTERM; workers dying first only adds noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
