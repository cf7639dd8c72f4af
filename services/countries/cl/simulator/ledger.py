"""What the SII holds: uploads with their outcome, and the documents it received (accepted).

A rejected DTE is not "received" (getEstDte answers FAU for it), so only accepted documents,
with or without reparos, are kept as documents. Used from the database thread only.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TypeCount:
    """getEstUp's counters for one document type of an envelope."""

    dte_type: int
    informed: int
    accepted: int
    rejected: int
    repairs: int


@dataclass(frozen=True)
class Outcome:
    """How an envelope ended: its states, the errors that stopped it, its counters."""

    stages: tuple[str, ...]
    errors: tuple[str, ...]
    counts: tuple[TypeCount, ...]

    def to_json(self) -> str:
        """The outcome as stored."""
        return json.dumps(
            {
                "stages": self.stages,
                "errors": self.errors,
                "counts": [vars(count) for count in self.counts],
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        """An outcome as stored."""
        data = json.loads(text)
        counts = tuple(TypeCount(**count) for count in data["counts"])
        return cls(tuple(data["stages"]), tuple(data["errors"]), counts)


@dataclass(frozen=True)
class UploadRecord:
    """One DTEUpload: who sent what when, and its outcome once processed."""

    track_id: int
    company: str
    sender: str
    file_name: str
    received_at: float
    outcome: Outcome | None
    processed_at: float | None


@dataclass(frozen=True)
class StoredDocument:
    """A DTE the SII received, with what getEstDte compares."""

    issued_on: date
    receiver: str
    total: int
    state: str
    track_id: int


class Ledger:
    """Uploads and received documents in the simulator's database."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self.database = database

    def add_upload(
        self, company: str, sender: str, file_name: str, content: bytes, digest: str, now: float
    ) -> int:
        """Store an upload and return its new track id (ten digits, as the SII's)."""
        while True:
            track_id = 1_000_000_000 + secrets.randbelow(9_000_000_000)
            try:
                self.database.execute(
                    "INSERT INTO uploads (track_id, company, sender, file_name, received_at,"
                    " sha256, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (track_id, company, sender, file_name, now, digest, content),
                )
                return track_id
            except sqlite3.IntegrityError:
                continue  # drawn twice: draw again

    def repeated(self, company: str, digest: str) -> bool:
        """Whether the company already uploaded exactly this file."""
        row = self.database.execute(
            "SELECT 1 FROM uploads WHERE company = ? AND sha256 = ?", (company, digest)
        ).fetchone()
        return row is not None

    def upload(self, track_id: int) -> UploadRecord | None:
        """An upload by track id, or None."""
        row = self.database.execute(
            "SELECT company, sender, file_name, received_at, outcome, processed_at FROM uploads"
            " WHERE track_id = ?",
            (track_id,),
        ).fetchone()
        if row is None:
            return None
        outcome = Outcome.from_json(row[4]) if row[4] else None
        return UploadRecord(track_id, row[0], row[1], row[2], row[3], outcome, row[5])

    def content(self, track_id: int) -> bytes:
        """The file an upload carried."""
        row = self.database.execute(
            "SELECT content FROM uploads WHERE track_id = ?", (track_id,)
        ).fetchone()
        return bytes(row[0])

    def unprocessed(self) -> list[int]:
        """Uploads still waiting for their outcome (a previous run stopped first)."""
        rows = self.database.execute(
            "SELECT track_id FROM uploads WHERE outcome IS NULL ORDER BY received_at"
        )
        return [track_id for (track_id,) in rows]

    def informe(self, track_id: int) -> bytes | None:
        """The result report of a processed upload (what the SII e-mails), or None."""
        row = self.database.execute(
            "SELECT informe FROM uploads WHERE track_id = ?", (track_id,)
        ).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def finish(self, track_id: int, outcome: Outcome, informe: bytes, now: float) -> None:
        """Record an upload's outcome and report."""
        self.database.execute(
            "UPDATE uploads SET outcome = ?, informe = ?, processed_at = ? WHERE track_id = ?",
            (outcome.to_json(), informe, now, track_id),
        )

    def received(self, rut: str, dte_type: int, folio: int) -> StoredDocument | None:
        """The document the SII holds under this folio, or None."""
        row = self.database.execute(
            "SELECT issued_on, receiver, total, state, track_id FROM documents"
            " WHERE rut = ? AND dte_type = ? AND folio = ?",
            (rut, dte_type, folio),
        ).fetchone()
        if row is None:
            return None
        return StoredDocument(date.fromisoformat(row[0]), row[1], row[2], row[3], row[4])

    def record_document(
        self, rut: str, dte_type: int, folio: int, document: StoredDocument
    ) -> None:
        """Record an accepted document."""
        self.database.execute(
            "INSERT INTO documents (rut, dte_type, folio, issued_on, receiver, total, state,"
            " track_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rut,
                dte_type,
                folio,
                document.issued_on.isoformat(),
                document.receiver,
                document.total,
                document.state,
                document.track_id,
            ),
        )

    def record_modification(
        self, rut: str, dte_type: int, folio: int, note_type: int, note_folio: int, code: int
    ) -> None:
        """Record that an accepted note modifies (or annuls) a received document."""
        self.database.execute(
            "INSERT INTO modifications (rut, dte_type, folio, note_type, note_folio, code)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (rut, dte_type, folio, note_type, note_folio, code),
        )

    def last_modification(self, rut: str, dte_type: int, folio: int) -> tuple[int, int] | None:
        """(note type, CodRef) of the latest note that modifies a document, or None."""
        row = self.database.execute(
            "SELECT note_type, code FROM modifications WHERE rut = ? AND dte_type = ?"
            " AND folio = ? ORDER BY rowid DESC LIMIT 1",
            (rut, dte_type, folio),
        ).fetchone()
        return (row[0], row[1]) if row else None
