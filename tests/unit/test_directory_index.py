"""The directory's SQLite index: lookups, filters, order, the position kept with the rows, and
what happens to a file that is damaged or ahead of the log."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from services.issuing.directory import Summary
from services.issuing.directory_index import DirectoryIndex
from services.issuing.domain import State


def summary(number: int, *, country: str = "co", issuer: str = "901458723") -> Summary:
    """A drafted document's summary."""
    return Summary(
        document_id=uuid.uuid4(),
        request_id=f"request-{number}",
        issuer=issuer,
        country=country,
        document_type="01",
        number=f"FE{number}",
        document_key=f"{number:096x}",
        issue_date="2026-11-22",
        payable_amount=Decimal("119000.00"),
        currency="COP",
        customer_id="222222222222",
        state=State.DRAFTED,
        updated_at=datetime(2026, 11, 22, 9, number % 60, tzinfo=UTC),
    )


def test_a_saved_summary_is_found_whole_by_id_number_and_key(tmp_path: Path) -> None:
    index = DirectoryIndex(tmp_path / "directory.sqlite3")
    first = summary(1)
    index.save([first], position=7)
    assert index.get(first.document_id) == first
    assert index.find("number", "co", first.issuer, "FE1") == first
    assert index.find("document_key", "co", first.issuer, first.document_key) == first
    assert index.find("number", "cl", first.issuer, "FE1") is None
    assert index.get(uuid.uuid4()) is None
    assert index.position() == 7
    with pytest.raises(ValueError, match="not an indexed column"):
        index.find("customer_id", "co", first.issuer, "x")


def test_a_later_fact_updates_state_and_verdict_and_keeps_the_drafting_order(
    tmp_path: Path,
) -> None:
    index = DirectoryIndex(tmp_path / "directory.sqlite3")
    drafts = [summary(n) for n in range(1, 6)]
    index.save(drafts, position=5)
    accepted = replace(drafts[0], state=State.ACCEPTED, verdict={"status_code": "00"})
    index.save([accepted], position=9)
    listed = index.select(country="", issuer="", states=(), number="", limit=0)
    assert [s.number for s in listed] == ["FE1", "FE2", "FE3", "FE4", "FE5"]
    assert listed[0] == accepted
    assert index.select(country="co", issuer="", states=[State.ACCEPTED], number="", limit=0) == [
        accepted
    ]
    assert len(index.select(country="", issuer="", states=(), number="", limit=2)) == 2
    assert index.select(country="", issuer="", states=(), number="FE3", limit=0) == [drafts[2]]
    assert index.select(country="cl", issuer="", states=(), number="", limit=0) == []


def test_the_index_outlives_the_process_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "directory.sqlite3"
    index = DirectoryIndex(path)
    saved = [summary(n) for n in range(1, 4)]
    index.save(saved, position=3)
    index.close()
    again = DirectoryIndex(path)  # a new process: nothing in its recent cache
    assert again.position() == 3
    assert [again.get(s.document_id) for s in saved] == saved


def test_a_damaged_index_file_is_replaced_by_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "directory.sqlite3"
    path.write_bytes(b"this is not an SQLite database, it was damaged" * 100)
    index = DirectoryIndex(path)
    assert index.position() == 0  # rebuilt from the start of the log
    index.save([summary(1)], position=1)
    assert index.position() == 1
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone() == (1,)


def test_clear_forgets_rows_position_and_cache(tmp_path: Path) -> None:
    index = DirectoryIndex(tmp_path / "directory.sqlite3")
    first = summary(1)
    index.save([first], position=4)
    index.clear()
    assert index.position() == 0
    assert index.get(first.document_id) is None
    assert index.select(country="", issuer="", states=(), number="", limit=0) == []
