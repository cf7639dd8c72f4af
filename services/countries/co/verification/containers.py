"""Documents inside containers: the AttachedDocument sent to buyers, and ZIP files.

An AttachedDocument carries the signed document in cac:Attachment/cac:ExternalReference/
cbc:Description and DIAN's ApplicationResponse in cac:ParentDocumentLineReference (reference
§6.6). ZIP files are read with limits on members and on inflated size, so that a zip bomb is
refused before it is inflated.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from services.countries.co.verification.values import text

_ATTACHMENT = "cac:Attachment/cac:ExternalReference/cbc:Description"
_RESPONSE = f"cac:ParentDocumentLineReference/cac:DocumentReference/{_ATTACHMENT}"
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
MAX_MEMBERS = 20


class ContainerProblem(ValueError):
    """A container that cannot be opened safely (corrupt, too many files, too big inflated)."""


@dataclass(frozen=True)
class Part:
    """One document found inside a container."""

    name: str
    content: bytes


def _xml_text(value: str) -> bytes:
    # The text was decoded when the container was parsed; its declaration may name another
    # encoding, so it is dropped and the text re-encoded as UTF-8 (the infoset is unchanged).
    return _DECLARATION.sub("", value, count=1).encode("utf-8")


def attached_parts(root: etree._Element) -> list[Part]:
    """The embedded document and, when present, DIAN's ApplicationResponse."""
    parts = []
    document = text(root, _ATTACHMENT)
    if document:
        parts.append(Part("attached document", _xml_text(document)))
    response = text(root, _RESPONSE)
    if response:
        parts.append(Part("application response", _xml_text(response)))
    return parts


def attached_key(root: etree._Element) -> str:
    """The AttachedDocument's own cbc:UUID (the embedded document's key), lowercase."""
    return text(root, "cbc:UUID").lower()


def is_zip(data: bytes) -> bool:
    """Whether the bytes start like a ZIP file."""
    return data[:4] == b"PK\x03\x04"


def zip_parts(data: bytes, max_bytes: int) -> tuple[list[Part], list[str]]:
    """The XML members of a ZIP (each and all together at most `max_bytes` inflated), and the
    names of the members that are not XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError) as error:
        raise ContainerProblem(f"not a readable ZIP file: {error}") from None
    if len(members) > MAX_MEMBERS:
        raise ContainerProblem(f"{len(members)} files in the ZIP; at most {MAX_MEMBERS} read")
    parts: list[Part] = []
    others: list[str] = []
    budget = max_bytes
    for info in members:
        if not info.filename.lower().endswith(".xml"):
            others.append(info.filename)
            continue
        if info.file_size > budget:
            raise ContainerProblem(f"{info.filename} inflates beyond {max_bytes} bytes")
        try:
            with archive.open(info) as member:
                # The declared size can lie: never inflate more than what is left.
                content = member.read(budget + 1)
        except (zipfile.BadZipFile, RuntimeError, ValueError, OSError) as error:
            raise ContainerProblem(f"{info.filename} cannot be read: {error}") from None
        if len(content) > budget:
            raise ContainerProblem(f"{info.filename} inflates beyond {max_bytes} bytes")
        budget -= len(content)
        parts.append(Part(info.filename, content))
    return parts, others


__all__ = ["ContainerProblem", "Part", "attached_key", "attached_parts", "zip_parts"]
