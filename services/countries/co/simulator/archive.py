"""Unpacking the ZIP a SendBillSync carries: exactly one XML, bounded in size and ratio."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

# DIAN's cap on one document (the payroll annex states 500 KB; invoices get the same treatment).
MAX_DOCUMENT_BYTES = 500 * 1024
# Real UBL compresses 5-20x; far beyond this the archive is a decompression bomb.
MAX_RATIO = 200

NO_XML = "Error descomprimiendo el archivo ZIP: No fue encontrado ningun documento XML valido."
ONLY_ONE = "El método síncrono solo puede recibir un documento."


class ArchiveRejected(ValueError):
    """The ZIP cannot be used (StatusCode 89): corrupt, empty, or more than one document."""


class DocumentTooLarge(ValueError):
    """The single XML is above DIAN's size cap (rule ZA01)."""


@dataclass(frozen=True)
class Unpacked:
    """The one XML found in the archive."""

    name: str
    content: bytes

    @property
    def stem(self) -> str:
        """The file name without folder or `.xml`, as DIAN reports it in XmlFileName."""
        base = self.name.rsplit("/", 1)[-1]
        return base[:-4] if base.lower().endswith(".xml") else base


def unpack_single(data: bytes) -> Unpacked:
    """The only XML inside `data`; raise ArchiveRejected or DocumentTooLarge otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ArchiveRejected(NO_XML) from None
    with archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        if len(files) > 1:
            raise ArchiveRejected(ONLY_ONE)
        if not files or not files[0].filename.lower().endswith(".xml"):
            raise ArchiveRejected(NO_XML)
        info = files[0]
        if info.file_size > MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge(f"{info.file_size} bytes")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRejected(NO_XML)
        try:
            with archive.open(info) as member:
                # Declared sizes can lie: never read more than the cap allows.
                content = member.read(MAX_DOCUMENT_BYTES + 1)
        except (
            zipfile.BadZipFile,  # CRC mismatch, truncated member
            zlib.error,  # damaged deflate stream
            RuntimeError,  # encrypted member
            NotImplementedError,  # compression method zipfile lacks
            OSError,
            EOFError,
        ):
            raise ArchiveRejected(NO_XML) from None
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(f"more than {MAX_DOCUMENT_BYTES} bytes")
    return Unpacked(info.filename, content)
