"""The SQLite file in the data directory that holds the sandbox's state across restarts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

FILE_NAME = "dian-simulator.sqlite3"


def open_database(data_dir: Path) -> sqlite3.Connection:
    """Open (creating if needed) the simulator's database; use it from one thread at a time."""
    data_dir.mkdir(parents=True, exist_ok=True)
    # The server hands this connection to a single dedicated thread, hence no same-thread check.
    connection = sqlite3.connect(
        data_dir / FILE_NAME, check_same_thread=False, isolation_level=None, timeout=10
    )
    connection.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL survives a process crash; only an OS crash may lose the last commits,
    # which for a sandbox is the right trade for hundreds of commits per second.
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection
