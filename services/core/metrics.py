"""Operational metrics (Prometheus text format over HTTP): what operators alert on.

Deadlines and contingency are metrics as well as events (DESIGN §5), so a dashboard or an
alert rule can see a backlog growing or a 48-hour deadline coming without reading the stores.
"""

from __future__ import annotations

import logging

from prometheus_client import Counter, Gauge, start_http_server

log = logging.getLogger(__name__)

DRAFTED = Counter(
    "timbra_documents_drafted", "Documents numbered and drafted", ["country", "document_type"]
)
VERDICTS = Counter("timbra_verdicts", "Authority verdicts recorded", ["country", "verdict"])
DELIVERY_FAILURES = Counter(
    "timbra_delivery_failures", "Deliveries that did not reach the authority", ["country", "kind"]
)
CONTINGENCY = Gauge("timbra_contingency_active", "1 while in contingency", ["country"])
BACKLOG = Gauge("timbra_contingency_backlog", "Documents waiting for the authority", ["country"])
DEADLINE = Gauge(
    "timbra_backlog_deadline_seconds",
    "Seconds until the earliest transmission deadline of a waiting document",
    ["country"],
)
DEADLINE_WARNINGS = Counter(
    "timbra_deadline_warnings", "Documents warned about an approaching deadline", ["country"]
)
RANGE_REMAINING = Gauge(
    "timbra_range_remaining", "Numbers left in a numbering range", ["country", "issuer", "prefix"]
)


def serve_metrics(host: str, port: int) -> None:
    """Expose /metrics on host:port (0 = off); a busy port is logged, not fatal."""
    if not port:
        return
    try:
        start_http_server(port, addr=host)
    except OSError as problem:
        log.warning("metrics not served on %s:%d: %s", host, port, problem)
