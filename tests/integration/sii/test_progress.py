"""An upload's state advances over time (REC, SOK, CRT, FOK, PDR, EPR), so clients must poll;
and polling 2,000... or 20 documents of one envelope costs one getEstUp per `status_ttl`."""

from __future__ import annotations

import time

from services.core.simulators import SimulatorProcess
from services.countries.cl.client.wire import Wire
from tests.integration.sii.support import Company, put, settle


class CountingWire(Wire):
    """A Wire that counts the SOAP calls made through it, by operation."""

    def __init__(self, *arguments: object) -> None:
        super().__init__(*arguments)  # type: ignore[arg-type]
        self.calls: dict[str, int] = {}

    def soap(self, service: str, operation: str, parameters: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
        """Count the call, then make it."""
        self.calls[operation] = self.calls.get(operation, 0) + 1
        return super().soap(service, operation, parameters)


def test_the_envelope_state_progresses_over_time(
    simulator: SimulatorProcess, company: Company
) -> None:
    put(f"{simulator.admin_url}/settings", {"step_delay_ms": 150})
    client = company.client(status_ttl=0)
    try:
        items = company.documents(3, seed=70)
        track_id = client.submit_batch(items)[0].track_id
        seen: list[str] = []
        verdicts_before_end = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            state = client.envelope_status(company.profile.tax_id, track_id).state
            if not seen or seen[-1] != state:
                seen.append(state)
            if state == "EPR":
                break
            verdict = client.poll(items[0], track_id)
            # States only move forward: still short of EPR after the poll means the poll
            # happened before the end too, so it must not have a verdict yet.
            if client.envelope_status(company.profile.tax_id, track_id).state != "EPR":
                verdicts_before_end.append(verdict)
            time.sleep(0.02)
    finally:
        put(f"{simulator.admin_url}/settings", {"step_delay_ms": 20})
    assert seen == ["REC", "SOK", "CRT", "FOK", "PDR", "EPR"]
    assert verdicts_before_end and all(v is None for v in verdicts_before_end)
    assert all(settle(client, item, track_id).accepted for item in items)
    client.close()


def test_polling_many_documents_asks_once_per_envelope(company: Company) -> None:
    wire = CountingWire(company.simulator.service_url, 10)
    client = company.client(wire=wire, status_ttl=60)
    items = company.documents(20, seed=71)
    track_id = client.submit_batch(items)[0].track_id
    time.sleep(0.3)  # processed, and every state shown
    assert all(client.poll(item, track_id).accepted for item in items)
    assert wire.calls.get("getEstUp") == 1
    assert "getEstDte" not in wire.calls
    client.close()
