"""The SQLite file in the data directory holding the simulator's state across restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

FILE_NAME = "sii-simulator.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS companies (
    rut TEXT PRIMARY KEY, name TEXT NOT NULL, resolution_date TEXT NOT NULL,
    resolution_number INTEGER NOT NULL, authorised INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS senders (
    company TEXT NOT NULL, run TEXT NOT NULL, PRIMARY KEY (company, run));
CREATE TABLE IF NOT EXISTS cafs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, rut TEXT NOT NULL, dte_type INTEGER NOT NULL,
    folio_from INTEGER NOT NULL, folio_to INTEGER NOT NULL, authorized_on TEXT NOT NULL,
    idk INTEGER NOT NULL, issued_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS annulments (
    rut TEXT NOT NULL, dte_type INTEGER NOT NULL, folio_from INTEGER NOT NULL,
    folio_to INTEGER NOT NULL, reason TEXT NOT NULL, annulled_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS seeds (
    seed TEXT PRIMARY KEY, issued_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, run TEXT NOT NULL, issued_at REAL NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
    track_id INTEGER PRIMARY KEY, company TEXT NOT NULL, sender TEXT NOT NULL,
    file_name TEXT NOT NULL, received_at REAL NOT NULL, sha256 TEXT NOT NULL,
    content BLOB NOT NULL, outcome TEXT, informe BLOB, processed_at REAL);
CREATE INDEX IF NOT EXISTS uploads_by_hash ON uploads (company, sha256);
CREATE TABLE IF NOT EXISTS documents (
    rut TEXT NOT NULL, dte_type INTEGER NOT NULL, folio INTEGER NOT NULL,
    issued_on TEXT NOT NULL, receiver TEXT NOT NULL, total INTEGER NOT NULL,
    state TEXT NOT NULL, track_id INTEGER NOT NULL, PRIMARY KEY (rut, dte_type, folio));
CREATE TABLE IF NOT EXISTS modifications (
    rut TEXT NOT NULL, dte_type INTEGER NOT NULL, folio INTEGER NOT NULL,
    note_type INTEGER NOT NULL, note_folio INTEGER NOT NULL, code INTEGER NOT NULL);
"""


def open_database(data_dir: Path) -> sqlite3.Connection:
    """Open (creating if needed) the simulator's database; use it from one thread at a time."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE_NAME
    # Tokens are kept there: the file is the owner's only.
    path.touch(mode=0o600, exist_ok=True)
    # The service hands this connection to its single database thread: no same-thread check.
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
    connection.execute("PRAGMA journal_mode=WAL")
    # A sandbox trades the last commits of an OS crash for throughput; a process crash is safe.
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.executescript(_SCHEMA)
    return connection
