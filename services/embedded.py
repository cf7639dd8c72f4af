"""The whole platform in one process (`timbra run`): issuing, signing and transmission on their
own event stores (SQLite by default), joined by the embedded transport, with the authority
simulators as child processes. No external server is needed."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from services.core.follower import LogFollower
from services.core.grpc_server import start_server
from services.core.settings import Settings
from services.core.simulators import SimulatorProcess, start_simulator
from services.countries.registry import available, configure_packs
from services.issuing.api import IssuingServicer
from services.issuing.batcher import IssueQueue
from services.issuing.directory import Directory
from services.issuing.drafting import Drafter
from services.issuing.facts import FactRecorder
from services.issuing.outbound import OUTBOUND as ISSUING_OUT
from services.signing.api import SigningServicer
from services.signing.application import Signer
from services.signing.outbound import OUTBOUND as SIGNING_OUT
from services.transmission.application import SubmissionOpener
from services.transmission.outbound import OUTBOUND as TRANSMISSION_OUT
from services.wiring import (
    AuthorityEndpoints,
    authority_url,
    dispatcher,
    issuing_app,
    signing_app,
    transmission_app,
    vault_for,
)
from timbra.v1 import issuing_pb2_grpc, signing_pb2_grpc

log = logging.getLogger(__name__)


@dataclass
class EmbeddedPlatform:
    """Every service in this process; `start()` on a running event loop, then `stop()`."""

    settings: Settings
    port: int = 0
    simulators: dict[str, SimulatorProcess] = field(default_factory=dict)

    async def start(self) -> None:
        """Open the stores, start the simulators, the followers, the workers and the API."""
        settings = self.settings
        settings.data_path.mkdir(parents=True, exist_ok=True)
        self.vault = vault = vault_for(settings)
        self.issuing = issuing_app(settings, vault)
        self.signing = signing_app(settings, vault)
        self.transmission = transmission_app(settings, vault)

        urls = {code: authority_url(settings, code) for code in available()}
        simulated = [code for code, url in urls.items() if not url] if settings.simulators else []
        started = await asyncio.gather(
            *(
                asyncio.to_thread(start_simulator, code, settings.data_path / "simulators" / code)
                for code in simulated
            )
        )
        for code, simulator in zip(simulated, started, strict=True):
            self.simulators[code] = simulator
            urls[code] = simulator.service_url
        urls = {code: url for code, url in urls.items() if url}
        configure_packs(settings, {c: s.admin_url for c, s in self.simulators.items()})
        endpoints = AuthorityEndpoints(urls, settings.authority_timeout, settings, self.vault)

        self.dispatcher = dispatcher(settings, self.transmission, endpoints)
        facts = FactRecorder(self.issuing)
        self.followers = [
            LogFollower(self.issuing, ISSUING_OUT, Signer(self.signing)),
            LogFollower(
                self.signing,
                SIGNING_OUT,
                SubmissionOpener(self.transmission, self.dispatcher.submit),
            ),
            LogFollower(self.signing, SIGNING_OUT, facts),
            LogFollower(self.transmission, TRANSMISSION_OUT, facts),
        ]
        self.directory = Directory(self.issuing)
        self.queue = IssueQueue(Drafter(self.issuing), batch_size=settings.issue_batch_size)

        self.directory.start()
        await asyncio.to_thread(self.directory.wait_caught_up)
        self.dispatcher.start()
        for follower in self.followers:
            follower.start()
        self.queue.start()
        issuing = IssuingServicer(self.issuing, self.queue, self.directory)
        signing = SigningServicer(self.signing)
        self.server, self.port = await start_server(
            f"{settings.grpc_host}:{settings.grpc_port}",
            [
                (
                    "timbra.v1.Issuing",
                    lambda s: issuing_pb2_grpc.add_IssuingServicer_to_server(issuing, s),
                ),
                (
                    "timbra.v1.Signing",
                    lambda s: signing_pb2_grpc.add_SigningServicer_to_server(signing, s),
                ),
            ],
        )

    @property
    def address(self) -> str:
        """host:port of the gRPC API."""
        return f"{self.settings.grpc_host}:{self.port}"

    async def stop(self) -> None:
        """Stop accepting calls, finish in-flight work, close the stores."""
        await self.server.stop(grace=5)
        await self.queue.stop()
        for follower in self.followers:
            follower.stop()
        for follower in self.followers:
            follower.join(timeout=10)
        self.directory.stop()
        self.dispatcher.stop()
        for simulator in self.simulators.values():
            simulator.stop()
        for app in (self.issuing, self.signing, self.transmission):
            app.close()
