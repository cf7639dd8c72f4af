"""What the SII knows about taxpayers: companies authorised to issue DTEs, the people who may
send for them, the folios (CAFs) issued to them and the folios they annulled.

Used from the database thread only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date


class RangeTaken(ValueError):
    """The folios asked for overlap a CAF already issued for that RUT and type."""


@dataclass(frozen=True)
class Company:
    """A company registered as an electronic issuer, with its resolution and its senders."""

    rut: str
    name: str
    resolution_date: date
    resolution_number: int
    authorised: bool
    senders: frozenset[str]

    def as_json(self) -> dict[str, object]:
        """The company as the sandbox portal shows it."""
        return {
            "rut": self.rut,
            "name": self.name,
            "resolution_date": self.resolution_date.isoformat(),
            "resolution_number": self.resolution_number,
            "authorised": self.authorised,
            "senders": sorted(self.senders),
        }


@dataclass(frozen=True)
class CafRecord:
    """A CAF the simulator issued (its public facts; the XML went to the company)."""

    rut: str
    dte_type: int
    folio_from: int
    folio_to: int
    authorized_on: date
    idk: int

    def as_json(self) -> dict[str, object]:
        """The CAF as the sandbox portal lists it."""
        return {
            "rut": self.rut,
            "dte_type": self.dte_type,
            "from": self.folio_from,
            "to": self.folio_to,
            "authorized_on": self.authorized_on.isoformat(),
            "idk": self.idk,
        }


class Registry:
    """Companies, senders, CAFs and annulments in the simulator's database."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self.database = database

    def register(
        self,
        rut: str,
        name: str,
        resolution_date: date,
        resolution_number: int,
        senders: list[str],
        authorised: bool = True,
    ) -> Company:
        """Register (or update) a company; the senders given are added to those it had."""
        self.database.execute(
            "INSERT INTO companies (rut, name, resolution_date, resolution_number, authorised)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (rut) DO UPDATE SET name = excluded.name,"
            " resolution_date = excluded.resolution_date,"
            " resolution_number = excluded.resolution_number, authorised = excluded.authorised",
            (rut, name, resolution_date.isoformat(), resolution_number, int(authorised)),
        )
        self.database.executemany(
            "INSERT OR IGNORE INTO senders (company, run) VALUES (?, ?)",
            [(rut, run) for run in senders],
        )
        company = self.company(rut)
        assert company is not None
        return company

    def company(self, rut: str) -> Company | None:
        """The registered company with this RUT, or None."""
        row = self.database.execute(
            "SELECT name, resolution_date, resolution_number, authorised FROM companies"
            " WHERE rut = ?",
            (rut,),
        ).fetchone()
        if row is None:
            return None
        senders = self.database.execute("SELECT run FROM senders WHERE company = ?", (rut,))
        return Company(
            rut,
            row[0],
            date.fromisoformat(row[1]),
            int(row[2]),
            bool(row[3]),
            frozenset(run for (run,) in senders),
        )

    def next_folio(self, rut: str, dte_type: int) -> int:
        """The first folio after every CAF issued for this RUT and type."""
        row = self.database.execute(
            "SELECT MAX(folio_to) FROM cafs WHERE rut = ? AND dte_type = ?", (rut, dte_type)
        ).fetchone()
        return (row[0] or 0) + 1

    def record_caf(self, caf: CafRecord, now: float) -> None:
        """Remember an issued CAF; RangeTaken if its folios overlap one already issued."""
        overlap = self.database.execute(
            "SELECT 1 FROM cafs WHERE rut = ? AND dte_type = ? AND folio_from <= ?"
            " AND folio_to >= ?",
            (caf.rut, caf.dte_type, caf.folio_to, caf.folio_from),
        ).fetchone()
        if overlap:
            raise RangeTaken(
                f"folios {caf.folio_from}-{caf.folio_to} of type {caf.dte_type} were already "
                f"authorised to {caf.rut}"
            )
        self.database.execute(
            "INSERT INTO cafs (rut, dte_type, folio_from, folio_to, authorized_on, idk,"
            " issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                caf.rut,
                caf.dte_type,
                caf.folio_from,
                caf.folio_to,
                caf.authorized_on.isoformat(),
                caf.idk,
                now,
            ),
        )

    def cafs_of(self, rut: str) -> list[CafRecord]:
        """The CAFs issued to a RUT, oldest first."""
        rows = self.database.execute(
            "SELECT dte_type, folio_from, folio_to, authorized_on, idk FROM cafs WHERE rut = ?"
            " ORDER BY id",
            (rut,),
        )
        return [CafRecord(rut, t, a, b, date.fromisoformat(on), idk) for t, a, b, on, idk in rows]

    def authorised_folio(self, rut: str, dte_type: int, folio: int) -> bool:
        """Whether some CAF issued to this RUT covers the folio."""
        row = self.database.execute(
            "SELECT 1 FROM cafs WHERE rut = ? AND dte_type = ? AND ? BETWEEN folio_from"
            " AND folio_to",
            (rut, dte_type, folio),
        ).fetchone()
        return row is not None

    def annul(self, rut: str, dte_type: int, low: int, high: int, reason: str, now: float) -> None:
        """Annul unused folios (the SII's "anulación de folios")."""
        self.database.execute(
            "INSERT INTO annulments (rut, dte_type, folio_from, folio_to, reason, annulled_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (rut, dte_type, low, high, reason, now),
        )

    def annulled(self, rut: str, dte_type: int, folio: int) -> bool:
        """Whether the folio was annulled."""
        row = self.database.execute(
            "SELECT 1 FROM annulments WHERE rut = ? AND dte_type = ? AND ? BETWEEN folio_from"
            " AND folio_to",
            (rut, dte_type, folio),
        ).fetchone()
        return row is not None
