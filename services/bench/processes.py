"""The processes of a running platform and their resident memory, read from /proc.

A platform is a tree of processes (the services, the simulators and their worker pools); the
tree is re-read at every sample because pools start workers on demand. Each process is named
by what it runs, so figures stay comparable between runs whatever the pids.
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

_PROC = Path("/proc")


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the ppid follows the last ")".
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children[parent].append(int(entry.name))
    return children


def tree(roots: Iterable[int]) -> dict[int, str]:
    """`roots` and every descendant still alive, each with a readable name of what it runs
    (a pool's processes are named after the process that started them)."""
    children = _children_map()
    found: dict[int, str] = {}
    pending = [(pid, "") for pid in roots]
    while pending:
        pid, parent = pending.pop(0)
        if pid in found or not (_PROC / str(pid)).exists():
            continue
        name = name_of(pid)
        if name == "worker":
            name = f"{parent.removesuffix(' worker').removesuffix(' pool')} worker"
            if "forkserver" in _words(pid) or "resource_tracker" in " ".join(_words(pid)):
                name = f"{parent} pool"
        found[pid] = name
        pending.extend((child, name) for child in sorted(children.get(pid, ())))
    return found


def _words(pid: int) -> list[str]:
    try:
        argv = (_PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return []
    return [a.decode(errors="replace") for a in argv if a]


def name_of(pid: int) -> str:
    """A readable name for what a process runs (e.g. `timbra serve signing`); pool processes
    are all "worker"."""
    words = _words(pid)
    if "services.cli" in words:
        arguments = words[words.index("services.cli") + 1 :]
        # `timbra run`, `timbra serve signing`; a work process adds its role.
        named = arguments[:2] if arguments[:1] == ["serve"] else arguments[:1]
        if "--role" in arguments[:-1]:
            named += ["--role", arguments[arguments.index("--role") + 1]]
        return " ".join(["timbra", *named])
    module = next((w for w in words if w.startswith("services.countries.")), "")
    if module.endswith(".simulator"):
        return f"{module.split('.')[2]} simulator"
    if any("forkserver" in w or "multiprocessing" in w for w in words):
        return "worker"
    if words and words[0].endswith("timbra") and len(words) > 1:
        return f"timbra {words[1]}"
    return Path(words[0]).name if words else f"pid {pid}"


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process used so far; 0 when it is gone."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def memory_kib(pid: int) -> tuple[int, int]:
    """(resident now, peak resident) in KiB; (0, 0) when the process is gone."""
    try:
        status = (_PROC / str(pid) / "status").read_text()
    except OSError:
        return 0, 0
    values = {}
    for line in status.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, amount = line.split(":", 1)
            values[key] = int(amount.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


@dataclass
class ProcessMemory:
    """One process's resident memory over a run: samples of (progress, KiB)."""

    name: str
    peak_kib: int = 0
    samples: list[tuple[float, int]] = field(default_factory=list)
    cpu_first: float | None = None
    cpu_last: float = 0.0

    def at(self, progress: float) -> int | None:
        """Resident memory at the first sample taken at or after `progress` (0..1)."""
        return next((kib for done, kib in self.samples if done >= progress), None)

    def summary(self, warm_up: float) -> dict[str, float | int | None]:
        """Peak, after warm-up and final resident memory (MiB), and the growth in between."""
        after = self.at(warm_up)
        final = self.samples[-1][1] if self.samples else None
        growth = (final - after) / after if after and final is not None else None
        return {
            "cpu_seconds": round(self.cpu_last - (self.cpu_first or 0.0), 2),
            "peak_mib": round(self.peak_kib / 1024, 1),
            "after_warm_up_mib": round(after / 1024, 1) if after else None,
            "final_mib": round(final / 1024, 1) if final else None,
            "growth_after_warm_up": round(growth, 4) if growth is not None else None,
        }


class MemorySampler(threading.Thread):
    """Samples the resident memory of a process tree every `interval` seconds."""

    def __init__(
        self, roots: Callable[[], list[int]], progress: Callable[[], float], interval: float = 1.0
    ) -> None:
        super().__init__(name="bench-memory", daemon=True)
        self._roots = roots
        self._progress = progress
        self._interval = interval
        self._halt = threading.Event()
        self.processes: dict[str, ProcessMemory] = {}

    def sample(self) -> None:
        """Take one sample of every process of the tree now."""
        done = self._progress()
        seen: dict[str, int] = defaultdict(int)
        for pid, base in tree(self._roots()).items():
            # Several processes may run the same thing (pool workers): number them.
            seen[base] += 1
            name = base if seen[base] == 1 else f"{base} #{seen[base]}"
            resident, peak = memory_kib(pid)
            if not resident:
                continue
            memory = self.processes.setdefault(name, ProcessMemory(name))
            memory.peak_kib = max(memory.peak_kib, peak)
            memory.samples.append((done, resident))
            used = cpu_seconds(pid)
            if memory.cpu_first is None:
                memory.cpu_first = used
            memory.cpu_last = used

    def run(self) -> None:
        """Sample until stopped."""
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self._interval)

    def stop(self) -> None:
        """Stop sampling after one last sample."""
        self._halt.set()
        self.join(timeout=5)
        self.sample()

    def wait_started(self) -> None:
        """Block until the first sample exists (so a short run still has a baseline)."""
        deadline = time.monotonic() + 5
        while not self.processes and time.monotonic() < deadline:
            time.sleep(0.01)
