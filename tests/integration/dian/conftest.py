"""Fixtures: one simulator process and one enrolled issuer per test module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from services.core.simulators import SimulatorProcess
from tests.integration.dian.support import TODAY, Sandbox, enrol, start


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """The simulator as its own process; it must stop cleanly on SIGTERM."""
    running = start(tmp_path_factory.mktemp("dian") / "state")
    yield running
    assert running.stop() == 0, "the simulator must stop cleanly on SIGTERM"


@pytest.fixture(scope="module")
def sandbox(simulator: SimulatorProcess) -> Iterator[Sandbox]:
    """An issuer enrolled with the simulator, with a resolution valid around today."""
    enrolled = enrol(
        simulator,
        valid_from=(TODAY - timedelta(days=30)).isoformat(),
        valid_to=(TODAY + timedelta(days=365)).isoformat(),
    )
    yield enrolled
    enrolled.client.close()
