"""An EnvioDTE of 2,000 DTEs (the schema's limit): uploaded, really validated, polled to
acceptance; the times are printed (run with -s) and bounded loosely."""

from __future__ import annotations

import re
import time
from pathlib import Path

from services.core.simulators import SimulatorProcess
from tests.integration.sii.support import Company
from tests.integration.sii.test_progress import CountingWire

COUNT = 2000


def processing_seconds(simulator: SimulatorProcess, track_id: str) -> float:
    """The simulator's own time to validate the envelope, from its log."""
    arguments = list(simulator.process.args)  # type: ignore[arg-type]
    log = Path(arguments[arguments.index("--data-dir") + 1]) / "simulator.log"
    found = re.search(
        rf"track {track_id} processed in ([0-9.]+) s: EPR, {COUNT} DTEs", log.read_text()
    )
    assert found, "the simulator logs how long the envelope took"
    return float(found.group(1))


def test_an_envelope_of_2000_dtes_is_validated_and_accepted(
    simulator: SimulatorProcess, company: Company
) -> None:
    started = time.monotonic()
    items = company.documents(COUNT, seed=90)
    built = time.monotonic() - started
    wire = CountingWire(simulator.service_url, 120)
    client = company.client(wire=wire, status_ttl=0.1)
    started = time.monotonic()
    deliveries = client.submit_batch(items)
    uploaded = time.monotonic() - started
    track_ids = {delivery.track_id for delivery in deliveries}
    assert len(deliveries) == COUNT and len(track_ids) == 1
    track_id = track_ids.pop()
    started = time.monotonic()
    while client.envelope_status(company.profile.tax_id, track_id).pending:
        assert time.monotonic() - started < 120, "the envelope was not processed in 2 minutes"
        time.sleep(0.05)
    processed = time.monotonic() - started
    status = client.envelope_status(company.profile.tax_id, track_id)
    assert status.state == "EPR"
    assert (status.counts[33].informed, status.counts[33].accepted) == (COUNT, COUNT)
    asked = wire.calls["getEstUp"]
    started = time.monotonic()
    verdicts = [client.poll(item, track_id) for item in items]
    polled = time.monotonic() - started
    client.close()
    assert all(v is not None and v.accepted and v.status_code == "DOK" for v in verdicts)
    assert wire.calls["getEstUp"] == asked, "a processed envelope's state is asked once"
    assert "getEstDte" not in wire.calls, "no document needed asking about on its own"
    validation = processing_seconds(simulator, track_id)
    print(
        f"\n{COUNT} DTEs: built and signed {built:.1f} s; envelope built, signed and uploaded "
        f"{uploaded:.2f} s; simulator validation {validation:.2f} s; EPR seen after "
        f"{processed:.2f} s; {COUNT} polls {polled:.2f} s"
    )
    assert uploaded < 60 and validation < 60
