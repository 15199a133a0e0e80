"""No committed file names a package registry's host (lock files record names, versions
and hashes only; installs resolve against whatever index the machine is configured for)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Spelled in pieces so this file does not name them either.
HOSTS = tuple(
    ".".join(parts)
    for parts in (
        ("pypi", "org"),
        ("files", "pythonhosted", "org"),
        ("registry", "npmjs", "org"),
        ("registry", "yarnpkg", "com"),
    )
)


def test_no_committed_file_names_a_registry_host() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    offenders = []
    for name in filter(None, listed):
        path = ROOT / name.decode()
        if not path.is_file():
            continue
        text = path.read_bytes()
        offenders += [f"{name.decode()}: {h}" for h in HOSTS if h.encode() in text]
    assert not offenders, offenders
