"""Where the document directory keeps its summaries: an SQLite file beside the stores.

One row per document, found by id, by number or by document key, with the position in issuing's
log the rows reflect, written in the same transaction. Held on disk, the index costs the same
memory at the millionth document as at the first (SQLite's page cache is bounded); recently
changed summaries are also kept in a small cache, since a document's later facts follow its
draft within seconds. The index is derived data: it is rebuilt from the log whenever it is
missing, damaged, or ahead of the log it claims to reflect.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from services.issuing.domain import State

if TYPE_CHECKING:
    from services.issuing.directory import Summary

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY, request_id TEXT NOT NULL, issuer TEXT NOT NULL,
    country TEXT NOT NULL, document_type TEXT NOT NULL, number TEXT NOT NULL,
    document_key TEXT NOT NULL, issue_date TEXT NOT NULL, payable_amount TEXT NOT NULL,
    currency TEXT NOT NULL, customer_id TEXT NOT NULL, state INTEGER NOT NULL,
    updated_at TEXT NOT NULL, verdict TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS by_number ON documents(country, issuer, number);
CREATE INDEX IF NOT EXISTS by_key ON documents(country, issuer, document_key);
CREATE TABLE IF NOT EXISTS position (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER);
"""
_COLUMNS = (
    "document_id, request_id, issuer, country, document_type, number, document_key, "
    "issue_date, payable_amount, currency, customer_id, state, updated_at, verdict"
)
# Summaries kept in memory: those of the documents most recently changed (more than the
# documents in flight: IssueStream holds at most 256 per stream).
_RECENT = 5_000


class DirectoryIndex:
    """The directory's summaries on disk; thread-safe, one writer (the directory's thread)."""

    def __init__(self, path: Path | None) -> None:
        # None: a private in-memory database (tests, tools that read once).
        self._lock = threading.Lock()
        self._recent: OrderedDict[uuid.UUID, Summary] = OrderedDict()
        self._db = self._open(path)

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = _connect(target)
        except sqlite3.DatabaseError:
            if path is None:
                raise
            # Damaged (a crash mid-write with synchronous off): it is rebuilt from the log.
            path.unlink(missing_ok=True)
            db = _connect(target)
        return db

    def position(self) -> int:
        """The last notification of issuing's log the index reflects (0: none)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM position WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def clear(self) -> None:
        """Forget everything (before rebuilding from the start of the log)."""
        with self._lock:
            self._recent.clear()
            with self._db:
                self._db.execute("DELETE FROM documents")
                self._db.execute("DELETE FROM position")

    def save(self, summaries: Sequence[Summary], position: int) -> None:
        """Record changed summaries and the log position they bring the index to, together."""
        with self._lock:
            with self._db:
                # An update keeps the row's rowid: rowid order is the order of drafting.
                self._db.executemany(
                    f"INSERT INTO documents ({_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(document_id) DO UPDATE SET state = excluded.state, "
                    "updated_at = excluded.updated_at, verdict = excluded.verdict",
                    [_row(summary) for summary in summaries],
                )
                self._db.execute(
                    "INSERT INTO position (id, value) VALUES (1, ?) "
                    "ON CONFLICT(id) DO UPDATE SET value = excluded.value",
                    (position,),
                )
            for summary in summaries:
                self._remember(summary)

    def _remember(self, summary: Summary) -> None:
        self._recent[summary.document_id] = summary
        self._recent.move_to_end(summary.document_id)
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)

    def get(self, document_id: uuid.UUID) -> Summary | None:
        """One document's summary."""
        with self._lock:
            summary = self._recent.get(document_id)
            if summary is not None:
                return summary
            return self._one("document_id = ?", (str(document_id),))

    def find(self, column: str, country: str, issuer: str, value: str) -> Summary | None:
        """The issuer's document by `number` or `document_key`."""
        if column not in ("number", "document_key"):
            raise ValueError(f"not an indexed column: {column}")
        with self._lock:
            return self._one(
                f"country = ? AND issuer = ? AND {column} = ?", (country, issuer, value)
            )

    def _one(self, where: str, parameters: tuple[str, ...]) -> Summary | None:
        # The latest drafted, should two documents share a number.
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE {where} ORDER BY rowid DESC LIMIT 1",
            parameters,
        ).fetchone()
        return _summary(row) if row else None

    def select(
        self, *, country: str, issuer: str, states: Iterable[State], number: str, limit: int
    ) -> list[Summary]:
        """Summaries matching every given filter (empty: any), oldest first; `limit` 0: all."""
        clauses: list[str] = []
        parameters: list[object] = []
        for column, value in (("country", country), ("issuer", issuer), ("number", number)):
            if value:
                clauses.append(f"{column} = ?")
                parameters.append(value)
        wanted = sorted({int(state) for state in states})
        if wanted:
            clauses.append(f"state IN ({', '.join('?' * len(wanted))})")
            parameters.extend(wanted)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        bound = " LIMIT ?" if limit else ""
        if limit:
            parameters.append(limit)
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM documents {where} ORDER BY rowid{bound}", parameters
            ).fetchall()
        return [_summary(row) for row in rows]

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()


def _connect(target: str) -> sqlite3.Connection:
    db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    # Derived data: a write lost in a crash is read again from the log.
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(_SCHEMA)
    db.execute("SELECT COUNT(*) FROM position").fetchone()  # fails on a damaged file
    db.isolation_level = ""  # `with db:` groups each save in one transaction
    return db


def _row(summary: Summary) -> tuple[object, ...]:
    return (
        str(summary.document_id),
        summary.request_id,
        summary.issuer,
        summary.country,
        summary.document_type,
        summary.number,
        summary.document_key,
        summary.issue_date,
        str(summary.payable_amount),
        summary.currency,
        summary.customer_id,
        int(summary.state),
        summary.updated_at.isoformat(),
        json.dumps(summary.verdict, separators=(",", ":")),
    )


def _summary(row: Sequence[object]) -> Summary:
    from services.issuing.directory import Summary

    return Summary(
        document_id=uuid.UUID(str(row[0])),
        request_id=str(row[1]),
        issuer=str(row[2]),
        country=str(row[3]),
        document_type=str(row[4]),
        number=str(row[5]),
        document_key=str(row[6]),
        issue_date=str(row[7]),
        payable_amount=Decimal(str(row[8])),
        currency=str(row[9]),
        customer_id=str(row[10]),
        state=State(int(str(row[11]))),
        updated_at=datetime.fromisoformat(str(row[12])),
        verdict=json.loads(str(row[13])),
    )
