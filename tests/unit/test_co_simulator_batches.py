"""Asynchronous uploads: batch ZIPs unpacked, stored until processed, answered per document;
GetNumberingRange's answers; and how both are written on the wire."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from services.countries.co.simulator import archive, intake, results
from services.countries.co.simulator.batches import Batches
from services.countries.co.simulator.numbering import numbering_ranges
from services.countries.co.simulator.registry import Registry
from services.countries.co.simulator.responses import DianAnswer
from services.countries.co.simulator.rules import BOGOTA
from services.countries.co.simulator.soap import XSI
from services.countries.co.simulator.storage import open_database

NOW = datetime(2026, 3, 2, 10, tzinfo=BOGOTA)
TODAY = date(2026, 3, 2)


def make_zip(*files: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as made:
        for name, content in files:
            made.writestr(name, content)
    return buffer.getvalue()


def test_a_batch_unpacks_in_order_and_reports_bad_members() -> None:
    big = b"<x>" + b"a" * (archive.MAX_DOCUMENT_BYTES + 10) + b"</x>"
    content = make_zip(("a.xml", b"<a/>"), ("readme.txt", b"hi"), ("b.xml", big))
    problem, members = intake.unpack_batch(content)
    assert problem == "" and [name for name, _ in members] == ["a.xml", "b.xml"]
    with zipfile.ZipFile(io.BytesIO(members[0][1])) as single:
        assert single.read("a.xml") == b"<a/>"
    assert members[1][1] == "ZA01"
    assert intake.inspect_member("b.xml", "ZA01").too_large


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", archive.NO_XML),
        (make_zip(("readme.txt", b"hi")), archive.NO_XML),
        (make_zip(*((f"{i}.xml", b"<a/>") for i in range(51))), archive.TOO_MANY),
    ],
)
def test_a_batch_unusable_as_a_whole_is_refused(content: bytes, message: str) -> None:
    assert intake.unpack_batch(content) == (message, [])


def answer(key: str) -> DianAnswer:
    return DianAnswer(True, "00", "Procesado Correctamente.", document_key=key)


def test_batches_wait_for_processing_then_keep_their_answers(tmp_path: Path) -> None:
    batches = Batches(open_database(tmp_path))
    first = batches.receive("z1.zip", "SendBillAsync", "", b"zip-1", NOW)
    second = batches.receive("z2.zip", "SendTestSetAsync", "set", b"zip-2", NOW)
    assert first.zip_key != second.zip_key
    assert [u.content for u in batches.unprocessed()] == [b"zip-1", b"zip-2"]
    assert batches.state(first.zip_key).done is False
    batches.finish(first.zip_key, [answer("k1"), answer("k2")])
    batches.finish(second.zip_key, [], "89", "Error descomprimiendo el archivo ZIP")
    assert batches.unprocessed() == []
    done = batches.state(first.zip_key.upper())
    assert done.done and [a.document_key for a in done.answers] == ["k1", "k2"]
    refused = batches.state(second.zip_key)
    assert (refused.status_code, refused.test_set_id, refused.answers) == ("89", "set", ())
    assert batches.state("nope") is None


def test_numbering_ranges_follow_dians_codes(tmp_path: Path) -> None:
    registry = Registry(open_database(tmp_path))
    mine = registry.register_issuer("900373076", "Demo", "sw-1", None, TODAY)
    registry.register_issuer("900373076", "Demo", "sw-2", None, TODAY)
    assert numbering_ranges(registry, "900373076", "900373076", "sw-1", TODAY).operation_code == (
        "301"
    )
    fe = registry.issue_resolution("900373076", "FE", 1, 9, TODAY, TODAY, TODAY)
    ds = registry.issue_resolution("900373076", "DS", 1, 9, TODAY, TODAY, TODAY, "support")
    only_two = registry.issue_resolution(
        "900373076", "OT", 1, 9, TODAY, TODAY, TODAY, software_id="sw-2"
    )
    registry.issue_resolution("900373076", "OLD", 1, 9, date(2020, 1, 1), date(2020, 12, 31), TODAY)
    found = numbering_ranges(registry, "900373076", "900373076", mine.software_id, TODAY)
    assert found.operation_code == "100" and found.operation_description == "Acción completada OK."
    assert [r.number for r in found.ranges] == [fe.number, ds.number]  # not OT, not expired
    assert ds.technical_key == "" and len(fe.technical_key) == 40
    two = numbering_ranges(registry, "900373076", "900373076", "sw-2", TODAY)
    assert [r.number for r in two.ranges] == [fe.number, ds.number, only_two.number]
    assert numbering_ranges(registry, "900373076", "900373076", "x", TODAY).operation_code == "302"
    assert numbering_ranges(registry, "900373076", "1", "sw-1", TODAY).operation_code == "303"

    xml = results.numbering_ranges("GetNumberingRangeResult", found)
    keys = [node for node in xml.iter() if etree.QName(node).localname == "TechnicalKey"]
    assert keys[0].text == fe.technical_key and keys[1].get(f"{{{XSI}}}nil") == "true"


def test_an_upload_receipt_is_written_like_dians() -> None:
    plain = results.upload_response("SendTestSetAsyncResult", "42424242")
    assert [etree.QName(child).localname for child in plain] == ["ErrorMessageList", "ZipKey"]
    assert plain[0].get(f"{{{XSI}}}nil") == "true" and plain[1].text == "42424242"
    refused = results.upload_response(
        "SendTestSetAsyncResult", "", [results.UploadError("Set de prueba no existe.")]
    )
    (item,) = refused[0]
    assert etree.QName(item).localname == "XmlParamsResponseTrackId"
    assert [etree.QName(child).localname for child in item] == [
        "DocumentKey",
        "ProcessedMessage",
        "SenderCode",
        "Success",
        "XmlFileName",
    ]
