"""Unpacking the ZIP a SendBill* carries: one XML (synchronous) or up to 50 (asynchronous),
each bounded in size and compression ratio."""

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
# DIAN's asynchronous batches hold fewer than 51 documents (dian-colombia.md §6.5).
MAX_BATCH = 50
TOO_MANY = f"El archivo ZIP contiene más de {MAX_BATCH} documentos XML."


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


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ArchiveRejected(NO_XML) from None


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Unpacked:
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


def unpack_single(data: bytes) -> Unpacked:
    """The only XML inside `data`; raise ArchiveRejected or DocumentTooLarge otherwise."""
    with _open(data) as archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        if len(files) > 1:
            raise ArchiveRejected(ONLY_ONE)
        if not files or not files[0].filename.lower().endswith(".xml"):
            raise ArchiveRejected(NO_XML)
        return _read(archive, files[0])


Member = Unpacked | ArchiveRejected | DocumentTooLarge


def unpack_batch(data: bytes) -> list[tuple[str, Member]]:
    """Every XML of a batch ZIP, in order, by name: its content or why it cannot be read.
    ArchiveRejected when the ZIP itself is unusable, holds no XML or more than MAX_BATCH."""
    with _open(data) as archive:
        files = [
            info
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(".xml")
        ]
        if not files:
            raise ArchiveRejected(NO_XML)
        if len(files) > MAX_BATCH:
            raise ArchiveRejected(TOO_MANY)
        members: list[tuple[str, Member]] = []
        for info in files:
            try:
                members.append((info.filename, _read(archive, info)))
            except (ArchiveRejected, DocumentTooLarge) as problem:
                members.append((info.filename, problem))
        return members


def zip_single(member: Unpacked) -> bytes:
    """One XML alone in a ZIP, as SendBillSync would carry it (stored: nothing to gain)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(member.name, member.content)
    return buffer.getvalue()
