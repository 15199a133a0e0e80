"""Run pytest on parallel workers and fail when no test ran.

pytest exits 5 when it collects nothing; that must never pass silently (a broken
conftest or a wrong path would otherwise look green).

Tests run on `TEST_WORKERS` pytest-xdist workers (default: two per CPU, since many tests
wait on servers, subprocesses and deadlines: with one per CPU the cores were idle half the
time; `0` runs them in this process). Each worker is a test session of its own, with its
own PostgreSQL schema and Redis key prefix (tests/services.py, tests/conftest.py), so
workers never share state. Tests that must stay together (the browser tests' one server
and browser, the timing-sensitive fault tests) carry `pytest.mark.xdist_group`; `--dist
loadgroup` keeps each group on one worker. Arguments that choose workers themselves (`-n`,
`-p no:xdist`) win.
"""

from __future__ import annotations

import os
import sys

import pytest

NO_TESTS_COLLECTED = 5


def workers() -> int:
    raw = os.environ.get("TEST_WORKERS", "").strip()
    if raw:
        return max(0, int(raw))
    return 2 * (os.cpu_count() or 1)


def with_workers(argv: list[str]) -> list[str]:
    """`argv` plus the worker options, unless it already chooses."""
    chooses = any(
        arg in ("-n", "--numprocesses", "no:xdist")
        or arg.startswith(("-n", "--numprocesses=", "--dist"))
        for arg in argv
    )
    count = workers()
    if chooses or count == 0:
        return argv
    return ["-n", str(count), "--dist", "loadgroup", *argv]


def write_bytecode() -> None:
    """Let this run (its workers and every server or CLI it starts) keep compiled modules
    in `__pycache__`, as Python does by default: with PYTHONDONTWRITEBYTECODE set (some
    machines set it), each of the suite's hundreds of subprocesses recompiled `app/` and
    each worker re-rewrote every test module."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


def main(argv: list[str]) -> int:
    write_bytecode()
    code = int(pytest.main(with_workers(argv)))
    if code == NO_TESTS_COLLECTED:
        print("error: no tests ran (pytest exit code 5)", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
