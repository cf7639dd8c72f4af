"""What a benchmark run publishes: the machine, its ceiling, the scenario's figures, their
ratios to the ceiling and the targets they are held to; as one JSON object or a table."""

from __future__ import annotations

import io
import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from rich.console import Console
from rich.table import Table

from services.bench.ceiling import Ceiling

_LIBRARIES = ("cryptography", "lxml", "signxml", "grpcio", "eventsourcing", "protobuf")


@dataclass(frozen=True)
class Target:
    """A published goal: `measured` compared with `threshold` (at least, or at most)."""

    name: str
    measured: float | None
    threshold: float
    at_most: bool = False
    unit: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the figure meets the goal; None when it could not be measured."""
        if self.measured is None:
            return None
        if self.at_most:
            return self.measured <= self.threshold
        return self.measured >= self.threshold

    def as_json(self) -> dict[str, Any]:
        """The target as plain data."""
        return {
            "name": self.name,
            "measured": None if self.measured is None else round(self.measured, 3),
            "threshold": self.threshold,
            "comparison": "at most" if self.at_most else "at least",
            "unit": self.unit,
            "met": self.met,
        }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                "",
            )
    except OSError:
        pass
    from cryptography.hazmat.backends.openssl import backend

    return {
        "cores": len(os.sched_getaffinity(0)),
        "cpu": model or platform.processor(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "openssl": backend.openssl_version_text(),
        "libraries": {name: _version(name) for name in _LIBRARIES},
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


@dataclass
class BenchReport:
    """One run of one scenario."""

    scenario: str
    ceiling: Ceiling
    results: dict[str, Any]
    ratios: dict[str, float]
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    machine: dict[str, Any] = field(default_factory=machine)

    def as_json(self) -> dict[str, Any]:
        """The run as one JSON-ready object."""
        return {
            "scenario": self.scenario,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "options": self.options,
            "machine": self.machine,
            "ceiling": self.ceiling.as_json(),
            "results": self.results,
            "ratios": {name: float(f"{value:.4g}") for name, value in self.ratios.items()},
            "targets": [target.as_json() for target in self.targets],
            "notes": self.notes,
        }

    def render(self) -> str:
        """The run as tables for a person."""
        out = io.StringIO()
        console = Console(file=out, width=110, force_terminal=False, color_system=None)
        cpu = self.machine["cpu"]
        console.print(
            f"timbra bench {self.scenario} — {self.machine['cores']} cores ({cpu}), "
            f"Python {self.machine['python']}, {self.machine['openssl']}"
        )
        ceiling = Table("ceiling: RSA-2048 PKCS#1 v1.5 signatures/s", "value", box=None)
        ceiling.add_row("one core", f"{self.ceiling.per_core:,.0f}")
        ceiling.add_row(f"all {self.ceiling.cores} cores", f"{self.ceiling.all_cores:,.0f}")
        console.print(ceiling)
        figures = Table("figure", "value", box=None)
        for name, value in _flatten(self.results):
            figures.add_row(name, _show(value))
        for name, value in self.ratios.items():
            figures.add_row(f"ratio: {name}", f"{value:.1%}")
        console.print(figures)
        if self.targets:
            goals = Table("target", "measured", "goal", "met", box=None)
            for target in self.targets:
                sign = "≤" if target.at_most else "≥"
                met = {True: "yes", False: "NO", None: "not measured"}[target.met]
                goals.add_row(
                    target.name,
                    _show(target.measured) + (f" {target.unit}" if target.unit else ""),
                    f"{sign} {_show(target.threshold)}"
                    + (f" {target.unit}" if target.unit else ""),
                    met,
                )
            console.print(goals)
        for note in self.notes:
            console.print(f"note: {note}")
        return out.getvalue().rstrip()


def _flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    flat: list[tuple[str, Any]] = []
    for name, value in values.items():
        if isinstance(value, dict):
            flat.extend(_flatten(value, f"{prefix}{name}."))
        else:
            flat.append((f"{prefix}{name}", value))
    return flat


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
