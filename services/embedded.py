"""The whole platform on one machine without any external server (`timbra run`).

Each service keeps its own event store (SQLite by default). This process serves the gRPC API
(issuing and signing) and numbers and drafts documents; the rest of the pipeline runs in work
processes it starts (embedded_workers: signing, transmission, facts), so the platform uses
every core: each stage follows its upstream service's log straight from that service's store,
the embedded transport. The authority simulators run as child processes too. Work processes die
with this one, and one that dies is restarted: it resumes from its tracking records.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from services.core.child_process import die_with_parent, stop_process
from services.core.grpc_server import start_server
from services.core.metrics import forget_process
from services.core.settings import Settings
from services.core.simulators import SimulatorProcess, start_simulator
from services.countries.registry import available, configure_packs, pack_for
from services.embedded_workers import READY, ROLES
from services.issuing.api import IssuingServicer
from services.issuing.batcher import IssueQueue
from services.issuing.directory import Directory
from services.issuing.drafting import Drafter
from services.signing.api import SigningServicer
from services.wiring import authority_url, issuing_app, signing_app, transmission_app, vault_for
from timbra.v1 import issuing_pb2_grpc, signing_pb2_grpc

log = logging.getLogger(__name__)

_READY_TIMEOUT = 120.0


class Worker:
    """One work process: started, watched, restarted when it dies unasked, stopped."""

    def __init__(self, role: str, settings: Settings, env: dict[str, str]) -> None:
        self.role = role
        self._settings = settings
        self._env = env
        self._ready = threading.Event()
        self._stopping = False
        self.process = self._spawn()

    def _spawn(self) -> subprocess.Popen[str]:
        self._ready.clear()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.cli",
                "run",
                "--role",
                self.role,
                "--data-dir",
                str(self._settings.data_path),
            ],
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
            preexec_fn=die_with_parent,
        )
        threading.Thread(
            target=self._read, args=(process,), name=f"worker-{self.role}-out", daemon=True
        ).start()
        return process

    def _read(self, process: subprocess.Popen[str]) -> None:
        # The work process says on stdout when it is ready; anything else it prints is passed on.
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(READY):
                self._ready.set()
            else:
                sys.stdout.write(line)
                sys.stdout.flush()

    def wait_ready(self, timeout: float = _READY_TIMEOUT) -> None:
        """Block until the process said it is ready; RuntimeError if it exited or took too long."""
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.1):
            if self.process.poll() is not None:
                raise RuntimeError(f"the {self.role} worker exited with {self.process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {self.role} worker was not ready in {timeout:.0f} s")

    def watch(self) -> None:
        """Restart the process if it died while nobody asked it to stop."""
        if not self._stopping and self.process.poll() is not None:
            log.error(
                "the %s worker exited with %s; restarting it", self.role, self.process.returncode
            )
            forget_process(self.process.pid)
            self.process = self._spawn()

    def stop(self, timeout: float = 20.0) -> None:
        """Ask it to finish its current work and exit; kill it if it does not in time."""
        self._stopping = True
        stop_process(self.process, timeout=timeout)


@dataclass
class EmbeddedPlatform:
    """The API process of the embedded default; `start()` on a running event loop, then `stop()`."""

    settings: Settings
    port: int = 0
    simulators: dict[str, SimulatorProcess] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)

    async def start(self) -> None:
        """Open the stores, start the simulators and the work processes, then the API."""
        settings = self.settings
        settings.data_path.mkdir(parents=True, exist_ok=True)
        self.vault = vault = vault_for(settings)
        self.issuing = issuing_app(settings, vault)
        self.signing = signing_app(settings, vault)
        # Opened once here so that its tables exist before the work processes read them.
        transmission_app(settings, vault).close()

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
        configure_packs(settings, {c: s.admin_url for c, s in self.simulators.items()})

        env = {**os.environ, **self._worker_settings()}
        self.workers = [Worker(role, settings, env) for role in ROLES]
        for worker in self.workers:
            await asyncio.to_thread(worker.wait_ready)
        self._watching = asyncio.create_task(self._watch())

        self.directory = Directory(self.issuing, settings.data_path / "directory.sqlite3")
        self.queue = IssueQueue(Drafter(self.issuing), batch_size=settings.issue_batch_size)
        self.directory.start()
        await asyncio.to_thread(self.directory.wait_caught_up)
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

    def _worker_settings(self) -> dict[str, str]:
        """What the work processes must know that settings alone do not say: where the
        simulators this process started listen."""
        extra: dict[str, str] = {}
        for code, simulator in self.simulators.items():
            authority = pack_for(code).authority.upper()
            extra[f"TIMBRA_{code.upper()}_{authority}_URL"] = simulator.service_url
            if code == "cl" and not self.settings.cl_sii_informe_url:
                extra["TIMBRA_CL_SII_INFORME_URL"] = f"{simulator.admin_url}/informes"
        return extra

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            for worker in self.workers:
                worker.watch()

    @property
    def address(self) -> str:
        """host:port of the gRPC API."""
        return f"{self.settings.grpc_host}:{self.port}"

    async def stop(self) -> None:
        """Stop accepting calls, let the workers finish what they hold, close the stores."""
        await self.server.stop(grace=5)
        await self.queue.stop()
        self._watching.cancel()
        await asyncio.gather(*(asyncio.to_thread(worker.stop) for worker in self.workers))
        self.directory.stop()
        for simulator in self.simulators.values():
            simulator.stop()
        for app in (self.issuing, self.signing):
            app.close()
