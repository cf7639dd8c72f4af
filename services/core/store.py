"""Event store wiring: one `eventsourcing` application per service, SQLite or PostgreSQL.

Each service subclasses `ServiceApplication`. Its recorder can write tracking records, so a
consumer records what it processed in the same transaction as its results, and the outbox
relay records how far it has published.
"""

from __future__ import annotations

import base64
import sqlite3
import threading
import time
from datetime import date
from typing import Any
from urllib.parse import unquote, urlparse

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import (
    JSONTranscoder,
    ProcessRecorder,
    Recording,
    Tracking,
    Transcoding,
)

from services.core.settings import Settings
from services.core.vault import Vault


class BytesAsBase64(Transcoding):
    """Stores bytes (signed XML is byte-exact) as base64 text in JSON event state."""

    type = bytes
    name = "bytes_b64"

    def encode(self, obj: bytes) -> str:
        """Bytes to base64 text."""
        return base64.b64encode(obj).decode("ascii")

    def decode(self, data: str) -> bytes:
        """Base64 text to bytes."""
        return base64.b64decode(data)


class DateAsISO(Transcoding):
    """Stores calendar dates as YYYY-MM-DD."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Date to ISO text."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """ISO text to date."""
        return date.fromisoformat(data)


class ServiceApplication(Application):
    """An event-sourced application whose saves may carry a tracking record."""

    # Sections are only used by remote readers; local followers select without this cap.
    log_section_size = 500

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self.changed = threading.Condition()
        self._generation = 0
        self._commits = CommitWatch.of(self.env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add bytes and dates to the library's own transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(BytesAsBase64())
        transcoder.register(DateAsISO())

    def construct_recorder(self) -> ProcessRecorder:
        """A recorder that can write tracking records atomically with events."""
        return self.factory.process_recorder()

    @property
    def process_recorder(self) -> ProcessRecorder:
        """The recorder, typed as the process recorder it is."""
        recorder = self.recorder
        assert isinstance(recorder, ProcessRecorder)
        return recorder

    def record(self, *aggregates: Any, tracking: Tracking | None = None) -> list[Recording]:
        """Save aggregates' pending events, and the tracking record if any, in one transaction."""
        processing = ProcessingEvent(tracking=tracking)
        processing.collect_events(*aggregates)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def _notify(self, recordings: list[Recording]) -> None:
        # Wake in-process followers of this log (relay, directory, embedded consumers) at once
        # instead of leaving them to their polling interval.
        if recordings:
            with self.changed:
                self._generation += 1
                self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until something was saved after generation `seen`, or timeout: a save in this
        process wakes at once; one by another process is seen within a few milliseconds."""
        deadline = time.monotonic() + timeout
        pause = _FIRST_CHECK
        while True:
            with self.changed:
                if self._generation == seen:
                    remaining = deadline - time.monotonic()
                    self.changed.wait(min(pause, remaining) if self._commits else remaining)
                if self._generation != seen:
                    return self._generation
            if self._commits is not None and self._commits.changed():
                with self.changed:
                    self._generation += 1
                    return self._generation
            if time.monotonic() >= deadline:
                return seen
            # A quiet log is asked less and less often, up to a bound on the wake-up delay.
            pause = min(pause * 2, _LAST_CHECK)

    def close(self) -> None:
        """Close the store (and the watch on other processes' commits)."""
        if self._commits is not None:
            self._commits.close()
        super().close()


# How soon a commit by another process is noticed: first check after 1 ms of quiet, then
# less often, at most every 8 ms.
_FIRST_CHECK = 0.001
_LAST_CHECK = 0.008


class CommitWatch:
    """Notices commits made to an SQLite store by other processes (the embedded default runs
    each service's work in its own process): `PRAGMA data_version` changes on a connection
    whenever another connection committed, and costs microseconds to ask."""

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False
        )
        self._version = self._ask()

    @classmethod
    def of(cls, env: Any) -> CommitWatch | None:
        """A watch on the application's SQLite file; None for other stores."""
        module = env.get("PERSISTENCE_MODULE") or ""
        path = env.get("SQLITE_DBNAME") or ""
        if not module.endswith("sqlite") or not path or ":memory:" in path or "mode=memory" in path:
            return None
        return cls(path)

    def _ask(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Whether another connection committed since the last call."""
        with self._lock:
            now = self._ask()
            if now == self._version:
                return False
            self._version = now
            return True

    def close(self) -> None:
        """Close the watch connection."""
        with self._lock:
            self._connection.close()


def store_env(
    settings: Settings, name: str, *, cache_size: int = 0, vault: Vault | None = None
) -> dict[str, str]:
    """The `eventsourcing` environment for service `name` under these settings."""
    env: dict[str, str] = {
        "COMPRESSOR_TOPIC": "services.core.compression:FastZlib",
    }
    if settings.encrypt_events:
        # Every event's state (not only the secrets already sealed in it) encrypted with
        # AES-GCM under a key derived per service from the master key.
        if vault is None:
            raise ValueError("TIMBRA_ENCRYPT_EVENTS needs the deployment's master key")
        env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
        env["CIPHER_KEY"] = base64.b64encode(vault.derive_key(f"events|{name}")).decode()
    if cache_size:
        env["AGGREGATE_CACHE_MAXSIZE"] = str(cache_size)
    if settings.store == "sqlite":
        settings.data_path.mkdir(parents=True, exist_ok=True)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.sqlite",
            SQLITE_DBNAME=str(settings.data_path / f"{name}.sqlite3"),
            SQLITE_LOCK_TIMEOUT="30",
        )
    else:
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres", **postgres_env(settings.postgres_dsn)
        )
    return env


def postgres_env(dsn: str) -> dict[str, str]:
    """eventsourcing's POSTGRES_* variables from a postgresql:// DSN."""
    url = urlparse(dsn)
    if url.scheme not in ("postgresql", "postgres") or not url.path.strip("/"):
        raise ValueError("TIMBRA_POSTGRES_DSN must look like postgresql://user:pass@host:port/db")
    return {
        "POSTGRES_DBNAME": url.path.lstrip("/"),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or ""),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_POOL_SIZE": "4",
        "POSTGRES_MAX_OVERFLOW": "8",
        "POSTGRES_LOCK_TIMEOUT": "10",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "30",
    }
