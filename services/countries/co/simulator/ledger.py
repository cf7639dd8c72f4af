"""The documents DIAN has processed: what GetStatus answers, what makes a resend Regla 90, and
what a note may reference."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from services.countries.co.simulator.responses import DianAnswer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    key TEXT PRIMARY KEY, nit TEXT NOT NULL, kind TEXT NOT NULL, number TEXT NOT NULL,
    accepted INTEGER NOT NULL, answer TEXT NOT NULL, received_at TEXT NOT NULL
);
-- DIAN's identity of a document is issuer + type + number: a number is accepted once.
CREATE UNIQUE INDEX IF NOT EXISTS accepted_identity ON documents(nit, kind, number)
    WHERE accepted = 1;
"""
# Columns added after the first release; older databases get them on open.
_MIGRATIONS = {
    "document_type": "ALTER TABLE documents ADD COLUMN document_type TEXT NOT NULL DEFAULT ''",
    "issue_date": "ALTER TABLE documents ADD COLUMN issue_date TEXT NOT NULL DEFAULT ''",
}

# Two indexed lookups: written with OR, SQLite scans the whole table, once per document
# received (the simulator's largest cost once its ledger had grown).
ACCEPTED_ORIGINAL = (
    "SELECT answer FROM documents WHERE accepted = 1 AND nit = ? AND kind = ? AND number = ? "
    "UNION ALL SELECT answer FROM documents WHERE accepted = 1 AND key = ? LIMIT 1"
)


def kind_of(invoice_type: str) -> str:
    """The identity group of a document type: DIAN treats invoice types 01, 02 and 04 as one."""
    return "01" if invoice_type in ("", "01", "02", "04") else invoice_type


@dataclass(frozen=True)
class AcceptedDocument:
    """A document DIAN accepted, as a later document (a note) may reference it."""

    nit: str  # the issuer's NIT
    number: str  # prefix + consecutive
    document_type: str  # 01, 02, 04, 91, ...
    issue_date: str  # YYYY-MM-DD as written in the document
    key: str  # CUFE / CUDE / CUDS, lower case


@dataclass(frozen=True)
class Entry:
    """What is recorded of a processed document besides DIAN's answer."""

    nit: str
    number: str
    document_type: str
    issue_date: str


class Ledger:
    """Processed documents by key (CUFE): accepted ones forever, rejected ones until fixed."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(documents)")}
        for column, statement in _MIGRATIONS.items():
            if column not in columns:
                self._db.execute(statement)

    def accepted_original(self, nit: str, kind: str, number: str, key: str) -> DianAnswer | None:
        """The stored answer of an accepted document with the same identity or the same key."""
        row = self._db.execute(ACCEPTED_ORIGINAL, (nit, kind, number, key)).fetchone()
        return DianAnswer.from_json(row[0]) if row else None

    def record(self, entry: Entry, answer: DianAnswer, received_at: datetime) -> None:
        """Store an answer under its document key; an accepted document is never replaced."""
        if not answer.document_key:
            return
        self._db.execute(
            "INSERT INTO documents (key, nit, kind, number, accepted, answer, received_at, "
            "document_type, issue_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET "
            "nit = excluded.nit, kind = excluded.kind, number = excluded.number, "
            "accepted = excluded.accepted, answer = excluded.answer, "
            "received_at = excluded.received_at, document_type = excluded.document_type, "
            "issue_date = excluded.issue_date WHERE documents.accepted = 0",
            (
                answer.document_key,
                entry.nit,
                kind_of(entry.document_type),
                entry.number,
                int(answer.is_valid),
                answer.to_json(),
                received_at.isoformat(),
                entry.document_type,
                entry.issue_date,
            ),
        )

    def status(self, key: str) -> DianAnswer | None:
        """The last answer given for a document key."""
        row = self._db.execute(
            "SELECT answer FROM documents WHERE key = ?", (key.strip().lower(),)
        ).fetchone()
        return DianAnswer.from_json(row[0]) if row else None

    def accepted(self, key: str) -> AcceptedDocument | None:
        """The accepted document with that key (CUFE/CUDE/CUDS), if DIAN accepted one."""
        row = self._db.execute(
            "SELECT nit, number, document_type, issue_date, key FROM documents "
            "WHERE key = ? AND accepted = 1",
            (key.strip().lower(),),
        ).fetchone()
        return AcceptedDocument(*row) if row else None
