"""Running one measured task in several processes at once, one per core.

Each worker prepares first (keys, drafts, imports: nothing of that is timed), then all start
together on one signal, so the wall time measured is that of the work alone. Workers are
spawned, not forked: the parent may already hold threads (gRPC, logging) a fork would copy
half-way.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Work:
    """A prepared worker: `run` is timed and says how many units it did; `finish` (untimed)
    checks what was produced and raises when it is wrong."""

    run: Callable[[], int]
    finish: Callable[[], None] = lambda: None


# A task is a picklable, module-level callable: task(argument) -> Work.
Task = Callable[[Any], Work]

_SPAWN = multiprocessing.get_context("spawn")
_PREPARE_TIMEOUT = 600.0


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class Measured:
    """Units of work done by `processes` processes started together, and the wall time."""

    processes: int
    units: int
    seconds: float

    @property
    def rate(self) -> float:
        """Units per second, all processes together."""
        return self.units / self.seconds if self.seconds else 0.0


def _worker(task: Task, argument: Any, ready: Any, start: Any, results: Any) -> None:
    try:
        work = task(argument)
    except BaseException as problem:  # reported to the parent, which fails the scenario
        ready.put(("failed", f"{type(problem).__name__}: {problem}"))
        return
    ready.put(("ready", ""))
    start.wait()
    began = time.perf_counter()
    try:
        units = work.run()
        seconds = time.perf_counter() - began
        work.finish()
    except BaseException as problem:
        results.put(("failed", f"{type(problem).__name__}: {problem}", 0.0))
        return
    results.put(("done", units, seconds))


def measure(
    task: Task, argument: Any, processes: int, *, arguments: Sequence[Any] | None = None
) -> Measured:
    """Run `task(argument)` in `processes` spawned processes at once; their combined rate.
    With `arguments`, process i runs `task(arguments[i])` instead (a share of the work each)."""
    ready, results = _SPAWN.Queue(), _SPAWN.Queue()
    start = _SPAWN.Event()
    given = list(arguments) if arguments is not None else [argument] * processes
    if len(given) != processes:
        raise ValueError(f"{len(given)} arguments for {processes} processes")
    workers = [
        _SPAWN.Process(target=_worker, args=(task, each, ready, start, results), daemon=True)
        for each in given
    ]
    for worker in workers:
        worker.start()
    try:
        for _ in workers:
            state, problem = ready.get(timeout=_PREPARE_TIMEOUT)
            if state == "failed":
                raise RuntimeError(f"a benchmark worker could not prepare: {problem}")
        start.set()
        units, slowest = 0, 0.0
        for _ in workers:
            state, done, seconds = results.get(timeout=_PREPARE_TIMEOUT)
            if state == "failed":
                raise RuntimeError(f"a benchmark worker failed: {done}")
            units += done
            # Workers start together, so the slowest one's time is the run's wall time.
            slowest = max(slowest, seconds)
        return Measured(processes, units, slowest)
    except queue.Empty:
        raise RuntimeError("a benchmark worker did not answer in time") from None
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
