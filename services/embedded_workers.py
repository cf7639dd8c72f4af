"""The work processes of the embedded default: each runs one stage of the pipeline on its own
core, following its upstream service's log straight from that service's SQLite file.

- `signing`: drafted documents (issuing's log) are signed into signing's store.
- `transmission`: signed documents (signing's log) open submissions, and the dispatcher
  delivers them to the authorities and records their verdicts in transmission's store.
- `facts`: what signing and transmission recorded becomes facts on each document's own stream
  in issuing's store.

The parent (`timbra run`) starts them, restarts one that dies, and they die with it.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from services.core.follower import LogFollower
from services.core.settings import Settings
from services.core.store import ServiceApplication, store_env
from services.core.upstream import UpstreamLog
from services.core.vault import Vault
from services.countries.registry import available, configure_packs
from services.wiring import (
    AuthorityEndpoints,
    authority_url,
    dispatcher,
    issuing_app,
    signing_app,
    transmission_app,
    vault_for,
)

log = logging.getLogger(__name__)

ROLES = ("signing", "transmission", "facts")
READY = "timbra: worker ready"


@dataclass
class Stage:
    """What one work process runs: followers, and what to start and stop around them."""

    followers: list[LogFollower]
    apps: list[ServiceApplication]
    on_start: list[Callable[[], None]] = field(default_factory=list)
    on_stop: list[Callable[[], None]] = field(default_factory=list)


def _upstream(settings: Settings, name: str, vault: Vault) -> UpstreamLog:
    return UpstreamLog(name, store_env(settings, name, vault=vault))


def build_stage(role: str, settings: Settings, vault: Vault) -> Stage:
    """The followers (and their apps) of one role."""
    from services.issuing.outbound import OUTBOUND as ISSUING_OUT
    from services.signing.outbound import OUTBOUND as SIGNING_OUT
    from services.transmission.outbound import OUTBOUND as TRANSMISSION_OUT

    if role == "signing":
        from services.signing.application import Signer

        app, issuing = signing_app(settings, vault), _upstream(settings, "issuing", vault)
        return Stage([LogFollower(issuing, ISSUING_OUT, Signer(app))], [app, issuing])
    if role == "transmission":
        from services.transmission.application import SubmissionOpener

        app, signing = transmission_app(settings, vault), _upstream(settings, "signing", vault)
        urls = {code: authority_url(settings, code) for code in available()}
        endpoints = AuthorityEndpoints(
            {c: u for c, u in urls.items() if u}, settings.authority_timeout, settings, vault
        )
        delivering = dispatcher(settings, app, endpoints)
        follower = LogFollower(signing, SIGNING_OUT, SubmissionOpener(app, delivering.submit))
        return Stage([follower], [app, signing], [delivering.start], [delivering.stop])
    if role == "facts":
        from services.issuing.facts import FactRecorder

        app = issuing_app(settings, vault)
        signing = _upstream(settings, "signing", vault)
        transmission = _upstream(settings, "transmission", vault)
        recorder = FactRecorder(app)
        followers = [
            LogFollower(signing, SIGNING_OUT, recorder),
            LogFollower(transmission, TRANSMISSION_OUT, recorder),
        ]
        return Stage(followers, [app, signing, transmission])
    raise SystemExit(f"unknown worker role {role!r}; one of {', '.join(ROLES)}")


def run_worker(role: str, settings: Settings) -> None:
    """A work process: run `role` until SIGTERM or SIGINT."""
    configure_packs(settings, {})
    vault = vault_for(settings)
    stage = build_stage(role, settings, vault)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    for start in stage.on_start:
        start()
    for follower in stage.followers:
        follower.start()
    print(f"{READY}: {role}", flush=True)
    stop.wait()
    for follower in stage.followers:
        follower.stop()
    for follower in stage.followers:
        follower.join(timeout=15)
    for halt in stage.on_stop:
        halt()
    for app in stage.apps:
        app.close()
