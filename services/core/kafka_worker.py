"""The Kafka transport's consumer side: a faust-streaming agent hands batches of events to the
same consumer handler the embedded transport uses (at-least-once; never faust's exactly-once).

The handler records the highest offset it processed per topic-partition in the service's own
store, in the same transaction as its results, so a redelivered message changes nothing. faust
acknowledges a batch only after the loop body returns, so a batch is retried in place until it
is recorded; letting an error escape would acknowledge it unprocessed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from services.core.envelope import topic_for
from services.core.inbox import Consumer, Inbound
from timbra.v1 import events_pb2

log = logging.getLogger(__name__)


def run_consumer(
    service: str,
    bootstrap: str,
    consumer: Consumer,
    *,
    datadir: Path,
    topic_prefix: str = "timbra",
    batch_size: int = 200,
    linger: float = 0.05,
    on_started: Callable[[], None] | None = None,
) -> None:
    """Run a faust worker for `consumer` until SIGTERM/SIGINT (blocks; owns the main thread).

    `datadir` is where faust keeps its own state; by default it would write beside the current
    directory, so every deployment passes its data directory.
    """
    import faust

    datadir.mkdir(parents=True, exist_ok=True)  # faust creates only the last level
    app = faust.App(
        f"{topic_prefix}-{service}",  # the consumer group: one per service and deployment
        broker=f"kafka://{bootstrap}",
        store="memory://",
        datadir=str(datadir),
        web_enabled=False,
        autodiscover=False,
        topic_allow_declare=False,  # topics are created explicitly (services.core.topics)
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        processing_guarantee="at_least_once",
        # A consumer killed without leaving its group holds its partitions until the broker
        # stops hearing from it: 10 s instead of faust's 60 before a replacement takes over.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=1.0,
        broker_commit_every=100,
        broker_commit_interval=1.0,
    )
    topics = app.topic(
        *[topic_for(kind, topic_prefix) for kind in consumer.consumes],
        key_serializer="raw",
        value_serializer="raw",
    )
    executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"{service}-handler")

    async def handle(group: list[Inbound]) -> None:
        delay = 0.5
        while True:
            try:
                await asyncio.get_running_loop().run_in_executor(executor, consumer.handle, group)
                return
            except Exception:
                log.exception(
                    "%s could not record a batch from %s; retrying", service, group[0].source
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    @app.agent(topics, name=f"timbra-{service}-consumer", concurrency=1)
    async def consume(stream):  # type: ignore[no-untyped-def]
        async for events in stream.take_events(batch_size, within=linger):
            groups: dict[str, list[Inbound]] = defaultdict(list)
            for event in events:
                message = event.message
                source = f"{message.topic}:{message.partition}"
                envelope = events_pb2.EventEnvelope.FromString(event.value)
                if envelope.type not in consumer.consumes:
                    continue
                # Positions are 1-based (offset + 1): Kafka's own "next offset to read".
                groups[source].append(Inbound(envelope, source, message.offset + 1))
            for group in groups.values():
                await handle(group)

    if on_started is not None:

        @app.task
        async def started() -> None:
            on_started()

    worker = faust.Worker(app, loglevel="WARNING", quiet=True)
    worker.execute_from_commandline()
