"""The lint gates `flask dev lint` runs: the same tools and arguments as `make lint`,
`make typecheck` and `make check-generated`, from this virtualenv, in a project directory.

A gate is a list of steps; a step is a command (run as a subprocess, output captured) or,
for the spec, the in-process check `flask dev openapi` runs (no second app start-up).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.cli.contract import SpecError, checked_spec, stale_reference

# A step returns None when it passed, else what to show.
Step = tuple[str, ...] | Callable[[], str | None]
GATE_NAMES = ("ruff", "format", "mypy", "spec", "generated")
OUTPUT_LINES = 40  # of a failing gate's output, the last ones


@dataclass(frozen=True, slots=True)
class Gate:
    name: str
    steps: tuple[Step, ...]


def gates(root: Path, *, fix: bool) -> dict[str, Gate]:
    """Every gate, by name, for the project in `root`."""
    bin_dir = Path(sys.executable).parent
    python, ruff = str(bin_dir / "python"), str(bin_dir / "ruff")
    spec, bundle = "openapi/openapi.yaml", "generated/openapi.yaml"
    return {
        "ruff": Gate("ruff", ((ruff, "check", *(("--fix",) if fix else ()), "."),)),
        "format": Gate("format", ((ruff, "format", *(() if fix else ("--check",)), "."),)),
        "mypy": Gate("mypy", ((str(bin_dir / "mypy"), "app"),)),
        "spec": Gate("spec", (lambda: _spec_problem(root / spec),)),
        "generated": Gate(
            "generated",
            (
                (python, "scripts/bundle_spec.py", "--check", spec, bundle),
                (python, "scripts/generate_models.py", "--check", spec, "generated/models.py"),
                lambda: _reference_problem(root / spec, root / "docs" / "api"),
            ),
        ),
    }


def run_gate(gate: Gate, root: Path) -> str | None:
    """None when every step passed, else the failing step's output (its tail)."""
    for step in gate.steps:
        failure = step() if callable(step) else _run(step, root)
        if failure is not None:
            lines = failure.rstrip().splitlines()
            return "\n".join(lines[-OUTPUT_LINES:]) or f"{gate.name} failed"
    return None


def _run(argv: tuple[str, ...], root: Path) -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv from this virtualenv, no shell
            argv, cwd=root, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        return f"cannot run {argv[0]}: {exc.strerror} (run `make install`)"
    return None if done.returncode == 0 else f"{done.stdout}{done.stderr}"


def _spec_problem(path: Path) -> str | None:
    try:
        checked_spec(path)
    except SpecError as exc:
        return str(exc)
    return None


def _reference_problem(spec_path: Path, out: Path) -> str | None:
    try:
        stale = stale_reference(checked_spec(spec_path), out)
    except SpecError as exc:
        return str(exc)
    if stale:
        more = f" and {len(stale) - 5} more" if len(stale) > 5 else ""
        return f"docs/api is stale ({', '.join(stale[:5])}{more}): run `make generate`"
    return None
