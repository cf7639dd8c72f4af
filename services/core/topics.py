"""Kafka topics, created explicitly (the broker does not auto-create them)."""

from __future__ import annotations

import logging

from kafka.admin import KafkaAdminClient

from services.core.envelope import all_topics

log = logging.getLogger(__name__)

# Events are the audit trail's transport, not its store (the event stores are); a week of
# retention lets a service that was down catch up.
_CONFIGS = {"retention.ms": str(7 * 24 * 3600 * 1000), "max.message.bytes": str(16 * 1024 * 1024)}


def ensure_topics(
    bootstrap: str, partitions: int, prefix: str = "timbra", replication: int = 1
) -> list[str]:
    """Create every timbra topic that does not exist yet; returns the ones created."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="timbra-admin")
    try:
        existing = set(admin.list_topics())
        missing = {
            name: {
                "num_partitions": partitions,
                "replication_factor": replication,
                "configs": _CONFIGS,
            }
            for name in all_topics(prefix)
            if name not in existing
        }
        if missing:
            admin.create_topics(
                missing, timeout_ms=30000, raise_errors=False, wait_for_metadata=True
            )
            log.info("created topics %s", ", ".join(sorted(missing)))
        return sorted(missing)
    finally:
        admin.close()
