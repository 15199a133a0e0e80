"""CPU used by processes outside the benchmark while it measures (other sessions' test runs
on a shared machine skew every number). PostgreSQL and Redis count as ours: they serve
the benchmark's requests. So do kernel threads (children of kthreadd, pid 2): after each
wrk run they spend 0.2-0.4 cores for a few seconds reclaiming its sockets and memory, which
counted as "other load" made the harness wait and re-measure for nothing."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
OURS_BY_NAME = frozenset({"wrk", "postgres", "redis-server"})
KTHREADD = 2
Sample = dict[int, tuple[str, int, int, int]]  # pid -> (comm, ppid, pgid, cpu ticks)


def sample() -> Sample:
    out: Sample = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        f = raw[raw.rindex(")") + 2 :].split()
        out[int(entry.name)] = (comm, int(f[1]), int(f[2]), int(f[11]) + int(f[12]))
    return out


class OtherLoad:
    """Measures the CPU seconds of foreign processes between start() and stop()."""

    def __init__(self, our_groups: Callable[[], set[int]]) -> None:
        self._our_groups = our_groups
        self._before: Sample = {}
        self._t0 = 0.0

    def _foreign(self, pid: int, comm: str, ppid: int, pgid: int) -> bool:
        me = os.getpid()
        kernel = KTHREADD in (pid, ppid)
        return not (
            kernel or me in (pid, ppid) or comm in OURS_BY_NAME or pgid in self._our_groups()
        )

    def start(self) -> None:
        self._before = sample()
        self._t0 = time.monotonic()

    def stop(self) -> float:
        """Average cores used by foreign processes over the interval."""
        after = sample()
        elapsed = time.monotonic() - self._t0
        ticks = 0
        for pid, (comm, ppid, pgid, cpu) in after.items():
            if not self._foreign(pid, comm, ppid, pgid):
                continue
            before = self._before.get(pid)
            ticks += cpu - (before[3] if before and before[0] == comm else 0)
        return round(ticks / TICKS / elapsed, 3) if elapsed > 0 else 0.0

    def wait_for_quiet(
        self, *, max_wait_s: float, threshold_cores: float, log: Callable[[str], None]
    ) -> float:
        """Wait (bounded) until foreign processes use less than `threshold_cores` over a
        1 s window; returns the last window's load."""
        deadline = time.monotonic() + max_wait_s
        warned = False
        while True:
            self.start()
            time.sleep(1.0)
            cores = self.stop()
            if cores < threshold_cores or time.monotonic() >= deadline:
                return cores
            if not warned:
                log(f"other processes use {cores:.2f} cores; waiting up to {max_wait_s:.0f} s")
                warned = True
