"""Operational metrics (Prometheus text format over HTTP): what operators alert on.

Deadlines and contingency are metrics as well as events (DESIGN §5), so a dashboard or an
alert rule can see a backlog growing or a 48-hour deadline coming without reading the stores.

On the embedded default the work runs in several processes (services.embedded), and the one
serving /metrics reports what all of them counted: prometheus_client's multiprocess mode, which
`timbra run` turns on before this module is first imported (cli._share_metrics). Gauges say which
process's value counts: the most recent one set, whoever set it.
"""

from __future__ import annotations

import logging
import os

from prometheus_client import CollectorRegistry, Counter, Gauge, multiprocess, start_http_server

log = logging.getLogger(__name__)

DRAFTED = Counter(
    "timbra_documents_drafted", "Documents numbered and drafted", ["country", "document_type"]
)
VERDICTS = Counter("timbra_verdicts", "Authority verdicts recorded", ["country", "verdict"])
DELIVERY_FAILURES = Counter(
    "timbra_delivery_failures", "Deliveries that did not reach the authority", ["country", "kind"]
)
CONTINGENCY = Gauge(
    "timbra_contingency_active",
    "1 while in contingency",
    ["country"],
    multiprocess_mode="mostrecent",
)
BACKLOG = Gauge(
    "timbra_contingency_backlog",
    "Documents waiting for the authority",
    ["country"],
    multiprocess_mode="mostrecent",
)
DEADLINE = Gauge(
    "timbra_backlog_deadline_seconds",
    "Seconds until the earliest transmission deadline of a waiting document",
    ["country"],
    multiprocess_mode="mostrecent",
)
DEADLINE_WARNINGS = Counter(
    "timbra_deadline_warnings", "Documents warned about an approaching deadline", ["country"]
)
RANGE_REMAINING = Gauge(
    "timbra_range_remaining",
    "Numbers left in a numbering range",
    ["country", "issuer", "prefix"],
    multiprocess_mode="mostrecent",
)


_SHARED = "PROMETHEUS_MULTIPROC_DIR"


def forget_process(pid: int) -> None:
    """A process that counted in the shared files has exited (its live gauges are dropped)."""
    if os.environ.get(_SHARED):
        multiprocess.mark_process_dead(pid)


def serve_metrics(host: str, port: int) -> None:
    """Expose /metrics on host:port (0 = off); a busy port is logged, not fatal. With shared
    counting on, what every process of the platform counted."""
    if not port:
        return
    registry = None
    if os.environ.get(_SHARED):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    try:
        start_http_server(port, addr=host, **({"registry": registry} if registry else {}))
    except OSError as problem:
        log.warning("metrics not served on %s:%d: %s", host, port, problem)
