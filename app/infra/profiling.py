"""Profile a piece of work across every thread it touches, and write the report.

A request crosses threads (the event loop for the middleware, a WSGI thread for the Flask
handler, worker threads for blocking calls), which `cProfile` cannot follow: it sees one
thread. yappi profiles all of them with wall-clock time, so waiting on the database or a
provider shows as what it is. One profile at a time per process (yappi is global); a
request that would overlap one already running is simply not profiled.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yappi  # type: ignore[import-untyped]  # ships no type hints

_LOCK = threading.Lock()
TOP = 40  # functions in the text report
APP_DIR = str(Path(__file__).resolve().parent.parent)  # this app's package folder
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class Profile:
    """Filled in when the profiled block ends: where the reports were written."""

    text_path: Path | None = None
    pstat_path: Path | None = None


@contextmanager
def profiled(out_dir: Path, name: str) -> Iterator[Profile | None]:
    """Profile the block (yields None, and profiles nothing, if another profile runs),
    then write `<name>.txt` (top functions by total wall time) and `<name>.prof` (pstats:
    `python -m pstats`, snakeviz, ...) into `out_dir`."""
    if not _LOCK.acquire(blocking=False):
        yield None
        return
    profile = Profile()
    try:
        yappi.clear_stats()
        yappi.set_clock_type("wall")
        yappi.start(builtins=False, profile_threads=True)
        try:
            yield profile
        finally:
            yappi.stop()
        _write(profile, out_dir, _UNSAFE.sub("_", name)[:120] or "profile")
    finally:
        yappi.clear_stats()
        _LOCK.release()


def _write(profile: Profile, out_dir: Path, name: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = yappi.get_func_stats()
    profile.pstat_path = out_dir / f"{name}.prof"
    stats.save(str(profile.pstat_path), type="pstat")
    stats.sort("ttot", "desc")
    ours = yappi.get_func_stats(filter_callback=lambda f: APP_DIR in f.module)
    ours.sort("ttot", "desc")
    profile.text_path = out_dir / f"{name}.txt"
    profile.text_path.write_text(
        f"Every function (top {TOP} by total wall time):\n{_table(stats)}\n"
        f"This app's own functions (top {TOP}):\n{_table(ours)}"
    )


def _table(stats: object) -> str:
    text = io.StringIO()
    stats.print_all(  # type: ignore[attr-defined]
        out=text,
        columns={0: ("name", 100), 1: ("ncall", 8), 2: ("tsub", 10), 3: ("ttot", 10)},
    )
    return "\n".join(text.getvalue().splitlines()[: TOP + 4]) + "\n"
