"""Generate generated/models.py from the spec, or check that the committed file is current.

    python scripts/generate_models.py [--check] openapi/openapi.yaml generated/models.py

The generator reads the bundle of the spec (app/contract/bundle.py: one document, named
components), the same document the app serves. One place holds the datamodel-code-generator
options so `make generate` and `make check-generated` can never disagree. Output is
deterministic (no timestamp, fixed formatter), so any diff means the spec changed without
regenerating.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file, not -m

from drift import write_or_check

from app.contract.bundle import BundleError, bundle, dump

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
    parser.add_argument("spec", type=Path, help="the root document")
    parser.add_argument("target", type=Path)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        # Same file name as the root: the generator writes it into the file's header.
        bundled = Path(tmp) / args.spec.name
        try:
            bundled.write_text(dump(bundle(args.spec)), encoding="utf-8")
        except BundleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        fresh = Path(tmp) / args.target.name
        generate(bundled, fresh)
        new = fresh.read_text(encoding="utf-8")
    return write_or_check(args.target, new, args.spec, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
