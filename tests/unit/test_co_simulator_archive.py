"""Unpacking SendBillSync ZIPs: one XML only, bounded size, bombs and junk refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.countries.co.simulator.archive import (
    MAX_DOCUMENT_BYTES,
    NO_XML,
    ONLY_ONE,
    ArchiveRejected,
    DocumentTooLarge,
    unpack_single,
)


def make_zip(*files: tuple[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def test_the_single_xml_comes_out_with_its_name() -> None:
    unpacked = unpack_single(make_zip(("folder/fv0900373076000260000000a.xml", b"<Invoice/>")))
    assert unpacked.content == b"<Invoice/>"
    assert unpacked.stem == "fv0900373076000260000000a"


def test_two_documents_are_refused_as_dian_does() -> None:
    with pytest.raises(ArchiveRejected) as refused:
        unpack_single(make_zip(("a.xml", b"<a/>"), ("b.xml", b"<b/>")))
    assert str(refused.value) == ONLY_ONE == "El método síncrono solo puede recibir un documento."


@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", make_zip(), make_zip(("invoice.pdf", b"%PDF-1.4"))],
    ids=["junk", "empty", "no-xml"],
)
def test_archives_without_a_usable_xml_are_refused(content: bytes) -> None:
    with pytest.raises(ArchiveRejected) as refused:
        unpack_single(content)
    assert str(refused.value) == NO_XML


def test_a_document_above_the_cap_is_too_large() -> None:
    with pytest.raises(DocumentTooLarge):
        unpack_single(make_zip(("big.xml", b"<a>" + b"x" * MAX_DOCUMENT_BYTES + b"</a>")))


def test_a_decompression_bomb_is_refused_before_inflating() -> None:
    # 400 KB of one byte deflates ~1000:1, far beyond any real invoice.
    with pytest.raises(ArchiveRejected):
        unpack_single(make_zip(("bomb.xml", b"\0" * 400_000)))


def test_a_member_whose_declared_size_lies_is_refused() -> None:
    honest = make_zip(("big.xml", bytes(range(256)) * 3000), method=zipfile.ZIP_STORED)
    # Shrink the declared size in both headers: the reader must not trust it.
    declared = (256 * 3000).to_bytes(4, "little")
    forged = honest.replace(declared, (10).to_bytes(4, "little"))
    with pytest.raises((ArchiveRejected, DocumentTooLarge)):
        unpack_single(forged)


def test_a_damaged_member_is_refused() -> None:
    content = bytearray(make_zip(("fv.xml", b"<Invoice>" + b"data " * 200 + b"</Invoice>")))
    content[60] ^= 0xFF  # inside the deflated data
    with pytest.raises(ArchiveRejected):
        unpack_single(bytes(content))
