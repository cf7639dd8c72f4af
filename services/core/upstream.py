"""Reading another process's event store: the embedded transport across processes.

On the embedded default each service's work runs in a process of its own, and a consumer
follows its upstream service's notification log straight from that service's SQLite file, as
`LogFollower` does in one process: the same envelopes, the same tracking records. SQLite in WAL
mode lets readers in other processes see each commit whole, in commit order, while the owner
keeps writing; `ServiceApplication.wait_for_change` notices those commits (store.CommitWatch).
"""

from __future__ import annotations

from services.core.store import ServiceApplication


class UpstreamLog(ServiceApplication):
    """Another service's store, opened here to read its notification log."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        # The library derives its settings and recorder from `name`: set it first.
        self.name = name
        super().__init__(env)
