"""What DIAN's portal knows about a business: its software and its numbering resolutions.

A resolution is associated with the software that may number with it (DIAN's "asociar
prefijos"): the software named when it was issued, or, when none was named, every software of
its NIT.
"""

from __future__ import annotations

import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date


class RegistryConflict(ValueError):
    """The request contradicts what is registered (e.g. a software id owned by another NIT)."""


class UnknownIssuer(LookupError):
    """No issuer is registered under that NIT."""


@dataclass(frozen=True)
class Software:
    """An issuer's registered software: DIAN's SoftwareID and the PIN the business chose."""

    software_id: str
    nit: str
    pin: str


@dataclass(frozen=True)
class Resolution:
    """A numbering resolution (form 1876) with the technical key DIAN gives for it."""

    number: str
    nit: str
    prefix: str
    range_from: int
    range_to: int
    valid_from: date
    valid_to: date
    technical_key: str  # "" for documento soporte and paper ranges, which DIAN gives no key
    resolution_date: date
    kind: str = "invoice"  # "invoice" (01, 02, 04), "support" (05) or "paper" (03)
    software_ids: tuple[str, ...] = ()  # associated software; empty: all of the NIT's

    def as_json(self) -> dict[str, object]:
        """The resolution as the sandbox portal returns it."""
        return {
            "nit": self.nit,
            "kind": self.kind,
            "resolution_number": self.number,
            "resolution_date": self.resolution_date.isoformat(),
            "prefix": self.prefix,
            "from": self.range_from,
            "to": self.range_to,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "technical_key": self.technical_key or None,
            "software_ids": list(self.software_ids),
        }


_SCHEMA = """
CREATE TABLE IF NOT EXISTS issuers (
    nit TEXT PRIMARY KEY, name TEXT NOT NULL, registered_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS software (
    software_id TEXT PRIMARY KEY, nit TEXT NOT NULL REFERENCES issuers(nit), pin TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resolutions (
    number TEXT PRIMARY KEY, nit TEXT NOT NULL REFERENCES issuers(nit), prefix TEXT NOT NULL,
    range_from INTEGER NOT NULL, range_to INTEGER NOT NULL, valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL, technical_key TEXT NOT NULL, resolution_date TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resolutions_by_nit ON resolutions(nit);
CREATE TABLE IF NOT EXISTS resolution_software (
    number TEXT NOT NULL REFERENCES resolutions(number), software_id TEXT NOT NULL,
    PRIMARY KEY (number, software_id)
);
"""
# Columns added after the first release; older databases get them on open.
_MIGRATIONS = {"kind": "ALTER TABLE resolutions ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice'"}


def _resolution(row: tuple, software_ids: tuple[str, ...] = ()) -> Resolution:
    number, nit, prefix, low, high, start, end, key, issued, kind = row
    return Resolution(
        number,
        nit,
        prefix,
        low,
        high,
        date.fromisoformat(start),
        date.fromisoformat(end),
        key,
        date.fromisoformat(issued),
        kind,
        software_ids,
    )


_RESOLUTION_COLUMNS = (
    "number, nit, prefix, range_from, range_to, valid_from, valid_to, technical_key, "
    "resolution_date, kind"
)


class Registry:
    """Issuers, their software and their resolutions, kept in the simulator's database."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(resolutions)")}
        for column, statement in _MIGRATIONS.items():
            if column not in columns:
                self._db.execute(statement)

    def register_issuer(
        self, nit: str, name: str, software_id: str | None, pin: str | None, today: date
    ) -> Software:
        """Register (or update) an issuer and one software; generate the id and PIN if absent."""
        software_id = software_id or str(uuid.uuid4())
        pin = pin or f"{secrets.randbelow(100_000):05d}"
        owner = self._db.execute(
            "SELECT nit, pin FROM software WHERE software_id = ?", (software_id,)
        ).fetchone()
        if owner is not None and owner[0] != nit:
            raise RegistryConflict(f"software_id {software_id} is registered to another NIT")
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO issuers (nit, name, registered_at) VALUES (?, ?, ?) "
                "ON CONFLICT(nit) DO UPDATE SET name = excluded.name",
                (nit, name, today.isoformat()),
            )
            self._db.execute(
                "INSERT INTO software (software_id, nit, pin) VALUES (?, ?, ?) "
                "ON CONFLICT(software_id) DO UPDATE SET pin = excluded.pin",
                (software_id, nit, pin),
            )
        return Software(software_id, nit, pin)

    def issue_resolution(
        self,
        nit: str,
        prefix: str,
        range_from: int,
        range_to: int,
        valid_from: date,
        valid_to: date,
        today: date,
        kind: str = "invoice",
        software_id: str | None = None,
    ) -> Resolution:
        """Authorise a numbering range for a registered issuer, with a fresh technical key
        (invoice ranges only), associated with `software_id` or all its software."""
        if not self.is_enrolled(nit):
            raise UnknownIssuer(nit)
        # A provider's software (another NIT's) may be associated too, as in DIAN's portal.
        if software_id is not None and self.software(software_id) is None:
            raise RegistryConflict(f"software_id {software_id} is not registered")
        while True:
            # Form 1876 numbers: "1876" and ten more digits, unique in the sandbox.
            number = f"1876{secrets.randbelow(10**10):010d}"
            taken = self._db.execute("SELECT 1 FROM resolutions WHERE number = ?", (number,))
            if taken.fetchone() is None:
                break
        resolution = Resolution(
            number,
            nit,
            prefix,
            range_from,
            range_to,
            valid_from,
            valid_to,
            secrets.token_hex(20) if kind == "invoice" else "",
            today,
            kind,
            (software_id,) if software_id else (),
        )
        row = (
            number,
            nit,
            prefix,
            range_from,
            range_to,
            valid_from.isoformat(),
            valid_to.isoformat(),
            resolution.technical_key,
            today.isoformat(),
            kind,
        )
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                f"INSERT INTO resolutions ({_RESOLUTION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            if software_id:
                self._db.execute(
                    "INSERT INTO resolution_software (number, software_id) VALUES (?, ?)",
                    (number, software_id),
                )
        return resolution

    def resolution(self, number: str) -> Resolution | None:
        """The resolution with that number, whoever owns it."""
        row = self._db.execute(
            f"SELECT {_RESOLUTION_COLUMNS} FROM resolutions WHERE number = ?", (number,)
        ).fetchone()
        return _resolution(row, self._associated(row[0])) if row else None

    def resolutions_of(self, nit: str) -> list[Resolution]:
        """Every resolution issued to a NIT, oldest first."""
        rows = self._db.execute(
            f"SELECT {_RESOLUTION_COLUMNS} FROM resolutions WHERE nit = ? ORDER BY rowid", (nit,)
        ).fetchall()
        return [_resolution(row, self._associated(row[0])) for row in rows]

    def _associated(self, number: str) -> tuple[str, ...]:
        rows = self._db.execute(
            "SELECT software_id FROM resolution_software WHERE number = ? ORDER BY software_id",
            (number,),
        )
        return tuple(row[0] for row in rows)

    def is_enrolled(self, nit: str) -> bool:
        """Whether an issuer is registered under that NIT."""
        return (
            self._db.execute("SELECT 1 FROM issuers WHERE nit = ?", (nit,)).fetchone() is not None
        )

    def software(self, software_id: str) -> Software | None:
        """A registered software by its id."""
        row = self._db.execute(
            "SELECT software_id, nit, pin FROM software WHERE software_id = ?", (software_id,)
        ).fetchone()
        return Software(*row) if row else None
