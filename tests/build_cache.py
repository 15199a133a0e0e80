"""What the suite builds once instead of once per worker (and per run): the Python SDK's
venv, the TypeScript build, mypy's cache for the scaffold test, `npm ci`.

Each build lives outside the checkout, in `TEST_CACHE_DIR` (default
`$XDG_CACHE_HOME/spec-first-api-tests`, i.e. `~/.cache/...`), in a folder named after a hash
of everything it is built from: change a generated file, a lock or the interpreter and the key
changes, so a stale build is never reused. An exclusive file lock makes concurrent pytest-xdist
workers (and concurrent runs) wait for the one build instead of each doing it; a build counts
only once it finished (`.complete`), so an interrupted one is redone. Folders unused for a week
are removed.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

UNUSED_DAYS = 7
SKIPPED = {"__pycache__", "node_modules", ".ruff_cache", "build", "dist"}


def cache_root() -> Path:
    configured = os.environ.get("TEST_CACHE_DIR")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "spec-first-api-tests"


@contextmanager
def locked(name: str) -> Iterator[Path]:
    """Hold the cache's lock called `name` (blocking); yield the cache root."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with (root / f"{name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield root
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _files(path: Path) -> Iterable[Path]:
    if path.is_file():
        yield path
        return
    for child in sorted(path.iterdir()):
        if child.name not in SKIPPED:
            yield from _files(child)


def digest(base: Path, inputs: Iterable[Path | str]) -> str:
    """A hash of the inputs: files and folders (their paths under `base` and contents) and
    plain strings (versions, options)."""
    sha = hashlib.sha256()
    for item in inputs:
        if isinstance(item, str):
            sha.update(b"s\0" + item.encode() + b"\0")
            continue
        for file in _files(item):
            sha.update(b"f\0" + str(file.relative_to(base)).encode() + b"\0")
            sha.update(hashlib.sha256(file.read_bytes()).digest())
    return sha.hexdigest()[:20]


def built(name: str, key: str, build: Callable[[Path], None]) -> Path:
    """The folder `<name>-<key>`, made by `build(folder)` unless an earlier build finished."""
    with locked(name) as root:
        target = root / f"{name}-{key}"
        complete = target / ".complete"
        if not complete.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            build(target)
            complete.touch()
        os.utime(complete)  # in use: not pruned
        _prune(root, name, keep=target)
        return target


def _prune(root: Path, name: str, keep: Path) -> None:
    cutoff = time.time() - UNUSED_DAYS * 86400
    for old in root.glob(f"{name}-*"):
        if old == keep or not old.is_dir():
            continue
        marker = old / ".complete"
        stamp = marker.stat().st_mtime if marker.exists() else old.stat().st_mtime
        if stamp < cutoff:
            shutil.rmtree(old, ignore_errors=True)
