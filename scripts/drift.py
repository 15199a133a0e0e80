"""Write a generated file, or (with --check) fail with a diff when the committed one differs.

Shared by scripts/bundle_spec.py and scripts/generate_models.py, so `make generate` and
`make check-generated` treat every file under generated/ the same way.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path


def write_or_check(target: Path, new: str, source: Path, *, check: bool) -> int:
    """0 when written or up to date; 1 (and a unified diff on stdout) when stale."""
    if not check:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(new, encoding="utf-8")
        print(f"wrote {target}")
        return 0
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    if old == new:
        print(f"{target} is up to date with {source}")
        return 0
    diff = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{target} (committed)",
        tofile=f"{target} (from {source})",
    )
    sys.stdout.writelines(diff)
    print(f"\n{target} is stale: run `make generate` and commit the result.", file=sys.stderr)
    return 1
