"""`timbra serve <service>`: one service of the distributed layout (Kafka + its own store).

A service runs as two processes: the *service* process (its gRPC API and its outbox relay) and
its *consumer* (a faust worker, as faust wants its own event loop), started and watched by the
service process. The consumer dies with its parent (PR_SET_PDEATHSIG), so killing a service —
even with SIGKILL — never leaves half of it running.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys

from services.core.child_process import die_with_parent
from services.core.grpc_server import start_server
from services.core.kafka_worker import run_consumer
from services.core.metrics import serve_metrics
from services.core.relay import OutboxRelay
from services.core.settings import Settings
from services.core.topics import ensure_topics
from services.countries.registry import available, configure_packs
from services.wiring import (
    AuthorityEndpoints,
    authority_url,
    issuing_app,
    signing_app,
    transmission_app,
    vault_for,
)
from services.wiring import dispatcher as make_dispatcher

log = logging.getLogger(__name__)

SERVICES = ("issuing", "signing", "transmission")


def check(settings: Settings) -> None:
    """Refuse to serve without the distributed transport; configure the country packs."""
    if settings.transport != "kafka":
        raise SystemExit("timbra serve needs TIMBRA_TRANSPORT=kafka (use `timbra run` otherwise)")
    configure_packs(settings, {})


def consume(service: str, settings: Settings) -> None:
    """The consumer process of `service` (blocks until stopped)."""
    vault = vault_for(settings)
    # The consumer does the work that metrics describe (for transmission: the dispatcher).
    serve_metrics(settings.grpc_host, settings.metrics_port)
    if service == "issuing":
        from services.issuing.facts import FactRecorder

        run_consumer(
            "issuing",
            settings.kafka_bootstrap,
            FactRecorder(issuing_app(settings, vault)),
            topic_prefix=settings.kafka_topic_prefix,
            datadir=settings.data_path / "faust" / service,
        )
    elif service == "signing":
        from services.signing.application import Signer

        run_consumer(
            "signing",
            settings.kafka_bootstrap,
            Signer(signing_app(settings, vault)),
            topic_prefix=settings.kafka_topic_prefix,
            datadir=settings.data_path / "faust" / service,
        )
    elif service == "transmission":
        from services.transmission.application import SubmissionOpener

        app = transmission_app(settings, vault)
        urls = {code: authority_url(settings, code) for code in available()}
        urls = {code: url for code, url in urls.items() if url}
        if not urls:
            raise SystemExit(
                "timbra serve transmission needs an authority endpoint "
                "(TIMBRA_CO_DIAN_URL, TIMBRA_CL_SII_URL)"
            )
        dispatcher = make_dispatcher(
            settings, app, AuthorityEndpoints(urls, settings.authority_timeout, settings, vault)
        )
        run_consumer(
            "transmission",
            settings.kafka_bootstrap,
            SubmissionOpener(app, dispatcher.submit),
            topic_prefix=settings.kafka_topic_prefix,
            datadir=settings.data_path / "faust" / service,
            on_started=dispatcher.start,
        )
    else:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(SERVICES)}")


def _start_consumer(service: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli", "serve", service, "--role", "consumer"],
        stdin=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )


async def serve(service: str, settings: Settings) -> None:
    """The service process of `service`: API, relay, and the supervised consumer."""
    ensure_topics(settings.kafka_bootstrap, settings.kafka_partitions, settings.kafka_topic_prefix)
    vault = vault_for(settings)
    if service == "issuing":
        from services.issuing.api import IssuingServicer
        from services.issuing.batcher import IssueQueue
        from services.issuing.directory import Directory
        from services.issuing.drafting import Drafter
        from services.issuing.outbound import OUTBOUND
        from timbra.v1 import issuing_pb2_grpc

        app = issuing_app(settings, vault)
        directory = Directory(app, settings.data_path / "directory.sqlite3")
        directory.start()
        await asyncio.to_thread(directory.wait_caught_up)
        queue = IssueQueue(Drafter(app), batch_size=settings.issue_batch_size)
        queue.start()
        servicer = IssuingServicer(app, queue, directory)
        port = settings.grpc_port
        registrations = [
            (
                "timbra.v1.Issuing",
                lambda s: issuing_pb2_grpc.add_IssuingServicer_to_server(servicer, s),
            )
        ]
    elif service == "signing":
        from services.signing.api import SigningServicer
        from services.signing.outbound import OUTBOUND
        from timbra.v1 import signing_pb2_grpc

        app = signing_app(settings, vault)
        servicer = SigningServicer(app)
        port = settings.signing_grpc_port
        registrations = [
            (
                "timbra.v1.Signing",
                lambda s: signing_pb2_grpc.add_SigningServicer_to_server(servicer, s),
            )
        ]
    elif service == "transmission":
        from services.transmission.outbound import OUTBOUND

        app = transmission_app(settings, vault)
        port = settings.transmission_grpc_port
        registrations = []
    else:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(SERVICES)}")

    relay = OutboxRelay(
        app, OUTBOUND, settings.kafka_bootstrap, topic_prefix=settings.kafka_topic_prefix
    )
    relay.start()
    server, bound = await start_server(f"{settings.grpc_host}:{port}", registrations)
    child = _start_consumer(service)
    print(
        f"timbra: {service} serving on {settings.grpc_host}:{bound} (consumer pid {child.pid})",
        flush=True,
    )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    async def watch_child() -> None:
        nonlocal child
        while not stop.is_set():
            await asyncio.sleep(0.5)
            if child.poll() is not None:
                log.error("%s consumer exited with %s; restarting it", service, child.returncode)
                child = _start_consumer(service)

    watcher = asyncio.create_task(watch_child())
    await stop.wait()
    watcher.cancel()
    child.terminate()
    try:
        await asyncio.to_thread(child.wait, 15)
    except subprocess.TimeoutExpired:
        child.kill()
    await server.stop(grace=5)
    relay.stop()
    relay.join(timeout=15)
    app.close()


def main(service: str, role: str, settings: Settings) -> None:
    """Dispatch to the service or consumer role."""
    check(settings)
    if role == "consumer":
        consume(service, settings)
    else:
        os.environ.setdefault("PYTHONUNBUFFERED", "1")
        asyncio.run(serve(service, settings))
