"""npm projects in the repository install only what their lock pins, and the lock records
names, versions and integrity hashes, never a registry's download address (.npmrc's
`omit-lockfile-registry-resolved`), like the Python locks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _committed(name: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", f"*{name}", name], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return sorted({ROOT / p.decode() for p in listed if p and Path(p.decode()).name == name})


def test_every_npm_project_has_a_lock_and_the_npmrc_setting() -> None:
    projects = _committed("package.json")
    assert ROOT / "package.json" in projects
    for manifest in projects:
        folder = manifest.parent
        assert (folder / "package-lock.json").is_file(), folder
        npmrc = (folder / ".npmrc").read_text().splitlines()
        assert "omit-lockfile-registry-resolved=true" in npmrc, folder


def test_locks_hold_no_download_addresses() -> None:
    for lock in _committed("package-lock.json"):
        packages = json.loads(lock.read_text())["packages"]
        resolved = [name for name, entry in packages.items() if "resolved" in entry]
        assert resolved == [], f"{lock.relative_to(ROOT)}: {resolved[:5]}"
        missing = [
            n for n, e in packages.items() if n and "integrity" not in e and not e.get("link")
        ]
        assert missing == [], f"{lock.relative_to(ROOT)}: no integrity hash for {missing[:5]}"


def test_tools_are_pinned_exactly() -> None:
    for manifest in _committed("package.json"):
        doc = json.loads(manifest.read_text())
        deps = {**doc.get("dependencies", {}), **doc.get("devDependencies", {})}
        loose = {k: v for k, v in deps.items() if not v[:1].isdigit()}
        assert loose == {}, f"{manifest.relative_to(ROOT)}: {loose}"
