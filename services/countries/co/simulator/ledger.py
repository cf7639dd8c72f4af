"""The documents DIAN has processed: what GetStatus answers and what makes a resend Regla 90."""

from __future__ import annotations

import sqlite3
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


def kind_of(invoice_type: str) -> str:
    """The identity group of a document type: DIAN treats invoice types 01, 02 and 04 as one."""
    return "01" if invoice_type in ("", "01", "02", "04") else invoice_type


class Ledger:
    """Processed documents by key (CUFE): accepted ones forever, rejected ones until fixed."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)

    def accepted_original(self, nit: str, kind: str, number: str, key: str) -> DianAnswer | None:
        """The stored answer of an accepted document with the same identity or the same key."""
        row = self._db.execute(
            "SELECT answer FROM documents WHERE accepted = 1 AND "
            "((nit = ? AND kind = ? AND number = ?) OR key = ?) LIMIT 1",
            (nit, kind, number, key),
        ).fetchone()
        return DianAnswer.from_json(row[0]) if row else None

    def record(
        self, nit: str, kind: str, number: str, answer: DianAnswer, received_at: datetime
    ) -> None:
        """Store an answer under its document key; an accepted document is never replaced."""
        if not answer.document_key:
            return
        self._db.execute(
            "INSERT INTO documents (key, nit, kind, number, accepted, answer, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "nit = excluded.nit, kind = excluded.kind, number = excluded.number, "
            "accepted = excluded.accepted, answer = excluded.answer, "
            "received_at = excluded.received_at WHERE documents.accepted = 0",
            (
                answer.document_key,
                nit,
                kind,
                number,
                int(answer.is_valid),
                answer.to_json(),
                received_at.isoformat(),
            ),
        )

    def status(self, key: str) -> DianAnswer | None:
        """The last answer given for a document key."""
        row = self._db.execute(
            "SELECT answer FROM documents WHERE key = ?", (key.strip().lower(),)
        ).fetchone()
        return DianAnswer.from_json(row[0]) if row else None
