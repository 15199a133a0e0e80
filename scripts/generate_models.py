"""Generate generated/models.py from the spec, or check that the committed file is current.

One place holds the datamodel-code-generator options so `make generate` and
`make check-generated` can never disagree. Output is deterministic (no timestamp,
fixed formatter), so any diff means the spec changed without regenerating.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
from pathlib import Path

OPTIONS = [
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.11",
    "--use-standard-collections",
    "--use-union-operator",
    "--use-annotated",
    "--field-constraints",
    "--strict-nullable",
    "--collapse-root-models",
    "--enum-field-as-literal=all",
    "--use-schema-description",
    "--use-field-description",
    "--use-double-quotes",
    "--disable-timestamp",
    "--formatters=ruff-format",
]


def generate(spec: Path, out: Path) -> None:
    """Run the pinned generator from this venv; raise on any generator error."""
    exe = Path(sys.executable).with_name("datamodel-codegen")
    cmd = [str(exe), f"--input={spec}", f"--output={out}", *OPTIONS]
    subprocess.run(cmd, check=True)  # noqa: S603 - fixed argv, no shell


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / args.target.name
        generate(args.spec, fresh)
        new = fresh.read_text()

    if not args.check:
        args.target.parent.mkdir(parents=True, exist_ok=True)
        args.target.write_text(new)
        print(f"wrote {args.target}")
        return 0

    old = args.target.read_text() if args.target.exists() else ""
    if old == new:
        print(f"{args.target} is up to date with {args.spec}")
        return 0
    diff = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{args.target} (committed)",
        tofile=f"{args.target} (from {args.spec})",
    )
    sys.stdout.writelines(diff)
    print(f"\n{args.target} is stale: run `make generate` and commit the result.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
