"""Fixtures: one simulator process and one enrolled company per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.core.simulators import SimulatorProcess
from tests.integration.sii.support import Company, enrol, put, start


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """The simulator as its own process, statuses advancing every 20 ms; it must stop cleanly."""
    running = start(tmp_path_factory.mktemp("sii") / "state")
    put(f"{running.admin_url}/settings", {"step_delay_ms": 20})
    yield running
    assert running.stop() == 0, "the simulator must stop cleanly on SIGTERM"


@pytest.fixture(scope="module")
def company(simulator: SimulatorProcess) -> Company:
    """A company enrolled with the simulator, with a factura CAF loaded."""
    return enrol(simulator)
