"""What each request-path fix buys: undo it alone, benchmark, compare (`make bench-ablate`).

    .venv/bin/python -m bench.ablate [--only FIX ...] [-- bench.run options]

Each `bench/ablations/<fix>.patch` reverts one fix of issue 9. This checks out HEAD into
detached git worktrees under a temp dir (one untouched, one per patch with the patch
applied) and runs `bench.run` with `service-1w` served from the untouched one plus one
variant per patch (`service-1w@<fix>`), all in the same rotated rounds, so the result's
"Ablations" table puts every fix's with/without numbers side by side. Everything measured is
HEAD, so the working tree can change during the run. The worktrees are removed afterwards, also on
failure. A patch that stops applying fails the run with its name: regenerate it (revert the
fix in a worktree, `git diff > bench/ablations/<fix>.patch`) or delete it with its fix.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench import run
from bench.services import ROOT

PATCHES = ROOT / "bench" / "ablations"
DEFAULT_SCENARIOS = ["health_live", "users_me", "users_list", "refresh_unknown"]


class AblationError(RuntimeError):
    pass


def _git(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git") or "git"
    return subprocess.run(  # noqa: S603
        [git, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def patches(only: list[str] | None) -> list[Path]:
    found = sorted(PATCHES.glob("*.patch"))
    if only:
        known = {p.stem: p for p in found}
        missing = [n for n in only if n not in known]
        if missing:
            msg = f"no bench/ablations/{missing[0]}.patch; known: {', '.join(sorted(known))}"
            raise AblationError(msg)
        found = [known[n] for n in only]
    if not found:
        raise AblationError("bench/ablations/ holds no *.patch")
    return found


@contextmanager
def worktrees(selected: list[Path]) -> Iterator[list[tuple[str, Path]]]:
    """A detached worktree of HEAD named `HEAD`, then one per patch with the patch applied;
    all removed on exit."""
    base = Path(tempfile.mkdtemp(prefix="bench-ablate-"))
    made: list[Path] = []
    try:
        out: list[tuple[str, Path]] = []
        for patch in [None, *selected]:
            tree = base / (patch.stem if patch else "HEAD")
            added = _git("worktree", "add", "--detach", str(tree), "HEAD")
            if added.returncode != 0:
                raise AblationError(f"git worktree add failed: {added.stderr.strip()}")
            made.append(tree)
            if patch is None:
                out.append(("HEAD", tree))
                continue
            applied = _git("apply", str(patch), cwd=tree)
            if applied.returncode != 0:
                msg = (
                    f"{patch.relative_to(ROOT)} no longer applies to HEAD "
                    f"({applied.stderr.strip().splitlines()[0] if applied.stderr else 'no detail'})"
                    "; regenerate or delete it"
                )
                raise AblationError(msg)
            out.append((patch.stem, tree))
        yield out
    finally:
        for tree in made:
            _git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(base, ignore_errors=True)
        _git("worktree", "prune")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    ours, passthrough = args, []
    if "--" in args:
        cut = args.index("--")
        ours, passthrough = args[:cut], args[cut + 1 :]
    p = argparse.ArgumentParser(prog="python -m bench.ablate", description=__doc__.split("\n")[0])
    p.add_argument("--only", nargs="*", help="fixes to measure (default: every patch)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=6.0, help="seconds per scenario")
    p.add_argument("--scenarios", nargs="*", default=DEFAULT_SCENARIOS)
    a = p.parse_args(ours)
    selected = patches(a.only)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    with worktrees(selected) as trees:
        (_, head), variants = trees[0], trees[1:]
        bench_args = [
            "--service-root",
            str(head),
            "--configs",
            "service-1w",
            "--scenarios",
            *a.scenarios,
            "--rounds",
            str(a.rounds),
            "--duration",
            str(a.duration),
            "--name",
            f"{stamp}-ablation",
            "--no-latest",  # LATEST.md stays the last full comparison
            *[f"--variant={name}={tree}" for name, tree in variants],
            *passthrough,
        ]
        return run.main(bench_args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AblationError as exc:
        print(f"bench.ablate: {exc}", file=sys.stderr)
        sys.exit(2)
