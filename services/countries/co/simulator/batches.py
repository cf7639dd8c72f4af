"""Asynchronous uploads (SendBillAsync, SendTestSetAsync): each ZIP gets a ZipKey at once and
is validated later; GetStatusZip reads what became of it.

A batch keeps its ZIP until it is processed, so one received before a restart is processed
after it. Its answers are kept per document, in the ZIP's order.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime

from services.countries.co.simulator.responses import DianAnswer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    zip_key TEXT PRIMARY KEY, file_name TEXT NOT NULL, operation TEXT NOT NULL,
    test_set_id TEXT NOT NULL, received_at TEXT NOT NULL, content BLOB,
    done INTEGER NOT NULL DEFAULT 0, status_code TEXT NOT NULL DEFAULT '',
    status_description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS batch_answers (
    zip_key TEXT NOT NULL REFERENCES batches(zip_key), position INTEGER NOT NULL,
    answer TEXT NOT NULL, PRIMARY KEY (zip_key, position)
);
"""


@dataclass(frozen=True)
class Upload:
    """A received batch still to be processed."""

    zip_key: str
    file_name: str
    operation: str
    test_set_id: str  # "" outside habilitación
    content: bytes


@dataclass(frozen=True)
class BatchState:
    """Where a batch stands: pending, refused as a whole (a status code), or its answers."""

    done: bool
    test_set_id: str
    status_code: str = ""
    status_description: str = ""
    answers: tuple[DianAnswer, ...] = ()


class Batches:
    """Received batches and their answers, in the simulator's database (database thread)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)

    def receive(
        self, file_name: str, operation: str, test_set_id: str, content: bytes, now: datetime
    ) -> Upload:
        """Store an upload under a fresh ZipKey (a UUID, as DIAN gives)."""
        upload = Upload(str(uuid.uuid4()), file_name, operation, test_set_id, content)
        self._db.execute(
            "INSERT INTO batches (zip_key, file_name, operation, test_set_id, received_at, "
            "content) VALUES (?, ?, ?, ?, ?, ?)",
            (upload.zip_key, file_name, operation, test_set_id, now.isoformat(), content),
        )
        return upload

    def unprocessed(self) -> list[Upload]:
        """Batches received but not processed yet (after a restart), oldest first."""
        rows = self._db.execute(
            "SELECT zip_key, file_name, operation, test_set_id, content FROM batches "
            "WHERE done = 0 ORDER BY received_at, rowid"
        )
        return [Upload(*row) for row in rows]

    def finish(
        self,
        zip_key: str,
        answers: list[DianAnswer],
        status_code: str = "",
        status_description: str = "",
    ) -> None:
        """Record a batch's answers (or its refusal as a whole) and drop its ZIP."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO batch_answers (zip_key, position, answer) VALUES (?, ?, ?)",
                [(zip_key, position, answer.to_json()) for position, answer in enumerate(answers)],
            )
            self._db.execute(
                "UPDATE batches SET done = 1, content = NULL, status_code = ?, "
                "status_description = ? WHERE zip_key = ?",
                (status_code, status_description, zip_key),
            )

    def state(self, zip_key: str) -> BatchState | None:
        """The batch's state, or None when no batch has that ZipKey."""
        row = self._db.execute(
            "SELECT done, test_set_id, status_code, status_description FROM batches "
            "WHERE zip_key = ?",
            (zip_key.strip().lower(),),
        ).fetchone()
        if row is None:
            return None
        done, test_set_id, status_code, description = row
        rows = self._db.execute(
            "SELECT answer FROM batch_answers WHERE zip_key = ? ORDER BY position",
            (zip_key.strip().lower(),),
        )
        answers = tuple(DianAnswer.from_json(answer) for (answer,) in rows)
        return BatchState(bool(done), test_set_id, status_code, description, answers)
