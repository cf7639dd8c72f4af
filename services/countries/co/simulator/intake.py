"""What the validation workers do with what arrives: unpack, check the UBL 2.1 schema, inspect.

These functions run in the worker pool (threads or processes), so they take and return plain,
picklable data and touch no database. Schema validation is DIAN's first check: a document that
is not valid UBL 2.1 is refused with ZB01 before any rule looks at it.
"""

from __future__ import annotations

from services.countries.co import schemas
from services.countries.co.simulator import archive
from services.countries.co.simulator.inspection import Inspection, inspect_archive

# How much of libxml2's report goes into StatusMessage: the first errors say enough.
_SCHEMA_ERRORS_SHOWN = 3


def schema_problem(xml: bytes) -> str:
    """The first UBL 2.1 schema errors of a document, or "" when it is valid."""
    errors = schemas.validate(xml)
    return "; ".join(errors[:_SCHEMA_ERRORS_SHOWN])


def inspect_zip(content: bytes) -> Inspection:
    """Inspect the one-document ZIP of a SendBillSync (or one member of a batch)."""
    inspection = inspect_archive(content)
    if inspection.facts is None:
        return inspection  # already refused: the archive, the size, or not a readable document
    if inspection.signature is not None and any(
        finding.rule == "ZE01" for finding in inspection.signature.findings
    ):
        # Unsigned: its empty signature extension breaks the schema too, but "not signed"
        # (ZE01) is the precise diagnosis, and it rejects the document just as well.
        return inspection
    # The archive was just unpacked successfully by the inspection; doing it again is cheap.
    problem = schema_problem(archive.unpack_single(content).content)
    if problem:
        return Inspection(xml_name=inspection.xml_name, schema_problem=problem)
    return inspection


def unpack_batch(content: bytes) -> tuple[str, list[tuple[str, bytes | str]]]:
    """A batch ZIP's documents: ("", [(name, one-document ZIP or why it is unusable)]), or
    (the StatusCode 89 reason, []) when the ZIP as a whole cannot be used."""
    try:
        members = archive.unpack_batch(content)
    except archive.ArchiveRejected as rejected:
        return str(rejected), []
    unpacked: list[tuple[str, bytes | str]] = []
    for name, member in members:
        if isinstance(member, archive.Unpacked):
            unpacked.append((name, archive.zip_single(member)))
        elif isinstance(member, archive.DocumentTooLarge):
            unpacked.append((name, "ZA01"))
        else:
            unpacked.append((name, str(member)))
    return "", unpacked


def inspect_member(name: str, member: bytes | str) -> Inspection:
    """Inspect one document of a batch, or report why it could not be read."""
    if isinstance(member, bytes):
        return inspect_zip(member)
    stem = name.rsplit("/", 1)[-1].removesuffix(".xml").removesuffix(".XML")
    if member == "ZA01":
        return Inspection(xml_name=stem, too_large=True)
    return Inspection(xml_name=stem, archive_problem=member)
